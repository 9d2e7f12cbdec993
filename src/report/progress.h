/*
 * progress.h - a one-line progress display on standard error for long work
 * (done, rate, ETA), redrawn at most four times a second, and silent when
 * standard error is not a terminal (pipes and logs get nothing).
 */
#ifndef TM_PROGRESS_H
#define TM_PROGRESS_H

struct progress {
	int on;		  /* stderr is a terminal */
	double start;	  /* seconds, monotonic */
	double last;	  /* last redraw */
	const char *what; /* label, e.g. the file name */
	long long total;  /* bytes expected, 0 unknown */
	int drawn;	  /* a line is on screen */
};

/* total: bytes expected (0 when unknown: no percentage, no ETA). */
void progress_init(struct progress *p, const char *what, long long total);
/* done: bytes so far; items: records so far (named unit).  Cheap when not due. */
void progress_update(struct progress *p, long long done, long items, const char *unit);
/* Clears the line. */
void progress_end(struct progress *p);

#endif
