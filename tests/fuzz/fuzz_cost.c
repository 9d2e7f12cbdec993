/*
 * fuzz_cost.c - the cost model loader (libyaml document, then our schema
 * checks) on arbitrary bytes, and role guessing on the same bytes as text.
 * (The planner on problems built from bytes is fuzz_plan.c: it searches
 * hundreds of plans per input, so it ran this parser target at a few
 * executions a second.)
 */
#include "core/err.h"
#include "plan/cost.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char eb[TM_ERRLEN], text[256];
	struct cost_model *m;
	int g;

	if (cost_parse("fuzz.yaml", (const char *)data, size, &m, eb, sizeof(eb)) == 0) {
		cost_region_factor(m, "north");
		for (int i = 0; i < m->nregions; i++)
			if (cost_region_factor(m, m->regions[i].name) <= 0)
				abort();
		cost_free(m);
	}
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
	memcpy(text, data, n);
	text[n] = 0;
	const char *t[] = {text, NULL};
	if (cost_guess_role(text, t, &g) < 0 || cost_guess_role(NULL, t, &g) >= CR_N)
		abort();
	return 0;
}
