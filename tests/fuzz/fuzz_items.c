/*
 * fuzz_items.c - plan items and clean-path work packages (src/plan/items.c)
 * on small scenarios and path answers built from arbitrary bytes (up to 8
 * findings at 3 sites, up to 5 sensitive sites whose replace lists draw on
 * 12 asset ids, some of them findings, some devices that are no finding,
 * some in no list): whatever the input, every finding is in exactly one
 * item, every device in at most one package, the items' costs add up to
 * the planned devices' costs plus the overheads of their sites exactly,
 * and the plan of those items stays within budget (plan_check).  A property
 * check, not a parser.
 */
#include "core/err.h"
#include "core/mem.h"
#include "paths/paths.h"
#include "plan/cost.h"
#include "plan/items.h"
#include "plan/plan.h"
#include "plan/scen.h"
#include "policy/policy.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NID 12

struct in {
	const uint8_t *d;
	size_t n, k;
};

static unsigned byte(struct in *x)
{
	return x->k < x->n ? x->d[x->k++] : 0;
}

static int64_t cents(double v)
{
	return (int64_t)llround(v * 100);
}

static void items(const uint8_t *d, size_t n)
{
	static struct policy pol = {.name = "fuzz"};
	struct in x = {d, n, 0};
	struct scen s = {0};
	struct scen_site site[3];
	struct scen_asset a[8];
	struct plan_paths pp = {0};
	struct paths_site ps[5];
	struct plan_dev dev[NID];
	int64_t rep[5][NID];
	struct plan_items pi;
	struct plan_outcome o;
	char eb[TM_ERRLEN];
	int is_finding[NID + 1] = {0};

	if (n < 6)
		return;
	const char *sid[] = {"S0", "S1", "S2"};
	for (int k = 0; k < 3; k++)
		site[k] = (struct scen_site){sid[k], 0, 0, byte(&x), byte(&x) * 4.0, 0};
	int na = (int)(byte(&x) % 9);
	for (int i = 0; i < na; i++) {
		int64_t id = 1 + (int64_t)(byte(&x) % NID);
		if (is_finding[id])
			continue; /* one finding per asset */
		is_finding[id] = 1;
		struct scen_asset *y = &a[s.n];
		memset(y, 0, sizeof(*y));
		y->id = id;
		snprintf(y->ref, sizeof(y->ref), "A%lld", (long long)id);
		y->site = byte(&x) % 3;
		y->role = (int)(byte(&x) % CR_N);
		y->cost = byte(&x) * 3.0;
		y->weight = 1 + byte(&x) % 10;
		y->due = byte(&x) % 2 ? 20000 : 21000;
		site[y->site].n++;
		s.n++;
	}
	s.p = &pol, s.a = a, s.sites = site, s.nsites = 3;
	/* devices that are no findings: every id not a finding, at one of two sites or none */
	for (int64_t id = 1; id <= NID; id++) {
		if (is_finding[id])
			continue;
		struct plan_dev *v = &dev[pp.ndev++];
		memset(v, 0, sizeof(*v));
		v->id = id;
		snprintf(v->ref, sizeof(v->ref), "X%lld", (long long)id);
		snprintf(v->key, sizeof(v->key), "ref:X%lld", (long long)id);
		unsigned w = byte(&x);
		if (w % 3)
			snprintf(v->site, sizeof(v->site), "%s", w % 3 == 1 ? "S1" : "AGG");
		v->role = (int)(w % CR_N);
		v->cost = byte(&x) * 2.0, v->weight = 1;
		v->visit = w & 0x30, v->overhead = v->site[0] == 'A' ? 40 : w & 0xc0; /* one overhead per site */
	}
	pp.dev = dev;
	int nps = (int)(byte(&x) % 6);
	for (int k = 0; k < nps; k++) {
		memset(&ps[k], 0, sizeof(ps[k]));
		snprintf(ps[k].site, sizeof(ps[k].site), "P%d", k);
		ps[k].status = (enum paths_status)(byte(&x) % 4);
		unsigned mask = byte(&x) | byte(&x) << 8;
		for (int64_t id = 1; id <= NID; id++)
			if (mask >> (id - 1) & 1)
				rep[k][ps[k].nreplace++] = id;
		ps[k].replace = rep[k];
	}
	pp.r.s = ps, pp.r.n = (size_t)nps;
	struct plan_items_opt io = {20000, 2024, (int)(1 + byte(&x) % 4), byte(&x) * 10.0, (byte(&x) % 5 + 1) / 5.0,
				    (int)(byte(&x) & 1)};
	int rc = plan_items_build(&s, &io, x.k & 1 ? NULL : &pp, &pi, eb, sizeof(eb));
	if (rc) {
		if (rc != TM_ENOMEM && rc != TM_EINVAL)
			abort();
		plan_items_free(&pi);
		return;
	}
	/* every finding in exactly one item, and the item covers it */
	for (size_t i = 0; i < s.n; i++) {
		int32_t it = pi.item_of[i];
		int seen = 0;
		if (it < 0 || (size_t)it >= pi.n)
			abort();
		for (uint32_t c = pi.cover_off[it]; c < pi.cover_off[it + 1]; c++)
			seen += pi.cover[c] == i;
		if (seen != 1)
			abort();
	}
	if (pi.cover_off[pi.n] != s.n)
		abort();
	/* every device in at most one package; the costs add up */
	int owner[NID + 1];
	int64_t want = 0, got = 0;
	int used[4] = {0}; /* S0, S1, S2, AGG */
	for (int i = 0; i <= NID; i++)
		owner[i] = -1;
	for (size_t i = 0; i < s.n; i++) {
		want += cents(a[i].cost);
		used[a[i].site] = 1;
	}
	for (size_t k = 0; k < pi.npkg; k++)
		for (size_t j = 0; j < pi.pkg[k].ndev; j++) {
			int64_t id = pi.pkg[k].dev[j];
			if (id < 1 || id > NID || owner[id] >= 0)
				abort();
			owner[id] = (int)k;
			for (size_t q = 0; q < pp.ndev && !is_finding[id]; q++) {
				if (dev[q].id != id)
					continue;
				want += cents(dev[q].cost);
				if (!dev[q].site[0])
					want += cents(dev[q].overhead); /* a site of its own */
				else
					used[dev[q].site[0] == 'A' ? 3 : 1] = 1;
			}
		}
	for (int k = 0; k < 3; k++)
		if (used[k])
			want += cents(site[k].overhead);
	if (used[3])
		want += cents(40);
	for (size_t i = 0; i < pi.n; i++)
		got += pi.it[i].cost;
	if (got != want) {
		fprintf(stderr, "items cost %lld, devices and overheads %lld\n", (long long)got, (long long)want);
		abort();
	}
	/*
	 * the planner's search capped (up to 600 rounds and 12 starts by default):
	 * every kind of round still runs, every ordering key starts once
	 */
	pi.pb.max_rounds = pi.pb_full.max_rounds = 12;
	pi.pb.max_nodes = pi.pb_full.max_nodes = 2000;
	pi.pb.max_starts = pi.pb_full.max_starts = 4;
	rc = plan_items_solve(&pi, (enum plan_mode)(x.k % 3), &o, eb, sizeof(eb));
	if (!rc) {
		if (plan_check(&pi.pb, o.r.phase, 0, eb, sizeof(eb)))
			fprintf(stderr, "over budget: %s\n", eb), abort();
		if (o.has_full && plan_check(&pi.pb_full, o.full.phase, 0, eb, sizeof(eb)))
			fprintf(stderr, "full plan over budget: %s\n", eb), abort();
	} else if (rc != TM_ENOMEM)
		abort();
	plan_outcome_free(&o);
	plan_items_free(&pi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	items(data, size);
	return 0;
}
