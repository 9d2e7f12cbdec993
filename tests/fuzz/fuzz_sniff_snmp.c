/* fuzz_sniff_snmp.c - sn_snmp on arbitrary datagrams from port 161 (v1/v2c and v3 paths). */
#include "sniff_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_pkt pk;

	sf_pkt(&pk, 161, 40000, 17);
	sf_rc(&pk, sn_snmp(&pk, data, size));
	return 0;
}
