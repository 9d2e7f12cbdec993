/*
 * snmp.c - SNMP datagrams from an agent (UDP source port 161) seen on the
 * wire.  v1/v2c (RFC 1157, RFC 3416) decode with src/proto/snmp.c, and a
 * Response-PDU gives what the scanner's SNMP probe records for the same
 * bytes: sysDescr.0 -> snmp_sysdescr, sysObjectID.0 -> snmp_sysobjectid
 * (dotted, no leading dot), sysName.0 -> hostname, about the source
 * address.  Requests, traps and other PDUs are valid and say nothing.
 * SNMPv3 (RFC 3412 section 6, RFC 3414 section 2.4): the USM security
 * parameters of a plaintext Report or Response carry the agent's
 * msgAuthoritativeEngineID -> snmp_engineid as lower-case hex.  Communities
 * are never emitted, nor put into a message.
 */
#include "sniff.h"

#include "core/err.h"
#include "proto/ber.h"
#include "proto/snmp.h"

#include <string.h>

#define ENGINEID_MIN 5	/* RFC 3411 section 5: SnmpEngineID SIZE(5..32) */
#define ENGINEID_MAX 32
#define PDU_REPORT   0xa8
#define USM	     3	/* msgSecurityModel of the User-based Security Model */

static const char *const sys_oids[] = {"1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0"};

/* The varbinds of a response, as the scanner's probe reads them (src/scan/probes/snmp.c). */
static int emit_vbs(struct sn_pkt *pk, const struct snmp_msg *m)
{
	char oid[256];
	int rc = 0;

	for (int i = 0; i < m->nvb && !rc; i++) {
		const struct snmp_vb *vb = &m->vb[i];
		if (snmp_vb_is(vb, sys_oids[0]) && vb->type == SNMP_T_OCTETS)
			rc = sn_emit(pk, OBS_SNMP_SYSDESCR, NULL, pk->src_ip, pk->sport, 17, vb->val, vb->vlen, 0);
		else if (snmp_vb_is(vb, sys_oids[1]) && vb->type == SNMP_T_OID &&
			 !snmp_oid_text(vb->val, vb->vlen, oid, sizeof(oid)))
			rc = sn_emit(pk, OBS_SNMP_SYSOBJECTID, NULL, pk->src_ip, pk->sport, 17, oid, strlen(oid), 0);
		else if (snmp_vb_is(vb, sys_oids[2]) && vb->type == SNMP_T_OCTETS && vb->vlen)
			rc = sn_emit(pk, OBS_HOSTNAME, NULL, pk->src_ip, pk->sport, 17, vb->val, vb->vlen, 0);
	}
	return rc;
}

/* An INTEGER element that must fit 32 bits. */
static int get_int(struct rd *r, int32_t *v)
{
	struct rd b;

	if (ber_expect(r, BER_INT, &b))
		return TM_EPROTO;
	return ber_int32(b.p, b.len, v);
}

/*
 * SNMPv3Message ::= SEQUENCE { msgVersion, msgGlobalData HeaderData,
 * msgSecurityParameters OCTET STRING, msgData ScopedPduData }.  msg is the
 * outer SEQUENCE's content after msgVersion.
 */
