/*
 * http.c - HTTP/1.x and RTSP/1.0 response heads and titles (http.h).  The
 * status line follows RFC 9112 section 4 (RTSP: RFC 2326 section 7.1), the
 * realm RFC 9110 section 11.6.1 / RFC 7616; lines come from hdr_next(), so a
 * 1 MB header line costs one memchr and sets the truncated flag.
 */
#include "http.h"

#include "core/err.h"
#include "core/str.h"
#include "hdr.h"

#include <stdio.h>
#include <string.h>

/* Could p[0..n) still be the start of "HTTP/" or "RTSP/"? */
static bool may_be_status(const uint8_t *p, size_t n)
{
	size_t k = n < 5 ? n : 5;

	return !memcmp(p, "HTTP/", k) || !memcmp(p, "RTSP/", k);
}

/* "HTTP/1.1 200 OK": proto, one or more spaces, three digits, then anything. */
static int status_line(const char *s, size_t n, struct http_resp *r)
{
	size_t i = 0, j;

	while (i < n && s[i] != ' ')
		i++;
	if (i < 6 || i >= sizeof(r->proto) || !may_be_status((const uint8_t *)s, 5))
		return TM_EPROTO;
	j = i;
	while (j < n && s[j] == ' ')
		j++;
	if (n - j < 3 || (n - j > 3 && s[j + 3] != ' ' && s[j + 3] != '\t'))
		return TM_EPROTO;
	for (size_t k = 0; k < 3; k++)
		if (s[j + k] < '0' || s[j + k] > '9')
			return TM_EPROTO;
	memcpy(r->proto, s, i);
	r->proto[i] = '\0';
	r->status = (s[j] - '0') * 100 + (s[j + 1] - '0') * 10 + (s[j + 2] - '0');
	return 0;
}

/* realm="..." (or a bare token) inside a WWW-Authenticate value. */
static void take_realm(const char *v, size_t n, struct http_resp *r)
{
	size_t i = 0, k;

	for (;;) {
		const char *m = str_casefind(v + i, n - i, "realm=");

		if (!m)
			return;
		i = (size_t)(m - v);
		if (i == 0 || v[i - 1] == ' ' || v[i - 1] == ',' || v[i - 1] == '\t')
			break;
		i += 6;
	}
	i += 6;
	k = i;
	if (i < n && v[i] == '"') {
		k = ++i;
		while (k < n && v[k] != '"')
			k += (v[k] == '\\' && k + 1 < n) ? 2 : 1;
		if (k > n)
			k = n;
	} else {
		while (k < n && v[k] != ',' && v[k] != ' ')
			k++;
	}
	if (hdr_copy(r->realm, sizeof(r->realm), v + i, k - i))
		r->truncated = 1;
}

/* Copies a header value into a field when the field is still empty. */
static void take(char *dst, size_t cap, const char *v, size_t n, struct http_resp *r)
{
	if (dst[0])
		return;
	if (hdr_copy(dst, cap, v, n))
		r->truncated = 1;
}

static void header(const char *line, size_t len, struct http_resp *r)
{
	const char *name, *v;
	size_t nl, vl;
	int64_t cl;

	if (line[0] == ' ' || line[0] == '\t')
		return; /* obsolete line folding: ignored */
	if (!hdr_split(line, len, &name, &nl, &v, &vl)) {
		r->malformed = 1;
		return;
	}
	if (str_caseeq(name, nl, "server"))
		take(r->server, sizeof(r->server), v, vl, r);
	else if (str_caseeq(name, nl, "www-authenticate") && !r->realm[0])
		take_realm(v, vl, r);
	else if (str_caseeq(name, nl, "location"))
		take(r->location, sizeof(r->location), v, vl, r);
	else if (str_caseeq(name, nl, "content-type"))
		take(r->content_type, sizeof(r->content_type), v, vl, r);
	else if (str_caseeq(name, nl, "content-length") && r->content_length < 0) {
		if (str_to_i64(v, vl, &cl) && cl >= 0 && cl <= 0x7fffffff)
			r->content_length = (long)cl;
		else
			r->malformed = 1;
	}
}

/* The text of the first complete <title ...>...</title> in the body, ends trimmed, controls as
 * spaces. */
static void title(const char *b, size_t n, struct http_resp *r)
{
	const char *t = str_casefind(b, n, "<title"), *s, *e;
	size_t k;

	if (!t || (size_t)(t - b) + 6 >= n)
		return;
	s = t + 6;
	if (*s != '>' && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
		return;
	s = memchr(s, '>', n - (size_t)(s - b));
	if (!s)
		return;
	s++;
	e = str_casefind(s, n - (size_t)(s - b), "</title");
	if (!e)
		return;
	k = (size_t)(e - s);
	str_trim(&s, &k);
	if (hdr_copy(r->title, sizeof(r->title), s, k))
		r->truncated = 1;
	for (char *c = r->title; *c; c++)
		if (*c == '\r' || *c == '\n' || *c == '\t')
			*c = ' ';
}

int http_parse(const uint8_t *p, size_t n, struct http_resp *r)
{
	size_t pos = 0, len;
	const char *line;
	int nh = 0;
	enum hdr_kind k;

	memset(r, 0, sizeof(*r));
	r->content_length = -1;
	if (!p)
		n = 0;
	if (!may_be_status(p, n))
		goto bad;
	k = hdr_next(p, n, &pos, &line, &len);
	if (k == HDR_MORE)
		return 0;
	if (k != HDR_LINE || status_line(line, len, r))
		goto bad;
	while ((k = hdr_next(p, n, &pos, &line, &len)) != HDR_MORE) {
		if (k == HDR_END) {
			r->head_done = 1;
			r->head_len = pos;
			title((const char *)p + pos, n - pos, r);
			break;
		}
		if (k == HDR_LONG || ++nh > HDR_MAX) {
			r->truncated = 1;
			continue;
		}
		header(line, len, r);
	}
	return 0;
bad:
	r->malformed = 1;
	return TM_EPROTO;
}

/* True when s is non-empty and free of spaces and control bytes (no header injection). */
static bool clean(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int fit(int k, size_t cap)
{
	return k < 0 ? TM_EINVAL : (size_t)k >= cap ? TM_ELIMIT : k;
}

int http_build_get(char *out, size_t cap, const char *host, const char *path)
{
	if (!clean(host) || !clean(path) || path[0] != '/')
		return TM_EINVAL;
	return fit(
	    snprintf(
		out, cap,
		"GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: Mozilla/5.0 (compatible; trustmap)\r\n"
		"Accept: */*\r\nConnection: close\r\n\r\n",
		path, host),
	    cap);
}

int rtsp_build_options(char *out, size_t cap, const char *url, int cseq)
{
	if (!clean(url))
		return TM_EINVAL;
	return fit(snprintf(out, cap,
			    "OPTIONS %s RTSP/1.0\r\nCSeq: %d\r\nUser-Agent: trustmap\r\n\r\n", url,
			    cseq),
		   cap);
}
