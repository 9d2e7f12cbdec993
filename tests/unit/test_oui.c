/*
 * test_oui.c - the OUI registry: exact answers from Debian 12's ieee-data
 * (2022-08-27) and Wireshark 4.0's manuf (IEEE data of 2024-08-25), longest
 * prefix, the newer source winning, address flags, and hand-made hostile
 * CSV and manuf input (skipped and counted, never fatal while something
 * parses), plus allocation failures at every step.
 */
#include "check.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "kb/oui.h"

#include <stdlib.h>
#include <unistd.h>
#include <time.h>

static const char *ieee_dir(void)
{
	const char *d = getenv("TM_DATA_IEEE");

	return d ? d : "/usr/share/ieee-data";
}

static const char *manuf_path(void)
{
	const char *d = getenv("TM_DATA_MANUF");

	return d ? d : "/usr/share/wireshark/manuf";
}

/* Looks up mac (text); checks org, registry, bits and prefix.  org NULL: expects a miss. */
static void expect(const struct oui_db *db, const char *mac, const char *org, const char *reg,
		   int bits, const char *prefix)
{
	struct oui_hit h;
	uint8_t m[6];
	int rc;

	CHECK(str_to_mac(mac, strlen(mac), m));
	rc = oui_lookup(db, m, &h, NULL);
	if (rc != (org != NULL))
		fprintf(stderr, "  looking up %s: %s\n", mac, rc ? h.org : "not found");
	CHECK_INT(rc, org != NULL);
	if (!org || rc != 1)
		return;
	CHECK_STR(h.org, org);
	CHECK_STR(h.registry, reg);
	CHECK_INT(h.bits, bits);
	CHECK_STR(h.prefix, prefix);
}

static void test_ieee_only(void)
{
	struct oui_db *db;
	char eb[TM_ERRLEN];

	CHECK_INT(oui_load(&db, ieee_dir(), NULL, eb, sizeof(eb)), 0);
	if (!db)
		return;
	CHECK_INT(oui_count(db), 46521); /* 32527 MA-L + 4390 MA-M + 5029 MA-S + 4575 IAB */
	CHECK_INT(oui_skipped(db), 0);
	/* .lastupdate: 2022-08-27 20:08:57 UTC */
	CHECK_INT(oui_time(db, OUI_SRC_IEEE), 1661630937);
	expect(db, "00:e0:fc:12:34:56", "HUAWEI TECHNOLOGIES CO.,LTD", "MA-L", 24, "00E0FC");
	expect(db, "00-19-C6-00-00-01", "zte corporation", "MA-L", 24, "0019C6");
	/* a /36 MA-S inside 70:B3:D5, which oui.csv gives to the IEEE Registration Authority */
	expect(db, "70:b3:d5:f2:f1:23", "TELEPLATFORMS", "MA-S", 36, "70B3D5F2F");
	/* the one /36 of 70:B3:D5 nobody holds falls back to the /24 */
	expect(db, "70:b3:d5:00:01:02", "IEEE Registration Authority", "MA-L", 24, "70B3D5");
	/* a /28 MA-M inside 20:85:93 (IEEE RA), and that block's unassigned last /28 */
	expect(db, "20:85:93:b0:00:01", "IOG Products LLC", "MA-M", 28, "208593B");
	expect(db, "20:85:93:f0:00:01", "IEEE Registration Authority", "MA-L", 24, "208593");
	/* an IAB, and a quoted name with a comma */
	expect(db, "00:50:c2:7d:50:00", "DEUTA-WERKE GmbH", "IAB", 36, "0050C27D5");
	expect(db, "00:0c:29:aa:bb:cc", "VMware, Inc.", "MA-L", 24, "000C29");
	/* listed three times in oui.csv: the first stays */
	expect(db, "08:00:30:00:00:00", "NETWORK RESEARCH CORPORATION", "MA-L", 24, "080030");
	/* only in the 2024 manuf, so unknown here */
	expect(db, "00:2b:70:00:00:00", NULL, NULL, 0, NULL);
	oui_free(db);
}

