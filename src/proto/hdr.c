/*
 * hdr.c - the line walker of hdr.h (RFC 9112 section 2.2: lines end in CR LF,
 * a bare LF is accepted).  Nothing here trusts the peer: lines are found with
 * memchr over the remaining window only.
 */
#include "hdr.h"

#include "core/str.h"

#include <string.h>

enum hdr_kind hdr_next(const uint8_t *p, size_t n, size_t *pos, const char **line, size_t *len)
{
	const uint8_t *s = p + *pos, *nl;
	size_t left = n - *pos, k;

	*line = (const char *)s;
	*len = 0;
	nl = left ? memchr(s, '\n', left) : NULL;
	if (!nl) {
		if (left <= HDR_LINE_MAX)
			return HDR_MORE;
		*len = HDR_LINE_MAX;
		*pos = n;
		return HDR_LONG;
	}
	k = (size_t)(nl - s);
	*pos += k + 1;
	if (k && s[k - 1] == '\r')
		k--;
	if (k > HDR_LINE_MAX) {
		*len = HDR_LINE_MAX;
		return HDR_LONG;
	}
	*len = k;
	return k ? HDR_LINE : HDR_END;
}

bool hdr_split(const char *line, size_t len, const char **name, size_t *nlen, const char **val,
	       size_t *vlen)
{
	const char *c = memchr(line, ':', len);

	if (!c || c == line)
		return false;
	*name = line;
	*nlen = (size_t)(c - line);
	for (size_t i = 0; i < *nlen; i++)
		if (line[i] == ' ' || line[i] == '\t')
			return false;
	*val = c + 1;
	*vlen = len - *nlen - 1;
	str_trim(val, vlen);
	return true;
}

bool hdr_copy(char *dst, size_t cap, const char *v, size_t n)
{
	size_t k = n < cap ? n : cap - 1;

	memcpy(dst, v, k);
	dst[k] = '\0';
	return k < n;
}
