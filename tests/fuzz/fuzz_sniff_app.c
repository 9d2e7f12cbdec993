/*
 * fuzz_sniff_app.c - sn_app on arbitrary server bytes: byte 0 picks the
 * server port (well-known ones and shifted ones, so every content and port
 * branch is reached), bit 6 whether the client spoke first (asked) and bit 7
 * whether the server closed the stream; the rest is what the server sent.
 */
#include "sniff_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t ports[] = {21, 22, 23, 25, 80, 443, 554, 587, 830, 8080,
					 20021, 20023, 20443, 37777, 49152, 9999};
	struct sn_pkt pk;
	enum sn_dec dec = SN_DEC_PCAP;
	int rc;

	if (size < 1)
		return 0;
	sf_pkt(&pk, ports[data[0] & 15], 40000, 6);
	pk.asked = (uint8_t)(data[0] >> 6 & 1);
	rc = sn_app(&pk, data + 1, size - 1, data[0] >> 7, &dec);
	sf_rc(&pk, rc);
	if (dec != SN_DEC_TLS && dec != SN_DEC_HTTP && dec != SN_DEC_BANNER && dec != SN_DEC_COUNT)
		abort();
	return 0;
}