static void test_merged(void)
{
	struct oui_db *db;
	char eb[TM_ERRLEN];
	struct oui_hit h;
	unsigned fl = 99;
	/* 02:C0:8C is 3COM's, but the U/L bit is set */
	static const uint8_t local[6] = {0x02, 0xc0, 0x8c, 0, 0, 1};
	static const uint8_t v6mc[6] = {0x33, 0x33, 0, 0, 0, 1};
	static const uint8_t cdp[6] = {0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc};
	static const uint8_t pn[6] = {0x01, 0x0e, 0xcf, 0, 0, 0};
	static const uint8_t hw[6] = {0x00, 0xe0, 0xfc, 1, 2, 3};

	CHECK_INT(oui_load(&db, ieee_dir(), manuf_path(), eb, sizeof(eb)), 0);
	if (!db)
		return;
	CHECK_INT(oui_count(db), 52418);
	CHECK_INT(oui_skipped(db), 0);
	CHECK_INT(oui_time(db, OUI_SRC_MANUF), 1724572879); /* Sun, 25 Aug 2024 08:01:19 GMT */
	/* manuf is newer: it wins where both have the prefix */
	expect(db, "00:e0:fc:12:34:56", "Huawei Technologies Co.,Ltd", "manuf", 24, "00E0FC");
	expect(db, "70:b3:d5:f2:f1:23", "Teleplatforms", "manuf", 36, "70B3D5F2F");
	expect(db, "00:1b:c5:00:00:01", "Converging Systems Inc.", "manuf", 36, "001BC5000");
	expect(db, "00:2b:70:00:00:00", "Samsung Electronics Co.,Ltd", "manuf", 24, "002B70");
	/* only in ieee-data 2022 */
	expect(db, "7c:8a:c0:00:00:00", "EVBox BV", "MA-L", 24, "7C8AC0");
	/* a manuf line with no long name keeps the short one */
	expect(db, "00:00:13:00:00:00", "Camex", "manuf", 24, "000013");
	/* /28s whose /24 nobody registered, and the one /28 of that block not assigned */
	expect(db, "1c:87:74:60:00:00", "Schawbel Technologies LLC", "manuf", 28, "1C87746");
	expect(db, "1c:87:74:f0:00:00", NULL, NULL, 0, NULL);
	/* the tie goes to the registry itself */
	oui_set_time(db, OUI_SRC_MANUF, oui_time(db, OUI_SRC_IEEE));
	expect(db, "00:e0:fc:12:34:56", "HUAWEI TECHNOLOGIES CO.,LTD", "MA-L", 24, "00E0FC");
	expect(db, "70:b3:d5:f2:f1:23", "TELEPLATFORMS", "MA-S", 36, "70B3D5F2F");
	oui_set_time(db, OUI_SRC_MANUF, 1724572879);

	CHECK_INT(oui_lookup(db, local, &h, &fl), 0);
	CHECK_INT(fl, OUI_LOCAL);
	CHECK_INT(oui_lookup(db, v6mc, &h, &fl), 0);
	CHECK_INT(fl, OUI_LOCAL | OUI_MULTICAST);
	CHECK_INT(oui_lookup(db, cdp, &h, &fl), 1);
	CHECK_INT(fl, OUI_MULTICAST);
	CHECK_STR(h.org, "Cisco Systems, Inc");
	CHECK_STR(h.prefix, "00000C");
	CHECK_INT(oui_lookup(db, pn, &h, &fl), 1);
	CHECK_STR(h.org, "PROFINET Multicast");
	CHECK_STR(h.prefix, "010ECF");
	CHECK_INT(oui_lookup(db, hw, &h, &fl), 1);
	CHECK_INT(fl, 0);
	CHECK_INT(oui_lookup(db, hw, &h, NULL), 1);
	CHECK_INT(oui_lookup(NULL, hw, &h, &fl), 0);
	oui_free(db);
}

/* Parses CSV text into a fresh db; returns the rc, keeps db and eb for checks. */
static int csv(struct oui_db **db, const char *text, size_t len, char *eb)
{
	if (oui_new(db))
		return TM_ENOMEM;
	return oui_parse_ieee_csv(*db, "t.csv", text, len, eb, TM_ERRLEN);
}

