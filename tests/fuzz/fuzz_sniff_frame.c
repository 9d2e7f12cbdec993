/*
 * fuzz_sniff_frame.c - libFuzzer: the bytes as one Ethernet frame through the
 * whole capture path (VLAN tags, LLC/SNAP, IPv4/IPv6 with extension headers
 * and fragments, UDP decoders, TCP into the flow table and out to sn_app),
 * then the bytes after the first as a frame of the link type the first byte
 * picks (SLL, SLL2, raw IP...), then the flows handed over.  Every
 * observation and link is checked for bounds; nothing may crash or leak.
 */
#include "core/obs.h"
#include "sniff/capture.h"

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int check_obs(void *arg, const struct obs *o)
{
	(void)arg;
	if (o->len > OBS_VALUE_MAX || (o->len && !o->value) || o->kind <= OBS_NONE || o->kind >= OBS_KIND_COUNT)
		abort();
	if (!memchr(o->addr, 0, sizeof(o->addr)) || !memchr(o->mac, 0, sizeof(o->mac)) ||
	    !memchr(o->scope, 0, sizeof(o->scope)) || !memchr(o->probe, 0, sizeof(o->probe)))
		abort();
	if (o->len)
		(void)(volatile uint8_t)o->value[o->len - 1];
	return 0;
}

static int check_link(void *arg, const struct sn_link *l)
{
	(void)arg;
	if (!memchr(l->a_key, 0, sizeof(l->a_key)) || !memchr(l->a_port, 0, sizeof(l->a_port)) ||
	    !memchr(l->b_key, 0, sizeof(l->b_key)) || !memchr(l->b_port, 0, sizeof(l->b_port)) ||
	    !memchr(l->source, 0, sizeof(l->source)))
		abort();
	return 0;
}

static const int dlts[] = {DLT_EN10MB, DLT_LINUX_SLL, 276 /* SLL2 */, DLT_RAW, 228 /* IPv4 */, 229 /* IPv6 */};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cap *c;
	struct cap_cfg cfg = {.max_flows = 64, .flow_bytes = 4096, .max_buffered = 4 * 4096, .on_obs = check_obs,
			      .on_link = check_link, .quiet = 1};

	if (!c && !(c = cap_new(&cfg)))
		abort();
	cap_packet(c, "fuzz", DLT_EN10MB, data, size, 1);
	if (size > 1)
		cap_packet(c, "fuzz", dlts[data[0] % 6], data + 1, size - 1, 2);
	cap_end(c);
	return 0;
}
