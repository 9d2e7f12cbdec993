/*
 * lldp.c - LLDP (IEEE 802.1AB-2016): what a device announces about itself to
 * its neighbour, one LLDPDU per frame.
 *
 * The TLV walk goes through the bounded reader: a 2-byte header (7-bit type,
 * 9-bit length), then a child window of exactly that length.  A TLV claiming
 * more than is left, a cut header, an End TLV with a length, more than
 * LLDP_MAX_TLVS TLVs, a repeated chassis/port/TTL TLV or a TLV shorter than
 * its type requires makes the frame malformed; what was decoded before (and,
 * for errors inside one TLV, after) is still reported.
 *
 * Every observation of one LLDPDU is about the device with the chassis MAC
 * (subtype 4), else the frame's source MAC, and its first management address.
 * Emitted: lldp_chassis (MAC as text, or a printable id), lldp_sysname,
 * lldp_sysdesc, lldp_org "oui/subtype" once per pair (TIA LLDP-MED
 * inventory manufacturer and model with "=text"), one OBS_MAC binding per
 * IPv4/IPv6 management address, and the link "this device's port sees the
 * capture point".  Capabilities are checked for length, not reported.
 */
#include "l2.h"

#include "core/rd.h"
#include "core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LLDP_MAX_TLVS 512 /* a 1500-byte frame holds ~40 real TLVs */
#define LLDP_MAX_MGMT 8
#define LLDP_MAX_ORG  32
#define LLDP_ORG_TEXT 255 /* an org TLV carries at most 507 bytes; names are short */

enum {
	T_END = 0,
	T_CHASSIS = 1,
	T_PORT = 2,
	T_TTL = 3,
	T_PORT_DESC = 4,
	T_SYS_NAME = 5,
	T_SYS_DESC = 6,
	T_CAPS = 7,
	T_MGMT = 8,
	T_ORG = 127,
};

struct lldp_org {
	uint8_t oui[3], sub;
	const uint8_t *text; /* TIA inventory name, else NULL */
	size_t tlen;
};

/* What one LLDPDU said; pointers into the frame, valid during sn_lldp only. */
struct lldp {
	unsigned seen; /* bit t: TLV type t (1..8) met */
	uint8_t chassis_sub, port_sub;
	const uint8_t *chassis, *port, *port_desc, *name, *desc;
	size_t chassis_len, port_len, port_desc_len, name_len, desc_len;
	char mgmt[LLDP_MAX_MGMT][46];
	int nmgmt;
	struct lldp_org org[LLDP_MAX_ORG];
	int norg;
	char err[160]; /* first error inside a TLV ("" none) */
};

