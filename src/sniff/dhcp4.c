/*
 * dhcp4.c - DHCPv4 (RFC 2131, options RFC 2132, 3004, 3925): what clients
 * say about themselves, and the bindings servers grant.
 *
 * The 236-byte BOOTP header is read field by field, then, after the magic
 * cookie, the options (and the file and sname fields when option 52 says
 * they carry options too).  Pad and End are honoured; an option claiming
 * more bytes than are left makes the message malformed, keeping what came
 * before.  The first instance of each option counts (RFC 3396 split options
 * are not joined).
 *
 * Client messages (op 1) are about the client, with mac = chaddr (or the
 * MAC of a type-1 client identifier, or the frame's source when not
 * relayed) and addr = ciaddr, or the requested address of a REQUEST:
 * OBS_MAC binding, dhcp_hostname (12), dhcp_prl "1,3,6,15" (55),
 * dhcp_vendor_class (60), dhcp_user_class (77), dhcp_enterprise (decimal,
 * 124/125, once each).  Server replies (op 2): an ACK (or a BOOTP reply)
 * binds yiaddr to chaddr; a vendor class (60) in a reply is the server's own,
 * reported with the server identifier (54) as its address.
 */
#include "l2.h"

#include "core/rd.h"
#include "core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BOOTP_LEN    236
#define DHCP_MAX_PEN 8

enum {
	O_PAD = 0,
	O_HOSTNAME = 12,
	O_OVERLOAD = 52,
	O_REQ_ADDR = 50,
	O_MSG_TYPE = 53,
	O_SERVER_ID = 54,
	O_PRL = 55,
	O_VENDOR_CLASS = 60,
	O_CLIENT_ID = 61,
	O_USER_CLASS = 77,
	O_VI_CLASS = 124,
	O_VI_OPTS = 125,
	O_END = 255,
};

enum { DHCPREQUEST = 3, DHCPACK = 5 };

/* One message; option pointers into the packet, valid during sn_dhcp4 only. */
struct dhcp4 {
	uint8_t op, htype, hlen;
	uint8_t ciaddr[4], yiaddr[4], giaddr[4], chaddr[16];
	const uint8_t *sname, *file; /* 64 and 128 bytes */
	const uint8_t *opt[256];     /* first instance of each option, NULL none */
	uint8_t optlen[256];
	char err[160]; /* first error ("" none) */
};