static int v3(struct sn_pkt *pk, struct rd *msg)
{
	static const char hex[] = "0123456789abcdef";
	struct rd hd, flags, sp, usm, eid, data, scoped, skip;
	int32_t id, max, model;
	char text[2 * ENGINEID_MAX + 1];
	uint8_t tag = 0, pdu = 0;

	if (ber_expect(msg, BER_SEQ, &hd) || get_int(&hd, &id) || get_int(&hd, &max) ||
	    ber_expect(&hd, BER_OCTETS, &flags) || get_int(&hd, &model) || rd_left(&hd))
		return sn_malformed(pk, "SNMPv3 header data does not decode");
	if (flags.len != 1)
		return sn_malformed(pk, "SNMPv3 msgFlags of %zu bytes, want 1", flags.len);
	if (ber_expect(msg, BER_OCTETS, &sp) || ber_read(msg, &tag, &data) || rd_left(msg))
		return sn_malformed(pk, "SNMPv3 security parameters or data do not decode");
	if (model != USM)
		return 0; /* another security model: nothing we can read */
	if (tag != BER_SEQ)
		return 0; /* msgData encrypted (privacy): the PDU type is hidden, so we do not guess */
	/* ScopedPDU ::= SEQUENCE { contextEngineID, contextName, data } */
	if (ber_expect(&data, BER_OCTETS, &skip) || ber_expect(&data, BER_OCTETS, &skip) ||
	    ber_read(&data, &pdu, &scoped) || rd_left(&data))
		return sn_malformed(pk, "SNMPv3 scoped PDU does not decode");
	if (pdu != SNMP_PDU_RESPONSE && pdu != PDU_REPORT)
		return 0;
	/* UsmSecurityParameters ::= SEQUENCE { msgAuthoritativeEngineID OCTET STRING, ... } */
	if (ber_expect(&sp, BER_SEQ, &usm) || rd_left(&sp) || ber_expect(&usm, BER_OCTETS, &eid))
		return sn_malformed(pk, "SNMPv3 USM security parameters do not decode");
	if (eid.len == 0)
		return 0;
	if (eid.len < ENGINEID_MIN || eid.len > ENGINEID_MAX)
		return sn_malformed(pk, "SNMPv3 engine id of %zu bytes, want %d to %d", eid.len, ENGINEID_MIN,
				    ENGINEID_MAX);
	for (size_t i = 0; i < eid.len; i++) {
		text[2 * i] = hex[eid.p[i] >> 4];
		text[2 * i + 1] = hex[eid.p[i] & 15];
	}
	return sn_emit(pk, OBS_SNMP_ENGINEID, NULL, pk->src_ip, pk->sport, 17, text, 2 * eid.len, 0);
}

/* Why snmp_decode refused a datagram, as far as the outer layers tell (no community in it). */
static int why_bad(struct sn_pkt *pk, const uint8_t *p, size_t n)
{
	struct rd r, msg;
	uint8_t tag = 0;

	rd_init(&r, p, n);
	if (n < 2)
		return sn_malformed(pk, "SNMP datagram of %zu bytes", n);
	if (ber_read(&r, &tag, &msg))
		return sn_malformed(pk, "SNMP message header bad or longer than the %zu bytes of the datagram", n);
	if (tag != BER_SEQ)
		return sn_malformed(pk, "SNMP message starts with tag 0x%02x, not a SEQUENCE", tag);
	if (rd_left(&r))
		return sn_malformed(pk, "SNMP message followed by %zu stray bytes", rd_left(&r));
	return sn_malformed(pk, "SNMP message (%zu bytes) does not decode as v1/v2c", n);
}

int sn_snmp(struct sn_pkt *pk, const uint8_t *p, size_t n)
{
	struct snmp_msg m; /* about 5 KiB: on the stack, so decoders stay reentrant */
	struct rd r, msg;
	int32_t ver = -1;
	int rc;

	rc = snmp_decode(p, n, &m);
	if (rc == TM_EUNSUP) {
		rd_init(&r, p, n);
		if (ber_expect(&r, BER_SEQ, &msg) || get_int(&msg, &ver))
			return why_bad(pk, p, n);
		if (ver != 3)
			return 0; /* a v1 Trap-PDU */
		if (rd_left(&r))
			return sn_malformed(pk, "SNMPv3 message followed by %zu stray bytes", rd_left(&r));
		return v3(pk, &msg);
	}
	if (rc == TM_ELIMIT) {
		/* more varbinds than we keep, or a huge name or community: keep what decoded */
		return m.pdu == SNMP_PDU_RESPONSE ? emit_vbs(pk, &m) : 0;
	}
	if (rc)
		return why_bad(pk, p, n);
	if (m.pdu != SNMP_PDU_RESPONSE)
		return 0;
	return emit_vbs(pk, &m);
}