static void bad(struct lldp *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bad(struct lldp *d, const char *fmt, ...)
{
	va_list ap;

	if (d->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
}

/* Bytes without trailing NULs (some agents terminate their strings). */
static size_t unpad(const uint8_t *p, size_t n)
{
	while (n && !p[n - 1])
		n--;
	return n;
}

/* Management address (802.1AB 8.5.9): length, subtype, address, interface, OID. */
static void mgmt(struct lldp *d, struct rd *v)
{
	uint8_t alen = rd_u8(v), fam, olen;
	const uint8_t *a;

	if (alen < 2 || alen > 32) {
		bad(d, "LLDP management address length %u, not 2..32", alen);
		return;
	}
	if (alen > rd_left(v)) {
		bad(d, "LLDP management address claims %u bytes, %zu left", alen, rd_left(v));
		return;
	}
	fam = rd_u8(v);
	a = rd_bytes(v, alen - 1u);
	rd_skip(v, 5); /* interface numbering subtype and number */
	olen = rd_u8(v);
	if (!rd_ok(v)) {
		bad(d, "LLDP management address TLV cut before its OID length");
		return;
	}
	if (olen > rd_left(v))
		bad(d, "LLDP management address OID claims %u bytes, %zu left", olen, rd_left(v));
	if (d->nmgmt == LLDP_MAX_MGMT)
		return;
	if (fam == 1 && alen == 5)
		l2_ip4_text(a, d->mgmt[d->nmgmt++]);
	else if (fam == 2 && alen == 17)
		l2_ip6_text(a, d->mgmt[d->nmgmt++]);
}

/* Organisation-specific TLV: OUI, subtype, once per pair. */
static void org(struct lldp *d, struct rd *v)
{
	struct lldp_org o;

	memset(&o, 0, sizeof(o));
	rd_copy(v, o.oui, 3);
	o.sub = rd_u8(v);
	for (int i = 0; i < d->norg; i++)
		if (!memcmp(d->org[i].oui, o.oui, 3) && d->org[i].sub == o.sub)
			return;
	/* TIA TR-41 LLDP-MED inventory (ANSI/TIA-1057 10.2.6): 9 manufacturer, 10 model */
	if (o.oui[0] == 0x00 && o.oui[1] == 0x12 && o.oui[2] == 0xbb &&
	    (o.sub == 9 || o.sub == 10)) {
		o.tlen = unpad(rd_cur(v), rd_left(v));
		if (o.tlen > LLDP_ORG_TEXT)
			o.tlen = LLDP_ORG_TEXT;
		o.text = o.tlen ? rd_cur(v) : NULL;
	}
	if (d->norg < LLDP_MAX_ORG)
		d->org[d->norg++] = o;
}

/* Shortest length each TLV type allows (802.1AB-2016 8.5). */
static unsigned min_len(unsigned type)
{
	switch (type) {
	case T_CHASSIS:
	case T_PORT:
	case T_TTL:
		return 2;
	case T_CAPS:
		return 4;
	case T_MGMT:
		return 9;
	case T_ORG:
		return 4;
	default:
		return 0;
	}
}

static void tlv(struct lldp *d, unsigned type, struct rd *v)
{
	size_t len = rd_left(v);
	unsigned min = min_len(type);

	if (len < min) {
		if (!len)
			bad(d, "LLDP TLV type %u has length 0, at least %u needed", type, min);
		else
			bad(d, "LLDP TLV type %u has %zu bytes, at least %u needed", type, len,
			    min);
		return;
	}
	if (type >= T_CHASSIS && type <= T_CAPS) { /* at most one each */
		if (d->seen & 1u << type) {
			if (type <= T_TTL)
				bad(d, "LLDP TLV type %u repeated", type);
			return; /* the first one counts */
		}
		d->seen |= 1u << type;
	}
	switch (type) {
	case T_CHASSIS:
		d->chassis_sub = rd_u8(v);
		d->chassis_len = rd_left(v);
		d->chassis = rd_bytes(v, d->chassis_len);
		if (d->chassis_sub == 4 && d->chassis_len != 6)
			bad(d, "LLDP chassis id subtype 4 has %zu bytes, 6 needed", d->chassis_len);
		break;
	case T_PORT:
		d->port_sub = rd_u8(v);
		d->port_len = unpad(rd_cur(v), rd_left(v));
		d->port = rd_cur(v);
		break;
	case T_PORT_DESC:
		d->port_desc_len = unpad(rd_cur(v), len);
		d->port_desc = rd_cur(v);
		break;
	case T_SYS_NAME:
		d->name_len = unpad(rd_cur(v), len);
		d->name = rd_cur(v);
		break;
	case T_SYS_DESC:
		d->desc_len = unpad(rd_cur(v), len);
		d->desc = rd_cur(v);
		break;
	case T_MGMT:
		mgmt(d, v);
		break;
	case T_ORG:
		org(d, v);
		break;
	default:
		break; /* TTL, capabilities, reserved types: length checked only */
	}
}

/* The port as text for the link: printable id, else description, else a MAC id. */
static void port_text(const struct lldp *d, char out[64])
{
	size_t n;

	out[0] = 0;
	if (d->port && l2_printable(d->port, d->port_len, &n))
		str_copy(out, 64, (const char *)d->port, n);
	else if (d->port_desc && l2_printable(d->port_desc, d->port_desc_len, &n))
		str_copy(out, 64, (const char *)d->port_desc, n);
	else if (d->port && d->port_sub == 3 && d->port_len == 6)
		sn_mac_text(d->port, out);
}

static int report(struct sn_pkt *pk, const struct lldp *d)
{
	char mac[18], chassis[18], v[LLDP_ORG_TEXT + 32], port[64];
	const char *addr = d->nmgmt ? d->mgmt[0] : "";
	int rc = 0;
	size_t n;

	l2_src_mac(pk, mac);
	if (d->chassis && d->chassis_sub == 4 && d->chassis_len == 6) {
		sn_mac_text(d->chassis, chassis);
		if (l2_mac_usable(d->chassis))
			memcpy(mac, chassis, sizeof(mac));
		rc = sn_emit(pk, OBS_LLDP_CHASSIS, mac, addr, 0, 0, chassis, strlen(chassis), 0);
	} else if (d->chassis && d->chassis_sub != 4 &&
		   l2_printable(d->chassis, d->chassis_len, &n)) {
		rc = sn_emit(pk, OBS_LLDP_CHASSIS, mac, addr, 0, 0, d->chassis, n, 0);
	}
	if (!rc && d->name_len)
		rc = sn_emit(pk, OBS_LLDP_SYSNAME, mac, addr, 0, 0, d->name, d->name_len, 0);
	if (!rc && d->desc_len)
		rc = sn_emit(pk, OBS_LLDP_SYSDESC, mac, addr, 0, 0, d->desc, d->desc_len, 0);
	for (int i = 0; !rc && i < d->norg; i++) {
		const struct lldp_org *o = &d->org[i];
		int k = snprintf(v, sizeof(v), "%02x:%02x:%02x/%u", o->oui[0], o->oui[1], o->oui[2],
				 o->sub);

		if (o->text) {
			v[k++] = '=';
			memcpy(v + k, o->text, o->tlen);
			k += (int)o->tlen;
		}
		rc = sn_emit(pk, OBS_LLDP_ORG, mac, addr, 0, 0, v, (size_t)k, 0);
	}
	for (int i = 0; !rc && mac[0] && i < d->nmgmt; i++)
		rc = sn_emit(pk, OBS_MAC, mac, d->mgmt[i], 0, 0, mac, strlen(mac), 0);
	if (!rc && mac[0] && (d->chassis || d->port)) {
		port_text(d, port);
		rc = l2_link(pk, mac, port, "lldp");
	}
	return rc;
}

int sn_lldp(struct sn_pkt *pk, const uint8_t *p, size_t n)
{
	struct lldp d;
	struct rd r, v;
	char err[160] = "";
	int ntlv, rc;

	memset(&d, 0, sizeof(d));
	rd_init(&r, p, n);
	for (ntlv = 0; rd_left(&r); ntlv++) {
		unsigned h, type, len;

		if (ntlv == LLDP_MAX_TLVS) {
			snprintf(err, sizeof(err), "LLDP: more than %d TLVs", LLDP_MAX_TLVS);
			break;
		}
		if (rd_left(&r) < 2) {
			snprintf(err, sizeof(err), "LLDP TLV header cut: 1 byte left");
			break;
		}
		h = rd_be16(&r);
		type = h >> 9;
		len = h & 0x1ff;
		if (len > rd_left(&r)) {
			snprintf(err, sizeof(err), "LLDP TLV type %u claims %u bytes, %zu left",
				 type, len, rd_left(&r));
			break;
		}
		v = rd_sub(&r, len);
		if (type == T_END) {
			if (len)
				snprintf(err, sizeof(err), "LLDP End TLV has length %u, not 0",
					 len);
			break; /* what follows End is frame padding */
		}
		tlv(&d, type, &v);
	}
	if (!(d.seen & 1u << T_CHASSIS) && !err[0] && !d.err[0])
		snprintf(err, sizeof(err), "LLDP: no chassis id TLV");
	rc = report(pk, &d);
	if (rc)
		return rc;
	if (err[0] || d.err[0])
		return sn_malformed(pk, "%s", d.err[0] ? d.err : err);
	return 0;
}