static void bad(struct dhcp4 *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bad(struct dhcp4 *d, const char *fmt, ...)
{
	va_list ap;

	if (d->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
}

/* Options of one area (where: "" for the options field, " in file", " in sname"). */
static void options(struct dhcp4 *d, struct rd *r, const char *where)
{
	while (rd_left(r)) {
		uint8_t code = rd_u8(r), len;

		if (code == O_PAD)
			continue;
		if (code == O_END)
			return;
		if (!rd_left(r)) {
			bad(d, "DHCP option %u cut before its length%s", code, where);
			return;
		}
		len = rd_u8(r);
		if (len > rd_left(r)) {
			bad(d, "DHCP option %u claims %u bytes, %zu left%s", code, len, rd_left(r),
			    where);
			return;
		}
		if (!d->opt[code]) {
			d->opt[code] = rd_cur(r);
			d->optlen[code] = len;
		}
		rd_skip(r, len);
	}
}

static size_t unpad(const uint8_t *p, size_t n)
{
	while (n && !p[n - 1])
		n--;
	return n;
}

static bool zero4(const uint8_t a[4])
{
	return !(a[0] | a[1] | a[2] | a[3]);
}

/* Option 55 as "1,3,6,15". */
static size_t prl_text(const uint8_t *p, size_t n, char *out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 5 < max; i++)
		k += (size_t)snprintf(out + k, max - k, i ? ",%u" : "%u", p[i]);
	return k;
}

/*
 * Option 77 (RFC 3004): length-prefixed user classes, joined by ","; text
 * some clients send without the lengths (Windows, iPXE) is kept as it is.
 */
static size_t user_class(const uint8_t *p, size_t n, char *out, size_t max)
{
	struct rd r;
	size_t k = 0, len;

	rd_init(&r, p, n);
	while (rd_left(&r)) {
		uint8_t l = rd_u8(&r);
		const uint8_t *s = rd_bytes(&r, l);

		if (!s || !l || !l2_printable(s, l, &len) || len != l || k + l + 1 > max)
			goto raw;
		if (k)
			out[k++] = ',';
		memcpy(out + k, s, l);
		k += l;
	}
	return k;
raw:
	n = unpad(p, n) < max ? unpad(p, n) : max;
	memcpy(out, p, n);
	return n;
}

/*
 * Options 124 and 125 (RFC 3925): enterprise number, data length, data,
 * repeated.  Adds each enterprise number once to pen[].
 */
static void vendor_ids(struct dhcp4 *d, unsigned code, uint32_t *pen, int *npen)
{
	struct rd r;

	rd_init(&r, d->opt[code], d->optlen[code]);
	while (rd_left(&r)) {
		uint32_t e = rd_be32(&r);
		uint8_t l = rd_u8(&r);
		int i;

		if (!rd_ok(&r)) {
			bad(d, "DHCP option %u cut inside an enterprise header", code);
			return;
		}
		if (l > rd_left(&r)) {
			bad(d, "DHCP option %u data of enterprise %u claims %u bytes, %zu left",
			    code, e, l, rd_left(&r));
			return;
		}
		rd_skip(&r, l);
		for (i = 0; i < *npen && pen[i] != e; i++)
			;
		if (i == *npen && *npen < DHCP_MAX_PEN)
			pen[(*npen)++] = e;
	}
}

/* The client's MAC: chaddr, else a type-1 client identifier, else the unrelayed frame's source. */
static void client_mac(struct sn_pkt *pk, const struct dhcp4 *d, char mac[18])
{
	const uint8_t *id = d->opt[O_CLIENT_ID];

	mac[0] = 0;
	if (d->htype == 1 && d->hlen == 6 && l2_mac_usable(d->chaddr))
		sn_mac_text(d->chaddr, mac);
	else if (id && d->optlen[O_CLIENT_ID] == 7 && id[0] == 1 && l2_mac_usable(id + 1))
		sn_mac_text(id + 1, mac);
	else if (pk->has_mac && zero4(d->giaddr) && l2_mac_usable(pk->src_mac))
		sn_mac_text(pk->src_mac, mac);
}

static int client(struct sn_pkt *pk, struct dhcp4 *d, int type)
{
	char mac[18], addr[46] = "", v[1024];
	uint32_t pen[DHCP_MAX_PEN];
	int npen = 0, rc = 0;
	size_t n;

	client_mac(pk, d, mac);
	if (!zero4(d->ciaddr))
		l2_ip4_text(d->ciaddr, addr);
	else if (type == DHCPREQUEST && d->opt[O_REQ_ADDR] && d->optlen[O_REQ_ADDR] == 4)
		l2_ip4_text(d->opt[O_REQ_ADDR], addr);
	if (!mac[0] && !addr[0])
		return 0; /* about no one we could name */
	if (mac[0])
		rc = sn_emit(pk, OBS_MAC, mac, addr, 0, 0, mac, strlen(mac), 0);
	if (!rc && (n = unpad(d->opt[O_HOSTNAME], d->optlen[O_HOSTNAME])))
		rc = sn_emit(pk, OBS_DHCP_HOSTNAME, mac, addr, 0, 0, d->opt[O_HOSTNAME], n, 0);
	if (!rc && d->optlen[O_PRL] &&
	    (n = prl_text(d->opt[O_PRL], d->optlen[O_PRL], v, sizeof(v))))
		rc = sn_emit(pk, OBS_DHCP_PRL, mac, addr, 0, 0, v, n, 0);
	if (!rc && (n = unpad(d->opt[O_VENDOR_CLASS], d->optlen[O_VENDOR_CLASS])))
		rc = sn_emit(pk, OBS_DHCP_VENDOR_CLASS, mac, addr, 0, 0, d->opt[O_VENDOR_CLASS], n,
			     0);
	if (!rc && d->optlen[O_USER_CLASS] &&
	    (n = user_class(d->opt[O_USER_CLASS], d->optlen[O_USER_CLASS], v, sizeof(v))))
		rc = sn_emit(pk, OBS_DHCP_USER_CLASS, mac, addr, 0, 0, v, n, 0);
	if (d->opt[O_VI_CLASS])
		vendor_ids(d, O_VI_CLASS, pen, &npen);
	if (d->opt[O_VI_OPTS])
		vendor_ids(d, O_VI_OPTS, pen, &npen);
	for (int i = 0; !rc && i < npen; i++) {
		n = (size_t)snprintf(v, sizeof(v), "%u", pen[i]);
		rc = sn_emit(pk, OBS_DHCP_ENTERPRISE, mac, addr, 0, 0, v, n, 0);
	}
	return rc;
}

static int server(struct sn_pkt *pk, struct dhcp4 *d, int type)
{
	char mac[18], addr[46] = "", smac[18] = "", saddr[46];
	const uint8_t *sid = d->opt[O_SERVER_ID];
	int rc = 0;
	size_t n;

	if (type == DHCPACK || type == 0) {
		mac[0] = 0;
		if (d->htype == 1 && d->hlen == 6 && l2_mac_usable(d->chaddr))
			sn_mac_text(d->chaddr, mac);
		if (!zero4(d->yiaddr))
			l2_ip4_text(d->yiaddr, addr);
		else if (!zero4(d->ciaddr))
			l2_ip4_text(d->ciaddr, addr);
		if (mac[0] && addr[0])
			rc = sn_emit(pk, OBS_MAC, mac, addr, 0, 0, mac, strlen(mac), 0);
	}
	if (rc || !(n = unpad(d->opt[O_VENDOR_CLASS], d->optlen[O_VENDOR_CLASS])))
		return rc;
	if (sid && d->optlen[O_SERVER_ID] == 4)
		l2_ip4_text(sid, saddr);
	else
		str_set(saddr, sizeof(saddr), pk->src_ip);
	if (!strcmp(saddr, pk->src_ip))
		l2_src_mac(pk, smac);
	if (!saddr[0] && !smac[0])
		return 0;
	return sn_emit(pk, OBS_DHCP_VENDOR_CLASS, smac, saddr, 0, 0, d->opt[O_VENDOR_CLASS], n, 0);
}

int sn_dhcp4(struct sn_pkt *pk, const uint8_t *p, size_t n)
{
	static const uint8_t cookie[4] = {99, 130, 83, 99};
	struct dhcp4 dd, *d = &dd;
	struct rd r, area;
	const uint8_t *c;
	int type = 0, rc;

	memset(d, 0, sizeof(*d));
	rd_init(&r, p, n);
	d->op = rd_u8(&r);
	d->htype = rd_u8(&r);
	d->hlen = rd_u8(&r);
	rd_skip(&r, 9); /* hops, xid, secs, flags */
	rd_copy(&r, d->ciaddr, 4);
	rd_copy(&r, d->yiaddr, 4);
	rd_skip(&r, 4); /* siaddr */
	rd_copy(&r, d->giaddr, 4);
	rd_copy(&r, d->chaddr, 16);
	d->sname = rd_bytes(&r, 64);
	d->file = rd_bytes(&r, 128);
	if (!rd_ok(&r))
		return sn_malformed(pk, "DHCP message cut at %zu bytes, %d needed", n, BOOTP_LEN);
	if (d->op != 1 && d->op != 2)
		return sn_malformed(pk, "BOOTP op %u, not 1 or 2", d->op);
	c = rd_left(&r) >= 4 ? rd_bytes(&r, 4) : NULL;
	if (c && !memcmp(c, cookie, 4)) {
		options(d, &r, "");
		if (d->opt[O_OVERLOAD] && d->optlen[O_OVERLOAD] == 1) {
			uint8_t ov = d->opt[O_OVERLOAD][0];

			if (ov & 1) {
				rd_init(&area, d->file, 128);
				options(d, &area, " in the file field");
			}
			if (ov & 2) {
				rd_init(&area, d->sname, 64);
				options(d, &area, " in the sname field");
			}
		}
	}
	if (d->opt[O_MSG_TYPE] && d->optlen[O_MSG_TYPE] == 1)
		type = d->opt[O_MSG_TYPE][0];
	rc = d->op == 1 ? client(pk, d, type) : server(pk, d, type);
	if (rc)
		return rc;
	return d->err[0] ? sn_malformed(pk, "%s", d->err) : 0;
}
