/*
 * test_scan_space.c - the scan's target space: port specs, targets and
 * excludes as intervals, index <-> host, the cyclic permutation and shards
 * (exact: every value once, shards disjoint and complete).
 */
#include "check.h"

#include "core/err.h"
#include "core/mem.h"
#include "scan/cyclic.h"
#include "scan/ports.h"
#include "scan/targets.h"

#include <stdio.h>
#include <stdlib.h>

static void test_ports(void)
{
	struct scan_ports p = {0};
	char eb[TM_ERRLEN];

	CHECK_INT(scan_ports_parse(&p, "22,8080:ssh,161/udp,9999/udp:snmp,22:http,7", eb, sizeof(eb)), 0);
	CHECK_INT(p.n, 5);
	CHECK_INT(p.v[0].port, 22);
	CHECK_INT(p.v[0].probe, SCAN_PROBE_SSH);
	CHECK_INT(p.v[1].probe, SCAN_PROBE_SSH);
	CHECK_INT(p.v[2].proto, 17);
	CHECK_INT(p.v[2].probe, SCAN_PROBE_SNMP);
	CHECK_INT(p.v[3].port, 9999);
	CHECK_INT(p.v[3].probe, SCAN_PROBE_SNMP);
	CHECK_INT(p.v[4].probe, SCAN_PROBE_BANNER);
	scan_ports_fini(&p);
	CHECK_INT(scan_ports_parse(&p, "@network", eb, sizeof(eb)), 0);
	CHECK_INT(p.n, 14);
	CHECK_INT(p.v[11].port, 37777);
	CHECK_INT(p.v[12].proto, 17);
	CHECK_INT(p.v[13].probe, SCAN_PROBE_SSDP);
	CHECK_INT(p.v[6].probe, SCAN_PROBE_RTSP);
	CHECK_INT(p.v[5].probe, SCAN_PROBE_HTTPS);
	scan_ports_fini(&p);
	CHECK_INT(scan_ports_parse(&p, "0", eb, sizeof(eb)), TM_EINVAL);
	scan_ports_fini(&p);
	CHECK_INT(scan_ports_parse(&p, "70000", eb, sizeof(eb)), TM_EINVAL);
	scan_ports_fini(&p);
	CHECK_INT(scan_ports_parse(&p, "22:gopher", eb, sizeof(eb)), TM_EINVAL);
	CHECK_STR(eb, "ports: unknown probe in '22:gopher'");
	scan_ports_fini(&p);
	CHECK_INT(scan_ports_parse(&p, "22,,23", eb, sizeof(eb)), TM_EINVAL);
	scan_ports_fini(&p);
	CHECK_INT(scan_ports_parse(&p, "@nope", eb, sizeof(eb)), TM_EINVAL);
	scan_ports_fini(&p);
	CHECK_INT(scan_ports_parse(&p, "53/sctp", eb, sizeof(eb)), TM_EINVAL);
	scan_ports_fini(&p);
}

static const char *host(const struct scan_targets *t, uint64_t i)
{
	static char s[46];

	scan_addr_str(scan_targets_host(t, i), s);
	return s;
}

