/*
 * common.c - the parts every reader of src/import/ shares (imp_int.h): the
 * run context and its bad-record rule, delivery to the sink, line and chunk
 * sources over files or memory, and normalisers for addresses, MACs, times,
 * protocols, base64 and backslash escapes.
 */
#include "imp_int.h"

#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

size_t imp_chunk_size;

void imp_run_init(struct imp_run *r, const char *file, const struct imp_sink *k, int skip_bad,
		  struct imp_stats *st, char *eb, size_t el)
{
	memset(r, 0, sizeof(*r));
	r->file = file ? file : "-";
	r->k = k;
	r->skip_bad = skip_bad;
	r->st = st ? st : &r->own;
	memset(r->st, 0, sizeof(*r->st));
	r->eb = eb;
	r->el = el;
	if (eb && el)
		eb[0] = 0;
}

int imp_bad(struct imp_run *r, unsigned long line, unsigned long col, const char *fmt, ...)
{
	char msg[TM_ERRLEN], full[2 * TM_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s:%lu:%lu: %s", r->file, line, col, msg);
	if (r->skip_bad) {
		r->st->skipped++;
		if (!r->st->first_error[0])
			str_set(r->st->first_error, sizeof(r->st->first_error), full);
		return IMP_SKIP;
	}
	if (r->eb && r->el)
		str_set(r->eb, r->el, full);
	return TM_EPROTO;
}

int imp_emit(struct imp_run *r, unsigned long line, const struct obs *o)
{
	int rc = r->k && r->k->obs ? r->k->obs(r->k->ctx, o) : 0;

	if (rc == IMP_SKIP)
		rc = TM_EINVAL;
	if (rc)
		return err_set(r->eb, r->el, rc, "%s:%lu: import stopped by its sink (%s)", r->file,
			       line, tm_strerror(rc));
	r->st->obs++;
	return 0;
}

int imp_emit_site(struct imp_run *r, unsigned long line, const struct imp_site *s)
{
	int rc = r->k && r->k->site ? r->k->site(r->k->ctx, s) : 0;

	if (rc == IMP_SKIP)
		rc = TM_EINVAL;
	if (rc)
		return err_set(r->eb, r->el, rc, "%s:%lu: import stopped by its sink (%s)", r->file,
			       line, tm_strerror(rc));
	return 0;
}

void imp_obs_init(struct obs *o, const char *source)
{
	memset(o, 0, sizeof(*o));
	str_set(o->source, sizeof(o->source), source);
}

int imp_lines_open(struct imp_lines *l, const char *path, size_t max, char *eb, size_t el)
{
	memset(l, 0, sizeof(*l));
	l->max = max;
	return lr_open(&l->lr, path, max, eb, el);
}

void imp_lines_mem(struct imp_lines *l, const char *data, size_t len, size_t max)
{
	memset(l, 0, sizeof(*l));
	l->mem = 1;
	l->max = max;
	rd_init(&l->rd, data, len);
}

int imp_lines_next(struct imp_lines *l, const char **p, size_t *n)
{
	int rc;

	if (!l->mem) {
		rc = lr_next(&l->lr, p, n);
		l->lineno = l->lr.lineno;
		l->cut = l->lr.cut;
		l->binary = l->lr.binary;
		return rc;
	}
	if (!rd_line(&l->rd, p, n, l->max, &l->cut))
		return 0;
	l->lineno++;
	l->binary = *n && memchr(*p, 0, *n) != NULL;
	return 1;
}

void imp_lines_close(struct imp_lines *l)
{
	if (!l->mem)
		lr_close(&l->lr);
	memset(l, 0, sizeof(*l));
}

static size_t chunk_size(void)
{
	return imp_chunk_size ? imp_chunk_size : 65536;
}

int imp_chunks_open(struct imp_chunks *c, const char *path, char *eb, size_t el)
{
	memset(c, 0, sizeof(*c));
	c->size = chunk_size();
	if (!strcmp(path, "-")) {
		c->f = stdin;
	} else {
		c->f = fopen(path, "rb");
		if (!c->f)
			return err_set(eb, el, errno == ENOENT ? TM_ENOTFOUND : TM_EIO, "%s: %s",
				       path, strerror(errno));
		c->own = 1;
	}
	c->buf = mem_alloc(c->size);
	if (!c->buf) {
		imp_chunks_close(c);
		return err_set(eb, el, TM_ENOMEM, "%s: out of memory", path);
	}
	return 0;
}

void imp_chunks_mem(struct imp_chunks *c, const char *data, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->data = data;
	c->len = len;
	c->size = chunk_size();
}

int imp_chunks_next(struct imp_chunks *c, const char **p, size_t *n)
{
	size_t got;

	if (!c->f) {
		if (c->off >= c->len)
			return 0;
		got = c->len - c->off < c->size ? c->len - c->off : c->size;
		*p = c->data + c->off;
		*n = got;
		c->off += got;
		return 1;
	}
	got = fread(c->buf, 1, c->size, c->f);
	if (!got)
		return ferror(c->f) ? TM_EIO : 0;
	*p = c->buf;
	*n = got;
	return 1;
}

void imp_chunks_close(struct imp_chunks *c)
{
	if (c->own && c->f)
		fclose(c->f);
	mem_free(c->buf);
	memset(c, 0, sizeof(*c));
}

bool imp_addr(const char *s, size_t n, char out[46])
{
	char tmp[64];
	unsigned char bin[16];

	str_trim(&s, &n);
	if (!n || n >= sizeof(tmp) || memchr(s, 0, n))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	if (inet_pton(AF_INET, tmp, bin) == 1)
		return inet_ntop(AF_INET, bin, out, 46) != NULL;
	if (inet_pton(AF_INET6, tmp, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, 46) != NULL;
	return false;
}

bool imp_mac(const char *s, size_t n, char out[18])
{
	uint8_t m[6];

	str_trim(&s, &n);
	if (!str_to_mac(s, n, m))
		return false;
	str_mac(m, out);
	return true;
}

/* Two digits at s into *v (0..max). */
static bool two(const char *s, int max, int64_t *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return *v <= max;
}

bool imp_time(const char *s, size_t n, int64_t *t)
{
	int64_t days, h, m, sec;
	size_t i = 19;

	str_trim(&s, &n);
	if (n && n <= 19 && s[0] != '-' && s[0] != '+' && str_to_i64(s, n, t))
		return true;
	if (n < 20 || !str_to_date(s, 10, &days) || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':' || !two(s + 11, 23, &h) || !two(s + 14, 59, &m) ||
	    !two(s + 17, 60, &sec))
		return false;
	if (s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (!((n - i == 1 && s[i] == 'Z') || (n - i == 6 && !memcmp(s + i, "+00:00", 6))))
		return false;
	*t = days * 86400 + h * 3600 + m * 60 + sec;
	return true;
}

bool imp_proto(const char *s, size_t n, uint8_t *proto)
{
	if (str_caseeq(s, n, "tcp"))
		*proto = 6;
	else if (str_caseeq(s, n, "udp"))
		*proto = 17;
	else if (str_caseeq(s, n, "sctp"))
		*proto = 132;
	else
		return false;
	return true;
}

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

int imp_b64(struct buf *b, const char *s, size_t n)
{
	unsigned acc = 0;
	int bits = 0, rc = 0, pad = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		unsigned char c = (unsigned char)s[i];
		int v;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		v = b64val(c);
		if (v < 0 || pad)
			return TM_EPROTO;
		acc = (acc << 6 | (unsigned)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			rc = buf_addc(b, (char)(acc >> bits & 0xff));
		}
	}
	if (!rc && (pad > 2 || bits >= 6))
		return TM_EPROTO;
	return rc;
}

int imp_unescape(struct buf *b, const char *s, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		char c = s[i];

		if (c != '\\' || i + 1 >= n) {
			rc = buf_addc(b, c);
			continue;
		}
		c = s[++i];
		if (c == 'x' && i + 2 < n && str_hexval(s[i + 1]) >= 0 && str_hexval(s[i + 2]) >= 0) {
			rc = buf_addc(b, (char)(str_hexval(s[i + 1]) << 4 | str_hexval(s[i + 2])));
			i += 2;
		} else if (c == '0') {
			rc = buf_addc(b, 0);
		} else if (c == 'r') {
			rc = buf_addc(b, '\r');
		} else if (c == 'n') {
			rc = buf_addc(b, '\n');
		} else if (c == 't') {
			rc = buf_addc(b, '\t');
		} else {
			rc = buf_addc(b, c);
		}
	}
	return rc;
}

bool imp_http_header(const char *p, size_t n, const char *name, const char **v, size_t *vn)
{
	size_t nl = strlen(name);
	struct rd r;
	const char *l;
	size_t ln;

	rd_init(&r, p, n);
	while (rd_line(&r, &l, &ln, n, NULL)) {
		if (!ln)
			break; /* end of the head */
		if (ln > nl && l[nl] == ':' && str_caseeq(l, nl, name)) {
			*v = l + nl + 1;
			*vn = ln - nl - 1;
			str_trim(v, vn);
			return true;
		}
	}
	return false;
}

int imp_drive_lines(const char *name, int mem, const char *data, size_t len, imp_lines_fn fn,
		    const struct imp_sink *k, int skip_bad, struct imp_stats *st, char *eb,
		    size_t el)
{
	struct imp_run r;
	struct imp_lines l;
	int rc;

	imp_run_init(&r, name, k, skip_bad, st, eb, el);
	if (mem)
		imp_lines_mem(&l, data, len, IMP_LINE_MAX);
	else if ((rc = imp_lines_open(&l, name, IMP_LINE_MAX, eb, el)))
		return rc;
	rc = fn(&r, &l);
	/* an error that left no message is named by the line it stopped at */
	if (rc && eb && el && !eb[0])
		err_set(eb, el, rc, "%s:%lu: %s", name, l.lineno, tm_strerror(rc));
	imp_lines_close(&l);
	return rc;
}

int imp_drive_chunks(const char *name, int mem, const char *data, size_t len, imp_chunks_fn fn,
		     const struct imp_sink *k, int skip_bad, struct imp_stats *st, char *eb,
		     size_t el)
{
	struct imp_run r;
	struct imp_chunks ch;
	int rc;

	imp_run_init(&r, name, k, skip_bad, st, eb, el);
	if (mem)
		imp_chunks_mem(&ch, data, len);
	else if ((rc = imp_chunks_open(&ch, name, eb, el)))
		return rc;
	rc = fn(&r, &ch);
	imp_chunks_close(&ch);
	return rc;
}
