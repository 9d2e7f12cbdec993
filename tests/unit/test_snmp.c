/* test_snmp.c - BER reader/writer and SNMP v1/v2c encode/decode (src/proto/ber.h, snmp.h). */
#include "check.h"
#include "core/err.h"
#include "core/mem.h"
#include "proto/ber.h"
#include "proto/snmp.h"

#include <stdlib.h>

static const char *const sys3[] = {"1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0"};

/* Decodes a copy of exactly n bytes, so ASan sees any read past the end. */
static int dec(const uint8_t *p, size_t n, struct snmp_msg *m)
{
	uint8_t *c = mem_alloc(n ? n : 1);
	int rc;

	memcpy(c, p, n);
	rc = snmp_decode(c, n, m);
	mem_free(c);
	return rc;
}

static void test_get_bytes(void)
{
	/* X.690 by hand: SEQUENCE { INTEGER 1, OCTET STRING "public", GetRequest-PDU {
	 * reqid 1, 0, 0, SEQUENCE { SEQUENCE { OID 1.3.6.1.2.1.1.1.0, NULL } } } } */
	static const uint8_t want[] = {0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',  'b',
				       'l',  'i',  'c',	 0xa0, 0x19, 0x02, 0x01, 0x01, 0x02, 0x01,
				       0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08,
				       0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00};
	uint8_t out[128];
	size_t len = 0;
	struct snmp_msg m;

	CHECK_INT(snmp_encode_get(out, sizeof(out), &len, SNMP_V2C, "public", 1, sys3, 1), 0);
	CHECK_INT(len, sizeof(want));
	CHECK(len == sizeof(want) && !memcmp(out, want, len));
	CHECK_INT(dec(want, sizeof(want), &m), 0);
	CHECK_INT(m.version, 1);
	CHECK_STR(m.community, "public");
	CHECK_INT(m.pdu, 0xa0);
	CHECK_INT(m.reqid, 1);
	CHECK_INT(m.nvb, 1);
	CHECK_INT(m.vb[0].noid, 9);
	CHECK(snmp_vb_is(&m.vb[0], "1.3.6.1.2.1.1.1.0"));
	CHECK(!snmp_vb_is(&m.vb[0], "1.3.6.1.2.1.1.1"));
	CHECK_INT(m.vb[0].type, 0x05);
	CHECK_INT(m.vb[0].vlen, 0);
	/* too small a buffer: every size below the need fails cleanly */
	for (size_t cap = 0; cap < sizeof(want); cap++)
		CHECK_INT(snmp_encode_get(out, cap, &len, SNMP_V2C, "public", 1, sys3, 1),
			  TM_ELIMIT);
	CHECK_INT(snmp_encode_get(out, sizeof(out), &len, 2, "public", 1, sys3, 1), TM_EINVAL);
	CHECK_INT(snmp_encode_get(out, sizeof(out), &len, 1, "public", 1, sys3, 0), TM_EINVAL);
}

static void test_get_roundtrip(void)
{
	uint8_t out[256];
	size_t len = 0;
	struct snmp_msg m;
	int32_t ids[] = {0, -1, 127, 128, -128, -129, 0x7fffffff, INT32_MIN, 65536};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		CHECK_INT(
		    snmp_encode_get(out, sizeof(out), &len, SNMP_V1, "s3cr3t", ids[i], sys3, 3), 0);
		CHECK_INT(dec(out, len, &m), 0);
		CHECK_INT(m.reqid, ids[i]);
		CHECK_INT(m.version, 0);
		CHECK_STR(m.community, "s3cr3t");
		CHECK_INT(m.nvb, 3);
		CHECK(snmp_vb_is(&m.vb[2], "1.3.6.1.2.1.1.5.0"));
	}
}

