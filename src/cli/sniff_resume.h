/*
 * sniff_resume.h - the resume state of `trustmap sniff --resume RUN`: the
 * capture options that shape the result, the list of capture files (each
 * with its size and a hash of its first and last 64 KiB, so that a changed
 * file is refused), the packet the run was about to read, the packet to
 * re-read from so that the TCP flow table is rebuilt, and the packets that
 * made the flows it held.  Kept as text in the run's record
 * (store_run_resume_put), written in the transaction of the observations
 * it accounts for; see docs/sniff.md, "Resume".
 */
#ifndef TM_CLI_SNIFF_RESUME_H
#define TM_CLI_SNIFF_RESUME_H

#include "../core/buf.h"
#include "../sniff/capture.h"

#include <stddef.h>
#include <stdint.h>

#define SNIFF_RESUME_FILES 65536   /* capture files in one run at most */
#define SNIFF_RESUME_BORN (1u << 24) /* flows in the table at most (--max-flows' ceiling) */

/* One capture file as the run first saw it; size -1 when it could not be read. */
struct sniff_file {
	char *path;
	int64_t size, mtime;
	uint64_t hash; /* FNV-1a over the first and the last 64 KiB */
};

struct sniff_resume {
	long max_flows, flow_bytes, idle;
	char *scope; /* NULL: global */
	struct {
		uint16_t port;
		enum sn_dec dec;
	} udp_as[CAP_UDP_AS_MAX];
	int nudp_as;
	struct sniff_file *files;
	int nfiles;
	struct cap_pos next, from; /* the packet about to be read; the one to re-read from */
	uint64_t *born;		   /* sorted tags (CAP_TAG) of the packets that made the flows */
	size_t nborn;
	long failed;  /* observations the store refused so far */
	int complete; /* every file read and every flow handed over: only the assets and the run's end were left */
};

/* Appends r as text to b; TM_ENOMEM. */
int sniff_resume_format(struct buf *b, const struct sniff_resume *r);
/*
 * Reads text (from sniff_resume_format) into r; on failure r is empty and
 * eb says which line is wrong.  Free with sniff_resume_fini().
 */
int sniff_resume_parse(const char *text, struct sniff_resume *r, char *eb, size_t el);
void sniff_resume_fini(struct sniff_resume *r);

/*
 * Fills f (path not touched) from the file at path: size, mtime, hash.  An
 * unreadable file gives size -1, mtime 0, hash 0 (the run said so when it
 * read it).  Never fails.
 */
void sniff_file_sig(const char *path, struct sniff_file *f);
/* Whether now (sniff_file_sig of the file given to the resume) is the file was; 1 same, 0 changed. */
int sniff_file_same(const struct sniff_file *was, const struct sniff_file *now);

/* "dhcp4", "dhcp6", "snmp", "ssdp" for --decode-as; SN_DEC_COUNT for another name. */
enum sn_dec sniff_dec_by_name(const char *name);

#endif
