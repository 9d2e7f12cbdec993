/*
 * snmp.c - SNMP v1/v2c message encoding and decoding (snmp.h): RFC 1157
 * section 4, RFC 3416 section 3 (PDUs), RFC 1901 (community-based v2c).
 * Decoding reads through struct rd and ber_read() only, so a lying length
 * fails the element that carries it; each SEQUENCE must be used up exactly.
 */
#include "snmp.h"

#include "ber.h"
#include "core/err.h"
#include "core/oid.h"
#include "core/str.h"

#include <string.h>

/* Writes message header, PDU fields and varbinds; values from vb type/val (NULL when vb is NULL).
 */
static int encode(uint8_t *out, size_t cap, size_t *len, const struct snmp_msg *m)
{
	struct ber_w w;
	size_t msg, pdu, list, one;
	size_t clen = strnlen(m->community, sizeof(m->community));

	if ((m->version != SNMP_V1 && m->version != SNMP_V2C) || m->nvb < 0 ||
	    m->nvb > SNMP_MAX_VB || (m->pdu & 0xe0) != 0xa0)
		return TM_EINVAL;
	if (clen >= sizeof(m->community))
		return TM_ELIMIT;
	ber_w_init(&w, out, cap);
	msg = ber_begin(&w, BER_SEQ);
	ber_put_int(&w, BER_INT, m->version);
	ber_put_tlv(&w, BER_OCTETS, m->community, clen);
	pdu = ber_begin(&w, m->pdu);
	ber_put_int(&w, BER_INT, m->reqid);
	ber_put_int(&w, BER_INT, m->error_status);
	ber_put_int(&w, BER_INT, m->error_index);
	list = ber_begin(&w, BER_SEQ);
	for (int i = 0; i < m->nvb; i++) {
		const struct snmp_vb *vb = &m->vb[i];

		if (vb->noid < 2 || vb->noid > SNMP_MAX_ARCS || (vb->vlen && !vb->val) ||
		    (vb->type & BER_CONSTRUCTED) || (vb->type & 0x1f) == 0x1f)
			return TM_EINVAL;
		one = ber_begin(&w, BER_SEQ);
		ber_put_oid(&w, vb->oid, vb->noid);
		ber_put_tlv(&w, vb->type, vb->val, vb->vlen);
		ber_end(&w, one);
	}
	ber_end(&w, list);
	ber_end(&w, pdu);
	ber_end(&w, msg);
	if (w.err)
		return w.err;
	*len = w.len;
	return 0;
}

int snmp_vb_name(struct snmp_vb *vb, const char *oid)
{
	int n = oid_parse(oid, strlen(oid), vb->oid, SNMP_MAX_ARCS);

	if (n < 2 || vb->oid[0] > 2 || (vb->oid[0] < 2 && vb->oid[1] >= 40))
		return TM_EINVAL;
	vb->noid = n;
	return 0;
}

int snmp_oid_encode(const char *oid, uint8_t *out, size_t cap, size_t *len)
{
	struct snmp_vb vb;
	struct ber_w w;
	uint8_t tmp[SNMP_MAX_ARCS * 5 + 8];
	struct rd r;
	uint8_t tag;
	struct rd body;

	if (snmp_vb_name(&vb, oid))
		return TM_EINVAL;
	ber_w_init(&w, tmp, sizeof(tmp));
	ber_put_oid(&w, vb.oid, vb.noid);
	if (w.err)
		return w.err;
	rd_init(&r, tmp, w.len);
	if (ber_read(&r, &tag, &body))
		return TM_EINVAL;
	if (body.len > cap)
		return TM_ELIMIT;
	memcpy(out, body.p, body.len);
	*len = body.len;
	return 0;
}

int snmp_vb_is(const struct snmp_vb *vb, const char *oid)
{
	uint32_t a[SNMP_MAX_ARCS];
	int n = oid_parse(oid, strlen(oid), a, SNMP_MAX_ARCS);

	return n > 0 && n == vb->noid && !memcmp(a, vb->oid, (size_t)n * sizeof(a[0]));
}

