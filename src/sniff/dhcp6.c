/*
 * dhcp6.c - DHCPv6 (RFC 8415): what clients say about themselves.
 *
 * A client message is a type, a transaction id and options (2-byte code,
 * 2-byte length); relay agents wrap it in Relay-forward messages whose
 * Relay Message option (9) holds the inner one, at most DHCP6_MAX_NEST
 * deep.  An option claiming more than is left, a vendor class or FQDN whose
 * inner lengths lie, or deeper nesting makes the packet malformed, keeping
 * what was decoded.
 *
 * Emitted for client messages (Solicit, Request, Confirm, Renew, Rebind,
 * Release, Decline, Information-request) about the client: mac from a
 * DUID-LLT/DUID-LL client identifier (1) with an Ethernet address, else the
 * frame's source when not relayed; addr the packet's source address, or the
 * innermost relay's peer address.  OBS_MAC binding, dhcp_enterprise from the
 * vendor class (16) and vendor options (17), dhcp_vendor_class for each
 * vendor-class-data string, dhcp_user_class (15, joined by ","),
 * dhcp_hostname from the client FQDN (39, RFC 4704) as dotted text.
 * Server messages are walked for their lengths only.
 */
#include "l2.h"

#include "core/rd.h"
#include "core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DHCP6_MAX_NEST 8 /* RFC 8415 HOP_COUNT_LIMIT is 8 */
#define DHCP6_MAX_PEN  8
#define DHCP6_MAX_VC   8
#define DHCP6_TEXT     1024

enum {
	O_CLIENTID = 1,
	O_RELAY_MSG = 9,
	O_USER_CLASS = 15,
	O_VENDOR_CLASS = 16,
	O_VENDOR_OPTS = 17,
	O_CLIENT_FQDN = 39,
};

enum { RELAY_FORW = 12, RELAY_REPL = 13 };

struct vc {
	const uint8_t *p;
	size_t n;
};

/* One packet; pointers into it, valid during sn_dhcp6 only. */
struct dhcp6 {
	int type; /* innermost message type */
	int relayed;
	char mac[18];	/* from the client identifier, "" none */
	char peer[46];	/* innermost relay's peer address */
	char host[256]; /* client FQDN as text */
	size_t host_len;
	char uc[DHCP6_TEXT]; /* user classes joined by "," */
	size_t uc_len;
	struct vc vc[DHCP6_MAX_VC];
	int nvc;
	uint32_t pen[DHCP6_MAX_PEN];
	int npen;
	char err[160]; /* first error ("" none) */
};

