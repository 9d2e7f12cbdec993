/*
 * banner.c - the banner-read probe (SSH, FTP, SMTP, and the generic NULL
 * probe): send nothing, read what the server says first.  SSH is complete
 * at the identification line, FTP/SMTP at the last line of the greeting
 * ("220 ..."), anything else at its first line; the buffer's ceiling, the
 * peer closing or the read deadline end it too (then what came is kept and
 * flagged truncated).
 */
#include "../ports.h"
#include "../probe.h"

#include <string.h>

/* The line of in[] starting at off: its length without CR LF, *eol whether it ended. */
static size_t line_at(const struct probe_ctx *c, size_t off, int *eol)
{
	const uint8_t *nl = memchr(c->in + off, '\n', c->inlen - off);
	size_t n = nl ? (size_t)(nl - c->in) - off : c->inlen - off;

	*eol = nl != NULL;
	if (nl && n && c->in[off + n - 1] == '\r')
		n--;
	return n;
}

/* Offset of the SSH identification line, or -1; *done when it is complete. */
static long ssh_line(const struct probe_ctx *c, int *done)
{
	for (size_t off = 0; off < c->inlen;) {
		int eol;
		size_t n = line_at(c, off, &eol);
		if (c->inlen - off >= 4 && !memcmp(c->in + off, "SSH-", 4)) {
			*done = eol;
			return (long)off;
		}
		if (!eol)
			break;
		off += n + 1 + (c->in[off + n] == '\r');
	}
	*done = 0;
	return -1;
}

static int is_code(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] >= '1' && p[0] <= '5' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9';
}

/* Bytes of a complete FTP/SMTP greeting ("220-..." lines then "220 ..."), or 0. */
static size_t greeting_len(const struct probe_ctx *c)
{
	for (size_t off = 0; off < c->inlen;) {
		int eol;
		size_t n = line_at(c, off, &eol);
		if (!eol)
			return 0;
		if (is_code(c->in + off, n) && (n == 3 || c->in[off + 3] == ' '))
			return off + n;
		off += n + 1 + (c->in[off + n] == '\r');
	}
	return 0;
}

static void start(struct probe_ctx *c)
{
	(void)c;
}

static int input(struct probe_ctx *c, const uint8_t *p, size_t n)
{
	int done = 0;

	if (probe_append(c, p, n))
		return PROBE_DONE;
	switch (c->probe) {
	case SCAN_PROBE_SSH:
		ssh_line(c, &done);
		return done;
	case SCAN_PROBE_FTP:
	case SCAN_PROBE_SMTP:
		return greeting_len(c) > 0 || (c->inlen >= 3 && !is_code(c->in, c->inlen) && memchr(c->in, '\n', c->inlen));
	default:
		return memchr(c->in, '\n', c->inlen) != NULL;
	}
}

static void finish(struct probe_ctx *c, int why)
{
	unsigned fl = c->flags;
	int done = 0, eol;
	long off;
	size_t n;

	if (!c->inlen)
		return;
	if (c->probe == SCAN_PROBE_SSH && (off = ssh_line(c, &done)) >= 0) {
		n = line_at(c, (size_t)off, &eol);
		probe_emit(c, OBS_SSH_BANNER, NULL, c->in + off, n, fl | (done ? 0 : OBS_TRUNCATED));
		return;
	}
	if ((c->probe == SCAN_PROBE_FTP || c->probe == SCAN_PROBE_SMTP) && is_code(c->in, c->inlen)) {
		n = greeting_len(c);
		if (!n) { /* an unfinished greeting: keep what came */
			n = c->inlen;
			while (n && (c->in[n - 1] == '\n' || c->in[n - 1] == '\r'))
				n--;
			fl |= OBS_TRUNCATED;
		}
		probe_emit(c, c->probe == SCAN_PROBE_FTP ? OBS_FTP_BANNER : OBS_SMTP_BANNER, NULL, c->in, n, fl);
		return;
	}
	if (why != PROBE_END_DONE && why != PROBE_END_EOF && !memchr(c->in, '\n', c->inlen))
		fl |= OBS_TRUNCATED;
	probe_emit(c, OBS_SERVICE_RESPONSE, "NULL", c->in, c->inlen, fl);
}

const struct probe_ops probe_banner_ops = {"banner", start, input, finish, NULL};
