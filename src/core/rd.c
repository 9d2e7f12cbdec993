/* rd.c - the bounded reader of rd.h. */
#include "rd.h"
#include "err.h"

#include <string.h>

void rd_fail(struct rd *r, int rc)
{
	if (!r->err)
		r->err = rc ? rc : TM_EPROTO;
}

uint64_t rd_be64(struct rd *r)
{
	uint64_t hi = rd_be32(r);

	return hi << 32 | rd_be32(r);
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

	if (!rd_need_(r, n)) {
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
