/*
 * fuzz_plan.c - the phased planner (src/plan/planner.c) on small problems
 * built from arbitrary bytes (up to 12 items, 4 sites, 4 phases, any
 * solver mode, core-first or not): whatever the input, every plan must
 * stay within each phase's budget (plan_check), a plan that says it meets
 * every deadline must, and a shortfall's bounds must be ordered.  Not a
 * parser: a property check of the solver.  The heuristic's local search is
 * capped at 12 rounds (max_rounds; up to 600 by default on small instances,
 * ~35 ms an input under ASan): each kind of round still runs; the exact
 * searches at 2,000 nodes (max_nodes); the greedy starts before the rounds
 * at 4 (max_starts; 12 by default): each ordering key still starts once.
 */
#include "core/err.h"
#include "plan/plan.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void planner(const uint8_t *d, size_t n)
{
	struct plan_item it[12];
	int64_t visit[4], budget[4];
	struct plan_result r;
	char eb[TM_ERRLEN];
	size_t k = 0;

	if (n < 8)
		return;
	int ni = d[k++] % 12, H = d[k++] % 4 + 1, cf = d[k++] & 1, mode = d[k++] % 3;
	for (int s = 0; s < 4; s++)
		visit[s] = k < n ? d[k++] : 0;
	for (int p = 0; p < H; p++)
		budget[p] = k < n ? d[k++] * 4 : 0;
	for (int i = 0; i < ni; i++) {
		uint8_t b[4] = {0};
		for (int j = 0; j < 4; j++)
			b[j] = k < n ? d[k++] : 0;
		it[i] = (struct plan_item){b[0] * 2, 1 + b[1] % 10, b[2] % 4, b[3] % (H + 1), b[2] >> 4 & 3};
		if (it[i].cls > 2)
			it[i].cls = 2;
	}
	/*
	 * 12 local-search rounds (not up to 600): every kind of round (shake or
	 * fresh, each order, each variant); the exact searches stop at 2,000
	 * nodes (small instances still finish, larger ones take the stopped path)
	 */
	struct plan_problem pb = {it, (size_t)ni, visit, 4, budget, H, cf, 12, 2000, 4};
	if (plan_solve(&pb, (enum plan_mode)mode, &r, eb, sizeof(eb)) == 0) {
		if (plan_check(&pb, r.phase, 0, eb, sizeof(eb)))
			fprintf(stderr, "over budget: %s\n", eb), abort();
		if (r.feasible && plan_check(&pb, r.phase, 1, eb, sizeof(eb)))
			fprintf(stderr, "says feasible: %s\n", eb), abort();
		if (!r.feasible && r.short_lo > r.short_hi)
			abort();
	}
	plan_result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	planner(data, size);
	return 0;
}
