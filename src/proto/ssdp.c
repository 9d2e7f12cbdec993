/*
 * ssdp.c - SSDP M-SEARCH building and answer parsing (ssdp.h; UPnP Device
 * Architecture 1.1 sections 1.2-1.3).  Header lines come from hdr_next(), so
 * the datagram's bounds are the only ones trusted.
 */
#include "ssdp.h"

#include "core/err.h"
#include "core/str.h"
#include "hdr.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool clean(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return false;
	return true;
}

int ssdp_build_msearch(char *out, size_t cap, const char *host_port, const char *st)
{
	int k;

	if (!clean(host_port) || !clean(st))
		return TM_EINVAL;
	k = snprintf(
	    out, cap,
	    "M-SEARCH * HTTP/1.1\r\nHOST: %s\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: %s\r\n"
	    "USER-AGENT: Linux/6.1 UPnP/1.1 trustmap/0.1\r\n\r\n",
	    host_port, st);
	if (k < 0)
		return TM_EINVAL;
	return (size_t)k >= cap ? TM_ELIMIT : k;
}

/* "HTTP/1.x 200 ..." or "NOTIFY * HTTP/1.x". */
static bool first_line(const char *s, size_t n)
{
	if (str_has_prefix(s, n, "HTTP/1.") && n >= 12)
		return !memcmp(s + 8, " 200", 4);
	return str_has_prefix(s, n, "NOTIFY * HTTP/1.");
}

int ssdp_parse(const uint8_t *p, size_t n, struct ssdp_resp *r)
{
	size_t pos = 0, len, nl, vl;
	const char *line, *name, *v;
	enum hdr_kind k;
	int nh = 0;

	memset(r, 0, sizeof(*r));
	if (!p || hdr_next(p, n, &pos, &line, &len) != HDR_LINE || !first_line(line, len))
		return TM_EPROTO;
	while ((k = hdr_next(p, n, &pos, &line, &len)) == HDR_LINE || k == HDR_LONG) {
		if (k == HDR_LONG || ++nh > HDR_MAX || !hdr_split(line, len, &name, &nl, &v, &vl))
			continue;
		if (str_caseeq(name, nl, "server") && !r->server[0])
			hdr_copy(r->server, sizeof(r->server), v, vl);
		else if (str_caseeq(name, nl, "location") && !r->location[0])
			hdr_copy(r->location, sizeof(r->location), v, vl);
		else if (str_caseeq(name, nl, "usn") && !r->usn[0])
			hdr_copy(r->usn, sizeof(r->usn), v, vl);
		else if ((str_caseeq(name, nl, "st") || str_caseeq(name, nl, "nt")) && !r->st[0])
			hdr_copy(r->st, sizeof(r->st), v, vl);
	}
	return 0;
}
