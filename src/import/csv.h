/*
 * csv.h - a streaming reader of comma-separated values (RFC 4180): bytes go
 * in by chunks of any size, records come out through a callback, so a file
 * of many GB is read in flat memory.  Quoted fields may hold the separator,
 * doubled quotes and line breaks; a quote inside an unquoted field is kept
 * as a character.  Every record is bounded (bytes and fields); a record that
 * breaks a rule is still delivered, with the error and its position, and
 * the reader goes on with the next line.  Knows no trustmap types.
 */
#ifndef TM_CSV_H
#define TM_CSV_H

#include "../core/buf.h"

#include <stddef.h>

#define CSV_MAX_FIELDS 128

struct csv_rec {
	int nf;				    /* fields in the record (>= 1) */
	const char *f[CSV_MAX_FIELDS];	    /* field bytes, NUL-terminated (may hold NULs) */
	size_t n[CSV_MAX_FIELDS];	    /* field lengths */
	unsigned long col[CSV_MAX_FIELDS];  /* 1-based column where each field starts */
	unsigned long line[CSV_MAX_FIELDS]; /* 1-based line where each field starts */
	unsigned long lineno;		    /* line where the record starts */
	const char *err;		    /* NULL, or why the record is bad (a static string) */
	unsigned long err_line, err_col;    /* where */
};

/* Called once per record; nonzero stops the reader and is returned. */
typedef int (*csv_fn)(void *ctx, const struct csv_rec *r);

struct csv {
	char sep;   /* field separator, ',' unless set before the first byte */
	size_t max; /* most bytes in one record */
	csv_fn fn;
	void *ctx;
	/* private */
	int st;	      /* state of the byte machine */
	int bom;      /* bytes of a UTF-8 byte-order mark matched so far, -1 once past */
	int any;      /* the current record has content */
	struct buf b; /* the current record's field bytes, each field NUL-terminated */
	size_t off[CSV_MAX_FIELDS];
	struct csv_rec r;
	unsigned long line, col;   /* position of the next byte */
	unsigned long qline, qcol; /* where the open quote is */
};

/* max: most bytes in one record (0: 1 MiB). */
void csv_init(struct csv *c, size_t max, csv_fn fn, void *ctx);
void csv_fini(struct csv *c);
/* Feeds n bytes; returns 0, TM_ENOMEM, or the callback's nonzero answer. */
int csv_feed(struct csv *c, const char *p, size_t n);
/*
 * Ends the input: delivers the last record (one without a final line break),
 * with err set when a quoted field is still open.  Returns as csv_feed.
 */
int csv_end(struct csv *c);
/* The separator of a header line (the first line in p): the most common of , ; and tab. */
char csv_guess_sep(const char *p, size_t n);

#endif
