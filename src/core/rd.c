/* rd.c - the bounded reader of rd.h. */
#include "rd.h"
#include "err.h"

#include <string.h>

void rd_init(struct rd *r, const void *p, size_t len)
{
	r->p = p;
	r->len = p ? len : 0;
	r->off = 0;
	r->err = 0;
}

void rd_fail(struct rd *r, int rc)
{
	if (!r->err)
		r->err = rc ? rc : TM_EPROTO;
}

static bool need(struct rd *r, size_t n)
{
	if (r->err)
		return false;
	if (n > r->len - r->off) {
		r->err = TM_EPROTO;
		return false;
	}
	return true;
}

uint8_t rd_u8(struct rd *r)
{
	if (!need(r, 1))
		return 0;
	return r->p[r->off++];
}

uint16_t rd_be16(struct rd *r)
{
	const uint8_t *b = rd_bytes(r, 2);

	return b ? (uint16_t)(b[0] << 8 | b[1]) : 0;
}

uint32_t rd_be32(struct rd *r)
{
	const uint8_t *b = rd_bytes(r, 4);

	return b ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3] : 0;
}

uint64_t rd_be64(struct rd *r)
{
	uint64_t hi = rd_be32(r);

	return hi << 32 | rd_be32(r);
}

uint16_t rd_le16(struct rd *r)
{
	const uint8_t *b = rd_bytes(r, 2);

	return b ? (uint16_t)(b[1] << 8 | b[0]) : 0;
}

uint32_t rd_le32(struct rd *r)
{
	const uint8_t *b = rd_bytes(r, 4);

	return b ? (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0] : 0;
}

const uint8_t *rd_bytes(struct rd *r, size_t n)
{
	const uint8_t *b;

	if (!need(r, n))
		return NULL;
	b = r->p + r->off;
	r->off += n;
	return b;
}

bool rd_copy(struct rd *r, void *dst, size_t n)
{
	const uint8_t *b = rd_bytes(r, n);

	if (!b)
		return false;
	memcpy(dst, b, n);
	return true;
}

void rd_skip(struct rd *r, size_t n)
{
	if (need(r, n))
		r->off += n;
}

int rd_peek(const struct rd *r, size_t k)
{
	if (r->err || k >= r->len - r->off)
		return -1;
	return r->p[r->off + k];
}

struct rd rd_sub(struct rd *r, size_t n)
{
	struct rd c = {0};

	if (!need(r, n)) {
		c.err = r->err;
		return c;
	}
	rd_init(&c, r->p + r->off, n);
	r->off += n;
	return c;
}

bool rd_line(struct rd *r, const char **line, size_t *len, size_t max, bool *cut)
{
	const uint8_t *s, *nl;
	size_t left, n;

	if (cut)
		*cut = false;
	left = rd_left(r);
	if (!left)
		return false;
	s = r->p + r->off;
	nl = memchr(s, '\n', left);
	n = nl ? (size_t)(nl - s) : left;
	r->off += nl ? n + 1 : n;
	if (n && s[n - 1] == '\r')
		n--;
	if (n > max) {
		n = max;
		if (cut)
			*cut = true;
	}
	*line = (const char *)s;
	*len = n;
	return true;
}
