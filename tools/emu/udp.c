/*
 * udp.c - the emulator's UDP answers.  SNMP v1/v2c (RFC 1157, RFC 3416):
 * a GET with community "public" gets sysDescr, sysObjectID and sysName from
 * the persona and noSuchObject (v2c) or noSuchName (v1) for anything else;
 * the badsnmp persona's reply then has its BER lengths made to lie.  SSDP
 * (UPnP Device Architecture 1.0, 1.2.3): an M-SEARCH gets a 200 whose
 * LOCATION is the device's own description URL.  Decoding and encoding are
 * src/proto/snmp.h's.
 */
#include "emu.h"

#include "core/str.h"
#include "proto/snmp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define OID_DESCR "1.3.6.1.2.1.1.1.0"
#define OID_OBJID "1.3.6.1.2.1.1.2.0"
#define OID_NAME  "1.3.6.1.2.1.1.5.0"

/* Rewrites the length octets at out[i] (after a tag) to claim far more than there is. */
static void lie_at(uint8_t *out, size_t n, size_t i)
{
	size_t k;

	if (i >= n)
		return;
	if (out[i] < 0x80) {
		out[i] = 0x7f;
		return;
	}
	for (k = 1; k <= (size_t)(out[i] & 0x7f) && i + k < n; k++)
		out[i + k] = 0xff;
}

/* The badsnmp reply: the message SEQUENCE and the sysDescr OCTET STRING both claim more than is
 * sent. */
static void lie(uint8_t *out, size_t n, const struct emu_persona *p)
{
	const uint8_t *d;
	size_t o;

	lie_at(out, n, 1);
	if (!p->sys_descr.n || !(d = memmem(out, n, p->sys_descr.p, p->sys_descr.n)))
		return;
	o = (size_t)(d - out);
	if (o >= 2 && out[o - 2] == 0x04)
		out[o - 1] = 0x7f; /* short form */
	else if (o >= 3 && out[o - 2] == 0x81)
		out[o - 1] = 0xff;
	else if (o >= 4 && out[o - 3] == 0x82)
		out[o - 2] = out[o - 1] = 0xff;
}

static size_t snmp_answer(const struct emu_persona *p, const uint8_t *in, size_t inlen,
			  uint8_t *out, size_t cap)
{
	struct snmp_msg m;
	uint8_t oid[SNMP_MAX_VB][128];
	size_t len;
	int i;

	if (!p->sys_descr.n || snmp_decode(in, inlen, &m) < 0 || m.pdu != SNMP_PDU_GET ||
	    strcmp(m.community, "public") != 0 || (p->snmp_v1only && m.version != SNMP_V1))
		return 0;
	m.pdu = SNMP_PDU_RESPONSE;
	m.error_status = m.error_index = 0;
	for (i = 0; i < m.nvb; i++) {
		struct snmp_vb *vb = &m.vb[i];
		if (snmp_vb_is(vb, OID_DESCR)) {
			vb->type = SNMP_T_OCTETS;
			vb->val = (const uint8_t *)p->sys_descr.p;
			vb->vlen = p->sys_descr.n;
		} else if (snmp_vb_is(vb, OID_NAME) && p->sys_name.n) {
			vb->type = SNMP_T_OCTETS;
			vb->val = (const uint8_t *)p->sys_name.p;
			vb->vlen = p->sys_name.n;
		} else if (snmp_vb_is(vb, OID_OBJID) && p->sys_oid.n &&
			   snmp_oid_encode(p->sys_oid.p, oid[i], sizeof oid[i], &len) == 0) {
			vb->type = SNMP_T_OID;
			vb->val = oid[i];
			vb->vlen = len;
		} else if (m.version == SNMP_V2C) {
			vb->type = SNMP_T_NOSUCHOBJECT;
			vb->vlen = 0;
		} else if (!m.error_status) { /* v1: the whole GET fails, values as sent */
			m.error_status = 2;   /* noSuchName */
			m.error_index = i + 1;
		}
	}
	if (snmp_encode_response(out, cap, &len, &m) < 0)
		return 0;
	if (p->hostile == EMU_H_BADSNMP)
		lie(out, len, p);
	return len;
}

static size_t ssdp_answer(const struct emu_persona *p, const uint8_t *in, size_t inlen,
			  uint32_t addr, unsigned http_port, uint8_t *out, size_t cap)
{
	struct in_addr a = {htonl(addr)};
	char ip[INET_ADDRSTRLEN];
	int n;

	if (!p->upnp.n || !str_has_prefix((const char *)in, inlen, "M-SEARCH "))
		return 0;
	inet_ntop(AF_INET, &a, ip, sizeof ip);
	n = snprintf(
	    (char *)out, cap,
	    "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nDATE: Sun, 29 Nov 2026 00:00:00 "
	    "GMT\r\n"
	    "EXT:\r\nLOCATION: http://%s:%u/upnp/desc.xml\r\nSERVER: %s\r\nST: upnp:rootdevice\r\n"
	    "USN: uuid:%s::upnp:rootdevice\r\n\r\n",
	    ip, http_port,
	    p->ssdp_server.n ? p->ssdp_server.p
			     : "Linux/3.10 UPnP/1.0 Portable SDK for UPnP devices/1.6.22",
	    p->uuid);
	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

size_t emu_udp_answer(const struct emu_persona *p, int kind, const uint8_t *in, size_t inlen,
		      uint32_t addr, unsigned http_port, uint8_t *out, size_t cap)
{
	if (p->hostile == EMU_H_SILENT)
		return 0;
	if (kind == EMU_K_SNMP)
		return snmp_answer(p, in, inlen, out, cap);
	if (kind == EMU_K_SSDP)
		return ssdp_answer(p, in, inlen, addr, http_port, out, cap);
	return 0;
}
