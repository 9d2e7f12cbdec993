/*
 * app.c - the first bytes a server sent on one TCP flow (sniff.h sn_app):
 * chosen by content first and by port second, since devices (and the
 * emulator's personas) run services on any port.  TLS handshake records ->
 * tlsrec.c; "HTTP/" or "RTSP/" -> httpresp.c; anything else -> banner.c
 * (SSH, FTP, SMTP, Telnet, else nmap's NULL probe).
 */
#include "app.h"

#include "core/str.h"

#include <string.h>

int app_emit(struct sn_pkt *pk, enum obs_kind k, const char *probe, const void *v, size_t n,
	     unsigned flags)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.time = pk->time;
	str_set(o.source, sizeof(o.source), "sniff");
	str_set(o.addr, sizeof(o.addr), pk->src_ip);
	str_set(o.scope, sizeof(o.scope), pk->scope ? pk->scope : "");
	o.port = pk->sport;
	o.proto = 6;
	o.kind = k;
	if (probe)
		str_set(o.probe, sizeof(o.probe), probe);
	obs_set_value(&o, v, n);
	o.flags |= flags;
	return pk->on_obs ? pk->on_obs(pk->arg, &o) : 0;
}

/* A TLS record header (RFC 5246 section 6.2.1): handshake or alert, version 3.0 to 3.3. */
static int tls_start(const uint8_t *p, size_t n)
{
	return n >= 3 && (p[0] == 22 || p[0] == 21) && p[1] == 3 && p[2] <= 3;
}

/* "HTTP/" or "RTSP/", or a start of one (a server dripping its answer byte by byte). */
static int http_start(const uint8_t *p, size_t n)
{
	size_t k = n < 5 ? n : 5;

	return k >= 2 && (!memcmp(p, "HTTP/", k) || !memcmp(p, "RTSP/", k));
}

int sn_app(struct sn_pkt *pk, const uint8_t *p, size_t n, int complete, enum sn_dec *dec)
{
	*dec = SN_DEC_COUNT;
	if (!p || !n)
		return 0;
	if (tls_start(p, n)) {
		*dec = SN_DEC_TLS;
		return app_tls(pk, p, n, complete);
	}
	if (http_start(p, n)) {
		*dec = SN_DEC_HTTP;
		return app_http(pk, p, n, complete);
	}
	return app_banner(pk, p, n, complete, dec);
}
