/*
 * scan_resume.h - the resume state of `trustmap scan --resume RUN`: the
 * scan's own arguments and seed, and which (host, port) pairs each event
 * loop has finished (scan.h: struct scan_progress), as the text the store
 * keeps in the run's record (store_run_resume_put).  The scanner writes it
 * in the transaction of the observations it accounts for; see docs/scan.md.
 */
#ifndef TM_CLI_SCAN_RESUME_H
#define TM_CLI_SCAN_RESUME_H

#include "../core/buf.h"
#include "../scan/scan.h"

#include <stdint.h>

struct scan_resume {
	uint64_t seed;
	int nargs;
	char **args; /* the scan's arguments (without SNMP communities) */
	struct scan_progress prog;
	int complete; /* every pair finished: only the neighbour table and the run's end were left */
	uint64_t nobs; /* observations the run committed with this state (0 in a state written without) */
};

/* Appends the state to b; TM_ENOMEM. */
int scan_resume_format(struct buf *b, uint64_t seed, int nargs, char *const *args, const struct scan_progress *p,
		       int complete, uint64_t nobs);
/*
 * Reads text (from scan_resume_format) into r; on failure r is empty and eb
 * says which line is wrong.  Free with scan_resume_fini().
 */
int scan_resume_parse(const char *text, struct scan_resume *r, char *eb, size_t el);
void scan_resume_fini(struct scan_resume *r);
/* Pairs finished in p (all slices). */
uint64_t scan_progress_done(const struct scan_progress *p);

#endif
