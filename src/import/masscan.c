/*
 * masscan.c - masscan's results: -oL lists ("open tcp 22 192.0.2.1 1700000000",
 * "banner tcp 22 192.0.2.1 1700000000 ssh SSH-2.0-..." with \xNN escapes),
 * -oJ (one JSON object a line between "[" and "]", records separated by
 * lines holding ",") and -oD (NDJSON with rec_type).  Each line is told apart
 * by its first character, so the forms may even be mixed.  Port status lines
 * say nothing about makers and yield no observation; banners are mapped to
 * the kind their service name implies (docs/import.md has the table).
 */
#include "imp_int.h"

#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <jansson.h>
#include <string.h>

/* Next space-separated token of (*p, *n). */
static bool token(const char **p, size_t *n, const char **t, size_t *tn)
{
	const char *sp = memchr(*p, ' ', *n);

	*t = *p;
	*tn = sp ? (size_t)(sp - *p) : *n;
	if (!*tn)
		return false;
	*p += sp ? *tn + 1 : *tn;
	*n -= sp ? *tn + 1 : *tn;
	return true;
}

/* Address, port, protocol and time common to both forms into o. */
static int where(struct imp_mb *m, struct obs *o, const char *ip, size_t ipn, int64_t port,
		 const char *proto, size_t pn, const char *ts, size_t tsn)
{
	char shown[48];

	imp_obs_init(o, "masscan");
	str_copy(shown, sizeof(shown), ip, ipn);
	if (!imp_addr(ip, ipn, o->addr))
		return imp_bad(m->r, m->line, 1, "bad address \"%s\"", shown);
	if (port < 0 || port > 65535)
		return imp_bad(m->r, m->line, 1, "bad port");
	o->port = (uint16_t)port;
	if (!imp_proto(proto, pn, &o->proto))
		o->proto = 0;
	if (tsn && !imp_time(ts, tsn, &o->time))
		return imp_bad(m->r, m->line, 1, "bad timestamp");
	return 0;
}

/* -oL: "open tcp 22 ip ts" or "banner tcp 22 ip ts service text". */
static int list_line(struct imp_mb *m, const char *p, size_t n)
{
	const char *w[6];
	size_t wn[6];
	int64_t port;
	struct obs o;
	int nt = 0, rc;

	while (nt < 6 && token(&p, &n, &w[nt], &wn[nt]))
		nt++;
	if (nt < 5 || !str_to_i64(w[2], wn[2], &port))
		return imp_bad(m->r, m->line, 1, "not a masscan -oL line");
	rc = where(m, &o, w[3], wn[3], port, w[1], wn[1], w[4], wn[4]);
	if (rc)
		return rc;
	if (!str_caseeq(w[0], wn[0], "banner"))
		return 0; /* open, closed: no observation */
	if (nt < 6)
		return imp_bad(m->r, m->line, 1, "banner line without a service name");
	buf_reset(&m->val);
	if ((rc = imp_unescape(&m->val, p, n)) != 0)
		return err_set(m->r->eb, m->r->el, rc, "%s:%lu: %s", m->r->file, m->line,
			       tm_strerror(rc));
	return imp_mb_banner(m, &o, w[5], wn[5]);
}

/* Is every code point of the UTF-8 text (s, n) below U+0100? */
static bool all_latin1(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80)
			continue;
		if ((c != 0xc2 && c != 0xc3) || i + 1 >= n ||
		    ((unsigned char)s[i + 1] & 0xc0) != 0x80)
			return false;
		i++;
	}
	return true;
}

/*
 * A JSON string as masscan meant it: it writes every byte outside printable
 * ASCII as \u00NN, so code points below U+0100 stand for single bytes.  Text
 * with higher code points (not masscan's) is kept as UTF-8.
 */
static int latin1(struct buf *b, const char *s, size_t n)
{
	int rc = 0;

	if (!all_latin1(s, n))
		return buf_add(b, s, n);
	for (size_t i = 0; i < n && !rc; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80)
			c = (unsigned char)((c & 0x03) << 6 | ((unsigned char)s[++i] & 0x3f));
		rc = buf_addc(b, (char)c);
	}
	return rc;
}

static const char *jstr(json_t *o, const char *key, size_t *n)
{
	json_t *v = json_object_get(o, key);

	*n = json_is_string(v) ? json_string_length(v) : 0;
	return json_is_string(v) ? json_string_value(v) : "";
}

