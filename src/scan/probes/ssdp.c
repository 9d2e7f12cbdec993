/*
 * ssdp.c - the SSDP probe (a unicast M-SEARCH to udp/1900: SERVER ->
 * ssdp_server, and LOCATION, when it names the address dialled, asks for a
 * follow-up) and the UPnP probe that follow-up runs (GET of the device
 * description: <manufacturer> -> upnp_manufacturer, <modelName> and
 * <modelNumber> -> upnp_model).
 */
#include "../../core/str.h"
#include "../../proto/http.h"
#include "../ports.h"
#include "../probe.h"

#include <stdio.h>
#include <string.h>

static const char msearch[] = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
			      "MX: 1\r\nST: upnp:rootdevice\r\nUSER-AGENT: trustmap\r\n\r\n";

static void start(struct probe_ctx *c)
{
	probe_queue(c, msearch, sizeof(msearch) - 1);
}

static int input(struct probe_ctx *c, const uint8_t *p, size_t n)
{
	probe_append(c, p, n);
	return PROBE_DONE;
}

/* LOCATION "http://ADDR:PORT/path" on the dialled address -> follow-up. */
static void location(struct probe_ctx *c, const char *v, size_t vl)
{
	size_t al = strlen(c->addr);
	const char *h, *e = v + vl, *sl;
	uint64_t port = 80;
	int v6 = strchr(c->addr, ':') != NULL;

	if (vl < 8 || !str_caseeq(v, 7, "http://"))
		return;
	h = v + 7;
	if (v6 && (h >= e || *h++ != '['))
		return;
	if ((size_t)(e - h) < al || memcmp(h, c->addr, al))
		return; /* never dial an address we were not given */
	h += al;
	if (v6 && (h >= e || *h++ != ']'))
		return;
	if (!(sl = memchr(h, '/', (size_t)(e - h))))
		return;
	if (h < sl && (*h != ':' || !str_to_u64(h + 1, (size_t)(sl - h - 1), &port) || !port || port > 65535))
		return;
	probe_follow(c, SCAN_PROBE_UPNP, (uint16_t)port, sl, (size_t)(e - sl));
}

static void finish(struct probe_ctx *c, int why)
{
	struct http_resp r;

	(void)why;
	if (!c->inlen)
		return;
	if (http_parse(c->in, c->inlen, &r) || !r.head_done || strncmp(r.proto, "HTTP/", 5)) {
		probe_emit(c, OBS_SERVICE_RESPONSE, "SSDP", c->in, c->inlen, c->flags | OBS_MALFORMED);
		return;
	}
	if (r.server[0])
		probe_emit(c, OBS_SSDP_SERVER, NULL, r.server, strlen(r.server), 0);
	if (r.location[0])
		location(c, r.location, strlen(r.location));
}

/* The text of <tag>...</tag> in (p, n), trimmed; NULL when absent. */
static const char *element(const char *p, size_t n, const char *tag, size_t *len)
{
	char open[40], close[40];
	const char *a, *b;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	if (!(a = str_casefind(p, n, open)))
		return NULL;
	a += strlen(open);
	if (!(b = str_casefind(a, (size_t)(p + n - a), close)))
		return NULL;
	*len = (size_t)(b - a);
	str_trim(&a, len);
	return *len ? a : NULL;
}

static void finish_upnp(struct probe_ctx *c, int why)
{
	const char *s = (const char *)c->in, *v, *num;
	struct http_resp r;
	size_t hl, vl, nl;
	char model[512];

	(void)why;
	if (http_parse(c->in, c->inlen, &r) || !r.head_done)
		return;
	hl = r.head_len;
	if ((v = element(s + hl, c->inlen - hl, "manufacturer", &vl)))
		probe_emit(c, OBS_UPNP_MANUFACTURER, NULL, v, vl, c->flags);
	if ((v = element(s + hl, c->inlen - hl, "modelName", &vl))) {
		num = element(s + hl, c->inlen - hl, "modelNumber", &nl);
		if (num && vl + 1 + nl < sizeof(model)) {
			memcpy(model, v, vl);
			model[vl] = ' ';
			memcpy(model + vl + 1, num, nl);
			probe_emit(c, OBS_UPNP_MODEL, NULL, model, vl + 1 + nl, c->flags);
		} else
			probe_emit(c, OBS_UPNP_MODEL, NULL, v, vl, c->flags);
	}
}

const struct probe_ops probe_ssdp_ops = {"ssdp", start, input, finish, NULL};
const struct probe_ops probe_upnp_ops = {"upnp", probe_http_start, probe_http_input, finish_upnp, NULL};
