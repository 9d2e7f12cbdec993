/*
 * derive.c - typed observations inside a raw service response: the Server
 * header, the authentication realm and the page title of an HTTP or RTSP
 * answer, the identification line of SSH, the greeting of FTP, SMTP and
 * Telnet.  Our rules are written per field; a scanner or masscan hands us
 * the whole response, so attribution splits it first.  The derived values
 * point into the original bytes; nothing is copied.
 */
#include "derive.h"
#include "../core/str.h"

#include <string.h>

/* The value of header name in (p, n) (HTTP/RTSP head), or NULL. */
static const char *header(const char *p, size_t n, const char *name, size_t *vl)
{
	size_t nl = strlen(name);
	const char *end = p + n, *line = p;

	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		size_t ll = eol ? (size_t)(eol - line) : (size_t)(end - line);

		if (ll && line[ll - 1] == '\r')
			ll--;
		if (!ll)
			break; /* end of the head */
		if (ll > nl && line[nl] == ':' && str_caseeq(line, nl, name)) {
			const char *v = line + nl + 1;
			size_t l = ll - nl - 1;

			str_trim(&v, &l);
			*vl = l;
			return v;
		}
		if (!eol)
			break;
		line = eol + 1;
	}
	return NULL;
}

/* realm="..." inside a WWW-Authenticate value. */
static const char *realm(const char *v, size_t n, size_t *rl)
{
	const char *r = str_casefind(v, n, "realm=\"");
	const char *q;

	if (!r)
		return NULL;
	r += 7;
	q = memchr(r, '"', (size_t)(v + n - r));
	if (!q)
		return NULL;
	*rl = (size_t)(q - r);
	return r;
}

/* Text between <title> and </title>, trimmed. */
static const char *title(const char *p, size_t n, size_t *tl)
{
	const char *t = str_casefind(p, n, "<title"), *gt, *e;
	size_t l;

	if (!t || !(gt = memchr(t, '>', (size_t)(p + n - t))))
		return NULL;
	gt++;
	e = str_casefind(gt, (size_t)(p + n - gt), "</title");
	l = e ? (size_t)(e - gt) : 0;
	str_trim(&gt, &l);
	*tl = l;
	return l ? gt : NULL;
}

static int add(struct obs *out, int *k, int max, const struct obs *o, enum obs_kind kind,
	       const char *v, size_t l)
{
	if (!v || !l || *k >= max)
		return 0;
	out[*k] = *o;
	out[*k].kind = kind;
	out[*k].probe[0] = 0;
	out[*k].value = (const uint8_t *)v;
	out[*k].len = l;
	(*k)++;
	return 1;
}

int attr_derive(const struct obs *o, struct obs *out, int max)
{
	const char *p = (const char *)o->value, *v;
	size_t n = o->len, l;
	int k = 0;

	if (o->kind != OBS_SERVICE_RESPONSE || !n)
		return 0;
	if (str_has_prefix(p, n, "HTTP/") || str_has_prefix(p, n, "RTSP/")) {
		int rtsp = p[0] == 'R';

		if ((v = header(p, n, "Server", &l)))
			add(out, &k, max, o, rtsp ? OBS_RTSP_SERVER : OBS_HTTP_SERVER, v, l);
		if ((v = header(p, n, "WWW-Authenticate", &l)) && (v = realm(v, l, &l)))
			add(out, &k, max, o, OBS_HTTP_REALM, v, l);
		if (!rtsp && (v = title(p, n, &l)))
			add(out, &k, max, o, OBS_HTTP_TITLE, v, l);
		return k;
	}
	if (str_has_prefix(p, n, "SSH-")) {
		const char *eol = memchr(p, '\n', n);

		l = eol ? (size_t)(eol - p) : n;
		if (l && p[l - 1] == '\r')
			l--;
		add(out, &k, max, o, OBS_SSH_BANNER, p, l);
		return k;
	}
	/* a greeting: FTP and SMTP say 220, Telnet anything; our rules are per kind */
	if (str_has_prefix(p, n, "220")) {
		add(out, &k, max, o, OBS_FTP_BANNER, p, n);
		add(out, &k, max, o, OBS_SMTP_BANNER, p, n);
	}
	add(out, &k, max, o, OBS_TELNET_BANNER, p, n);
	return k;
}
