/*
 * http.c - the HTTP probe (GET over plain TCP) and the RTSP probe (OPTIONS),
 * over the response parser of src/proto/http.c: Server, WWW-Authenticate
 * realm, and for HTTP the page's <title> plus the raw head and up to 4 KiB
 * of body as nmap's GetRequest response, and one redirect to the same
 * address.  The exchange is complete at the end of the head (RTSP), or when
 * the title closed or the Content-Length arrived (HTTP); else at the peer's
 * close, the deadline or the buffer's ceiling.
 */
#include "../../core/str.h"
#include "../../proto/http.h"
#include "../../proto/url.h"
#include "../ports.h"
#include "../probe.h"

#include <stdio.h>
#include <string.h>

#define GET_BODY_KEPT 4096

void probe_http_emit(struct probe_ctx *c, const uint8_t *p, size_t n, int rtsp, int why)
{
	struct http_resp r;
	unsigned fl = c->flags, hfl;
	size_t hl;

	if (!n)
		return;
	if (http_parse(p, n, &r) || r.malformed || strncmp(r.proto, rtsp ? "RTSP/" : "HTTP/", 5))
		fl |= OBS_MALFORMED;
	hl = r.head_done ? r.head_len : n;
	if (!r.head_done && why != PROBE_END_EOF)
		fl |= OBS_TRUNCATED;
	hfl = fl & ~OBS_TRUNCATED;
	if (r.server[0])
		probe_emit(c, rtsp ? OBS_RTSP_SERVER : OBS_HTTP_SERVER, NULL, r.server, strlen(r.server), hfl);
	if (r.realm[0])
		probe_emit(c, OBS_HTTP_REALM, NULL, r.realm, strlen(r.realm), hfl);
	if (rtsp)
		return;
	if (r.title[0])
		probe_emit(c, OBS_HTTP_TITLE, NULL, r.title, strlen(r.title), hfl);
	probe_emit(c, OBS_SERVICE_RESPONSE, "GetRequest", p, n - hl > GET_BODY_KEPT ? hl + GET_BODY_KEPT : n, fl);
}

void probe_http_start(struct probe_ctx *c)
{
	char host[64], req[512];
	int n;

	snprintf(host, sizeof(host), strchr(c->addr, ':') ? "[%s]" : "%s", c->addr);
	n = http_build_get(req, sizeof(req), host, c->next_path[0] ? c->next_path : "/");
	if (n > 0)
		probe_queue(c, req, (size_t)n);
}

static void start_rtsp(struct probe_ctx *c)
{
	char url[96], req[512];
	int n;

	snprintf(url, sizeof(url), strchr(c->addr, ':') ? "rtsp://[%s]:%u/" : "rtsp://%s:%u/", c->addr,
		 (unsigned)c->port);
	n = rtsp_build_options(req, sizeof(req), url, 1);
	if (n > 0)
		probe_queue(c, req, (size_t)n);
}

int probe_http_input(struct probe_ctx *c, const uint8_t *p, size_t n)
{
	struct http_resp r;

	if (probe_append(c, p, n))
		return PROBE_DONE;
	if (http_parse(c->in, c->inlen, &r) || !r.head_done)
		return PROBE_MORE;
	return r.title[0] || (r.content_length >= 0 && c->inlen - r.head_len >= (size_t)r.content_length);
}

static int input_rtsp(struct probe_ctx *c, const uint8_t *p, size_t n)
{
	struct http_resp r;

	if (probe_append(c, p, n))
		return PROBE_DONE;
	return http_parse(c->in, c->inlen, &r) || r.head_done;
}

/* One redirect, to the same address only: "Location: /path" or "http[s]://ADDR[:PORT]/path". */
void probe_http_redirect(struct probe_ctx *c)
{
	struct http_resp r;
	char host[64], path[256];
	uint16_t port = c->port;
	int id = c->probe == SCAN_PROBE_HTTPS ? SCAN_PROBE_HTTPS : SCAN_PROBE_HTTP;

	if (http_parse(c->in, c->inlen, &r) || r.status < 300 || r.status > 399 || !r.location[0])
		return;
	if (r.location[0] == '/') {
		probe_follow(c, id, port, r.location, strlen(r.location));
		return;
	}
	if (url_split(r.location, host, sizeof(host), &port, path, sizeof(path)) || strcmp(host, c->addr))
		return; /* never dial an address we were not given */
	id = str_has_prefix(r.location, strlen(r.location), "https://") ? SCAN_PROBE_HTTPS : SCAN_PROBE_HTTP;
	probe_follow(c, id, port, path, strlen(path));
}

static void finish_http(struct probe_ctx *c, int why)
{
	probe_http_emit(c, c->in, c->inlen, 0, why);
	probe_http_redirect(c);
}

static void finish_rtsp(struct probe_ctx *c, int why)
{
	probe_http_emit(c, c->in, c->inlen, 1, why);
}

const struct probe_ops probe_http_ops = {"http", probe_http_start, probe_http_input, finish_http, NULL};
const struct probe_ops probe_rtsp_ops = {"rtsp", start_rtsp, input_rtsp, finish_rtsp, NULL};