static void test_csv_malformed(void)
{
	static const char text[] =
	    "Registry,Assignment,Organization Name,Organization Address\r\n"
	    "MA-L,00E0FC,\"HUAWEI TECHNOLOGIES CO.,LTD\",\"KEFA ROAD\r\nSHENZHEN \"\r\n" /* 2-3 */
	    "MA-L,AABBCC,\"Broken,addr\r\n"		       /* 4: unterminated */
	    "MA-X,001122,Foo,addr\r\n"			       /* 5 */
	    "MA-L,00112,Foo,addr\r\n"			       /* 6 */
	    "MA-L,00112G,Foo,addr\r\n"			       /* 7 */
	    "MA-L,001122,Foo\r\n"			       /* 8: 3 fields */
	    "MA-L,001122,Foo, Inc.,addr\r\n"		       /* 9: 5 fields */
	    "MA-L,001122,\"Foo\"x,addr\r\n"		       /* 10 */
	    "MA-L,001122,   ,addr\r\n"			       /* 11: empty org */
	    "\r\n"					       /* 12: blank */
	    "MA-L,001122,\"Foo \"\"Bar\"\", Inc.\"  ,addr\r\n" /* 13: good */
	    "MA-M,0011227,  Spaced Out  ,\r\n"		       /* 14: good */
	    "MA-S,00112233F,Nine,x\n"			       /* 15: good, LF */
	    "MA-L,00E0FC,Second,dup\n"			       /* 16: dup */
	    "MA-L,304455,Last,no newline";		       /* 17: good */
	struct oui_db *db;
	char eb[TM_ERRLEN];

	CHECK_INT(csv(&db, text, sizeof(text) - 1, eb), 0);
	CHECK_INT(oui_count(db), 5);
	CHECK_INT(oui_skipped(db), 8);
	CHECK_STR(eb, "t.csv:4: unterminated quote");
	expect(db, "00:e0:fc:00:00:00", "HUAWEI TECHNOLOGIES CO.,LTD", "MA-L", 24, "00E0FC");
	expect(db, "00:11:22:00:00:00", "Foo \"Bar\", Inc.", "MA-L", 24, "001122");
	expect(db, "00:11:22:70:00:00", "Spaced Out", "MA-M", 28, "0011227");
	expect(db, "00:11:22:33:F0:00", "Nine", "MA-S", 36, "00112233F");
	expect(db, "30:44:55:00:00:00", "Last", "MA-L", 24, "304455");
	expect(db, "aa:bb:cc:00:00:00", NULL, NULL, 0, NULL);
	oui_free(db);

	/* line numbers count the lines inside quoted fields */
	CHECK_INT(csv(&db, "MA-L,000001,A,\"x\ny\nz\"\nMA-L,000002,B\n", 35, eb), 0);
	CHECK_STR(eb, "t.csv:4: not 4 fields");
	oui_free(db);
}

static void test_csv_hostile(void)
{
	struct oui_db *db;
	char eb[TM_ERRLEN];
	size_t big = 1 << 20;
	char *t = malloc(big + 64);
	static const char bin[] =
	    "MA-L,001122,Fo\0o,addr\nMA-L,001123,\x01\x02\xff,x\n\xff\xfe\0\0,,,\n";
	size_t n;

	/* a 1 MB line between two good ones */
	memcpy(t, "MA-L,000001,A,a\n", 16);
	memset(t + 16, 'x', big);
	memcpy(t + 16 + big, "\nMA-L,000002,B,b\n", 17);
	CHECK_INT(csv(&db, t, 16 + big + 17, eb), 0);
	CHECK_INT(oui_count(db), 2);
	CHECK_INT(oui_skipped(db), 1);
	CHECK_STR(eb, "t.csv:2: record too long");
	oui_free(db);

	/* a quote opened on a long line of quotes, then a good record */
	n = (size_t)snprintf(t, 64, "MA-L,000001,\"");
	memset(t + n, '"', 9000);
	memcpy(t + n + 9000, "\nMA-L,000002,B,b\n", 17);
	CHECK_INT(csv(&db, t, n + 9000 + 17, eb), 0);
	CHECK_INT(oui_count(db), 1);
	CHECK_INT(oui_skipped(db), 1);
	oui_free(db);

	/* a quoted field over more than 8 lines */
	CHECK_INT(csv(&db, "MA-L,000001,A,\"\n\n\n\n\n\n\n\n\n\"\nMA-L,000002,B,b\n", 41, eb), 0);
	CHECK_INT(oui_count(db), 1);
	CHECK_STR(eb, "t.csv:1: quoted field spans too many lines");
	oui_free(db);

	/* binary: NUL and control bytes never reach the names */
	CHECK_INT(csv(&db, bin, sizeof(bin) - 1, eb), TM_EPROTO);
	CHECK_INT(oui_count(db), 0);
	CHECK_INT(oui_skipped(db), 3);
	CHECK_STR(eb, "t.csv:1: control byte in organisation");
	oui_free(db);

	/* nothing parses */
	CHECK_INT(csv(&db, "", 0, eb), TM_EPROTO);
	CHECK_STR(eb, "t.csv: no registrations");
	oui_free(db);
	CHECK_INT(csv(&db, "Registry,Assignment,Organization Name,Organization Address\n", 60, eb),
		  TM_EPROTO);
	oui_free(db);
	free(t);
}