/* A response with sysDescr, sysObjectID and sysName, as the emulator builds one. */
static size_t build_response(uint8_t *out, size_t cap, const char *descr)
{
	static uint8_t oidval[64];
	size_t olen = 0, len = 0;
	struct snmp_msg m;

	memset(&m, 0, sizeof(m));
	m.version = SNMP_V2C;
	memcpy(m.community, "public", 7);
	m.pdu = SNMP_PDU_RESPONSE;
	m.reqid = 0x1234567;
	m.nvb = 3;
	CHECK_INT(snmp_oid_encode("1.3.6.1.4.1.2011.2.23.94", oidval, sizeof(oidval), &olen), 0);
	for (int i = 0; i < 3; i++)
		CHECK_INT(snmp_vb_name(&m.vb[i], sys3[i]), 0);
	m.vb[0].type = SNMP_T_OCTETS, m.vb[0].val = (const uint8_t *)descr,
	m.vb[0].vlen = strlen(descr);
	m.vb[1].type = SNMP_T_OID, m.vb[1].val = oidval, m.vb[1].vlen = olen;
	m.vb[2].type = SNMP_T_OCTETS, m.vb[2].val = (const uint8_t *)"core-sw-01",
	m.vb[2].vlen = 10;
	CHECK_INT(snmp_encode_response(out, cap, &len, &m), 0);
	return len;
}

static void test_response(void)
{
	static const char *descr =
	    "Huawei Versatile Routing Platform Software\r\nVRP (R) software, "
	    "Version 5.170 (S5720 V200R011C10SPC500)";
	char big[600], txt[128];
	uint8_t out[1024];
	size_t len = build_response(out, sizeof(out), descr);
	struct snmp_msg m;

	CHECK_INT(snmp_decode(out, len, &m), 0); /* values point into out */
	CHECK_INT(m.pdu, 0xa2);
	CHECK_INT(m.reqid, 0x1234567);
	CHECK_INT(m.nvb, 3);
	CHECK_INT(m.vb[0].type, 0x04);
	CHECK(m.vb[0].vlen == strlen(descr) && !memcmp(m.vb[0].val, descr, m.vb[0].vlen));
	CHECK_INT(m.vb[1].type, 0x06);
	CHECK_INT(snmp_oid_text(m.vb[1].val, m.vb[1].vlen, txt, sizeof(txt)), 0);
	CHECK_STR(txt, "1.3.6.1.4.1.2011.2.23.94");
	CHECK_INT(snmp_oid_text(m.vb[1].val, m.vb[1].vlen, txt, 8), TM_ELIMIT);
	CHECK_STR(txt, "");
	CHECK(m.vb[2].vlen == 10 && !memcmp(m.vb[2].val, "core-sw-01", 10));
	/* every prefix of a valid message is refused, without reading past it */
	for (size_t k = 0; k < len; k++)
		CHECK(dec(out, k, &m) < 0);
	/* long-form lengths (two length octets) round trip */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	len = build_response(out, sizeof(out), big);
	CHECK_INT(out[1], 0x82);
	CHECK_INT(snmp_decode(out, len, &m), 0); /* values point into out */
	CHECK_INT(m.vb[0].vlen, sizeof(big) - 1);
	CHECK(m.vb[0].val == NULL || m.vb[0].val[0] == 'x');
}

static void test_oid_values(void)
{
	static const uint8_t two[] = {0x88, 0x37, 0x03};		    /* 2.999.3 */
	static const uint8_t big[] = {0x2b, 0x8f, 0xff, 0xff, 0xff, 0x7f};  /* 1.3.4294967295 */
	static const uint8_t over[] = {0x2b, 0x90, 0x80, 0x80, 0x80, 0x00}; /* 1.3.2^32 */
	static const uint8_t pad[] = {0x2b, 0x80, 0x01};
	static const uint8_t open[] = {0x2b, 0x86};
	char t[64];
	uint8_t b[16];
	size_t n = 0;

	CHECK_INT(snmp_oid_text(two, sizeof(two), t, sizeof(t)), 0);
	CHECK_STR(t, "2.999.3");
	CHECK_INT(snmp_oid_encode("2.999.3", b, sizeof(b), &n), 0);
	CHECK(n == 3 && !memcmp(b, two, 3));
	CHECK_INT(snmp_oid_text(big, sizeof(big), t, sizeof(t)), 0);
	CHECK_STR(t, "1.3.4294967295");
	CHECK_INT(snmp_oid_text(over, sizeof(over), t, sizeof(t)), TM_EPROTO);
	CHECK_INT(snmp_oid_text(pad, sizeof(pad), t, sizeof(t)), TM_EPROTO);
	CHECK_INT(snmp_oid_text(open, sizeof(open), t, sizeof(t)), TM_EPROTO);
	CHECK_INT(snmp_oid_text(two, 0, t, sizeof(t)), TM_EPROTO);
	CHECK_INT(snmp_oid_encode("3.1", b, sizeof(b), &n), TM_EINVAL);
	CHECK_INT(snmp_oid_encode("1.40", b, sizeof(b), &n), TM_EINVAL);
	CHECK_INT(snmp_oid_encode("1.3.6.1.4.1.2011", b, 3, &n), TM_ELIMIT);
}

