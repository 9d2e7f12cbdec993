/*
 * ssdp.c - the SSDP probe (a unicast M-SEARCH to udp/1900: SERVER ->
 * ssdp_server, and LOCATION, when it names the address dialled, asks for a
 * follow-up) and the UPnP probe that follow-up runs (GET of the device
 * description: <manufacturer> -> upnp_manufacturer, <modelName> and
 * <modelNumber> -> upnp_model).
 */
#include "../../core/str.h"
#include "../../core/err.h"
#include "../../proto/http.h"
#include "../../proto/ssdp.h"
#include "../../proto/upnp.h"
#include "../../proto/url.h"
#include "../ports.h"
#include "../probe.h"

#include <stdio.h>
#include <string.h>

static void start(struct probe_ctx *c)
{
	char hp[64], req[512];
	int n;

	snprintf(hp, sizeof(hp), strchr(c->addr, ':') ? "[%s]:%u" : "%s:%u", c->addr, (unsigned)c->port);
	if ((n = ssdp_build_msearch(req, sizeof(req), hp, "upnp:rootdevice")) > 0)
		probe_queue(c, req, (size_t)n);
}

static int input(struct probe_ctx *c, const uint8_t *p, size_t n)
{
	probe_append(c, p, n);
	return PROBE_DONE;
}

/* LOCATION "http://ADDR:PORT/path" on the dialled address -> follow-up. */
static void location(struct probe_ctx *c, const char *url)
{
	char host[64], path[256];
	uint16_t port;

	if (url_split(url, host, sizeof(host), &port, path, sizeof(path)) || strcmp(host, c->addr) ||
	    strncmp(url, "http://", 7))
		return; /* never dial an address we were not given */
	probe_follow(c, SCAN_PROBE_UPNP, port, path, strlen(path));
}

static void finish(struct probe_ctx *c, int why)
{
	struct ssdp_resp r;

	(void)why;
	if (!c->inlen)
		return;
	if (ssdp_parse(c->in, c->inlen, &r)) {
		probe_emit(c, OBS_SERVICE_RESPONSE, "SSDP", c->in, c->inlen, c->flags | OBS_MALFORMED);
		return;
	}
	if (r.server[0])
		probe_emit(c, OBS_SSDP_SERVER, NULL, r.server, strlen(r.server), 0);
	if (r.location[0])
		location(c, r.location);
}

static void finish_upnp(struct probe_ctx *c, int why)
{
	struct http_resp r;
	struct upnp_desc d;
	char model[256];
	unsigned fl;
	int rc, n;

	(void)why;
	if (http_parse(c->in, c->inlen, &r) || !r.head_done)
		return;
	rc = upnp_parse(c->in + r.head_len, c->inlen - r.head_len, &d);
	if (rc && rc != TM_EPROTO && rc != TM_ELIMIT)
		return;
	fl = c->flags | (rc ? OBS_MALFORMED : 0) | (d.truncated ? OBS_TRUNCATED : 0);
	if (d.manufacturer[0])
		probe_emit(c, OBS_UPNP_MANUFACTURER, NULL, d.manufacturer, strlen(d.manufacturer), fl);
	if (d.model_name[0]) {
		n = snprintf(model, sizeof(model), d.model_number[0] ? "%s %s" : "%s", d.model_name, d.model_number);
		probe_emit(c, OBS_UPNP_MODEL, NULL, model, n > 0 && (size_t)n < sizeof(model) ? (size_t)n : strlen(model),
			   fl);
	}
}

const struct probe_ops probe_ssdp_ops = {"ssdp", start, input, finish, NULL};
const struct probe_ops probe_upnp_ops = {"upnp", probe_http_start, probe_http_input, finish_upnp, NULL};
