/*
 * l2.c - helpers the link-layer and DHCP decoders share (l2.h): address
 * text, the printable test for announced names, the neighbour link.
 */
#include "l2.h"

#include "core/str.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

void l2_ip4_text(const uint8_t a[4], char out[46])
{
	snprintf(out, 46, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

void l2_ip6_text(const uint8_t a[16], char out[46])
{
	if (!inet_ntop(AF_INET6, a, out, 46))
		out[0] = 0;
}

void l2_src_mac(const struct sn_pkt *pk, char out[18])
{
	if (pk->has_mac)
		sn_mac_text(pk->src_mac, out);
	else
		out[0] = 0;
}

bool l2_mac_usable(const uint8_t m[6])
{
	static const uint8_t zero[6];

	return memcmp(m, zero, 6) && !(m[0] & 1);
}

bool l2_printable(const uint8_t *p, size_t n, size_t *len)
{
	while (n && !p[n - 1])
		n--;
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	*len = n;
	return true;
}

int l2_link(struct sn_pkt *pk, const char *mac, const char *port, const char *src)
{
	struct sn_link l;

	memset(&l, 0, sizeof(l));
	snprintf(l.a_key, sizeof(l.a_key), "mac:%s", mac);
	str_set(l.a_port, sizeof(l.a_port), port ? port : "");
	snprintf(l.b_key, sizeof(l.b_key), "capture:%.80s", pk->file ? pk->file : "");
	if (pk->vlan)
		snprintf(l.b_port, sizeof(l.b_port), "vlan %u", (unsigned)pk->vlan);
	str_set(l.source, sizeof(l.source), src);
	return sn_link(pk, &l);
}
