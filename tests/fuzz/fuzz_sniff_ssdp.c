/* fuzz_sniff_ssdp.c - sn_ssdp on arbitrary datagrams to or from port 1900. */
#include "sniff_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_pkt pk;

	sf_pkt(&pk, size & 1 ? 1900 : 38211, 1900, 17);
	sf_rc(&pk, sn_ssdp(&pk, data, size));
	return 0;
}
