/*
 * emit.c - what every decoder shares: observations and links handed to the
 * capture layer's callbacks, MACs as text, the malformed-packet message.
 */
#include "sniff.h"

#include "core/err.h"
#include "core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const names[SN_DEC_COUNT] = {
	[SN_DEC_PCAP] = "pcap",	  [SN_DEC_ETH] = "ethernet", [SN_DEC_ARP] = "arp",
	[SN_DEC_LLDP] = "lldp",	  [SN_DEC_CDP] = "cdp",	     [SN_DEC_IPV4] = "ipv4",
	[SN_DEC_IPV6] = "ipv6",	  [SN_DEC_TCP] = "tcp",	     [SN_DEC_UDP] = "udp",
	[SN_DEC_DHCP4] = "dhcp4", [SN_DEC_DHCP6] = "dhcp6",  [SN_DEC_SNMP] = "snmp",
	[SN_DEC_SSDP] = "ssdp",	  [SN_DEC_HTTP] = "http",    [SN_DEC_TLS] = "tls",
	[SN_DEC_BANNER] = "banner",
};

const char *sn_dec_name(enum sn_dec d)
{
	return (unsigned)d < SN_DEC_COUNT ? names[d] : "?";
}

int sn_emit(struct sn_pkt *pk, enum obs_kind k, const char *mac, const char *addr, uint16_t port,
	    uint8_t proto, const void *v, size_t n, unsigned flags)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.time = pk->time;
	str_set(o.source, sizeof(o.source), "sniff");
	str_set(o.addr, sizeof(o.addr), addr ? addr : "");
	str_set(o.scope, sizeof(o.scope), pk->scope ? pk->scope : "");
	str_set(o.mac, sizeof(o.mac), mac ? mac : "");
	o.port = port;
	o.proto = proto;
	o.kind = k;
	obs_set_value(&o, v, n);
	o.flags |= flags;
	return pk->on_obs ? pk->on_obs(pk->arg, &o) : 0;
}

int sn_link(struct sn_pkt *pk, const struct sn_link *l)
{
	return pk->on_link ? pk->on_link(pk->arg, l) : 0;
}

void sn_mac_text(const uint8_t m[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

int sn_malformed(struct sn_pkt *pk, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pk->err, sizeof(pk->err), fmt, ap);
	va_end(ap);
	return TM_EPROTO;
}