/* Builds a message around hand-made varbind-list content. */
static size_t wrap(uint8_t *out, size_t cap, const uint8_t *vbl, size_t vn)
{
	struct ber_w w;
	size_t msg, pdu, list;

	ber_w_init(&w, out, cap);
	msg = ber_begin(&w, BER_SEQ);
	ber_put_int(&w, BER_INT, 1);
	ber_put_tlv(&w, BER_OCTETS, "public", 6);
	pdu = ber_begin(&w, 0xa2);
	ber_put_int(&w, BER_INT, 7);
	ber_put_int(&w, BER_INT, 0);
	ber_put_int(&w, BER_INT, 0);
	list = ber_begin(&w, BER_SEQ);
	ber_put(&w, vbl, vn);
	ber_end(&w, list);
	ber_end(&w, pdu);
	ber_end(&w, msg);
	CHECK_INT(w.err, 0);
	return w.len;
}

static void test_malformed(void)
{
	static const uint8_t vb_ok[] = {0x30, 0x06, 0x06, 0x02, 0x2b, 0x06, 0x05, 0x00};
	static const uint8_t vb_trail[] = {0x30, 0x07, 0x06, 0x02, 0x2b, 0x06, 0x05, 0x00, 0xff};
	static const uint8_t vb_lie[] = {0x30, 0x06, 0x06, 0x09, 0x2b, 0x06, 0x05, 0x00};
	static const uint8_t vb_over[] = {0x30, 0x0a, 0x06, 0x06, 0x2b, 0x90,
					  0x80, 0x80, 0x80, 0x00, 0x05, 0x00};
	static const uint8_t vb_cons[] = {0x30, 0x08, 0x06, 0x02, 0x2b,
					  0x06, 0x30, 0x02, 0x05, 0x00};
	static const uint8_t vb_null[] = {0x30, 0x07, 0x06, 0x02, 0x2b, 0x06, 0x05, 0x01, 0x00};
	static const uint8_t five[] = {0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01};
	static const uint8_t indef[] = {0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00};
	static const uint8_t huge[] = {0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01};
	static const uint8_t v3[] = {0x30, 0x03, 0x02, 0x01, 0x03};
	uint8_t out[2048], many[17 * 8];
	struct snmp_msg m;
	size_t len;

	len = wrap(out, sizeof(out), vb_ok, sizeof(vb_ok));
	CHECK_INT(dec(out, len, &m), 0);
	CHECK_INT(m.nvb, 1);
	CHECK_INT(dec(out, len + 1, &m), TM_EPROTO); /* a byte after the message */
	out[1]++; /* message claims one byte more than there is */
	CHECK_INT(dec(out, len, &m), TM_EPROTO);
	len = wrap(out, sizeof(out), vb_trail, sizeof(vb_trail));
	CHECK_INT(dec(out, len, &m), TM_EPROTO);
	len = wrap(out, sizeof(out), vb_lie, sizeof(vb_lie));
	CHECK_INT(dec(out, len, &m), TM_EPROTO);
	len = wrap(out, sizeof(out), vb_over, sizeof(vb_over));
	CHECK_INT(dec(out, len, &m), TM_EPROTO);
	len = wrap(out, sizeof(out), vb_cons, sizeof(vb_cons));
	CHECK_INT(dec(out, len, &m), TM_EPROTO);
	len = wrap(out, sizeof(out), vb_null, sizeof(vb_null));
	CHECK_INT(dec(out, len, &m), TM_EPROTO);
	for (int i = 0; i < 17; i++)
		memcpy(many + 8 * i, vb_ok, 8);
	len = wrap(out, sizeof(out), many, 16 * 8);
	CHECK_INT(dec(out, len, &m), 0);
	CHECK_INT(m.nvb, 16);
	len = wrap(out, sizeof(out), many, 17 * 8);
	CHECK_INT(dec(out, len, &m), TM_ELIMIT);
	CHECK_INT(dec(five, sizeof(five), &m), TM_EPROTO);
	CHECK_INT(dec(indef, sizeof(indef), &m), TM_EPROTO);
	CHECK_INT(dec(huge, sizeof(huge), &m), TM_EPROTO);
	CHECK_INT(dec(v3, sizeof(v3), &m), TM_EUNSUP);
	CHECK_INT(dec(out, 0, &m), TM_EPROTO);
}

