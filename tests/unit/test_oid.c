/* test_oid.c - OID parsing in every spelling, formatting, prefixes and PEN extraction. */
#include "check.h"
#include "core/err.h"
#include "core/oid.h"

#include <stdint.h>

static int parse(const char *s, uint32_t *a)
{
	return oid_parse(s, strlen(s), a, OID_MAX_ARCS);
}

/* Parses s and formats it back; checks the canonical text. */
static void roundtrip(const char *s, int arcs, const char *want)
{
	uint32_t a[OID_MAX_ARCS];
	char out[1024];
	int n = parse(s, a);

	CHECK_INT(n, arcs);
	if (n > 0) {
		CHECK_INT(oid_format(a, n, out, sizeof(out)), 0);
		CHECK_STR(out, want);
	}
}

static void test_spellings(void)
{
	roundtrip("1.3.6.1.4.1.2011.2.23.96", 10, "1.3.6.1.4.1.2011.2.23.96");
	roundtrip(".1.3.6.1.4.1.9.1.1208", 9, "1.3.6.1.4.1.9.1.1208");
	roundtrip("iso.3.6.1.4.1.3902.3", 8, "1.3.6.1.4.1.3902.3");
	roundtrip("SNMPv2-SMI::enterprises.2011.2", 8, "1.3.6.1.4.1.2011.2");
	roundtrip("enterprises.2011", 7, "1.3.6.1.4.1.2011");
	roundtrip("enterprises", 6, "1.3.6.1.4.1");
	roundtrip("SNMPv2-MIB::mib-2.1.2.0", 9, "1.3.6.1.2.1.1.2.0");
	roundtrip("  1.3.6.1.4.1.25506.1.1\r\n", 9, "1.3.6.1.4.1.25506.1.1");
	roundtrip("0", 1, "0");
	roundtrip("2.4294967295", 2, "2.4294967295");
	roundtrip("1.3.0006", 3, "1.3.6");
}

static void test_bad(void)
{
	static const char *bad[] = {
	    "",
	    " ",
	    ".",
	    "..",
	    "1..3",
	    "1.3.",
	    ".1.3.",
	    "1.3.x",
	    "1.3.-6",
	    "1.3.+6",
	    "1. 3",
	    "4294967296",
	    "1.99999999999999999999",
	    "iso.",
	    "isox.3",
	    "foo.1",
	    "::1.3",
	    "1.3::6",
	    "SNMPv2-SMI::",
	    "SNMP v2::1.3",
	    "-A::1",
	    "1,3,6",
	    "enterprises..9",
	    "0x10",
	};
	uint32_t a[OID_MAX_ARCS];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse(bad[i], a);

		if (rc != TM_EPROTO)
			fprintf(stderr, "bad[%zu] \"%s\"\n", i, bad[i]);
		CHECK_INT(rc, TM_EPROTO);
	}
	CHECK_INT(oid_parse("1.3", 3, a, 0), TM_EINVAL);
	CHECK_INT(oid_parse("1.3", 3, a, 2), 2);
	CHECK_INT(oid_parse("1.3.6", 5, a, 2), TM_EPROTO);
	CHECK_INT(oid_parse("enterprises", 11, a, 5), TM_EPROTO);
	/* embedded NUL: the length rules, the NUL is a non-digit */
	CHECK_INT(oid_parse("1.3\0.6", 6, a, 8), TM_EPROTO);
	/* exactly OID_MAX_ARCS arcs parse, one more does not */
	{
		char s[OID_MAX_ARCS * 2 + 4];
		size_t o = 0;

		for (int i = 0; i < OID_MAX_ARCS; i++) {
			s[o++] = '1';
			s[o++] = '.';
		}
		s[o - 1] = 0;
		CHECK_INT(parse(s, a), OID_MAX_ARCS);
		s[o - 1] = '.';
		s[o++] = '1';
		s[o] = 0;
		CHECK_INT(parse(s, a), TM_EPROTO);
	}
}

static void test_format(void)
{
	uint32_t a[] = {1, 3, 6, 1, 4, 1, 4294967295u};
	char out[32];

	CHECK_INT(oid_format(a, 7, out, sizeof(out)), 0);
	CHECK_STR(out, "1.3.6.1.4.1.4294967295");
	CHECK_INT(oid_format(a, 7, out, 23), 0); /* 22 chars + NUL */
	CHECK_INT(oid_format(a, 7, out, 22), TM_ELIMIT);
	CHECK_STR(out, "");
	CHECK_INT(oid_format(a, 0, out, 1), 0);
	CHECK_STR(out, "");
	CHECK_INT(oid_format(a, 1, out, 1), TM_ELIMIT);
	CHECK_INT(oid_format(a, 1, out, 0), TM_ELIMIT);
}

static void test_prefix_pen(void)
{
	uint32_t a[OID_MAX_ARCS], pen = 0;
	static const uint32_t ent[] = {1, 3, 6, 1, 4, 1};
	int n;

	n = parse("1.3.6.1.4.1.2011.2.23.96", a);
	CHECK(oid_has_prefix(a, n, ent, 6));
	CHECK(oid_has_prefix(a, n, ent, 0));
	CHECK(!oid_has_prefix(a, 3, ent, 6));
	CHECK_INT(oid_pen(a, n, &pen), 0);
	CHECK_INT(pen, 2011);
	n = parse("SNMPv2-SMI::enterprises.3902", a);
	CHECK_INT(oid_pen(a, n, &pen), 0);
	CHECK_INT(pen, 3902);
	n = parse("enterprises", a);
	CHECK_INT(oid_pen(a, n, &pen), TM_ENOTFOUND);
	n = parse("1.3.6.1.2.1.1.2.0", a);
	CHECK_INT(oid_pen(a, n, &pen), TM_ENOTFOUND);
	n = parse("1.3.6.1.4.2.9", a);
	CHECK_INT(oid_pen(a, n, &pen), TM_ENOTFOUND);
	CHECK_INT(pen, 3902); /* untouched on failure */
}

int main(void)
{
	test_spellings();
	test_bad();
	test_format();
	test_prefix_pen();
	return check_done("test_oid");
}
