/* lldp.c - stub until its decoder lands: decodes nothing. */
#include "sniff.h"

int sn_lldp(struct sn_pkt *pk, const uint8_t *p, size_t n)
{
	(void)pk, (void)p, (void)n;
	return 0;
}
