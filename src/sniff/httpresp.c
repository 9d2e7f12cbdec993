/*
 * httpresp.c - an HTTP/1.x (RFC 9112) or RTSP/1.0 (RFC 2326) response a
 * server sent, parsed by src/proto/http.c, emitted as the scanner's HTTP
 * and RTSP probes do (src/scan/probes/http.c): Server -> http_server (RTSP:
 * rtsp_server), the WWW-Authenticate realm -> http_realm, for HTTP the
 * <title> -> http_title and the head plus up to 4 KiB of body as nmap's
 * GetRequest service_response.  A body that is a UPnP device description
 * (UPnP Device Architecture 1.1 section 2.3) gives, as the scanner's UPnP
 * follow-up does, upnp_manufacturer and upnp_model (name and number), and
 * the Server header; its XML is not a page, so no title or raw response.
 */
#include "app.h"

#include "core/err.h"
#include "proto/http.h"
#include "proto/upnp.h"

#include <stdio.h>
#include <string.h>

#define GET_BODY_KEPT 4096 /* body bytes the HTTP probe keeps in its service_response */
#define UPNP_NS	      "urn:schemas-upnp-org:device-1-0"

/* A UPnP description: returns 1 when emitted (rc set), 0 when the body is something else. */
static int upnp(struct sn_pkt *pk, const struct http_resp *r, const uint8_t *p, size_t n, int *rc)
{
	const uint8_t *b = p + r->head_len;
	size_t bl = n - r->head_len;
	struct upnp_desc d;
	char model[256];
	unsigned fl;
	int k, prc;

	if (!r->head_done || !memmem(b, bl, "<root", 5) || !memmem(b, bl, UPNP_NS, sizeof(UPNP_NS) - 1))
		return 0;
	prc = upnp_parse(b, bl, &d);
	if (prc && prc != TM_EPROTO && prc != TM_ELIMIT)
		return 0;
	fl = (prc ? OBS_MALFORMED : 0) | (d.truncated ? OBS_TRUNCATED : 0);
	*rc = 0;
	if (r->server[0])
		*rc = app_emit(pk, OBS_HTTP_SERVER, NULL, r->server, strlen(r->server), 0);
	if (!*rc && d.manufacturer[0])
		*rc = app_emit(pk, OBS_UPNP_MANUFACTURER, NULL, d.manufacturer, strlen(d.manufacturer), fl);
	if (!*rc && d.model_name[0]) {
		k = snprintf(model, sizeof(model), d.model_number[0] ? "%s %s" : "%s", d.model_name,
			     d.model_number);
		*rc = app_emit(pk, OBS_UPNP_MODEL, NULL, model,
			       k > 0 && (size_t)k < sizeof(model) ? (size_t)k : strlen(model), fl);
	}
	if (!*rc && prc)
		*rc = sn_malformed(pk, "UPnP description in the HTTP response is %s",
				   prc == TM_ELIMIT ? "too large or too deep" : "malformed XML");
	return 1;
}

int app_http(struct sn_pkt *pk, const uint8_t *p, size_t n, int complete)
{
	struct http_resp r;
	int rtsp = p[0] == 'R', rc = 0, bad;
	unsigned fl = 0, hfl;
	size_t hl;

	bad = http_parse(p, n, &r) || r.malformed;
	if (bad || strncmp(r.proto, rtsp ? "RTSP/" : "HTTP/", 5))
		fl |= OBS_MALFORMED; /* as the probe flags it, an unfinished status line too */
	bad |= complete && !r.status; /* the server closed before its status line ended */
	if (!rtsp && upnp(pk, &r, p, n, &rc))
		return rc;
	hl = r.head_done ? r.head_len : n;
	if (!r.head_done && !complete)
		fl |= OBS_TRUNCATED;
	hfl = fl & ~OBS_TRUNCATED;
	if (r.server[0])
		rc = app_emit(pk, rtsp ? OBS_RTSP_SERVER : OBS_HTTP_SERVER, NULL, r.server, strlen(r.server), hfl);
	if (!rc && r.realm[0])
		rc = app_emit(pk, OBS_HTTP_REALM, NULL, r.realm, strlen(r.realm), hfl);
	if (!rc && !rtsp && r.title[0])
		rc = app_emit(pk, OBS_HTTP_TITLE, NULL, r.title, strlen(r.title), hfl);
	if (!rc && !rtsp)
		rc = app_emit(pk, OBS_SERVICE_RESPONSE, "GetRequest", p,
			      n - hl > GET_BODY_KEPT ? hl + GET_BODY_KEPT : n, fl);
	if (!rc && bad)
		rc = sn_malformed(pk, "%s response: %s", rtsp ? "RTSP" : "HTTP",
				  r.status ? "a header line without a colon or a bad number" : "bad status line");
	return rc;
}
