/*
 * rd.h - the bounded reader every parser uses.  A struct rd is a window on
 * bytes it does not own (pointer, length, offset) with a sticky error: a read
 * past the end sets the error and returns 0 or NULL, every later read fails
 * too, and the caller checks rd_ok() once at the end.  rd_sub() makes a child
 * window that cannot see past its length; the parent skips over it.
 * Multi-byte fields are read byte by byte, never by casting packet memory.
 */
#ifndef TM_RD_H
#define TM_RD_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *p; /* first byte of the window */
	size_t len;	  /* bytes in the window */
	size_t off;	  /* next byte to read */
	int err;	  /* 0, or the first TM_E* code met; sticky */
};

static inline void rd_init(struct rd *r, const void *p, size_t len)
{
	r->p = p;
	r->len = p ? len : 0;
	r->off = 0;
	r->err = 0;
}

static inline bool rd_ok(const struct rd *r) { return r->err == 0; }
static inline size_t rd_left(const struct rd *r) { return r->err ? 0 : r->len - r->off; }
/* Pointer to the next unread byte (valid for rd_left() bytes). */
static inline const uint8_t *rd_cur(const struct rd *r) { return r->p + r->off; }
/* Mark the reader failed with rc (the first error wins). */
void rd_fail(struct rd *r, int rc);

/*
 * The fixed-size reads are inline (every decoder calls them per field, per
 * packet: sniff's hot path); the rest lives in rd.c.
 */
static inline bool rd_need_(struct rd *r, size_t n)
{
	if (r->err)
		return false;
	if (n > r->len - r->off) {
		r->err = TM_EPROTO;
		return false;
	}
	return true;
}

/* Returns a pointer to n bytes inside the window and advances, or NULL. */
static inline const uint8_t *rd_bytes(struct rd *r, size_t n)
{
	const uint8_t *b;

	if (!rd_need_(r, n))
		return NULL;
	b = r->p + r->off;
	r->off += n;
	return b;
}

static inline uint8_t rd_u8(struct rd *r)
{
	return rd_need_(r, 1) ? r->p[r->off++] : 0;
}

static inline uint16_t rd_be16(struct rd *r)
{
	const uint8_t *b = rd_bytes(r, 2);

	return b ? (uint16_t)(b[0] << 8 | b[1]) : 0;
}

static inline uint32_t rd_be32(struct rd *r)
{
	const uint8_t *b = rd_bytes(r, 4);

	return b ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3] : 0;
}

uint64_t rd_be64(struct rd *r);

static inline uint16_t rd_le16(struct rd *r)
{
	const uint8_t *b = rd_bytes(r, 2);

	return b ? (uint16_t)(b[1] << 8 | b[0]) : 0;
}

static inline uint32_t rd_le32(struct rd *r)
{
	const uint8_t *b = rd_bytes(r, 4);

	return b ? (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0] : 0;
}

/* Copies n bytes into dst (dst untouched on failure); returns rd_ok(). */
static inline bool rd_copy(struct rd *r, void *dst, size_t n)
{
	const uint8_t *b = rd_bytes(r, n);

	if (!b)
		return false;
	memcpy(dst, b, n);
	return true;
}

static inline void rd_skip(struct rd *r, size_t n)
{
	if (rd_need_(r, n))
		r->off += n;
}

/* Peek at the byte at offset k from the current one without consuming; -1 past the end. */
int rd_peek(const struct rd *r, size_t k);
/*
 * A child window over the next n bytes; the parent advances past them.  When
 * fewer than n bytes are left both parent and child fail.
 */
struct rd rd_sub(struct rd *r, size_t n);

/*
 * Text: the next line (without its "\n" or "\r\n") as pointer and length.
 * Returns false at the end of the window.  A line longer than max is cut to
 * max bytes and *cut is set (the rest of the line is consumed), so a caller
 * can report it; cut may be NULL.
 */
bool rd_line(struct rd *r, const char **line, size_t *len, size_t max, bool *cut);

#endif
