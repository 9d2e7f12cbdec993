/* app.c - stub until the TCP application decoders land: decodes nothing. */
#include "sniff.h"

int sn_app(struct sn_pkt *pk, const uint8_t *p, size_t n, int complete, enum sn_dec *dec)
{
	(void)pk, (void)p, (void)n, (void)complete;
	*dec = SN_DEC_COUNT;
	return 0;
}
