/* fuzz_oid.c - oid_parse on arbitrary bytes; whatever parses must format and re-parse to the same
 * arcs. */
#include "core/oid.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t a[OID_MAX_ARCS], b[OID_MAX_ARCS], pen;
	char out[OID_MAX_ARCS * 11 + 1];
	int n, m;

	n = oid_parse((const char *)data, size, a, OID_MAX_ARCS);
	if (n <= 0)
		return 0;
	if (oid_format(a, n, out, sizeof(out)))
		abort();
	m = oid_parse(out, strlen(out), b, OID_MAX_ARCS);
	if (m != n || memcmp(a, b, (size_t)n * sizeof(a[0])))
		abort();
	(void)oid_pen(a, n, &pen);
	return 0;
}