static void test_manuf(void)
{
	static const char text[] = "# header\n"
				   "#   Last-Modified: Sun, 25 Aug 2024 08:01:19 GMT\n"
				   "#   Last-Modified: Mon, 02 Sep 2024 10:00:00 GMT\n"
				   "#   Last-Modified: garbage\n"
				   "00:E0:FC\tHuaweiTe\tHuawei Technologies Co.,Ltd\n" /* 5 */
				   "00-19-C6 zte\tzte corporation\t# a comment\n"      /* 6 */
				   "00.00.13\tCamex\n"				       /* 7 */
				   "70:B3:D5:F2:F0:00/36\tTelePlat\t Teleplatforms \n" /* 8 */
				   "74:1A:E0:90:00:00/28\tAbc\tAbc GmbH\n"    /* 9: no /24 */
				   "00:E0\tShort\tShort Prefix\n"	      /* 10 */
				   "00:E0:FC:00:00:00/20\tWide\tWide Block\n" /* 11 */
				   "00:E0:FC:00:00:00/49\tBad\tBad Mask\n"    /* 12 */
				   "ZZ:E0:FC\tBad\tBad Hex\n"		      /* 13 */
				   "00:11:22\t\t\n"			      /* 14: no name */
				   "00:11:23\n"				      /* 15: no name */
				   "   \t # only a comment\n"		      /* 16 */
				   "\n"					      /* 17 */
				   "00:11:24\tOk\tOk #1\n" /* 18: '#' ends the name */
				   "00:E0:FC\tDup\tDup\n"; /* 19 */
	struct oui_db *db;
	char eb[TM_ERRLEN];

	CHECK_INT(oui_new(&db), 0);
	CHECK_INT(oui_parse_manuf(db, "m", text, sizeof(text) - 1, eb, sizeof(eb)), 0);
	CHECK_INT(oui_count(db), 6);
	CHECK_INT(oui_skipped(db), 6);
	CHECK_STR(eb, "m:10: bad address");
	CHECK_INT(oui_time(db, OUI_SRC_MANUF), 1725271200); /* 2024-09-02 10:00:00 UTC */
	expect(db, "00:e0:fc:00:00:01", "Huawei Technologies Co.,Ltd", "manuf", 24, "00E0FC");
	expect(db, "00:19:c6:00:00:01", "zte corporation", "manuf", 24, "0019C6");
	expect(db, "00:00:13:00:00:01", "Camex", "manuf", 24, "000013");
	expect(db, "70:b3:d5:f2:ff:ff", "Teleplatforms", "manuf", 36, "70B3D5F2F");
	expect(db, "70:b3:d5:f3:00:00", NULL, NULL, 0, NULL);
	expect(db, "74:1a:e0:9f:ff:ff", "Abc GmbH", "manuf", 28, "741AE09");
	expect(db, "74:1a:e0:a0:00:00", NULL, NULL, 0, NULL);
	expect(db, "00:11:24:00:00:00", "Ok", "manuf", 24, "001124");

	/* an older date does not replace a newer one */
	{
		const char *t =
		    "# Last-Modified: Sun, 25 Aug 2024 08:01:19 GMT\n00:00:01\tX\tXerox\n";

		CHECK_INT(oui_parse_manuf(db, "m2", t, strlen(t), eb, sizeof(eb)), 0);
	}
	CHECK_INT(oui_time(db, OUI_SRC_MANUF), 1725271200);
	CHECK_STR(eb, "");

	/* a manuf line of more than OUI_REC_MAX bytes */
	{
		char *t = malloc(OUI_REC_MAX + 40);

		memcpy(t, "00:00:02\t", 9);
		memset(t + 9, 'x', OUI_REC_MAX);
		memcpy(t + 9 + OUI_REC_MAX, "\n00:00:03\tY\tYes\n", 16);
		CHECK_INT(oui_parse_manuf(db, "m3", t, 25 + OUI_REC_MAX, eb, sizeof(eb)), 0);
		CHECK_STR(eb, "m3:1: line too long");
		expect(db, "00:00:03:00:00:00", "Yes", "manuf", 24, "000003");
		free(t);
	}
	oui_free(db);
}

