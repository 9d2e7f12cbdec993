/* fuzz_telnet.c - the Telnet state machine: fed whole and fed in two pieces, results must agree. */
#include "proto/telnet.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t t1[65536], t2[65536], r1[65536], r2[65536];
	struct telnet a, b;
	size_t tl1 = 0, rl1 = 0, tl2 = 0, rl2 = 0, cut = size ? data[0] % (size + 1) : 0;

	telnet_init(&a);
	telnet_feed(&a, data, size, t1, sizeof(t1), &tl1, r1, sizeof(r1), &rl1);
	telnet_init(&b);
	telnet_feed(&b, data, cut, t2, sizeof(t2), &tl2, r2, sizeof(r2), &rl2);
	telnet_feed(&b, data + cut, size - cut, t2, sizeof(t2), &tl2, r2, sizeof(r2), &rl2);
	if (tl1 != tl2 || rl1 != rl2 || memcmp(t1, t2, tl1) || memcmp(r1, r2, rl1) || tl1 > size ||
	    rl1 > 3 * size)
		__builtin_trap();
	return 0;
}
