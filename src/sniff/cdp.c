/*
 * cdp.c - Cisco Discovery Protocol v1/v2, as the capture layer hands it over
 * after LLC/SNAP (00:00:0c, 0x2000): a 4-byte header (version, TTL,
 * checksum), then TLVs of a 2-byte type and a 2-byte length that counts the
 * 4-byte header itself.
 *
 * Emitted about the sending device (the frame's source MAC, its first
 * announced address): cdp_device_id, cdp_platform, cdp_version, one OBS_MAC
 * binding per IPv4/IPv6 address of the Addresses and Management Address
 * TLVs, and the link "its port sees the capture point".  The checksum is
 * not verified (devices get it wrong; lengths are what keep us safe).  A
 * length below 4 or past the frame, an address count the TLV cannot hold,
 * more than CDP_MAX_TLVS TLVs or an unknown version make it malformed; what
 * was decoded is still reported.
 */
#include "l2.h"

#include "core/rd.h"
#include "core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CDP_MAX_TLVS  512
#define CDP_MAX_ADDRS 8

enum {
	T_DEVICE_ID = 0x0001,
	T_ADDRESSES = 0x0002,
	T_PORT_ID = 0x0003,
	T_VERSION = 0x0005,
	T_PLATFORM = 0x0006,
	T_MGMT_ADDRESSES = 0x0016,
};

/* What one CDP frame said; pointers into the frame, valid during sn_cdp only. */
struct cdp {
	const uint8_t *id, *port, *version, *platform;
	size_t id_len, port_len, version_len, platform_len;
	char addr[CDP_MAX_ADDRS][46];
	int naddr;
	char err[160]; /* first error ("" none) */
};

static void bad(struct cdp *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bad(struct cdp *d, const char *fmt, ...)
{
	va_list ap;

	if (d->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
}

static size_t unpad(const uint8_t *p, size_t n)
{
	while (n && !p[n - 1])
		n--;
	return n;
}

static void add_addr(struct cdp *d, const char *a)
{
	for (int i = 0; i < d->naddr; i++)
		if (!strcmp(d->addr[i], a))
			return;
	if (d->naddr < CDP_MAX_ADDRS)
		str_set(d->addr[d->naddr++], sizeof(d->addr[0]), a);
}

/*
 * Addresses: a 4-byte count, then per address protocol type (1 NLPID,
 * 2 802.2), protocol length, protocol, 2-byte address length, address.
 * IPv4 is NLPID 0xcc; IPv6 is 802.2 SNAP aa aa 03 00 00 00 86 dd.
 */
static void addresses(struct cdp *d, struct rd *v)
{
	static const uint8_t snap6[8] = {0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd};
	uint32_t count = rd_be32(v);
	char text[46];

	for (uint32_t i = 0; i < count; i++) {
		uint8_t ptype, plen;
		uint16_t alen;
		const uint8_t *proto, *a;

		if (!rd_left(v)) {
			bad(d, "CDP address count %u, the TLV holds %u", count, i);
			return;
		}
		ptype = rd_u8(v);
		plen = rd_u8(v);
		proto = rd_bytes(v, plen);
		alen = rd_be16(v);
		a = rd_bytes(v, alen);
		if (!rd_ok(v)) {
			bad(d, "CDP address %u cut by the end of its TLV", i + 1);
			return;
		}
		if (ptype == 1 && plen == 1 && proto[0] == 0xcc && alen == 4)
			l2_ip4_text(a, text);
		else if (ptype == 2 && plen == 8 && !memcmp(proto, snap6, 8) && alen == 16)
			l2_ip6_text(a, text);
		else
			continue;
		add_addr(d, text);
	}
}

static void text_tlv(const uint8_t **p, size_t *len, struct rd *v)
{
	if (*p)
		return; /* the first one counts */
	*len = unpad(rd_cur(v), rd_left(v));
	*p = rd_cur(v);
}

static void tlv(struct cdp *d, unsigned type, struct rd *v)
{
	switch (type) {
	case T_DEVICE_ID:
		text_tlv(&d->id, &d->id_len, v);
		break;
	case T_PORT_ID:
		text_tlv(&d->port, &d->port_len, v);
		break;
	case T_VERSION:
		text_tlv(&d->version, &d->version_len, v);
		break;
	case T_PLATFORM:
		text_tlv(&d->platform, &d->platform_len, v);
		break;
	case T_ADDRESSES:
	case T_MGMT_ADDRESSES:
		addresses(d, v);
		break;
	default:
		break;
	}
}

static int report(struct sn_pkt *pk, const struct cdp *d)
{
	char mac[18], port[64];
	const char *addr = d->naddr ? d->addr[0] : "";
	int rc = 0;
	size_t n;

	l2_src_mac(pk, mac);
	if (d->id_len)
		rc = sn_emit(pk, OBS_CDP_DEVICE_ID, mac, addr, 0, 0, d->id, d->id_len, 0);
	if (!rc && d->platform_len)
		rc =
		    sn_emit(pk, OBS_CDP_PLATFORM, mac, addr, 0, 0, d->platform, d->platform_len, 0);
	if (!rc && d->version_len)
		rc = sn_emit(pk, OBS_CDP_VERSION, mac, addr, 0, 0, d->version, d->version_len, 0);
	for (int i = 0; !rc && mac[0] && i < d->naddr; i++)
		rc = sn_emit(pk, OBS_MAC, mac, d->addr[i], 0, 0, mac, strlen(mac), 0);
	if (!rc && mac[0] && (d->id || d->port)) {
		port[0] = 0;
		if (d->port && l2_printable(d->port, d->port_len, &n))
			str_copy(port, sizeof(port), (const char *)d->port, n);
		rc = l2_link(pk, mac, port, "cdp");
	}
	return rc;
}

int sn_cdp(struct sn_pkt *pk, const uint8_t *p, size_t n)
{
	struct cdp d;
	struct rd r, v;
	uint8_t version;
	int ntlv, rc;

	memset(&d, 0, sizeof(d));
	rd_init(&r, p, n);
	version = rd_u8(&r);
	rd_skip(&r, 3); /* TTL, checksum */
	if (!rd_ok(&r))
		return sn_malformed(pk, "CDP header cut at %zu bytes, 4 needed", n);
	if (version != 1 && version != 2)
		return sn_malformed(pk, "CDP version %u, not 1 or 2", version);
	for (ntlv = 0; rd_left(&r); ntlv++) {
		unsigned type, len;

		if (ntlv == CDP_MAX_TLVS) {
			bad(&d, "CDP: more than %d TLVs", CDP_MAX_TLVS);
			break;
		}
		if (rd_left(&r) < 4) {
			bad(&d, "CDP TLV header cut: %zu bytes left", rd_left(&r));
			break;
		}
		type = rd_be16(&r);
		len = rd_be16(&r);
		if (len < 4) {
			bad(&d, "CDP TLV type 0x%04x has length %u, less than its 4-byte header",
			    type, len);
			break;
		}
		if (len - 4 > rd_left(&r)) {
			bad(&d, "CDP TLV type 0x%04x claims %u bytes, %zu left", type, len - 4,
			    rd_left(&r));
			break;
		}
		v = rd_sub(&r, len - 4);
		tlv(&d, type, &v);
	}
	rc = report(pk, &d);
	if (rc)
		return rc;
	return d.err[0] ? sn_malformed(pk, "%s", d.err) : 0;
}
