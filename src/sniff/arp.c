/*
 * arp.c - ARP over Ethernet/IPv4 (RFC 826): the sender's MAC-IP binding.
 *
 * Every request and reply (gratuitous ones too) says which MAC holds which
 * IPv4 address; that binding is what merges an asset seen by its MAC (OUI,
 * LLDP) with the same asset seen by its address (SNMP, banners).  Probes
 * (sender 0.0.0.0, RFC 5227) and zero, broadcast or group sender MACs bind
 * nothing.  Other hardware or protocol types are not ours and not malformed.
 */
#include "l2.h"

#include "core/rd.h"

#include <string.h>

#define ARP_HTYPE_ETHER 1
#define ARP_PTYPE_IPV4	0x0800
#define ARP_LEN		28 /* htype, ptype, hlen, plen, oper, sha, spa, tha, tpa */

int sn_arp(struct sn_pkt *pk, const uint8_t *p, size_t n)
{
	static const uint8_t any[4];
	struct rd r;
	uint16_t htype, ptype, op;
	uint8_t hlen, plen, sha[6], spa[4];
	char mac[18], addr[46];

	rd_init(&r, p, n);
	htype = rd_be16(&r);
	ptype = rd_be16(&r);
	hlen = rd_u8(&r);
	plen = rd_u8(&r);
	op = rd_be16(&r);
	if (!rd_ok(&r))
		return sn_malformed(pk, "ARP header cut at %zu bytes, 8 needed", n);
	if (htype != ARP_HTYPE_ETHER || ptype != ARP_PTYPE_IPV4)
		return 0;
	if (hlen != 6 || plen != 4)
		return sn_malformed(pk, "ARP Ethernet/IPv4 with address lengths %u/%u, not 6/4",
				    hlen, plen);
	if (op != 1 && op != 2)
		return 0; /* RARP and InARP operations carry no sender binding we trust */
	rd_copy(&r, sha, 6);
	rd_copy(&r, spa, 4);
	rd_skip(&r, 10);
	if (!rd_ok(&r))
		return sn_malformed(pk, "ARP message cut at %zu bytes, %d needed", n, ARP_LEN);
	if (!memcmp(spa, any, 4) || !l2_mac_usable(sha))
		return 0;
	sn_mac_text(sha, mac);
	l2_ip4_text(spa, addr);
	return sn_emit(pk, OBS_MAC, mac, addr, 0, 0, mac, strlen(mac), 0);
}
