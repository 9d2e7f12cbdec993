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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rd {
	const uint8_t *p; /* first byte of the window */
	size_t len;	  /* bytes in the window */
	size_t off;	  /* next byte to read */
	int err;	  /* 0, or the first TM_E* code met; sticky */
};

void rd_init(struct rd *r, const void *p, size_t len);
static inline bool rd_ok(const struct rd *r) { return r->err == 0; }
static inline size_t rd_left(const struct rd *r) { return r->err ? 0 : r->len - r->off; }
/* Pointer to the next unread byte (valid for rd_left() bytes). */
static inline const uint8_t *rd_cur(const struct rd *r) { return r->p + r->off; }
/* Mark the reader failed with rc (the first error wins). */
void rd_fail(struct rd *r, int rc);

uint8_t rd_u8(struct rd *r);
uint16_t rd_be16(struct rd *r);
uint32_t rd_be32(struct rd *r);
uint64_t rd_be64(struct rd *r);
uint16_t rd_le16(struct rd *r);
uint32_t rd_le32(struct rd *r);
/* Returns a pointer to n bytes inside the window and advances, or NULL. */
const uint8_t *rd_bytes(struct rd *r, size_t n);
/* Copies n bytes into dst (dst untouched on failure); returns rd_ok(). */
bool rd_copy(struct rd *r, void *dst, size_t n);
void rd_skip(struct rd *r, size_t n);
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
