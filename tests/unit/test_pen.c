/*
 * test_pen.c - SNMP private enterprise numbers: exact names from the
 * enterprises.tsv of Debian 12's libwireshark-data (IANA, 2024-08-23), the
 * look-alike names the vendor mapping must not be fooled by, hand-made
 * malformed lines, and allocation failures.
 */
#include "check.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "kb/pen.h"

#include <stdlib.h>
#include <time.h>

static const char *pen_path(void)
{
	const char *p = getenv("TM_DATA_PEN");

	return p ? p : "/usr/share/wireshark/enterprises.tsv";
}

/* The numbers whose name holds needle (ASCII case-insensitive), printed; how many, up to max. */
static int having(const struct pen_db *db, const char *needle, uint32_t *out, int max)
{
	int k = 0;

	printf("  PEN names holding \"%s\":", needle);
	for (uint32_t n = 0; n < PEN_MAX; n++) {
		const char *s = pen_org(db, n);

		if (s && str_casefind(s, strlen(s), needle)) {
			if (k < max)
				out[k] = n;
			k++;
			printf(" %u \"%s\";", n, s);
		}
	}
	printf("\n");
	return k;
}

static void check_set(const struct pen_db *db, const char *needle, const uint32_t *want, int n)
{
	uint32_t got[64];
	int k = having(db, needle, got, 64);

	CHECK_INT(k, n);
	for (int i = 0; i < n && i < k; i++)
		CHECK_INT(got[i], want[i]);
}

static void test_real(void)
{
	static const uint32_t huawei[] = {2011, 34774};
	static const uint32_t zhongxing[] = {3902, 29279, 61728};
	static const uint32_t h3c[] = {25506, 61878};
	static const uint32_t hytera[] = {40297, 46055, 58597};
	struct pen_db *db;
	char eb[TM_ERRLEN];
	uint32_t zte[64];

	CHECK_INT(pen_load(&db, pen_path(), eb, sizeof(eb)), 0);
	if (!db)
		return;
	CHECK_INT(pen_count(db), 62240);
	CHECK_INT(pen_skipped(db), 0);
	CHECK_STR(pen_org(db, 0), "Reserved");
	CHECK_STR(pen_org(db, 9), "ciscoSystems");
	CHECK_STR(pen_org(db, 311), "Microsoft");
	CHECK_STR(pen_org(db, 2011), "HUAWEI Technology Co.,Ltd");
	CHECK_STR(pen_org(db, 2636), "Juniper Networks, Inc.");
	CHECK_STR(pen_org(db, 3902), "Zhongxing Telecom Co.,ltd. (abbr. ZTE)");
	CHECK_STR(pen_org(db, 8072), "net-snmp");
	CHECK_STR(pen_org(db, 25506), "H3C");
	CHECK_STR(pen_org(db, 37496), "ZHEJIANG DAHUA TECHNOLOGY CO.,LTD");
	CHECK_STR(pen_org(db, 39165), "Hikvision Digital Technology Co., Ltd.");
	CHECK_STR(pen_org(db, 2), "IBM (https://w3.ibm.com/standards )");
	CHECK_STR(pen_org(db, 78), "LogMatrix Inc"); /* "\t# formerly ..." dropped */
	CHECK_STR(pen_org(db, 8606), "Vancouver School District # 37"); /* '#' inside kept */
	CHECK_STR(pen_org(db, 9230), "#B4mad Research Lab Organization");
	CHECK_STR(pen_org(db, 61728), "\xe6\x9d\xad\xe5\xb7\x9e\xe4\xbc\x97\xe5\x85\xb4\xe6\x85\xa7"
				      "\xe6\x99\xba\xe8\x83\xbd\xe7\xa7\x91\xe6\x8a\x80\xe6\x9c\x89"
				      "\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8 (Hangzhou Zhongxinghui "
				      "Intelligent Technology Co., Ltd.)");
	CHECK_STR(pen_org(db, 62331), "Watermark Auto Group");
	CHECK(pen_org(db, 62332) == NULL);
	CHECK(pen_org(db, 4000000000u) == NULL);
	CHECK(pen_org(NULL, 9) == NULL);

	/* look-alikes: names a careless substring mapping would give to the wrong vendor */
	check_set(db, "huawei", huawei, 2);
	check_set(db, "zhongxing", zhongxing, 3);
	check_set(db, "h3c", h3c, 2);
	check_set(db, "hytera", hytera, 3);
	/* "zte" is inside Aztec, Ärztekammer, ztevision, ...: 29 names, one of them ZTE's */
	CHECK_INT(having(db, "zte", zte, 64), 29);
	pen_free(db);
}

