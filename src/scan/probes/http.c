/*
 * http.c - the HTTP probe (GET / over plain TCP) and the RTSP probe
 * (OPTIONS), which share a response parser: the status line, Server,
 * WWW-Authenticate realm, and for HTTP the page's <title> plus the raw head
 * and up to 4 KiB of body as nmap's GetRequest response.  The exchange is
 * complete at the end of the head (RTSP), or when the title closed or the
 * Content-Length arrived (HTTP); else at the peer's close, the deadline or
 * the buffer's ceiling.
 */
#include "../../core/str.h"
#include "../ports.h"
#include "../probe.h"

#include <stdio.h>
#include <string.h>

#define GET_BODY_KEPT 4096

/* Length of the head including its blank line, or 0 when it has not ended. */
size_t probe_http_head_len(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return i + 2;
		if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* The value of header name (case-insensitive) in head (p, n); NULL when absent. */
const char *probe_http_header(const char *p, size_t n, const char *name, size_t *vlen)
{
	size_t nl = strlen(name);

	for (size_t off = 0; off < n;) {
		const char *e = memchr(p + off, '\n', n - off);
		size_t ln = e ? (size_t)(e - (p + off)) : n - off;
		if (ln > nl && p[off + nl] == ':' && str_caseeq(p + off, nl, name)) {
			const char *v = p + off + nl + 1;
			*vlen = ln - nl - 1;
			str_trim(&v, vlen);
			return v;
		}
		off += ln + 1;
	}
	return NULL;
}

/* The realm="..." of a WWW-Authenticate value. */
static const char *realm(const char *v, size_t n, size_t *rl)
{
	const char *r = str_casefind(v, n, "realm=");
	const char *e, *end = v + n;

	if (!r)
		return NULL;
	r += 6;
	if (r < end && *r == '"') {
		r++;
		e = memchr(r, '"', (size_t)(end - r));
		*rl = e ? (size_t)(e - r) : (size_t)(end - r);
	} else {
		for (e = r; e < end && *e != ',' && *e != ' '; e++)
			;
		*rl = (size_t)(e - r);
	}
	return r;
}

/* The <title> of body (p, n); *cut when it did not close. */
static const char *title(const char *p, size_t n, size_t *tl, int *cut)
{
	const char *t = str_casefind(p, n, "<title"), *end = p + n, *e;

	if (!t)
		return NULL;
	if (!(t = memchr(t, '>', (size_t)(end - t))))
		return NULL;
	t++;
	e = str_casefind(t, (size_t)(end - t), "</title");
	*cut = e == NULL;
	*tl = e ? (size_t)(e - t) : (size_t)(end - t);
	str_trim(&t, tl);
	return t;
}

void probe_http_emit(struct probe_ctx *c, const uint8_t *p, size_t n, int rtsp, int why)
{
	const char *s = (const char *)p, *v, *r;
	size_t hl = probe_http_head_len(p, n), vl, rl, tl;
	unsigned fl = c->flags;
	int cut = 0;

	if (!n)
		return;
	if (!hl) {
		hl = n;
		if (why != PROBE_END_EOF)
			fl |= OBS_TRUNCATED;
	}
	if (n < 5 || memcmp(p, rtsp ? "RTSP/" : "HTTP/", 5))
		fl |= OBS_MALFORMED;
	if ((v = probe_http_header(s, hl, "Server", &vl)) && vl)
		probe_emit(c, rtsp ? OBS_RTSP_SERVER : OBS_HTTP_SERVER, NULL, v, vl, fl & ~OBS_TRUNCATED);
	if ((v = probe_http_header(s, hl, "WWW-Authenticate", &vl)) && (r = realm(v, vl, &rl)) && rl)
		probe_emit(c, OBS_HTTP_REALM, NULL, r, rl, fl & ~OBS_TRUNCATED);
	if (rtsp)
		return;
	if ((v = title(s + hl, n - hl, &tl, &cut)) && tl)
		probe_emit(c, OBS_HTTP_TITLE, NULL, v, tl, fl | (cut ? OBS_TRUNCATED : 0));
	probe_emit(c, OBS_SERVICE_RESPONSE, "GetRequest", p, n - hl > GET_BODY_KEPT ? hl + GET_BODY_KEPT : n, fl);
}

void probe_http_start(struct probe_ctx *c)
{
	char req[512];
	int n = snprintf(req, sizeof(req),
			 "GET %s HTTP/1.0\r\nHost: %s%s%s\r\nUser-Agent: trustmap\r\nAccept: */*\r\n"
			 "Connection: close\r\n\r\n",
			 c->next_path[0] ? c->next_path : "/", strchr(c->addr, ':') ? "[" : "", c->addr,
			 strchr(c->addr, ':') ? "]" : "");

	probe_queue(c, req, (size_t)n);
}

static void start_rtsp(struct probe_ctx *c)
{
	char req[256];
	int n = snprintf(req, sizeof(req), "OPTIONS rtsp://%s%s%s:%u/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: trustmap\r\n\r\n",
			 strchr(c->addr, ':') ? "[" : "", c->addr, strchr(c->addr, ':') ? "]" : "",
			 (unsigned)c->port);

	probe_queue(c, req, (size_t)n);
}

int probe_http_input(struct probe_ctx *c, const uint8_t *p, size_t n)
{
	size_t hl, vl, tl;
	const char *v;
	uint64_t cl;
	int cut;

	if (probe_append(c, p, n))
		return PROBE_DONE;
	if (!(hl = probe_http_head_len(c->in, c->inlen)))
		return PROBE_MORE;
	if (title((const char *)c->in + hl, c->inlen - hl, &tl, &cut) && !cut)
		return PROBE_DONE;
	if ((v = probe_http_header((const char *)c->in, hl, "Content-Length", &vl)) && str_to_u64(v, vl, &cl) &&
	    c->inlen - hl >= cl)
		return PROBE_DONE;
	return PROBE_MORE;
}

static int input_rtsp(struct probe_ctx *c, const uint8_t *p, size_t n)
{
	if (probe_append(c, p, n))
		return PROBE_DONE;
	return probe_http_head_len(c->in, c->inlen) > 0;
}

/* One redirect, to the same address only: "Location: /path" or "http://ADDR[:PORT]/path". */
static void redirect(struct probe_ctx *c)
{
	size_t hl = probe_http_head_len(c->in, c->inlen), vl, al = strlen(c->addr);
	const char *v, *s = (const char *)c->in;
	uint64_t port = c->port;

	if (!hl || c->inlen < 12 || memcmp(s + 8, " 30", 3) || !(v = probe_http_header(s, hl, "Location", &vl)))
		return;
	if (vl > 7 && str_caseeq(v, 7, "http://")) {
		const char *h = v + 7, *e = v + vl, *sl;
		if ((size_t)(e - h) < al || memcmp(h, c->addr, al))
			return; /* never dial an address we were not given */
		h += al;
		sl = memchr(h, '/', (size_t)(e - h));
		if (!sl)
			return;
		if (h < sl && (*h != ':' || !str_to_u64(h + 1, (size_t)(sl - h - 1), &port) || !port || port > 65535))
			return;
		vl = (size_t)(e - sl);
		v = sl;
	}
	probe_follow(c, SCAN_PROBE_HTTP, (uint16_t)port, v, vl);
}

static void finish_http(struct probe_ctx *c, int why)
{
	probe_http_emit(c, c->in, c->inlen, 0, why);
	redirect(c);
}

static void finish_rtsp(struct probe_ctx *c, int why)
{
	probe_http_emit(c, c->in, c->inlen, 1, why);
}

const struct probe_ops probe_http_ops = {"http", probe_http_start, probe_http_input, finish_http, NULL};
const struct probe_ops probe_rtsp_ops = {"rtsp", start_rtsp, input_rtsp, finish_rtsp, NULL};
