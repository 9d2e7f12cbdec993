/*
 * fuzz_vendor.c - the vendor registry's loader (vreg_parse: vendor and list
 * records, parents, cycles, roles) on arbitrary bytes, then every query on
 * whatever it kept: exact and word look-ups of the input itself, families
 * and list membership on a few days.
 */
#include "core/err.h"
#include "kb/vendor.h"

#include <stddef.h>
#include <stdint.h>

static void query(const struct vreg *r, const char *text, size_t n)
{
	static const int64_t days[] = {0, 11000, 18700, 19000, 20500, 40000};
	static const char *roles[] = {NULL, "", "camera", "router", "RADIO"};
	int out[8];

	vreg_resolve(r, text, n);
	vreg_resolve_all(r, text, n, out, 8);
	vreg_find(r, text, n > 300 ? 300 : n);
	vreg_by_cpe(r, text, n > 80 ? 80 : n);
	for (int i = 0; i < vreg_count(r) && i < 64; i++) {
		vreg_by_pen(r, (uint32_t)i * 2654435761u);
		for (size_t d = 0; d < sizeof(days) / sizeof(days[0]); d++) {
			vreg_family(r, i, days[d]);
			vreg_parent(r, i, days[d]);
			for (int l = 0; l < vreg_list_count(r) && l < 8; l++)
				vreg_list_match(r, l, i, roles[(i + l + (int)d) % 5], days[d]);
		}
	}
	for (int l = 0; l < vreg_list_count(r); l++) {
		vreg_list_find(r, vreg_list_name(r, l));
		vreg_list_title(r, l);
		vreg_list_source(r, l);
		vreg_list_date(r, l);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char eb[TM_ERRLEN];
	struct vreg *r = vreg_new();

	if (!r)
		return 0;
	vreg_parse(r, "fuzz", (const char *)data, size, VREG_VENDORS | VREG_LISTS, eb, sizeof(eb));
	/* a second file on top of the first, as users' lists come after the shipped ones */
	vreg_parse(r, "fuzz2", (const char *)data, size / 2, VREG_VENDORS | VREG_LISTS, eb,
		   sizeof(eb));
	query(r, (const char *)data, size);
	vreg_free(r);
	return 0;
}