static void bad(struct dhcp6 *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bad(struct dhcp6 *d, const char *fmt, ...)
{
	va_list ap;

	if (d->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
}

static bool client_type(int t)
{
	return t == 1 || t == 3 || t == 4 || t == 5 || t == 6 || t == 8 || t == 9 || t == 11;
}

static void add_pen(struct dhcp6 *d, uint32_t e)
{
	for (int i = 0; i < d->npen; i++)
		if (d->pen[i] == e)
			return;
	if (d->npen < DHCP6_MAX_PEN)
		d->pen[d->npen++] = e;
}

/* DUID-LLT (1) and DUID-LL (3) with hardware type 1 carry a MAC (RFC 8415 11). */
static void client_id(struct dhcp6 *d, struct rd *v)
{
	uint16_t type = rd_be16(v), hw = rd_be16(v);
	const uint8_t *m;

	if (type == 1)
		rd_skip(v, 4);
	if (!rd_ok(v) || (type != 1 && type != 3) || hw != 1 || rd_left(v) != 6 || d->mac[0])
		return;
	m = rd_bytes(v, 6);
	if (l2_mac_usable(m))
		sn_mac_text(m, d->mac);
}

/* Vendor class (RFC 8415 21.16): enterprise number, then 2-byte-length strings. */
static void vendor_class(struct dhcp6 *d, struct rd *v)
{
	uint32_t e = rd_be32(v);

	if (!rd_ok(v)) {
		bad(d, "DHCPv6 vendor class shorter than its enterprise number");
		return;
	}
	add_pen(d, e);
	while (rd_left(v)) {
		uint16_t l;

		if (rd_left(v) < 2) {
			bad(d, "DHCPv6 vendor class data cut: 1 byte left");
			return;
		}
		l = rd_be16(v);
		if (l > rd_left(v)) {
			bad(d, "DHCPv6 vendor class data claims %u bytes, %zu left", l, rd_left(v));
			return;
		}
		if (l && d->nvc < DHCP6_MAX_VC) {
			d->vc[d->nvc].p = rd_cur(v);
			d->vc[d->nvc++].n = l;
		}
		rd_skip(v, l);
	}
}

/* User class (RFC 8415 21.15): 2-byte-length strings, joined by ",". */
static void user_class(struct dhcp6 *d, struct rd *v)
{
	while (rd_left(v)) {
		uint16_t l;

		if (rd_left(v) < 2) {
			bad(d, "DHCPv6 user class data cut: 1 byte left");
			return;
		}
		l = rd_be16(v);
		if (l > rd_left(v)) {
			bad(d, "DHCPv6 user class data claims %u bytes, %zu left", l, rd_left(v));
			return;
		}
		if (l && d->uc_len + l + 1 < sizeof(d->uc)) {
			if (d->uc_len)
				d->uc[d->uc_len++] = ',';
			memcpy(d->uc + d->uc_len, rd_cur(v), l);
			d->uc_len += l;
		}
		rd_skip(v, l);
	}
}

/* Client FQDN (RFC 4704): flags, then a DNS name in wire form, maybe partial. */
static void fqdn(struct dhcp6 *d, struct rd *v)
{
	char out[256];
	size_t k = 0;

	rd_skip(v, 1);
	while (rd_left(v)) {
		uint8_t l = rd_u8(v);
		const uint8_t *s;

		if (!l)
			break;
		if (l > 63) {
			bad(d, "DHCPv6 client FQDN label of %u bytes, 63 at most", l);
			return;
		}
		if (!(s = rd_bytes(v, l))) {
			bad(d, "DHCPv6 client FQDN label claims %u bytes past its option", l);
			return;
		}
		if (k + l + 1 >= sizeof(out))
			break;
		if (k)
			out[k++] = '.';
		memcpy(out + k, s, l);
		k += l;
	}
	if (!d->host_len && k) {
		memcpy(d->host, out, k);
		d->host_len = k;
	}
}

static void message(struct dhcp6 *d, struct rd *r, int depth);

/* Options of a message of this type: relay wrappers are walked, client messages read. */
static void options(struct dhcp6 *d, struct rd *r, int depth, int type)
{
	bool relay = type == RELAY_FORW || type == RELAY_REPL, mine = client_type(type);
	int relayed_inner = 0;

	while (rd_left(r)) {
		uint16_t code, len;
		struct rd v;

		if (rd_left(r) < 4) {
			bad(d, "DHCPv6 option header cut: %zu bytes left", rd_left(r));
			return;
		}
		code = rd_be16(r);
		len = rd_be16(r);
		if (len > rd_left(r)) {
			bad(d, "DHCPv6 option %u claims %u bytes, %zu left", code, len, rd_left(r));
			return;
		}
		v = rd_sub(r, len);
		if (relay && code == O_RELAY_MSG && !relayed_inner++) {
			message(d, &v, depth + 1);
			continue;
		}
		if (!mine)
			continue; /* a relay's or a server's options are not the client's */
		switch (code) {
		case O_CLIENTID:
			client_id(d, &v);
			break;
		case O_VENDOR_CLASS:
			vendor_class(d, &v);
			break;
		case O_VENDOR_OPTS:
			if (len >= 4)
				add_pen(d, rd_be32(&v));
			else
				bad(d, "DHCPv6 vendor options of %u bytes, 4 needed", len);
			break;
		case O_USER_CLASS:
			user_class(d, &v);
			break;
		case O_CLIENT_FQDN:
			fqdn(d, &v);
			break;
		default:
			break;
		}
	}
}

static void message(struct dhcp6 *d, struct rd *r, int depth)
{
	uint8_t peer[16];
	int type;

	if (depth > DHCP6_MAX_NEST) {
		bad(d, "DHCPv6 relay messages nested deeper than %d", DHCP6_MAX_NEST);
		return;
	}
	d->type = type = rd_u8(r);
	if (type == RELAY_FORW || type == RELAY_REPL) {
		rd_skip(r, 17); /* hop count, link address */
		rd_copy(r, peer, 16);
		if (!rd_ok(r)) {
			bad(d, "DHCPv6 relay message cut: 34 bytes needed");
			return;
		}
		d->relayed = 1;
		l2_ip6_text(peer, d->peer);
		options(d, r, depth, type);
		return;
	}
	rd_skip(r, 3); /* transaction id */
	if (!rd_ok(r)) {
		bad(d, "DHCPv6 message cut: 4 bytes needed");
		return;
	}
	options(d, r, depth, type);
}

static int report(struct sn_pkt *pk, const struct dhcp6 *d)
{
	char mac[18], v[16];
	const char *addr = d->relayed ? d->peer : pk->src_ip;
	int rc = 0;

	mac[0] = 0;
	if (d->mac[0])
		memcpy(mac, d->mac, sizeof(mac));
	else if (!d->relayed && pk->has_mac && l2_mac_usable(pk->src_mac))
		sn_mac_text(pk->src_mac, mac);
	if (!mac[0] && !addr[0])
		return 0;
	if (mac[0])
		rc = sn_emit(pk, OBS_MAC, mac, addr, 0, 0, mac, strlen(mac), 0);
	if (!rc && d->host_len)
		rc = sn_emit(pk, OBS_DHCP_HOSTNAME, mac, addr, 0, 0, d->host, d->host_len, 0);
	for (int i = 0; !rc && i < d->nvc; i++)
		rc = sn_emit(pk, OBS_DHCP_VENDOR_CLASS, mac, addr, 0, 0, d->vc[i].p, d->vc[i].n, 0);
	if (!rc && d->uc_len)
		rc = sn_emit(pk, OBS_DHCP_USER_CLASS, mac, addr, 0, 0, d->uc, d->uc_len, 0);
	for (int i = 0; !rc && i < d->npen; i++) {
		int k = snprintf(v, sizeof(v), "%u", d->pen[i]);

		rc = sn_emit(pk, OBS_DHCP_ENTERPRISE, mac, addr, 0, 0, v, (size_t)k, 0);
	}
	return rc;
}

int sn_dhcp6(struct sn_pkt *pk, const uint8_t *p, size_t n)
{
	struct dhcp6 d;
	struct rd r;
	int rc = 0;

	memset(&d, 0, sizeof(d));
	rd_init(&r, p, n);
	message(&d, &r, 0);
	if (client_type(d.type))
		rc = report(pk, &d);
	if (rc)
		return rc;
	return d.err[0] ? sn_malformed(pk, "%s", d.err) : 0;
}
