/* fuzz_neigh.c - the netlink neighbour-table parser on arbitrary bytes. */
#include "scan/neigh.h"

#include <stddef.h>
#include <stdint.h>

static int each(void *ctx, scan_u128 a, const uint8_t mac[6])
{
	(void)ctx, (void)a, (void)mac;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	scan_neigh_parse(data, size, each, NULL);
	return 0;
}