int snmp_encode_get(uint8_t *out, size_t cap, size_t *len, int version, const char *community,
		    int32_t reqid, const char *const *oids, int n)
{
	struct snmp_msg *m, msg;

	m = &msg;
	memset(m, 0, sizeof(*m));
	if (n <= 0 || n > SNMP_MAX_VB || !community)
		return TM_EINVAL;
	if (strlen(community) >= sizeof(m->community))
		return TM_ELIMIT;
	m->version = version;
	str_set(m->community, sizeof(m->community), community);
	m->pdu = SNMP_PDU_GET;
	m->reqid = reqid;
	m->nvb = n;
	for (int i = 0; i < n; i++) {
		if (!oids[i] || snmp_vb_name(&m->vb[i], oids[i]))
			return TM_EINVAL;
		m->vb[i].type = SNMP_T_NULL;
	}
	return encode(out, cap, len, m);
}

int snmp_encode_response(uint8_t *out, size_t cap, size_t *len, const struct snmp_msg *m)
{
	return encode(out, cap, len, m);
}

/* An INTEGER element into *v. */
static int get_int(struct rd *r, int32_t *v)
{
	struct rd b;

	if (ber_expect(r, BER_INT, &b))
		return TM_EPROTO;
	return ber_int32(b.p, b.len, v);
}

/* One VarBind ::= SEQUENCE { name OID, value }; the sequence must be used up. */
static int get_vb(struct rd *list, struct snmp_vb *vb)
{
	struct rd seq, name, val;
	uint8_t tag = 0;
	int n;

	if (ber_expect(list, BER_SEQ, &seq) || ber_expect(&seq, BER_OID, &name))
		return TM_EPROTO;
	n = ber_oid_arcs(name.p, name.len, vb->oid, SNMP_MAX_ARCS);
	if (n < 0)
		return n;
	vb->noid = n;
	if (ber_read(&seq, &tag, &val) || (tag & BER_CONSTRUCTED) || rd_left(&seq))
		return TM_EPROTO;
	if (tag == BER_NULL && val.len)
		return TM_EPROTO;
	vb->type = tag;
	vb->val = val.p;
	vb->vlen = val.len;
	return 0;
}

/* The PDU body after its tag: request-id, error-status, error-index, varbinds. */
static int get_pdu(struct rd *pdu, struct snmp_msg *m)
{
	struct rd list;
	int rc;

	if (get_int(pdu, &m->reqid) || get_int(pdu, &m->error_status) ||
	    get_int(pdu, &m->error_index))
		return TM_EPROTO;
	if (ber_expect(pdu, BER_SEQ, &list) || rd_left(pdu))
		return TM_EPROTO;
	while (rd_left(&list)) {
		if (m->nvb >= SNMP_MAX_VB)
			return TM_ELIMIT;
		rc = get_vb(&list, &m->vb[m->nvb]);
		if (rc)
			return rc;
		m->nvb++;
	}
	return rd_ok(&list) ? 0 : TM_EPROTO;
}

int snmp_decode(const uint8_t *p, size_t n, struct snmp_msg *m)
{
	struct rd r, msg, comm, pdu;
	int32_t ver = 0;
	uint8_t tag = 0;

	memset(m, 0, sizeof(*m));
	rd_init(&r, p, n);
	if (ber_expect(&r, BER_SEQ, &msg) || rd_left(&r))
		return TM_EPROTO;
	if (get_int(&msg, &ver))
		return TM_EPROTO;
	if (ver == 3)
		return TM_EUNSUP;
	if (ver != SNMP_V1 && ver != SNMP_V2C)
		return TM_EPROTO;
	m->version = ver;
	if (ber_expect(&msg, BER_OCTETS, &comm))
		return TM_EPROTO;
	if (comm.len >= sizeof(m->community))
		return TM_ELIMIT;
	str_copy(m->community, sizeof(m->community), (const char *)comm.p, comm.len);
	if (ber_read(&msg, &tag, &pdu) || rd_left(&msg) || (tag & 0xe0) != 0xa0 || tag > 0xa8)
		return TM_EPROTO;
	m->pdu = tag;
	if (tag == 0xa4 && ver == SNMP_V1)
		return TM_EUNSUP;
	return get_pdu(&pdu, m);
}

int snmp_oid_text(const uint8_t *val, size_t vlen, char *out, size_t cap)
{
	uint32_t arcs[OID_MAX_ARCS];
	int n = ber_oid_arcs(val, vlen, arcs, OID_MAX_ARCS);

	if (cap)
		out[0] = '\0';
	if (n < 0)
		return n;
	return oid_format(arcs, n, out, cap);
}
