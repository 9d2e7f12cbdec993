/*
 * fuzz_policy.c - the policy loader (libyaml document, then our schema
 * checks) on arbitrary bytes against the shipped vendor registry, then the
 * list and exception queries on whatever loaded.
 */
#include "core/err.h"
#include "kb/vendor.h"
#include "policy/policy.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static struct vreg *vr;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char eb[TM_ERRLEN];
	const char *d = getenv("TM_RULES");

	(void)argc, (void)argv;
	if (vreg_load(&vr, d && *d ? d : "rules", eb, sizeof(eb))) {
		fprintf(stderr, "fuzz_policy: %s\n", eb);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char eb[TM_ERRLEN];
	struct policy *p;

	if (policy_parse("fuzz.yaml", (const char *)data, size, vr, &p, eb, sizeof(eb)))
		return 0;
	for (int l = 0; l < p->nlists; l++)
		for (int v = 0; v < vreg_count(vr) && v < 40; v++)
			policy_list_match(p, vr, l, v, v - 1, v & 1 ? "camera" : NULL, v & 2, 20000 + v * 100);
	for (int r = 0; r < p->nrules; r++)
		policy_exception_find(p, "mac:00:e0:fc:01:02:03", "A1", "S-17", p->rules[r].id, 20500);
	policy_free(p);
	return 0;
}
