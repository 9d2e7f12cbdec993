/*
 * sniff_fuzz.h - shared by the sniff decoder fuzz targets: a packet whose
 * observations are checked (bounded value, known kind, NUL-terminated
 * fields) and whose error message must be set exactly when the decoder
 * says the payload is malformed.
 */
#ifndef TM_SNIFF_FUZZ_H
#define TM_SNIFF_FUZZ_H

#include "core/err.h"
#include "sniff/sniff.h"

#include <stdlib.h>
#include <string.h>

static int sf_check_obs(void *arg, const struct obs *o)
{
	(void)arg;
	if (o->len > OBS_VALUE_MAX || (o->len && !o->value) || o->kind <= OBS_NONE || o->kind >= OBS_KIND_COUNT)
		abort();
	if (!memchr(o->addr, 0, sizeof(o->addr)) || !memchr(o->probe, 0, sizeof(o->probe)))
		abort();
	if (o->value && o->len)
		(void)(volatile uint8_t)o->value[o->len - 1];
	return 0;
}

static void sf_pkt(struct sn_pkt *pk, uint16_t sport, uint16_t dport, uint8_t proto)
{
	memset(pk, 0, sizeof(*pk));
	pk->file = "fuzz";
	pk->no = 1;
	pk->scope = "";
	memcpy(pk->src_ip, "192.0.2.1", 10);
	memcpy(pk->dst_ip, "192.0.2.2", 10);
	pk->sport = sport;
	pk->dport = dport;
	pk->proto = proto;
	pk->on_obs = sf_check_obs;
}

/* A decoder's return: 0, or TM_EPROTO with a message. */
static void sf_rc(const struct sn_pkt *pk, int rc)
{
	if (rc != 0 && rc != TM_EPROTO)
		abort();
	if (rc == TM_EPROTO && (!pk->err[0] || !memchr(pk->err, 0, sizeof(pk->err))))
		abort();
}

#endif
