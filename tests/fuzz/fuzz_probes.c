/*
 * fuzz_probes.c - every scan probe's state machine on arbitrary server bytes:
 * byte 0 picks the probe, byte 1 the segment size, byte 2 how the exchange
 * ends; the rest is what the server said.  Observations must stay bounded.
 */
#include "scan/ports.h"
#include "scan/probe.h"

#include <stdlib.h>

static int check_obs(void *ctx, const struct obs *o)
{
	(void)ctx;
	if (o->len > OBS_VALUE_MAX || (o->len && !o->value))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct probe_ctx c;
	const struct probe_ops *ops;
	size_t chunk;
	int done = 0;

	if (size < 3)
		return 0;
	probe_ctx_init(&c, data[0] % (SCAN_PROBE_UPNP + 1), "192.0.2.1", 80, 6, check_obs, NULL);
	ops = probe_get(c.probe);
	chunk = data[1] ? data[1] : 4096;
	ops->start(&c);
	for (size_t i = 3; i < size && !done; i += chunk) {
		c.outlen = 0;
		done = ops->input(&c, data + i, size - i < chunk ? size - i : chunk);
		if (c.inlen > PROBE_BUF || c.outlen > PROBE_OUT)
			abort();
	}
	ops->finish(&c, done ? PROBE_END_DONE : data[2] % 4);
	return 0;
}
