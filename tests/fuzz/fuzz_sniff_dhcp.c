/*
 * fuzz_sniff_dhcp.c - the sniff DHCP decoders (src/sniff/dhcp4.c, dhcp6.c):
 * the first byte chooses (even: DHCPv4, odd: DHCPv6), the rest is the UDP payload.
 */
#include "sniff_l2_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_pkt pk;

	if (!size)
		return 0;
	fz_pkt(&pk);
	if (data[0] & 1)
		fz_check(&pk, sn_dhcp6(&pk, data + 1, size - 1));
	else
		fz_check(&pk, sn_dhcp4(&pk, data + 1, size - 1));
	return 0;
}
