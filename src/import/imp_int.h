/*
 * imp_int.h - what the readers of src/import/ share and nobody else needs:
 * the run context (file name, sink, skip_bad, counters, error buffer) with
 * the one place that decides what a bad record does, line and chunk sources
 * over a file or bytes in memory, and small normalisers (addresses, MACs,
 * times, protocols, base64, escapes) used by more than one format.
 */
#ifndef TM_IMP_INT_H
#define TM_IMP_INT_H

#include "../core/buf.h"
#include "../core/file.h"
#include "../core/rd.h"
#include "import.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One import in progress. */
struct imp_run {
	const char *file;	  /* name used in messages */
	const struct imp_sink *k; /* where observations and sites go */
	int skip_bad;		  /* count bad records instead of stopping */
	struct imp_stats *st;	  /* never NULL (points at own when the caller gave none) */
	struct imp_stats own;	  /* counters when the caller passed st == NULL */
	char *eb;		  /* caller's error buffer */
	size_t el;
};

/* Sets up r (zeroing the stats); st may be NULL. */
void imp_run_init(struct imp_run *r, const char *file, const struct imp_sink *k, int skip_bad,
		  struct imp_stats *st, char *eb, size_t el);

/* What imp_bad returns for a bad record that was counted and passed over. */
#define IMP_SKIP 0x51c1b4d

/*
 * A bad record at line:col ("file:line:col: message").  With skip_bad it is
 * counted (the first message kept in st->first_error) and IMP_SKIP is
 * returned, so that the caller drops the rest of the record and goes on;
 * otherwise the message goes to eb and TM_EPROTO is returned.
 */
