/*
 * sniff_l2_fuzz.h - what the link-layer and DHCP decoder fuzz targets share:
 * a packet whose callbacks check every observation and link the decoder
 * reports (bounded values, terminated strings, known kinds) and a decoder's
 * return value (0 or TM_EPROTO with a message).
 */
#ifndef TM_SNIFF_L2_FUZZ_H
#define TM_SNIFF_L2_FUZZ_H

#include "core/err.h"
#include "sniff/sniff.h"

#include <string.h>

static int fz_obs(void *arg, const struct obs *o)
{
	(void)arg;
	if ((unsigned)o->kind >= OBS_KIND_COUNT || o->kind == OBS_NONE || o->len > OBS_VALUE_MAX ||
	    (o->len && !o->value) || !memchr(o->mac, 0, sizeof(o->mac)) ||
	    !memchr(o->addr, 0, sizeof(o->addr)) || (o->mac[0] && strlen(o->mac) != 17))
		__builtin_trap();
	/* touch every byte, so ASan sees a value pointing outside the input */
	volatile uint8_t x = 0;
	for (size_t i = 0; i < o->len; i++)
		x ^= o->value[i];
	(void)x; /* clang: set but not used */
	return 0;
}

static int fz_link(void *arg, const struct sn_link *l)
{
	(void)arg;
	if (!memchr(l->a_key, 0, sizeof(l->a_key)) || !memchr(l->a_port, 0, sizeof(l->a_port)) ||
	    !memchr(l->b_key, 0, sizeof(l->b_key)) || !memchr(l->b_port, 0, sizeof(l->b_port)) ||
	    strncmp(l->a_key, "mac:", 4))
		__builtin_trap();
	return 0;
}

static void fz_pkt(struct sn_pkt *pk)
{
	static const uint8_t src[6] = {0x00, 0xe0, 0xfc, 0x01, 0x02, 0x03};

	memset(pk, 0, sizeof(*pk));
	pk->file = "fuzz.pcap";
	pk->no = 1;
	pk->scope = "";
	memcpy(pk->src_mac, src, 6);
	pk->has_mac = 1;
	pk->vlan = 7;
	memcpy(pk->src_ip, "192.0.2.9", 10);
	pk->on_obs = fz_obs;
	pk->on_link = fz_link;
}

static void fz_check(const struct sn_pkt *pk, int rc)
{
	if (rc != 0 && rc != TM_EPROTO)
		__builtin_trap();
	if (rc == TM_EPROTO && (!pk->err[0] || !memchr(pk->err, 0, sizeof(pk->err))))
		__builtin_trap();
}

#endif