static void test_malformed(void)
{
	static const char text[] = "# comment\n"			/* 1 */
				   "\n"					/* 2 */
				   "9\tciscoSystems\n"			/* 3 */
				   "abc x\n"				/* 4 */
				   "123\n"				/* 5 */
				   "123abc name\n"			/* 6 */
				   "99999999999999999999999 big\n"	/* 7 */
				   "1048576 too big\n"			/* 8 */
				   "5\tname\x01\n"			/* 9 */
				   "7 \t  spaced name  \t# comment\r\n" /* 10 */
				   "8\tfirst\n"				/* 11 */
				   "8\tsecond\n"			/* 12 */
				   "1048575\tlast one\n"		/* 13 */
				   "0009\tnine again\n"			/* 14 */
				   "10\t\t#hash name\t# comment\n"	/* 15 */
				   "  11  Leading blanks\n"		/* 16 */
				   "12\tNUL\0inside\n";			/* 17 */
	struct pen_db *db;
	char eb[TM_ERRLEN], *big;

	CHECK_INT(pen_new(&db), 0);
	CHECK_INT(pen_parse(db, "t.tsv", text, sizeof(text) - 1, eb, sizeof(eb)), 0);
	CHECK_INT(pen_count(db), 6);
	CHECK_INT(pen_skipped(db), 7);
	CHECK_STR(eb, "t.tsv:4: no enterprise number");
	CHECK_STR(pen_org(db, 9), "ciscoSystems");
	CHECK_STR(pen_org(db, 7), "spaced name");
	CHECK_STR(pen_org(db, 8), "first");
	CHECK_STR(pen_org(db, 1048575), "last one");
	CHECK_STR(pen_org(db, 11), "Leading blanks");
	CHECK_STR(pen_org(db, 10), "#hash name");
	CHECK(pen_org(db, 5) == NULL);
	CHECK(pen_org(db, 12) == NULL);
	CHECK(pen_org(db, 123) == NULL);
	CHECK(pen_org(db, 1048576) == NULL);

	/* a line over PEN_LINE_MAX between two good ones */
	big = malloc(PEN_LINE_MAX + 64);
	memcpy(big, "1 a\n2 ", 6);
	memset(big + 6, 'x', PEN_LINE_MAX);
	memcpy(big + 6 + PEN_LINE_MAX, "\n3 c\n", 5);
	CHECK_INT(pen_parse(db, "big", big, PEN_LINE_MAX + 11, eb, sizeof(eb)), 0);
	CHECK_STR(eb, "big:2: line too long");
	CHECK_STR(pen_org(db, 3), "c");
	CHECK(pen_org(db, 2) == NULL);
	free(big);
	pen_free(db);

	/* nothing parses */
	CHECK_INT(pen_new(&db), 0);
	CHECK_INT(pen_parse(db, "e", "# only\n\n", 8, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "e: no enterprise numbers");
	CHECK_INT(pen_parse(db, "f", "x y\n", 4, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "f:1: no enterprise number");
	pen_free(db);

	CHECK_INT(pen_load(&db, "/nonexistent/enterprises.tsv", eb, sizeof(eb)), TM_ENOTFOUND);
	CHECK(db == NULL);
}

static void test_nomem(void)
{
	static const char text[] = "1 a\n2000 b\n70000 c\n";
	char eb[TM_ERRLEN];
	int fails = 0, ok = 0;

	for (unsigned long k = 1; k < 32; k++) {
		struct pen_db *db = NULL;
		int rc;

		mem_fail_at(k);
		rc = pen_new(&db);
		if (rc == 0)
			rc = pen_parse(db, "t", text, sizeof(text) - 1, eb, sizeof(eb));
		mem_fail_at(0);
		if (rc == 0) {
			ok++;
			CHECK_INT(pen_count(db), 3);
			CHECK_STR(pen_org(db, 70000), "c");
		} else {
			fails++;
			CHECK_INT(rc, TM_ENOMEM);
		}
		pen_free(db);
	}
	CHECK(fails >= 3);
	CHECK(ok > 0);
}

/*
 * The table is sized by the names kept, not by the numbers they name: one
 * line naming the largest number kept, lines naming spread-out numbers, and
 * numbers alike in their low bits (all in the hash) are all still found.
 */
static int count_one(uint32_t n, const char *name, void *ctx)
{
	(void)name;
	((size_t *)ctx)[0]++;
	((size_t *)ctx)[1] += n;
	return 0;
}

static void test_sparse(void)
{
	size_t each[2];
	struct pen_db *db;
	char eb[TM_ERRLEN], *text = malloc(1000 * 24);
	size_t n = 0;

	CHECK_INT(pen_new(&db), 0);
	CHECK_INT(pen_parse(db, "one", "1048575 last\n", 13, eb, sizeof(eb)), 0);
	CHECK_STR(pen_org(db, 1048575), "last");
	CHECK(pen_org(db, 1048574) == NULL);
	CHECK_INT(pen_count(db), 1);
	CHECK(pen_bytes(db) <= 16384); /* a direct table to it would be 8 MiB */
	CHECK_INT(pen_parse(db, "huge", "4000000000 too big\n", 19, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "huge:1: enterprise number too large");
	CHECK(pen_org(db, 4000000000u) == NULL);
	/* a dense run below it still goes to the direct table, and the sparse name stays */
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(text + n, 24, "%d n%d\n", i, i);
	CHECK_INT(pen_parse(db, "dense", text, n, eb, sizeof(eb)), 0);
	CHECK_STR(pen_org(db, 999), "n999");
	CHECK_STR(pen_org(db, 1048575), "last");
	CHECK_INT(pen_count(db), 1001);
	CHECK(pen_bytes(db) <= 16384);
	pen_free(db);

	/* 1000 multiples of 1024 up to ~1M: none dense */
	n = 0;
	for (int i = 1; i <= 1000; i++)
		n += (size_t)snprintf(text + n, 24, "%d m%d\n", i * 1024 + 1023, i);
	CHECK_INT(pen_new(&db), 0);
	CHECK_INT(pen_parse(db, "spread", text, n, eb, sizeof(eb)), 0);
	CHECK_INT(pen_count(db), 1000);
	CHECK_STR(pen_org(db, 1024 + 1023), "m1");
	CHECK_STR(pen_org(db, 1000 * 1024 + 1023), "m1000");
	CHECK(pen_org(db, 1024) == NULL);
	CHECK(pen_bytes(db) <= 1000 * 64); /* the direct table would be 8 MiB */
	each[0] = each[1] = 0;
	CHECK_INT(pen_each(db, count_one, each), 0);
	CHECK_INT(each[0], 1000);
	CHECK_INT(each[1], 1024 * 500500 + 1023 * 1000); /* every number once */
	/* the first assignment still wins for a number in the hash */
	CHECK_INT(pen_parse(db, "again", "2047 other\n", 11, eb, sizeof(eb)), 0);
	CHECK_STR(pen_org(db, 2047), "m1");
	pen_free(db);
	free(text);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Not asserted: prints load and lookup times for the report. */
static void bench(void)
{
	struct pen_db *db;
	char eb[TM_ERRLEN];
	double t0, t1, t2;
	unsigned long found = 0, n = 2000000;
	uint32_t x = 2463534242u;

	t0 = now();
	if (pen_load(&db, pen_path(), eb, sizeof(eb)))
		return;
	t1 = now();
	for (unsigned long i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		found += pen_org(db, x % 70000) != NULL;
	}
	t2 = now();
	printf("test_pen: load %.1f ms (%zu numbers), lookup %.1f ns (%lu of %lu found)\n",
	       (t1 - t0) * 1e3, pen_count(db), (t2 - t1) * 1e9 / n, found, n);
	pen_free(db);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	test_real();
	test_malformed();
	test_nomem();
	test_sparse();
	bench();
	return check_done("test_pen");
}