/* Same prefix from both sources: the later date wins, a tie goes to IEEE, either order of parsing.
 */
static void test_conflict(void)
{
	static const char c[] = "MA-L,00E0FC,HUAWEI TECHNOLOGIES CO.,x\n";
	static const char m[] =
	    "00:E0:FC\tHuawei\tHuawei Technologies\n00:E0:FD\tOther\tOnly Manuf\n";
	struct oui_db *db;
	char eb[TM_ERRLEN];

	for (int order = 0; order < 2; order++) {
		CHECK_INT(oui_new(&db), 0);
		for (int i = 0; i < 2; i++) {
			int rc = i == order
				     ? oui_parse_ieee_csv(db, "c", c, sizeof(c) - 1, eb, sizeof(eb))
				     : oui_parse_manuf(db, "m", m, sizeof(m) - 1, eb, sizeof(eb));

			CHECK_INT(rc, 0);
		}
		CHECK_INT(oui_count(db), 2);
		expect(db, "00:e0:fc:00:00:00", "HUAWEI TECHNOLOGIES CO.", "MA-L", 24, "00E0FC");
		oui_set_time(db, OUI_SRC_MANUF, 2000);
		oui_set_time(db, OUI_SRC_IEEE, 1000);
		expect(db, "00:e0:fc:00:00:00", "Huawei Technologies", "manuf", 24, "00E0FC");
		oui_set_time(db, OUI_SRC_IEEE, 3000);
		expect(db, "00:e0:fc:00:00:00", "HUAWEI TECHNOLOGIES CO.", "MA-L", 24, "00E0FC");
		expect(db, "00:e0:fd:00:00:00", "Only Manuf", "manuf", 24, "00E0FD");
		oui_free(db);
	}
}

/* Every allocation made to fail in turn: an error or a full result, never a crash or a leak. */
static void test_nomem(void)
{
	static const char c[] = "MA-L,00E0FC,A,x\nMA-M,00E0FC1,B,x\nMA-S,00E0FC22F,C,x\n";
	static const char m[] = "00:E0:FD\tD\tD\n70:B3:D5:F2:F0:00/36\tE\tE\n";
	char eb[TM_ERRLEN];
	int fails = 0, ok = 0;

	for (unsigned long k = 1; k < 64; k++) {
		struct oui_db *db = NULL;
		int rc;

		mem_fail_at(k);
		rc = oui_new(&db);
		if (rc == 0)
			rc = oui_parse_ieee_csv(db, "c", c, sizeof(c) - 1, eb, sizeof(eb));
		if (rc == 0)
			rc = oui_parse_manuf(db, "m", m, sizeof(m) - 1, eb, sizeof(eb));
		mem_fail_at(0);
		if (rc == 0) {
			ok++;
			CHECK_INT(oui_count(db), 5);
		} else {
			fails++;
			CHECK_INT(rc, TM_ENOMEM);
		}
		oui_free(db);
	}
	CHECK(fails > 3);
	CHECK(ok > 0);
}

/* Writes n bytes to dir/name. */
static void put(const char *dir, const char *name, const char *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(fwrite(p, 1, n, f), n);
		fclose(f);
	}
}

/*
 * Builds ~1.3 MB of CSV and of manuf with records, multi-line quotes, bad
 * lines and a 600 kB line falling across oui_load's 256 KiB windows;
 * oui_load (streaming) must agree with the whole-text parsers.
 */
