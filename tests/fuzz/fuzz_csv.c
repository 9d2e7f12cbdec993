/*
 * fuzz_csv.c - the inventory reader (and the CSV reader under it) on
 * arbitrary bytes, with and without skip_bad; the first byte sets the chunk
 * size fed to the CSV state machine.
 */
#include "core/err.h"
#include "core/obs.h"
#include "import/imp_int.h"
#include "import/import.h"

#include <stddef.h>
#include <stdint.h>

/* Reads every byte of each observation, so that a bad pointer or length shows. */
static int each(void *ctx, const struct obs *o)
{
	unsigned *sum = ctx;

	for (size_t i = 0; i < o->len; i++)
		*sum += o->value[i];
	*sum += (unsigned)o->kind + o->port + o->addr[0] + o->mac[0] + o->probe[0];
	return 0;
}

static int site(void *ctx, const struct imp_site *s)
{
	unsigned *sum = ctx;

	*sum += (unsigned)s->id[0] + (unsigned)s->has_coords;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned sum = 0;
	struct imp_sink k = {each, site, &sum};
	struct imp_stats st;
	char eb[TM_ERRLEN];

	/* the first byte picks the chunk size, so that boundaries fall everywhere */
	if (size) {
		imp_chunk_size = (size_t)data[0] + 1;
		data++, size--;
	}
	imp_inventory_csv_mem("fuzz", (const char *)data, size, &k, 0, &st, eb, sizeof(eb));
	imp_inventory_csv_mem("fuzz", (const char *)data, size, &k, 1, &st, eb, sizeof(eb));
	imp_chunk_size = 0;
	return 0;
}
