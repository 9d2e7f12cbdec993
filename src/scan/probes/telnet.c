/*
 * telnet.c - the Telnet probe: read the login banner, answering option
 * negotiation so that the server goes on (DO x -> WONT x; WILL ECHO and
 * WILL SUPPRESS-GO-AHEAD -> DO, other WILL -> DONT; subnegotiation skipped).
 * The text without the commands goes into the buffer; a login, user name or
 * password prompt completes it.
 */
#include "../../core/str.h"
#include "../probe.h"

#include <string.h>

enum { T_DATA = 0, T_IAC, T_OPT, T_SB, T_SB_IAC };
enum { IAC = 255, DONT = 254, DO = 253, WONT = 252, WILL = 251, SB = 250, SE = 240 };

static void start(struct probe_ctx *c)
{
	(void)c;
}

static void answer(struct probe_ctx *c, uint8_t cmd, uint8_t opt)
{
	uint8_t r[3] = {IAC, 0, opt};

	if (cmd == DO)
		r[1] = WONT;
	else if (cmd == WILL)
		r[1] = opt == 1 || opt == 3 ? DO : DONT;
	else
		return; /* WONT/DONT need no answer */
	probe_queue(c, r, 3);
}

static int prompt(const struct probe_ctx *c)
{
	const char *s = (const char *)c->in;
	size_t n = c->inlen;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || s[n - 1] != ':')
		return 0;
	return str_casefind(s, n, "login") || str_casefind(s, n, "username") || str_casefind(s, n, "password") ||
	       str_casefind(s, n, "user name");
}

static int input(struct probe_ctx *c, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b = p[i];
		switch (c->tn_state) {
		case T_DATA:
			if (b == IAC)
				c->tn_state = T_IAC;
			else if (b && probe_append(c, &b, 1))
				return PROBE_DONE;
			break;
		case T_IAC:
			if (b == IAC) {
				c->tn_state = T_DATA;
				if (probe_append(c, &b, 1))
					return PROBE_DONE;
			} else if (b >= WILL && b <= DONT) {
				c->tn_cmd = b;
				c->tn_state = T_OPT;
			} else
				c->tn_state = b == SB ? T_SB : T_DATA;
			break;
		case T_OPT:
			answer(c, c->tn_cmd, b);
			c->tn_state = T_DATA;
			break;
		case T_SB:
			if (b == IAC)
				c->tn_state = T_SB_IAC;
			break;
		default: /* T_SB_IAC */
			c->tn_state = b == SE ? T_DATA : T_SB;
			break;
		}
	}
	return prompt(c);
}

static void finish(struct probe_ctx *c, int why)
{
	const char *s = (const char *)c->in;
	size_t n = c->inlen;
	unsigned fl = c->flags;

	str_trim(&s, &n);
	if (!n)
		return;
	if (why != PROBE_END_DONE && why != PROBE_END_EOF && !memchr(s, '\n', n))
		fl |= OBS_TRUNCATED;
	probe_emit(c, OBS_TELNET_BANNER, NULL, s, n, fl);
}

const struct probe_ops probe_telnet_ops = {"telnet", start, input, finish, NULL};
