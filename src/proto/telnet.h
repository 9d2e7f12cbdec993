/*
 * telnet.h - the Telnet option negotiation of RFC 854/855 as a byte-at-a-time
 * state machine whose state lives in struct telnet, so a negotiation split
 * over any number of reads needs no reassembly.  We refuse every option the
 * server asks us to do (DO -> WONT) and every option it offers (WILL -> DONT),
 * except WILL ECHO and WILL SUPPRESS-GO-AHEAD (RFC 857, 858) which we accept
 * with DO, as a plain login prompt needs them.  Pure: bytes in, text and
 * replies out, no sockets.
 */
#ifndef TM_TELNET_H
#define TM_TELNET_H

#include <stddef.h>
#include <stdint.h>

enum {
	TELNET_SE = 240,
	TELNET_SB = 250,
	TELNET_WILL = 251,
	TELNET_WONT = 252,
	TELNET_DO = 253,
	TELNET_DONT = 254,
	TELNET_IAC = 255,
	TELNET_OPT_ECHO = 1,
	TELNET_OPT_SGA = 3,
	TELNET_SB_MAX =
	    1024, /* subnegotiation bytes skipped before we give up on it and read text again */
};

struct telnet {
	int state;     /* where in a command we are (telnet.c's enum); 0 = text */
	uint8_t cmd;   /* the WILL/WONT/DO/DONT waiting for its option byte */
	uint8_t opt;   /* the last option seen */
	size_t sb_len; /* bytes skipped in the current subnegotiation */
};

/* Zeroes the state (a zeroed struct is also a valid start). */
void telnet_init(struct telnet *t);
/*
 * Consumes in[0..n).  Text bytes (IAC IAC as one 255, NUL dropped) are
 * appended to text[*tlen..tcap), the excess dropped; each answer (3 bytes
 * IAC DONT/DO/WONT opt) is appended to reply[*rlen..rcap) whole or not at
 * all.  *tlen and *rlen are read and advanced, so callers may accumulate
 * over several calls; set them to 0 for fresh buffers.
 */
void telnet_feed(struct telnet *t, const uint8_t *in, size_t n, uint8_t *text, size_t tcap,
		 size_t *tlen, uint8_t *reply, size_t rcap, size_t *rlen);

#endif
