/*
 * telnet.c - the negotiation state machine of telnet.h (RFC 854 "The
 * NVT", RFC 855 option subnegotiation).  One switch per byte; nothing is
 * buffered but the state, so memory is constant whatever the server sends.
 */
#include "telnet.h"

#include <string.h>

enum { ST_TEXT, ST_IAC, ST_OPT, ST_SB, ST_SB_IAC };

void telnet_init(struct telnet *t)
{
	memset(t, 0, sizeof(*t));
}

static void answer(uint8_t cmd, uint8_t opt, uint8_t *reply, size_t rcap, size_t *rlen)
{
	uint8_t a;

	if (cmd == TELNET_DO)
		a = TELNET_WONT;
	else if (cmd == TELNET_WILL)
		a = (opt == TELNET_OPT_ECHO || opt == TELNET_OPT_SGA) ? TELNET_DO : TELNET_DONT;
	else
		return; /* WONT/DONT: we never enabled anything, nothing to acknowledge */
	if (!reply || *rlen > rcap || rcap - *rlen < 3)
		return;
	reply[(*rlen)++] = TELNET_IAC;
	reply[(*rlen)++] = a;
	reply[(*rlen)++] = opt;
}

static void text_byte(uint8_t c, uint8_t *text, size_t tcap, size_t *tlen)
{
	if (c && text && *tlen < tcap)
		text[(*tlen)++] = c;
}

void telnet_feed(struct telnet *t, const uint8_t *in, size_t n, uint8_t *text, size_t tcap,
		 size_t *tlen, uint8_t *reply, size_t rcap, size_t *rlen)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = in[i];

		switch (t->state) {
		case ST_IAC:
			if (c == TELNET_IAC) {
				text_byte(c, text, tcap, tlen);
				t->state = ST_TEXT;
			} else if (c >= TELNET_WILL) {
				t->cmd = c;
				t->state = ST_OPT;
			} else if (c == TELNET_SB) {
				t->sb_len = 0;
				t->state = ST_SB;
			} else {
				t->state = ST_TEXT; /* NOP, GA, AYT ...: no option byte follows */
			}
			break;
		case ST_OPT:
			t->opt = c;
			answer(t->cmd, c, reply, rcap, rlen);
			t->state = ST_TEXT;
			break;
		case ST_SB:
		case ST_SB_IAC:
			if (t->state == ST_SB_IAC && c == TELNET_SE)
				t->state = ST_TEXT;
			else if (t->state == ST_SB && c == TELNET_IAC)
				t->state = ST_SB_IAC;
			else
				t->state = ST_SB;
			if (t->state != ST_TEXT && ++t->sb_len > TELNET_SB_MAX)
				t->state = ST_TEXT;
			break;
		default:
			if (c == TELNET_IAC)
				t->state = ST_IAC;
			else
				text_byte(c, text, tcap, tlen);
			break;
		}
	}
}
