/*
 * imp_fuzz.h - what the importer fuzz targets share: a sink that reads every
 * byte of each observation and site (so that a bad pointer or length shows),
 * and a driver running one reader with and without skip_bad.
 */
#ifndef TM_IMP_FUZZ_H
#define TM_IMP_FUZZ_H

#include "core/err.h"
#include "core/obs.h"
#include "import/import.h"

#include <stddef.h>
#include <stdint.h>

static int imp_fuzz_obs(void *ctx, const struct obs *o)
{
	unsigned *sum = ctx;

	for (size_t i = 0; i < o->len; i++)
		*sum += o->value[i];
	*sum += (unsigned)o->kind + o->port + o->addr[0] + o->mac[0] + o->probe[0];
	return 0;
}

static int imp_fuzz_site(void *ctx, const struct imp_site *s)
{
	unsigned *sum = ctx;

	*sum += (unsigned)s->id[0] + (unsigned)s->has_coords;
	return 0;
}

typedef int (*imp_mem_fn)(const char *, const char *, size_t, const struct imp_sink *, int,
			  struct imp_stats *, char *, size_t);

/* Runs fn on (data, size) twice: stopping at the first bad record, and skipping bad ones. */
static unsigned imp_fuzz_run(imp_mem_fn fn, const uint8_t *data, size_t size)
{
	unsigned sum = 0;
	struct imp_sink k = {imp_fuzz_obs, imp_fuzz_site, &sum};
	struct imp_stats st;
	char eb[TM_ERRLEN];

	fn("fuzz", (const char *)data, size, &k, 0, &st, eb, sizeof(eb));
	fn("fuzz", (const char *)data, size, &k, 1, &st, eb, sizeof(eb));
	return sum;
}

#endif