static void test_stream(void)
{
	struct buf c, m;
	char dir[] = "/tmp/test_oui.XXXXXX", eb[TM_ERRLEN], path[600];
	struct oui_db *whole, *db;

	buf_init(&c, 0);
	buf_init(&m, 0);
	buf_adds(&c, "Registry,Assignment,Organization Name,Organization Address\r\n");
	buf_adds(&m, "# Last-Modified: Sun, 25 Aug 2024 08:01:19 GMT\n");
	for (unsigned i = 0; i < 20000; i++) {
		buf_printf(&c, "MA-L,%06X,\"Org %u, Inc.\",\"Street %u\r\nTown\"\r\n", i * 7,
			   i % 1000, i);
		buf_printf(&m, "%02X:%02X:%02X:%X0:00:00/28\tS%u\tOrg %u\n", (i >> 12) & 255,
			   (i >> 4) & 255, 0x40, i & 15, i, i % 3000);
		if (i % 997 == 0) {
			buf_printf(&c, "MA-L,%06X,\"unterminated\r\n", i);
			buf_printf(&m, "zz:%u\tbad\n", i);
		}
		if (i == 9000) {
			for (int k = 0; k < 600000; k++) {
				buf_addc(&c, k % 50 ? 'x' : '"');
				buf_addc(&m, 'y');
			}
			buf_adds(&c, "\r\n");
			buf_adds(&m, "\n");
		}
	}
	CHECK(mkdtemp(dir) != NULL);
	put(dir, "oui.csv", c.p, c.len);
	put(dir, "manuf", m.p, m.len);
	snprintf(path, sizeof(path), "%s/manuf", dir);

	CHECK_INT(oui_new(&whole), 0);
	CHECK_INT(oui_parse_ieee_csv(whole, "x", c.p, c.len, eb, sizeof(eb)), 0);
	CHECK_INT(oui_parse_manuf(whole, "x", m.p, m.len, eb, sizeof(eb)), 0);
	CHECK_INT(oui_load(&db, dir, path, eb, sizeof(eb)), 0);
	if (db) {
		CHECK_INT(oui_count(db), oui_count(whole));
		CHECK_INT(oui_count(db), 40000);
		CHECK_INT(oui_skipped(db), oui_skipped(whole));
		CHECK_INT(oui_skipped(db), 2 * 21 + 2);
		CHECK_INT(oui_time(db, OUI_SRC_MANUF), 1724572879);
		expect(db, "00:1b:58:00:00:00", "Org 0, Inc.", "MA-L", 24, "001B58"); /* i = 1000 */
		expect(db, "00:00:40:50:00:00", "Org 5", "manuf", 28, "0000405");     /* i = 5 */
		expect(db, "04:e1:40:f0:00:00", "Org 1999", "manuf", 28, "04E140F"); /* i = 19999 */
		oui_free(db);
	}
	oui_free(whole);
	snprintf(path, sizeof(path), "%s/oui.csv", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/manuf", dir);
	remove(path);
	rmdir(dir);
	buf_fini(&c);
	buf_fini(&m);
}

/* oui_load with missing sources: skipped, and an error only when nothing at all loaded. */
static void test_load_missing(void)
{
	struct oui_db *db = (struct oui_db *)1;
	char eb[TM_ERRLEN];

	CHECK_INT(oui_load(&db, "/nonexistent", "/nonexistent/manuf", eb, sizeof(eb)),
		  TM_ENOTFOUND);
	CHECK(db == NULL);
	CHECK_STR(eb, "no OUI registrations in /nonexistent or /nonexistent/manuf");
	CHECK_INT(oui_load(&db, NULL, NULL, eb, sizeof(eb)), 0);
	CHECK_INT(oui_count(db), 0);
	oui_free(db);
	CHECK_INT(oui_load(&db, "/nonexistent", manuf_path(), eb, sizeof(eb)), 0);
	CHECK_INT(oui_count(db), 52417);
	CHECK_INT(oui_time(db, OUI_SRC_IEEE), 0);
	oui_free(db);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Not asserted (sanitizer builds are slow): prints load and lookup times for the report. */
static void bench(void)
{
	struct oui_db *db;
	char eb[TM_ERRLEN];
	struct oui_hit h;
	double t0, t1, t2;
	uint64_t x = 88172645463325252ull;
	unsigned long found = 0, n = 1000000;

	t0 = now();
	if (oui_load(&db, ieee_dir(), manuf_path(), eb, sizeof(eb)))
		return;
	t1 = now();
	for (unsigned long i = 0; i < n; i++) {
		uint8_t m[6];

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		for (int j = 0; j < 6; j++)
			m[j] = (uint8_t)(x >> (8 * j));
		m[0] &= 0xfc;
		if (i & 1) /* half the lookups on registered /24s, some subdivided */
			m[0] = 0x70, m[1] = 0xb3, m[2] = (i & 2) ? 0xd5 : 0x0e;
		found += (unsigned long)oui_lookup(db, m, &h, NULL);
	}
	t2 = now();
	printf("test_oui: load %.1f ms (%zu prefixes), lookup %.1f ns (%lu of %lu found)\n",
	       (t1 - t0) * 1e3, oui_count(db), (t2 - t1) * 1e9 / n, found, n);
	oui_free(db);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	test_ieee_only();
	test_merged();
	test_csv_malformed();
	test_csv_hostile();
	test_manuf();
	test_conflict();
	test_nomem();
	test_stream();
	test_load_missing();
	bench();
	return check_done("test_oui");
}
