/*
 * bench_plan.c - the inventory of bench/plan: S sites (default 100,000) and
 * N assets (default 1,000,000) written straight into a store (no
 * attribution: the assets are what attribution would have left), with
 * operators, regions, a "sensitive" tag on one site in ten, a role mix of a
 * mobile and fixed operator, 30 % Huawei or ZTE (some only declared by the
 * inventory, confidences spread over the bands), the rest other makers.
 * Deterministic (fixed seed).  usage: bench_plan DB [N] [S]
 */
#include "attr/attr.h"
#include "core/err.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t xr(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

int main(int argc, char **argv)
{
	static const char *const roles[] = {"ran-baseband", "ran-radio", "ran-radio", "router", "switch", "switch",
					    "ont", "ont", "ont", "cpe", "camera", "camera", "nvr", "firewall",
					    "aggregation-switch", "access-switch", "core-router", "server", ""};
	static const char *const others[] = {"cisco", "nokia", "ericsson", "juniper", "arista"};
	struct store *st;
	char eb[TM_ERRLEN];
	long n = argc > 2 ? atol(argv[2]) : 1000000, ns = argc > 3 ? atol(argv[3]) : 100000;

	if (argc < 2 || n < 1 || ns < 1) {
		fprintf(stderr, "usage: bench_plan DB [N] [S]\n");
		return 2;
	}
	if (store_open(&st, argv[1], eb, sizeof(eb))) {
		fprintf(stderr, "bench_plan: %s\n", eb);
		return 2;
	}
	store_begin(st);
	for (long s = 0; s < ns; s++) {
		struct site_rec r;
		memset(&r, 0, sizeof(r));
		snprintf(r.id, sizeof(r.id), "S%06ld", s);
		snprintf(r.name, sizeof(r.name), "site %ld", s);
		r.lat = 49 + (double)(xr() % 60000) / 10000, r.lon = 14 + (double)(xr() % 100000) / 10000;
		r.has_coords = 1;
		snprintf(r.operator_, sizeof(r.operator_), "Op%c", "ABCD"[s % 4]);
		snprintf(r.region, sizeof(r.region), "region%02ld", s % 16);
		if (s % 10 == 0)
			snprintf(r.tags, sizeof(r.tags), "sensitive");
		if (store_site_put(st, &r)) {
			fprintf(stderr, "bench_plan: %s\n", store_errmsg(st));
			return 2;
		}
	}
	for (long i = 0; i < n; i++) {
		struct asset_rec a;
		uint64_t x = xr();
		memset(&a, 0, sizeof(a));
		snprintf(a.key, sizeof(a.key), "ref:A%07ld", i);
		snprintf(a.ref, sizeof(a.ref), "A%07ld", i);
		snprintf(a.site, sizeof(a.site), "S%06ld", (long)(x % (uint64_t)ns));
		snprintf(a.addr, sizeof(a.addr), "10.%ld.%ld.%ld", i >> 16 & 255, i >> 8 & 255, i & 255);
		const char *role = roles[(x >> 20) % (sizeof(roles) / sizeof(roles[0]))];
		snprintf(a.role, sizeof(a.role), "%s", role);
		int listed = (x >> 32) % 10 < 3;
		const char *v = listed ? ((x >> 36) & 1 ? "huawei" : "zte") : others[(x >> 40) % 5];
		snprintf(a.vendor, sizeof(a.vendor), "%s", v);
		snprintf(a.family, sizeof(a.family), "%s", v);
		if (!*role)
			snprintf(a.product, sizeof(a.product), "%s", (x >> 44) & 1 ? "EchoLife HG8245H" : "BBU5900");
		a.conf = 0.55 + (double)((x >> 48) % 45) / 100;
		if ((x >> 56) % 4 == 0)
			a.flags = ATTR_DECLARED_ONLY, a.conf = 0.55;
		if (store_asset_put(st, &a)) {
			fprintf(stderr, "bench_plan: %s\n", store_errmsg(st));
			return 2;
		}
	}
	if (store_commit(st)) {
		fprintf(stderr, "bench_plan: %s\n", store_errmsg(st));
		return 2;
	}
	store_close(st);
	printf("%ld assets at %ld sites\n", n, ns);
	return 0;
}
