/*
 * file.h - reading files of untrusted size.  file_read() loads a small file
 * (knowledge-base data, policies) whole, refusing anything over a ceiling;
 * struct lr streams a large one (imports of many GB) line by line with a
 * maximum line length and a line counter for file:line messages.
 */
#ifndef TM_FILE_H
#define TM_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Reads path (or stdin for "-") whole into *data (NUL-terminated, free with
 * mem_free), at most max bytes.  On failure *data is NULL and errbuf says why.
 */
int file_read(const char *path, size_t max, char **data, size_t *len, char *errbuf, size_t errlen);

struct lr {
	FILE *f;
	int own;	      /* close f in lr_close */
	char *buf;	      /* current line, NUL-terminated */
	size_t cap;	      /* bytes allocated for buf */
	size_t max;	      /* longest line kept; longer ones are cut and flagged */
	unsigned long lineno; /* 1-based number of the current line */
	bool cut;	      /* the current line was longer than max */
	bool binary;	      /* the current line held a NUL byte */
};

/* Opens path ("-" for stdin).  Returns 0 or TM_ENOTFOUND/TM_EIO with a message. */
int lr_open(struct lr *l, const char *path, size_t max, char *errbuf, size_t errlen);
/* Reads the next line (without \n or \r\n).  Returns 1, 0 at the end, or a TM_E* code. */
int lr_next(struct lr *l, const char **line, size_t *len);
void lr_close(struct lr *l);

#endif
