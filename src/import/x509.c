/*
 * x509.c - just enough DER (ITU-T X.690) to read the issuer and subject
 * names of an X.509 certificate (RFC 5280 section 4.1), for masscan's X509
 * banners, which carry a whole certificate in base64.  Every element is
 * entered through rd_sub(), so a lying length cannot read past its parent.
 * The names are written in OpenSSL's X509_NAME_oneline form:
 * "/C=CN/O=Huawei Technologies Co., Ltd./CN=host".
 */
#include "imp_int.h"

#include "../core/err.h"
#include "../core/oid.h"

#include <string.h>

enum { DER_INT = 0x02, DER_OID = 0x06, DER_SEQ = 0x30, DER_SET = 0x31, DER_V0 = 0xa0 };

/* Reads one element's tag and enters its content; 0 on a malformed header. */
static int der_elem(struct rd *r, struct rd *child)
{
	uint8_t tag = rd_u8(r), l0 = rd_u8(r);
	size_t len = 0;

	if (!rd_ok(r) || (tag & 0x1f) == 0x1f)
		return 0;
	if (l0 < 0x80) {
		len = l0;
	} else {
		int nb = l0 & 0x7f;

		if (nb < 1 || nb > 4)
			return 0;
		while (nb--)
			len = len << 8 | rd_u8(r);
	}
	*child = rd_sub(r, len);
	return rd_ok(r) ? tag : 0;
}

static const struct {
	const char *oid, *name;
} names[] = {
    {"2.5.4.3", "CN"},
    {"2.5.4.6", "C"},
    {"2.5.4.7", "L"},
    {"2.5.4.8", "ST"},
    {"2.5.4.10", "O"},
    {"2.5.4.11", "OU"},
    {"2.5.4.5", "serialNumber"},
    {"2.5.4.4", "SN"},
    {"2.5.4.42", "GN"},
    {"2.5.4.12", "title"},
    {"2.5.4.9", "street"},
    {"2.5.4.17", "postalCode"},
    {"1.2.840.113549.1.9.1", "emailAddress"},
    {"0.9.2342.19200300.100.1.25", "DC"},
};

/* The dotted form of a BER-encoded OID (its content bytes) into out. */
static int oid_text(struct rd *r, char *out, size_t outlen)
{
	uint32_t arcs[OID_MAX_ARCS];
	int n = 0;
	uint64_t v = 0;

	while (rd_left(r)) {
		uint8_t b = rd_u8(r);

		v = v << 7 | (b & 0x7f);
		if (v > UINT32_MAX || n >= OID_MAX_ARCS - 1)
			return TM_EPROTO;
		if (b & 0x80)
			continue;
		if (n == 0) {
			arcs[n++] = v < 40 ? 0 : v < 80 ? 1 : 2;
			arcs[n++] = (uint32_t)(v - arcs[0] * 40);
		} else {
			arcs[n++] = (uint32_t)v;
		}
		v = 0;
	}
	if (n < 2)
		return TM_EPROTO;
	return oid_format(arcs, n, out, outlen);
}

/* One AttributeTypeAndValue: SEQUENCE { type OID, value ANY }. */
static int atv(struct rd *r, struct buf *out)
{
	struct rd seq, oid, val;
	char dotted[160];
	const char *name = dotted;
	int rc;

	if (der_elem(r, &seq) != DER_SEQ || der_elem(&seq, &oid) != DER_OID)
		return TM_EPROTO;
	if (!der_elem(&seq, &val))
		return TM_EPROTO;
	rc = oid_text(&oid, dotted, sizeof(dotted));
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].oid, dotted))
			name = names[i].name;
	rc = buf_addc(out, '/');
	if (!rc)
		rc = buf_adds(out, name);
	if (!rc)
		rc = buf_addc(out, '=');
	if (!rc)
		rc = buf_add(out, rd_cur(&val), rd_left(&val));
	return rc;
}

/* Name ::= SEQUENCE OF SET OF AttributeTypeAndValue. */
static int name(struct rd *r, struct buf *out)
{
	struct rd seq, set;
	int rc = 0;

	if (der_elem(r, &seq) != DER_SEQ)
		return TM_EPROTO;
	while (!rc && rd_left(&seq)) {
		if (der_elem(&seq, &set) != DER_SET)
			return TM_EPROTO;
		while (!rc && rd_left(&set))
			rc = atv(&set, out);
	}
	return rc;
}

int imp_x509_names(const uint8_t *der, size_t n, struct buf *subj, struct buf *iss)
{
	struct rd r, cert, tbs, skip;
	int rc;

	rd_init(&r, der, n);
	if (der_elem(&r, &cert) != DER_SEQ || der_elem(&cert, &tbs) != DER_SEQ)
		return TM_EPROTO;
	if (rd_peek(&tbs, 0) == DER_V0 && !der_elem(&tbs, &skip))
		return TM_EPROTO;
	if (der_elem(&tbs, &skip) != DER_INT || der_elem(&tbs, &skip) != DER_SEQ)
		return TM_EPROTO;
	rc = name(&tbs, iss);
	if (rc)
		return rc;
	if (der_elem(&tbs, &skip) != DER_SEQ)
		return TM_EPROTO;
	return name(&tbs, subj);
}
