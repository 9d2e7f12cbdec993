/*
 * fuzz_pcap.c - libFuzzer: the bytes as a capture file (pcap or pcapng),
 * opened from memory with fmemopen() and read by cap_stream() exactly as
 * `trustmap sniff FILE` reads a file: libpcap's record parsing, every
 * supported link type the header may name, and the whole decode path.
 */
#include "core/obs.h"
#include "sniff/capture.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_obs(void *arg, const struct obs *o)
{
	(void)arg;
	if (o->len > OBS_VALUE_MAX || (o->len && !o->value) || o->kind <= OBS_NONE || o->kind >= OBS_KIND_COUNT)
		abort();
	if (!memchr(o->addr, 0, sizeof(o->addr)) || !memchr(o->mac, 0, sizeof(o->mac)))
		abort();
	if (o->len)
		(void)(volatile uint8_t)o->value[o->len - 1];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cap *c;
	struct cap_cfg cfg = {.max_flows = 64, .flow_bytes = 4096, .max_buffered = 4 * 4096, .on_obs = check_obs,
			      .quiet = 1};
	FILE *fp;

	if (!size)
		return 0;
	if (!c && !(c = cap_new(&cfg)))
		abort();
	if (!(fp = fmemopen((void *)data, size, "rb")))
		return 0;
	cap_stream(c, fp, "fuzz", NULL); /* closes fp */
	cap_end(c);
	return 0;
}
