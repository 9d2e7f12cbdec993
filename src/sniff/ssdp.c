/*
 * ssdp.c - SSDP datagrams (UPnP Device Architecture 1.1 section 1) to or
 * from port 1900: a device's NOTIFY announcements and its "HTTP/1.1 200 OK"
 * answers to a search, parsed by src/proto/ssdp.c.  SERVER -> ssdp_server
 * (what the scanner's SSDP probe records), USN -> ssdp_usn cut to the
 * device's "uuid:..." part, so the many NOTIFYs of one device (one per
 * service type, repeated every few minutes) give one value; both about the
 * sender.  M-SEARCH requests and other HTTP-over-UDP messages say nothing
 * about a device; anything that is not HTTP-shaped at all is malformed.
 * The UPnP description behind LOCATION is decoded by app.c when its HTTP
 * response is in the capture.
 */
#include "sniff.h"

#include "core/str.h"
#include "proto/ssdp.h"

#include <string.h>

/* Does the first line look like an HTTP-over-UDP start line ("METHOD * HTTP/1.x" or "HTTP/1.x ...")? */
static int http_shaped(const uint8_t *p, size_t n)
{
	const uint8_t *nl = memchr(p, '\n', n);
	size_t len = nl ? (size_t)(nl - p) : n;
	const char *s = (const char *)p;

	if (str_has_prefix(s, len, "HTTP/1."))
		return 1;
	for (size_t i = 0; i + 6 <= len; i++)
		if (!memcmp(s + i, " HTTP/", 6))
			return i > 0;
	return 0;
}

int sn_ssdp(struct sn_pkt *pk, const uint8_t *p, size_t n)
{
	struct ssdp_resp r;
	const char *s = (const char *)p, *end;
	int notify, rc = 0;
	uint16_t port;
	size_t ul;

	if (!n)
		return sn_malformed(pk, "empty SSDP datagram");
	if (ssdp_parse(p, n, &r)) {
		if (http_shaped(p, n))
			return 0; /* M-SEARCH, an error answer, ...: nothing about a device */
		return sn_malformed(pk, "SSDP datagram of %zu bytes without an HTTP start line", n);
	}
	/* a NOTIFY goes from any port to 1900; an answer comes from the port searched */
	notify = str_has_prefix(s, n, "NOTIFY");
	port = notify ? pk->dport : pk->sport;
	if (r.server[0])
		rc = sn_emit(pk, OBS_SSDP_SERVER, NULL, pk->src_ip, port, 17, r.server, strlen(r.server), 0);
	if (!rc && r.usn[0]) {
		ul = strlen(r.usn);
		if ((end = strstr(r.usn, "::")))
			ul = (size_t)(end - r.usn);
		rc = sn_emit(pk, OBS_SSDP_USN, NULL, pk->src_ip, port, 17, r.usn, ul, 0);
	}
	return rc;
}
