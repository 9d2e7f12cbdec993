/*
 * telnet.c - the Telnet probe: read the login banner while answering option
 * negotiation (src/proto/telnet.c: DO -> WONT, WILL ECHO/SGA -> DO, other
 * WILL -> DONT, subnegotiation skipped) so that the server goes on.  The
 * text without the commands goes into the buffer; a login, user name or
 * password prompt completes it.
 */
#include "../../core/str.h"
#include "../probe.h"

#include <string.h>

static void start(struct probe_ctx *c)
{
	(void)c;
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
	/* what the negotiation keeps of the input is never longer than the input; one byte more so
	 * that text ending exactly at the inline buffer's end is not taken for a full buffer */
	probe_reserve(c, c->inlen + n + 1);
	telnet_feed(&c->tn, p, n, c->in, c->incap, &c->inlen, c->out, PROBE_OUT, &c->outlen);
	c->in[c->inlen] = 0;
	if (c->inlen >= c->incap) {
		c->flags |= OBS_TRUNCATED;
		return PROBE_DONE;
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