int imp_bad(struct imp_run *r, unsigned long line, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Hands o to the sink and counts it; a nonzero answer is returned with a
 * message in eb (a sink answering IMP_SKIP gets TM_EINVAL).
 */
int imp_emit(struct imp_run *r, unsigned long line, const struct obs *o);
/* Same for a site (a NULL site callback drops it and returns 0). */
int imp_emit_site(struct imp_run *r, unsigned long line, const struct imp_site *s);

/* Same for a link (a NULL link callback drops it and returns 0); counted in st->obs by links.c only. */
int imp_emit_link(struct imp_run *r, unsigned long line, const struct imp_link *l);
/*
 * An endpoint as a link key into out[96]: "mac:", "ip:" and "ref:" keys
 * are kept, anything else is an inventory asset id and becomes "ref:<it>".
 * false when empty, too long or holding control characters.
 */
bool imp_link_key(const char *s, size_t n, char out[96]);

/* An empty observation from source (time 0, no address, no port). */
void imp_obs_init(struct obs *o, const char *source);

/* Lines of a file or of bytes in memory, at most max bytes each. */
struct imp_lines {
	struct lr lr;	      /* when reading a file */
	struct rd rd;	      /* when reading memory */
	int mem;	      /* 1: rd, 0: lr */
	size_t max;	      /* longest line kept */
	unsigned long lineno; /* 1-based number of the current line */
	bool cut;	      /* the current line was longer than max (and was cut) */
	bool binary;	      /* the current line holds a NUL byte */
};

int imp_lines_open(struct imp_lines *l, const char *path, size_t max, char *eb, size_t el);
void imp_lines_mem(struct imp_lines *l, const char *data, size_t len, size_t max);
/* 1 and the line (not NUL-terminated in memory mode), 0 at the end, or a TM_E* code. */
int imp_lines_next(struct imp_lines *l, const char **p, size_t *n);
void imp_lines_close(struct imp_lines *l);

/* Chunks of a file or of bytes in memory, for the CSV and XML state machines. */
struct imp_chunks {
	FILE *f;	  /* file mode */
	int own;	  /* close f at the end */
	char *buf;	  /* file mode: the chunk buffer */
	const char *data; /* memory mode */
	size_t len, off;
	size_t size; /* bytes per chunk */
};

/* Test hook: bytes per chunk for sources opened from now on (0: 64 KiB). */
extern size_t imp_chunk_size;

int imp_chunks_open(struct imp_chunks *c, const char *path, char *eb, size_t el);
void imp_chunks_mem(struct imp_chunks *c, const char *data, size_t len);
/* 1 and the next chunk, 0 at the end, or TM_EIO/TM_ENOMEM. */
int imp_chunks_next(struct imp_chunks *c, const char **p, size_t *n);
void imp_chunks_close(struct imp_chunks *c);

/* Canonical text of an IPv4 or IPv6 address (n bytes at s) into out[46]; false if invalid. */
bool imp_addr(const char *s, size_t n, char out[46]);
/* "aa:bb:cc:dd:ee:ff" (lower case) into out[18] from any form str_to_mac knows. */
bool imp_mac(const char *s, size_t n, char out[18]);
/* Seconds since the epoch from digits or "YYYY-MM-DD[T ]HH:MM:SS[.frac](Z|+00:00)". */
bool imp_time(const char *s, size_t n, int64_t *t);
/* "tcp"/"udp"/"sctp" (any case) to 6/17/132; false for anything else. */
bool imp_proto(const char *s, size_t n, uint8_t *proto);
/* Appends the base64 decoding of (s, n) to b (white space ignored); TM_EPROTO when not base64. */
int imp_b64(struct buf *b, const char *s, size_t n);
/*
 * Appends (s, n) to b with the escapes of masscan -oL, nmap's banner script
 * and nmap service fingerprints undone: \xNN, \0, \r, \n, \t and \\-anything.
 */
int imp_unescape(struct buf *b, const char *s, size_t n);
/* The value of the first header named name (case-insensitive) in an HTTP head, trimmed. */
bool imp_http_header(const char *p, size_t n, const char *name, const char **v, size_t *vn);

/* Scratch for mapping masscan banners (msbanner.c). */
struct imp_mb {
	struct imp_run *r;
	unsigned long line; /* for messages */
	struct buf val;	    /* the banner's raw bytes, filled by the caller */
	struct buf der;	    /* decoded certificate */
	struct buf subj;    /* its subject */
	struct buf iss;	    /* its issuer */
};

void imp_mb_init(struct imp_mb *m, struct imp_run *r);
void imp_mb_fini(struct imp_mb *m);
/*
 * Delivers what the banner in m->val says, given masscan's service name
 * (name, nn), as observations built on o (address, port, time already set).
 * Returns 0, the sink's code or TM_ENOMEM.
 */
int imp_mb_banner(struct imp_mb *m, struct obs *o, const char *name, size_t nn);

/*
 * Certificate names from DER: appends "/C=CN/O=.../CN=..." (X509_NAME_oneline
 * order and short names; unknown attribute types as dotted OIDs) of the
 * subject to subj and of the issuer to iss.  TM_EPROTO when der is no
 * certificate.
 */
int imp_x509_names(const uint8_t *der, size_t n, struct buf *subj, struct buf *iss);

/*
 * The drivers every reader's two public entry points share: set up the run,
 * open the file (mem == 0: name is its path) or wrap the bytes in memory
 * (mem == 1: named name in messages), call fn, close.  Return fn's result.
 */
typedef int (*imp_lines_fn)(struct imp_run *r, struct imp_lines *l);
int imp_drive_lines(const char *name, int mem, const char *data, size_t len, imp_lines_fn fn,
		    const struct imp_sink *k, int skip_bad, struct imp_stats *st, char *eb,
		    size_t el);
typedef int (*imp_chunks_fn)(struct imp_run *r, struct imp_chunks *c);
int imp_drive_chunks(const char *name, int mem, const char *data, size_t len, imp_chunks_fn fn,
		     const struct imp_sink *k, int skip_bad, struct imp_stats *st, char *eb,
		     size_t el);

#endif