static void test_targets(void)
{
	struct scan_targets t;
	char eb[TM_ERRLEN];
	scan_u128 a;

	scan_targets_init(&t);
	CHECK_INT(scan_targets_add(&t, "10.0.0.0/30", 0, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_add(&t, "10.0.0.2-10.0.0.9", 0, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_add(&t, "10.0.1.5-7", 0, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_add(&t, "2001:db8::/126", 0, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_add(&t, "10.0.0.5", 1, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_add(&t, "10.0.0.8/31", 1, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_add(&t, "10.0.1.0-10.0.1.5", 1, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_add(&t, "2001:db8::1", 1, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_finish(&t, eb, sizeof(eb)), 0);
	/* 10.0.0.0-4, 6-7, 10.0.1.6-7, 2001:db8::0, ::2, ::3 */
	CHECK_INT(t.nhosts, 5 + 2 + 2 + 3);
	CHECK_INT(t.nr, 5);
	/* IPv4 (as ::ffff:a.b.c.d) sorts before 2001:db8:: */
	CHECK_STR(host(&t, 0), "10.0.0.0");
	CHECK_STR(host(&t, 4), "10.0.0.4");
	CHECK_STR(host(&t, 5), "10.0.0.6");
	CHECK_STR(host(&t, 6), "10.0.0.7");
	CHECK_STR(host(&t, 7), "10.0.1.6");
	CHECK_STR(host(&t, 8), "10.0.1.7");
	CHECK_STR(host(&t, 9), "2001:db8::");
	CHECK_STR(host(&t, 10), "2001:db8::2");
	CHECK_STR(host(&t, 11), "2001:db8::3");
	CHECK_INT(scan_addr_parse("10.0.0.5", &a), 0);
	CHECK_INT(scan_targets_has(&t, a), 0);
	CHECK_INT(scan_addr_parse("10.0.0.7", &a), 0);
	CHECK_INT(scan_targets_has(&t, a), 1);
	CHECK_INT(scan_targets_add(&t, "foo.example", 0, eb, sizeof(eb)), TM_EINVAL);
	CHECK_STR(eb, "'foo.example' is not an address, CIDR or range (names are not resolved)");
	CHECK_INT(scan_targets_add(&t, "10.0.0.9-3", 0, eb, sizeof(eb)), TM_EINVAL);
	CHECK_INT(scan_targets_add(&t, "10.0.0.0/33", 0, eb, sizeof(eb)), TM_EINVAL);
	CHECK_INT(scan_targets_add(&t, "10.0.0.1-2001:db8::1", 0, eb, sizeof(eb)), TM_EINVAL);
	scan_targets_fini(&t);

	scan_targets_init(&t);
	CHECK_INT(scan_targets_add(&t, "2001:db8::/64", 0, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_finish(&t, eb, sizeof(eb)), TM_ELIMIT);
	scan_targets_fini(&t);
	scan_targets_init(&t);
	CHECK_INT(scan_targets_add(&t, "::/0", 0, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_finish(&t, eb, sizeof(eb)), TM_ELIMIT);
	scan_targets_fini(&t);
	/* everything excluded */
	scan_targets_init(&t);
	CHECK_INT(scan_targets_add(&t, "127.0.0.0/24", 0, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_add(&t, "127.0.0.0/8", 1, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_finish(&t, eb, sizeof(eb)), 0);
	CHECK_INT(t.nhosts, 0);
	scan_targets_fini(&t);
}

static void test_target_file(void)
{
	struct scan_targets t;
	char eb[TM_ERRLEN], path[] = "/tmp/tm-targets.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fprintf(f, "# lab\n192.0.2.1  # router\n\n  192.0.2.8/30\n");
	fclose(f);
	scan_targets_init(&t);
	CHECK_INT(scan_targets_add_file(&t, path, 0, eb, sizeof(eb)), 0);
	CHECK_INT(scan_targets_finish(&t, eb, sizeof(eb)), 0);
	CHECK_INT(t.nhosts, 5);
	CHECK_STR(host(&t, 1), "192.0.2.8");
	f = fopen(path, "w");
	fprintf(f, "192.0.2.1\nbogus\n");
	fclose(f);
	CHECK_INT(scan_targets_add_file(&t, path, 1, eb, sizeof(eb)), TM_EINVAL);
	CHECK(strstr(eb, ":2: 'bogus' is not an address") != NULL);
	scan_targets_fini(&t);
	remove(path);
}

/* Every value of [0, n) exactly once over the union of shards; shards disjoint. */
static void test_perm(uint64_t n, uint64_t shards, uint64_t seed)
{
	unsigned char *seen = mem_calloc(n ? n : 1, 1);
	uint64_t v, total = 0, bad = 0;
	struct scan_cyc c;

	for (uint64_t s = 0; s < shards; s++) {
		CHECK_INT(scan_cyc_init(&c, n, seed, shards, s), 0);
		while (scan_cyc_next(&c, &v)) {
			if (v >= n || seen[v]++)
				bad++;
			total++;
		}
	}
	if (bad || total != n)
		fprintf(stderr, "perm n=%llu shards=%llu: %llu bad, %llu total\n", (unsigned long long)n,
			(unsigned long long)shards, (unsigned long long)bad, (unsigned long long)total);
	CHECK_INT(bad, 0);
	CHECK_INT(total, n);
	mem_free(seen);
}

static void test_cyclic(void)
{
	static const uint64_t sizes[] = {0, 1, 2, 3, 7, 97, 100, 1000, 65521, 65536};
	static const uint64_t shards[] = {1, 2, 3, 7, 16};
	struct scan_cyc a, b;
	uint64_t x, y, same = 0, n = 0, inorder = 0, prev = 0;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (size_t j = 0; j < sizeof(shards) / sizeof(shards[0]); j++)
			test_perm(sizes[i], shards[j], 42 + i * 7 + j);
	/* the seed decides the order: same seed same order, other seed another */
	scan_cyc_init(&a, 1000, 1, 1, 0);
	scan_cyc_init(&b, 1000, 1, 1, 0);
	while (scan_cyc_next(&a, &x) && scan_cyc_next(&b, &y))
		same += x == y;
	CHECK_INT(same, 1000);
	scan_cyc_init(&a, 1000, 1, 1, 0);
	scan_cyc_init(&b, 1000, 2, 1, 0);
	same = 0;
	while (scan_cyc_next(&a, &x) && scan_cyc_next(&b, &y)) {
		same += x == y;
		inorder += n++ && x == prev + 1;
		prev = x;
	}
	CHECK(same < 20);
	CHECK(inorder < 20);
	CHECK_INT(scan_cyc_init(&a, 10, 1, 0, 0), TM_EINVAL);
	CHECK_INT(scan_cyc_init(&a, 10, 1, 2, 2), TM_EINVAL);
}

int main(void)
{
	test_ports();
	test_targets();
	test_target_file();
	test_cyclic();
	return check_done("test_scan_space");
}