/* 2000 nested SEQUENCEs, each length honest: refused as the wrong shape, no recursion. */
static void test_depth_bomb(void)
{
	enum { D = 2000 };
	uint8_t *out = mem_alloc(D * 6 + 16);
	size_t marks[D];
	struct ber_w w;
	struct snmp_msg m;

	ber_w_init(&w, out, D * 6 + 16);
	for (int i = 0; i < D; i++)
		marks[i] = ber_begin(&w, BER_SEQ);
	ber_put_tlv(&w, BER_NULL, NULL, 0);
	for (int i = D - 1; i >= 0; i--)
		ber_end(&w, marks[i]);
	CHECK_INT(w.err, 0);
	CHECK_INT(out[0], 0x30);
	CHECK_INT(dec(out, w.len, &m), TM_EPROTO);
	mem_free(out);
}

static void test_ber_reader(void)
{
	static const uint8_t b[] = {0x04, 0x81, 0x02, 'h', 'i', 0x1f, 0x01, 0x00};
	struct rd r, body;
	uint8_t tag = 0;
	int32_t v = 0;
	static const uint8_t i5[] = {0x00, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t n2[] = {0xff, 0x7f};

	rd_init(&r, b, sizeof(b));
	CHECK_INT(ber_read(&r, &tag, &body), 0);
	CHECK_INT(tag, 0x04);
	CHECK_INT(body.len, 2);
	CHECK_INT(ber_read(&r, &tag, &body), TM_EPROTO); /* multi-byte tag */
	CHECK(!rd_ok(&r));
	CHECK_INT(ber_int32(i5, 5, &v), TM_EPROTO);
	CHECK_INT(ber_int32(n2, 2, &v), 0);
	CHECK_INT(v, -129);
	CHECK_INT(ber_int32(n2, 0, &v), TM_EPROTO);
}

/* A v1 agent's answer to a GET of an unknown sysName: noSuchName (2) at index 1, by hand from
 * X.690. */
static void test_v1_error_bytes(void)
{
	static const uint8_t want[] = {0x30, 0x29, 0x02, 0x01, 0x00, 0x04, 0x06, 'p',  'u',
				       'b',  'l',  'i',	 'c',  0xa2, 0x1c, 0x02, 0x04, 0x2a,
				       0x5e, 0x00, 0x00, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01,
				       0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01,
				       0x02, 0x01, 0x01, 0x05, 0x00, 0x05, 0x00};
	struct snmp_msg m;
	uint8_t out[64];
	size_t len = 0;

	CHECK_INT(snmp_decode(want, sizeof(want), &m), 0);
	CHECK_INT(m.version, SNMP_V1);
	CHECK_INT(m.pdu, SNMP_PDU_RESPONSE);
	CHECK_INT(m.reqid, 0x2a5e0000);
	CHECK_INT(m.error_status, 2);
	CHECK_INT(m.error_index, 1);
	CHECK_INT(m.nvb, 1);
	CHECK(snmp_vb_is(&m.vb[0], "1.3.6.1.2.1.1.5.0"));
	CHECK_INT(snmp_encode_response(out, sizeof(out), &len, &m), 0);
	CHECK(len == sizeof(want) && !memcmp(out, want, len));
}

int main(void)
{
	test_v1_error_bytes();
	test_get_bytes();
	test_get_roundtrip();
	test_response();
	test_oid_values();
	test_malformed();
	test_depth_bomb();
	test_ber_reader();
	return check_done("test_snmp");
}