/* One port entry: {"port","proto","service":{"name","banner"}} or a status. */
static int json_port(struct imp_mb *m, json_t *root, json_t *pe, json_t *svc, const char *nkey)
{
	const char *ip, *ts, *proto, *name, *text;
	size_t ipn, tsn, pn, nn, tn;
	json_t *pv = json_object_get(pe, "port"), *tv = json_object_get(root, "timestamp");
	char tbuf[24];
	struct obs o;
	int rc;

	ip = jstr(root, "ip", &ipn);
	proto = jstr(pe, "proto", &pn);
	ts = jstr(root, "timestamp", &tsn);
	if (json_is_integer(tv)) {
		tsn =
		    (size_t)snprintf(tbuf, sizeof(tbuf), "%lld", (long long)json_integer_value(tv));
		ts = tbuf;
	}
	if (!json_is_integer(pv))
		return imp_bad(m->r, m->line, 1, "record without a port");
	rc = where(m, &o, ip, ipn, json_integer_value(pv), proto, pn, ts, tsn);
	if (rc || !json_is_string(json_object_get(svc, "banner")))
		return rc; /* a port status: no observation */
	name = jstr(svc, nkey, &nn);
	text = jstr(svc, "banner", &tn);
	buf_reset(&m->val);
	if ((rc = latin1(&m->val, text, tn)) != 0)
		return err_set(m->r->eb, m->r->el, rc, "%s:%lu: %s", m->r->file, m->line,
			       tm_strerror(rc));
	return imp_mb_banner(m, &o, name, nn);
}

static int json_line(struct imp_mb *m, const char *p, size_t n)
{
	json_error_t je;
	json_t *root, *ports, *pe;
	size_t i;
	int rc = 0;

	root = json_loadb(p, n, JSON_ALLOW_NUL, &je);
	if (!root && json_error_code(&je) == json_error_out_of_memory)
		return err_set(m->r->eb, m->r->el, TM_ENOMEM, "%s:%lu: out of memory", m->r->file,
			       m->line);
	if (!root)
		return imp_bad(m->r, m->line, je.column > 0 ? (unsigned long)je.column : 1,
			       "invalid JSON: %s", je.text);
	ports = json_object_get(root, "ports");
	if (!json_is_object(root))
		rc = imp_bad(m->r, m->line, 1, "a record must be a JSON object");
	else if (json_is_array(ports))
		json_array_foreach(ports, i, pe)
		{
			if (rc)
				break;
			rc = json_port(m, root, pe, json_object_get(pe, "service"), "name");
		}
	else
		rc = json_port(m, root, root, json_object_get(root, "data"), "service_name");
	json_decref(root);
	return rc;
}

static int one_line(struct imp_mb *m, const char *p, size_t n)
{
	const char *t = p;
	size_t tn = n;

	str_trim(&t, &tn);
	if (tn && t[0] == ',')
		t++, tn--;
	if (tn && t[tn - 1] == ',')
		tn--;
	str_trim(&t, &tn);
	if (!tn || t[0] == '#' || t[0] == '[' || t[0] == ']')
		return 0;
	m->r->st->records++;
	/* a -oL banner keeps its trailing blanks: they are the device's */
	return t[0] == '{' ? json_line(m, t, tn) : list_line(m, t, n - (size_t)(t - p));
}

static int run(struct imp_run *r, struct imp_lines *l)
{
	struct imp_mb m;
	const char *p;
	size_t n;
	int rc;

	json_set_alloc_funcs(mem_alloc, mem_free);
	imp_mb_init(&m, r);
	while ((rc = imp_lines_next(l, &p, &n)) == 1) {
		r->st->bytes += (long long)n + 1;
		m.line = l->lineno;
		if (l->cut) {
			r->st->records++;
			rc = imp_bad(r, m.line, IMP_LINE_MAX + 1, "line longer than %d bytes",
				     IMP_LINE_MAX);
		} else if (l->binary) {
			r->st->records++;
			rc = imp_bad(r, m.line,
				     (unsigned long)((const char *)memchr(p, 0, n) - p) + 1,
				     "binary data (NUL byte) in a text line");
		} else {
			rc = one_line(&m, p, n);
		}
		if (rc != 0 && rc != IMP_SKIP)
			break;
	}
	if (rc == IMP_SKIP)
		rc = 0;
	imp_mb_fini(&m);
	return rc;
}

int imp_masscan(const char *path, const struct imp_sink *k, int skip_bad, struct imp_stats *st,
		char *eb, size_t el)
{
	return imp_drive_lines(path, 0, NULL, 0, run, k, skip_bad, st, eb, el);
}

int imp_masscan_mem(const char *file, const char *data, size_t len, const struct imp_sink *k,
		    int skip_bad, struct imp_stats *st, char *eb, size_t el)
{
	return imp_drive_lines(file, 1, data, len, run, k, skip_bad, st, eb, el);
}
