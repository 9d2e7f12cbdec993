/*
 * banner.c - what a server says first, as the scanner's banner and Telnet
 * probes read it (src/scan/probes/banner.c, telnet.c): the SSH
 * identification line (RFC 4253 section 4.2) -> ssh_banner; an FTP (RFC 959)
 * or SMTP (RFC 5321) greeting, its "220-" lines through the last "220 " one
 * -> ftp_banner or smtp_banner; Telnet text with the option negotiation of
 * RFC 854 stripped by src/proto/telnet.c -> telnet_banner (IAC first, a
 * login prompt at the end, or port 23); anything else ->
 * service_response "NULL", what nmap's NULL probe would have seen.  Content
 * decides before the port: a greeting naming FTP or (E)SMTP is one on any
 * port, IAC first or a login prompt is Telnet.  What may answer a request
 * is no greeting, so it is left alone rather than taken for the NULL probe's
 * answer: when the flow table did not see the server speak first from the
 * start of the connection (pk->asked: the client sent bytes before the
 * server's first -- a bulk transfer's data, a database's rows -- or the
 * capture began after the SYN-ACK, in the middle of the stream), and on
 * ports where the client speaks first (HTTP, TLS, RTSP) whatever the
 * capture shows.
 */
#include "app.h"

#include "core/str.h"
#include "proto/telnet.h"

#include <string.h>

enum { B_NONE, B_FTP, B_SMTP };

/* The line at off: its length without CR LF; *eol whether it ended. */
static size_t line_at(const uint8_t *p, size_t n, size_t off, int *eol)
{
	const uint8_t *nl = memchr(p + off, '\n', n - off);
	size_t k = nl ? (size_t)(nl - p) - off : n - off;

	*eol = nl != NULL;
	if (nl && k && p[off + k - 1] == '\r')
		k--;
	return k;
}

/* Offset of the first line starting "SSH-" (lines before it are allowed by RFC 4253), or -1. */
static long ssh_line(const uint8_t *p, size_t n, int *done)
{
	for (size_t off = 0; off < n;) {
		int eol;
		size_t k = line_at(p, n, off, &eol);
		if (n - off >= 4 && !memcmp(p + off, "SSH-", 4)) {
			*done = eol;
			return (long)off;
		}
		if (!eol)
			break;
		off += k + 1 + (p[off + k] == '\r');
	}
	*done = 0;
	return -1;
}

static int is_code(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] >= '1' && p[0] <= '5' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
	       p[2] <= '9';
}

/* Bytes of a complete greeting ("220-..." lines then "220 ..."), without its last CR LF, or 0. */
static size_t greeting_len(const uint8_t *p, size_t n)
{
	for (size_t off = 0; off < n;) {
		int eol;
		size_t k = line_at(p, n, off, &eol);
		if (!eol)
			return 0;
		if (is_code(p + off, k) && (k == 3 || p[off + 3] == ' '))
			return off + k;
		off += k + 1 + (p[off + k] == '\r');
	}
	return 0;
}

/* FTP or SMTP by what the greeting says, else by the well-known port. */
static int greeting_kind(const uint8_t *p, size_t n, uint16_t port)
{
	size_t gl = greeting_len(p, n);
	const char *s = (const char *)p;
	int ftp, smtp;

	if (!is_code(p, n) || (n > 3 && p[3] != ' ' && p[3] != '-' && p[3] != '\r' && p[3] != '\n'))
		return B_NONE;
	if (!gl)
		gl = n;
	smtp = str_casefind(s, gl, "SMTP") != NULL;
	ftp = str_casefind(s, gl, "FTP") != NULL;
	if (smtp && !ftp)
		return B_SMTP;
	if (ftp && !smtp)
		return B_FTP;
	if (port == 21)
		return B_FTP;
	if (port == 25 || port == 587)
		return B_SMTP;
	return smtp ? B_SMTP : B_NONE;
}

static int greeting(struct sn_pkt *pk, const uint8_t *p, size_t n, int kind)
{
	size_t gl = greeting_len(p, n);
	unsigned fl = 0;

	if (!gl) { /* an unfinished greeting: keep what came */
		gl = n;
		while (gl && (p[gl - 1] == '\n' || p[gl - 1] == '\r'))
			gl--;
		fl = OBS_TRUNCATED;
	}
	return app_emit(pk, kind == B_FTP ? OBS_FTP_BANNER : OBS_SMTP_BANNER, NULL, p, gl, fl);
}

/* A login, user name or password prompt at the end of the text (the Telnet probe's stop). */
static int prompt(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || s[n - 1] != ':')
		return 0;
	return str_casefind(s, n, "login") || str_casefind(s, n, "username") ||
	       str_casefind(s, n, "password") || str_casefind(s, n, "user name");
}

static int telnet(struct sn_pkt *pk, const uint8_t *p, size_t n, int complete)
{
	static _Thread_local uint8_t text[APP_KEPT];
	uint8_t reply[64];
	struct telnet t;
	size_t tl = 0, rl = 0;
	const char *s = (const char *)text;
	unsigned fl = 0;
	int done;

	telnet_init(&t);
	/* our answers to its options are thrown away (a full reply buffer drops them): only text counts */
	telnet_feed(&t, p, n, text, APP_KEPT, &tl, reply, sizeof(reply), &rl);
	if (tl >= APP_KEPT)
		fl |= OBS_TRUNCATED;
	done = prompt(s, tl);
	str_trim(&s, &tl);
	if (!tl)
		return 0;
	if (!done && !complete && !memchr(s, '\n', tl))
		fl |= OBS_TRUNCATED;
	return app_emit(pk, OBS_TELNET_BANNER, NULL, s, tl, fl);
}

/* Ports where the client speaks first (the scanner's HTTP, TLS and RTSP defaults, SSDP). */
static int client_first(uint16_t port)
{
	static const uint16_t ports[] = {80, 443, 554, 1900, 8000, 8080, 8443};

	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (ports[i] == port)
			return 1;
	return 0;
}

int app_banner(struct sn_pkt *pk, const uint8_t *p, size_t n, int complete, enum sn_dec *dec)
{
	int done = 0, eol, kind;
	long off;

	*dec = SN_DEC_BANNER;
	if ((off = ssh_line(p, n, &done)) >= 0 && (off == 0 || pk->sport == 22 || pk->sport == 830))
		return app_emit(pk, OBS_SSH_BANNER, NULL, p + off, line_at(p, n, (size_t)off, &eol),
				done ? 0 : OBS_TRUNCATED);
	if (p[0] == TELNET_IAC)
		return telnet(pk, p, n, complete);
	if ((kind = greeting_kind(p, n, pk->sport)) != B_NONE)
		return greeting(pk, p, n, kind);
	if (pk->sport == 23 || prompt((const char *)p, n))
		return telnet(pk, p, n, complete);
	if (pk->asked || client_first(pk->sport)) {
		*dec = SN_DEC_COUNT;
		return 0;
	}
	return app_emit(pk, OBS_SERVICE_RESPONSE, "NULL", p, n,
			!complete && !memchr(p, '\n', n) ? OBS_TRUNCATED : 0);
}
