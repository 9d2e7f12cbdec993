/*
 * buf.h - a growable byte buffer with a ceiling set at creation.  Appends
 * past the ceiling fail with TM_ELIMIT and leave the buffer as it was, so a
 * hostile peer cannot make us grow without bound.  The bytes are always
 * followed by a NUL (not counted in len), so text can be used as a C string.
 */
#ifndef TM_BUF_H
#define TM_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *p;    /* the bytes, NUL-terminated once anything was added; may be NULL */
	size_t len; /* bytes used */
	size_t cap; /* bytes allocated */
	size_t max; /* ceiling on len; 0 means SIZE_MAX/2 */
};

void buf_init(struct buf *b, size_t max);
void buf_fini(struct buf *b); /* frees the bytes; the buffer can be reused after buf_init */
void buf_reset(struct buf *b); /* len = 0, memory kept */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addc(struct buf *b, char c);
int buf_adds(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* The contents as a C string ("" when empty). */
const char *buf_str(const struct buf *b);
/* Hands the bytes to the caller (free with mem_free) and empties the buffer. */
char *buf_take(struct buf *b);

#endif
