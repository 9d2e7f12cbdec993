/*
 * snmp.h - SNMP v1 (RFC 1157) and v2c (RFC 3416, RFC 1901) messages: a GET
 * request encoder for the scanner, a response encoder for the device
 * emulator, and one decoder for both, all pure functions over bytes built on
 * ber.h.  The decoder walks the fixed message shape
 *   SEQUENCE { version, community, PDU { reqid, error-status, error-index,
 *              SEQUENCE OF SEQUENCE { name OID, value } } }
 * and refuses anything else: lying lengths, trailing bytes inside any
 * SEQUENCE or after the message, constructed values, arcs above 2^32-1.
 */
#ifndef TM_SNMP_H
#define TM_SNMP_H

#include <stddef.h>
#include <stdint.h>

#define SNMP_MAX_VB   16
#define SNMP_MAX_ARCS 64

enum {
	SNMP_V1 = 0,
	SNMP_V2C = 1,
	SNMP_PDU_GET = 0xa0,
	SNMP_PDU_GETNEXT = 0xa1,
	SNMP_PDU_RESPONSE = 0xa2,
	SNMP_PDU_SET = 0xa3,
	SNMP_PDU_GETBULK = 0xa5,
	SNMP_T_INT = 0x02,
	SNMP_T_OCTETS = 0x04,
	SNMP_T_NULL = 0x05,
	SNMP_T_OID = 0x06,
	SNMP_T_IPADDR = 0x40,
	SNMP_T_COUNTER32 = 0x41,
	SNMP_T_GAUGE32 = 0x42,
	SNMP_T_TIMETICKS = 0x43,
	SNMP_T_NOSUCHOBJECT = 0x80,
	SNMP_T_NOSUCHINSTANCE = 0x81,
	SNMP_T_ENDOFMIBVIEW = 0x82,
};

/* One variable binding; val points into the decoded datagram (or the caller's bytes when encoding).
 */
struct snmp_vb {
	uint32_t oid[SNMP_MAX_ARCS]; /* the name, as arcs */
	int noid;		     /* arcs used */
	uint8_t type;		     /* the value's BER tag (SNMP_T_*) */
	const uint8_t *val;	     /* the value's content octets */
	size_t vlen;		     /* their count */
};

struct snmp_msg {
	int version;	    /* SNMP_V1 or SNMP_V2C */
	char community[64]; /* NUL-terminated (a community with a NUL byte is cut there) */
	uint8_t pdu;	    /* SNMP_PDU_* tag */
	int32_t reqid;	    /* request-id */
	int32_t error_status, error_index;
	int nvb;			/* varbinds used */
	struct snmp_vb vb[SNMP_MAX_VB]; /* in wire order */
};

/*
 * Encodes a GET of n OIDs (dotted text, "1.3.6.1.2.1.1.1.0") with NULL
 * values into out[0..cap); *len gets the datagram's size.  Returns 0,
 * TM_EINVAL for a bad version, OID or n (0 or above SNMP_MAX_VB), TM_ELIMIT
 * when cap is too small or the community longer than 63 bytes.
 */
int snmp_encode_get(uint8_t *out, size_t cap, size_t *len, int version, const char *community,
		    int32_t reqid, const char *const *oids, int n);
/*
 * Encodes m as it stands (m->pdu is written as given, SNMP_PDU_RESPONSE for
 * a reply; each varbind's value as type + content).  Same returns as above.
 */
int snmp_encode_response(uint8_t *out, size_t cap, size_t *len, const struct snmp_msg *m);
/*
 * Decodes one datagram into m; varbind values point into p, which must
 * outlive m.  Returns 0, TM_EPROTO on anything malformed, TM_EUNSUP for
 * SNMPv3 or a v1 Trap-PDU, TM_ELIMIT for more than SNMP_MAX_VB varbinds,
 * more than SNMP_MAX_ARCS arcs in a name or a community above 63 bytes.
 * m is cleared first and holds what was read before a failure.
 */
int snmp_decode(const uint8_t *p, size_t n, struct snmp_msg *m);
/*
 * An OID value's content (tag 0x06) as dotted text "1.3.6.1.4.1.2011.2.23"
 * (no leading dot).  Returns 0, TM_EPROTO for a malformed value, TM_ELIMIT
 * when out is too small (out then "").
 */
int snmp_oid_text(const uint8_t *val, size_t vlen, char *out, size_t cap);
/*
 * Helpers for building messages: sets vb->oid from dotted text (0 or
 * TM_EINVAL); encodes dotted text as OID content octets into out (0,
 * TM_EINVAL, TM_ELIMIT), e.g. for a sysObjectID value.
 */
int snmp_vb_name(struct snmp_vb *vb, const char *oid);
int snmp_oid_encode(const char *oid, uint8_t *out, size_t cap, size_t *len);
/* Does the varbind's name equal the dotted oid? */
int snmp_vb_is(const struct snmp_vb *vb, const char *oid);

#endif
