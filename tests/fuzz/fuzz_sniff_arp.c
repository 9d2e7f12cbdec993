/* fuzz_sniff_arp.c - the sniff ARP decoder (src/sniff/arp.c) on any bytes after the Ethernet
 * header. */
#include "sniff_l2_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_pkt pk;

	fz_pkt(&pk);
	fz_check(&pk, sn_arp(&pk, data, size));
	return 0;
}
