/*
 * oui_parse.c - the two parsers of OUI registrations (oui.h): the IEEE CSVs
 * (RFC 4180 records whose quoted address field may span lines) and
 * Wireshark's manuf (tab-separated, '#' comments, /28 and /36 masks).  Both
 * walk the bytes through a bounded reader, skip and count a malformed record
 * (remembering the first "file:line: why"), and hand good ones to oui_add().
 */
#include "oui_int.h"

#include "core/err.h"
#include "core/rd.h"
#include "core/str.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CSV_FIELDS 4 /* Registry, Assignment, Organization Name, Organization Address */
#define CSV_MAX_NL 8 /* line breaks allowed inside one record's quoted fields */

struct fld {
	const char *p; /* the field's bytes, quotes removed */
	size_t n;
	bool dq; /* holds doubled quotes still to be undone */
};

/* Counts a skipped record and keeps the first reason in eb. */
static void skip(struct oui_pctx *c, const char *why)
{
	oui_skip(c->db);
	if (!c->noted) {
		err_set(c->eb, c->el, TM_EPROTO, "%s:%lu: %s", c->file, c->line, why);
		c->noted = true;
	}
}

/*
 * A quoted field from p[*i] (just after the opening quote) up to lim.
 * Returns NULL or why it is malformed; *nl counts line breaks inside.
 */
static const char *quoted(const char *p, size_t lim, size_t *i, struct fld *f, unsigned *nl)
{
	size_t j = *i;

	f->p = p + j;
	f->dq = false;
	for (;;) {
		const char *q = memchr(p + j, '"', lim - j);
		size_t e = q ? (size_t)(q - p) : lim;

		for (const char *s = p + j; (s = memchr(s, '\n', (size_t)(p + e - s))); s++)
			if (++*nl > CSV_MAX_NL)
				return "quoted field spans too many lines";
		if (!q)
			return "unterminated quote";
		if (e + 1 < lim && p[e + 1] == '"') {
			f->dq = true;
			j = e + 2;
			continue;
		}
		f->n = e - *i;
		*i = e + 1;
		return NULL;
	}
}

/*
 * Splits the record at the head of (p, n) into fields.  Returns NULL and sets
 * *used (bytes including the line end) and *nl, or why it is malformed.
 */
static const char *csv_record(const char *p, size_t n, struct fld f[CSV_FIELDS], int *nf,
			      size_t *used, unsigned *nl)
{
	size_t lim = n < OUI_REC_MAX ? n : OUI_REC_MAX, i = 0, eol = SIZE_MAX;
	const char *why, *q;

	*nf = 0;
	*nl = 0;
	for (;;) {
		struct fld tmp, *cur = *nf < CSV_FIELDS ? &f[*nf] : &tmp;

		if (i < lim && p[i] == '"') {
			i++;
			if ((why = quoted(p, lim, &i, cur, nl)))
				return why;
		} else {
			cur->p = p + i;
			cur->dq = false;
			if (eol == SIZE_MAX || eol < i) /* the end of this line, found once */
				eol = (q = memchr(p + i, '\n', lim - i)) ? (size_t)(q - p) : lim;
			i = (q = memchr(p + i, ',', eol - i)) ? (size_t)(q - p) : eol;
			cur->n = (size_t)(p + i - cur->p);
			if (cur->n && (i == lim || p[i] == '\n') && cur->p[cur->n - 1] == '\r')
				cur->n--;
		}
		(*nf)++;
		/* lenient: blanks after a closing quote */
		while (i < lim && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i == lim && lim < n)
			return "record too long";
		if (i < lim && p[i] == '\r' && i + 1 < lim && p[i + 1] == '\n')
			i++;
		if (i == lim || p[i] == '\n') {
			*used = i < lim ? i + 1 : i;
			return NULL;
		}
		/* after a quote that closed on a later line, that quote is to blame */
		if (p[i] != ',')
			return *nl ? "unterminated quote" : "text after a closing quote";
		i++;
	}
}

/* Undoes "" in (f) into out (of OUI_ORG_MAX + 1); false when too long. */
static bool unquote(const struct fld *f, char *out, size_t *n)
{
	size_t o = 0;

	for (size_t i = 0; i < f->n; i++) {
		if (o >= OUI_ORG_MAX)
			return false;
		out[o++] = f->p[i];
		if (f->p[i] == '"' && f->dq)
			i++;
	}
	*n = o;
	return true;
}

/* Parses n hex digits; false on any other byte. */
static bool hex(const char *s, size_t n, uint64_t *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = str_hexval(s[i]);

		if (d < 0)
			return false;
		*v = *v << 4 | (uint64_t)d;
	}
	return true;
}

/* Trims org, checks it and adds the registration.  0, or a TM_E* code to stop on. */
static int add(struct oui_pctx *c, int bits, uint64_t key, enum oui_src src, enum oui_reg reg,
	       const char *org, size_t n)
{
	int rc;

	str_trim(&org, &n);
	if (!n)
		return skip(c, "empty organisation"), 0;
	if (n > OUI_ORG_MAX)
		return skip(c, "organisation too long"), 0;
	rc = oui_add(c->db, bits, key, src, reg, org, n);
	if (rc == TM_EPROTO)
		return skip(c, "control byte in organisation"), 0;
	if (rc < 0)
		return err_set(c->eb, c->el, rc, "%s:%lu: %s", c->file, c->line, tm_strerror(rc));
	c->good++;
	return 0;
}

/* One IEEE record's fields to a registration.  0 or a TM_E* code to stop on. */
static int ieee_record(struct oui_pctx *c, const struct fld *f)
{
	static const struct {
		const char *name;
		enum oui_reg reg;
		size_t digits;
	} regs[] = {
	    {"MA-L", OUI_REG_MAL, 6},
	    {"MA-M", OUI_REG_MAM, 7},
	    {"MA-S", OUI_REG_MAS, 9},
	    {"IAB", OUI_REG_IAB, 9},
	};
	char org[OUI_ORG_MAX + 1];
	size_t n;
	uint64_t key;

	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		if (f[0].n != strlen(regs[i].name) || memcmp(f[0].p, regs[i].name, f[0].n))
			continue;
		if (f[1].n != regs[i].digits || !hex(f[1].p, f[1].n, &key))
			return skip(c, "bad assignment"), 0;
		if (!unquote(&f[2], org, &n))
			return skip(c, "organisation too long"), 0;
		return add(c, (int)regs[i].digits * 4, key, OUI_SRC_IEEE, regs[i].reg, org, n);
	}
	return skip(c, "unknown registry"), 0;
}

/*
 * "00:E0:FC" or "70:B3:D5:F2:F0:00/36" ('-' or '.' may separate octets).
 * Returns the prefix length and sets *key (the prefix right-aligned), 0 for
 * a length we do not keep, -1 when malformed.
 */
static int manuf_addr(const char *s, size_t n, uint64_t *key)
{
	uint64_t m = 0, v;
	int oct = 0, bits;
	size_t i = 0;
	int b = 0;

	for (;;) {
		if (i + 2 > n || !hex(s + i, 2, &v))
			return -1;
		m = m << 8 | v;
		oct++;
		i += 2;
		if (i == n || s[i] == '/' || oct == 6)
			break;
		if (s[i] != ':' && s[i] != '-' && s[i] != '.')
			return -1;
		i++;
	}
	bits = oct * 8;
	if (oct < 3)
		return -1;
	if (i < n) {
		if (s[i] != '/' || n - i < 2 || n - i > 3)
			return -1;
		for (i++; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			b = b * 10 + (s[i] - '0');
		}
		if (b < 1 || b > bits)
			return -1;
		bits = b;
	}
	if (bits != 24 && bits != 28 && bits != 36)
		return 0;
	*key = (m << 8 * (6 - oct)) >> (48 - bits);
	return bits;
}

/* Cuts the next space-separated token off (*s, *n). */
static bool token(const char **s, size_t *n, const char **t, size_t *tn)
{
	size_t i = 0;

	str_trim(s, n);
	while (i < *n && (*s)[i] != ' ')
		i++;
	*t = *s, *tn = i;
	*s += i, *n -= i;
	return i > 0;
}

/* An RFC 7231 IMF-fixdate "Sun, 25 Aug 2024 08:01:19 GMT" in epoch seconds; 0 if invalid. */
static int64_t http_date(const char *s, size_t n)
{
	static const char mons[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *comma = memchr(s, ',', n), *d, *mo, *y, *t;
	size_t dn, mn, yn, tn;
	int64_t day, yr, hh, mm, ss, days;
	char ymd[16];
	int mon = 0;

	if (comma)
		n -= (size_t)(comma + 1 - s), s = comma + 1;
	if (!token(&s, &n, &d, &dn) || !token(&s, &n, &mo, &mn) || !token(&s, &n, &y, &yn) ||
	    !token(&s, &n, &t, &tn) || mn != 3 || tn != 8 || t[2] != ':' || t[5] != ':')
		return 0;
	while (mon < 12 && memcmp(mons + 3 * mon, mo, 3))
		mon++;
	if (mon == 12 || !str_to_i64(d, dn, &day) || !str_to_i64(y, yn, &yr) || day < 1 ||
	    day > 31 || yr < 1970 || yr > 9999 || !str_to_i64(t, 2, &hh) ||
	    !str_to_i64(t + 3, 2, &mm) || !str_to_i64(t + 6, 2, &ss) || hh > 23 || mm > 59 ||
	    ss > 60 || hh < 0 || mm < 0 || ss < 0)
		return 0;
	snprintf(ymd, sizeof(ymd), "%04d-%02d-%02d", (int)yr, mon + 1, (int)day);
	if (!str_to_date(ymd, 10, &days))
		return 0;
	return days * 86400 + hh * 3600 + mm * 60 + ss;
}

/* One manuf line; remembers the latest Last-Modified seen.  0 or a TM_E* code to stop on. */
static int manuf_line(struct oui_pctx *c, const char *l, size_t n)
{
	const char *h = memchr(l, '#', n), *sh, *lg = NULL, *tab;
	size_t a = 0, sn, ln = 0;
	uint64_t key = 0;
	int bits;

	if (h) {
		const char *lm = str_casefind(h, n - (size_t)(h - l), "Last-Modified:");
		int64_t t = lm ? http_date(lm + 14, n - (size_t)(lm + 14 - l)) : 0;

		if (t > c->newest)
			c->newest = t;
		n = (size_t)(h - l);
	}
	str_trim(&l, &n);
	if (!n)
		return 0;
	while (a < n && l[a] != ' ' && l[a] != '\t')
		a++;
	bits = manuf_addr(l, a, &key);
	if (bits <= 0)
		return skip(c, bits ? "bad address" : "prefix length not /24, /28 or /36"), 0;
	sh = l + a, sn = n - a;
	str_trim(&sh, &sn);
	if ((tab = memchr(sh, '\t', sn))) { /* runs of tabs separate fields, as for strtok */
		lg = tab + 1, ln = sn - (size_t)(lg - sh);
		sn = (size_t)(tab - sh);
		str_trim(&lg, &ln);
		if ((tab = memchr(lg, '\t', ln)))
			ln = (size_t)(tab - lg);
		str_trim(&lg, &ln);
	}
	if (ln)
		return add(c, bits, key, OUI_SRC_MANUF, OUI_REG_MANUF, lg, ln);
	return add(c, bits, key, OUI_SRC_MANUF, OUI_REG_MANUF, sh, sn);
}

/*
 * Drops the rest of the line a skipped record started on.  When its end is
 * not in this window, the next window starts by dropping up to it.
 */
static void drop_line(struct oui_pctx *c, struct rd *r, bool final)
{
	const char *nl = memchr(rd_cur(r), '\n', rd_left(r));

	rd_skip(r, nl ? (size_t)(nl - (const char *)rd_cur(r)) + 1 : rd_left(r));
	c->skipping = !nl && !final;
}

/* The IEEE CSV records of one window. */
static int csv_feed(struct oui_pctx *c, struct rd *r, bool final)
{
	struct fld f[CSV_FIELDS];
	int rc = 0, nf;

	while (rc == 0 && rd_left(r) && (final || rd_left(r) > OUI_REC_MAX)) {
		const char *why;
		size_t used;
		unsigned nl;

		why = csv_record((const char *)rd_cur(r), rd_left(r), f, &nf, &used, &nl);
		if (!why && nf == 1 && f[0].n == 0) { /* a blank line */
			rd_skip(r, used);
			c->line += 1 + nl;
			continue;
		}
		if (why || nf != CSV_FIELDS) {
			skip(c, why ? why : "not 4 fields");
			drop_line(c, r, final); /* and resynchronise on the next line */
			c->line++;
			continue;
		}
		rd_skip(r, used);
		if (c->line != 1 || !str_caseeq(f[0].p, f[0].n, "Registry")) /* not the header */
			rc = ieee_record(c, f);
		c->line += 1 + nl;
	}
	return rc;
}

/* The manuf lines of one window. */
static int manuf_feed(struct oui_pctx *c, struct rd *r, bool final)
{
	const char *l;
	size_t n;
	bool cut;
	int rc = 0;

	while (rc == 0 && rd_left(r) && (final || rd_left(r) > OUI_REC_MAX)) {
		if (!rd_line(r, &l, &n, OUI_REC_MAX, &cut))
			break;
		c->line++;
		if (cut) {
			skip(c, "line too long");
			c->skipping = !final && r->off && r->p[r->off - 1] != '\n';
		} else {
			rc = manuf_line(c, l, n);
		}
	}
	return rc;
}

void oui_pctx_init(struct oui_pctx *c, struct oui_db *db, bool manuf, const char *file, char *eb,
		   size_t el)
{
	memset(c, 0, sizeof(*c));
	c->db = db;
	c->manuf = manuf;
	c->file = file;
	c->line = manuf ? 0 : 1;
	c->eb = eb;
	c->el = el;
}

size_t oui_pctx_feed(struct oui_pctx *c, const char *data, size_t len, bool final, int *rc)
{
	struct rd r;

	*rc = 0;
	rd_init(&r, data, len);
	if (c->skipping)
		drop_line(c, &r, final);
	if (!c->skipping)
		*rc = c->manuf ? manuf_feed(c, &r, final) : csv_feed(c, &r, final);
	return r.off;
}

int oui_pctx_end(struct oui_pctx *c, int rc)
{
	if (c->manuf && c->newest > oui_time(c->db, OUI_SRC_MANUF))
		oui_set_time(c->db, OUI_SRC_MANUF, c->newest);
	if (rc < 0)
		return rc;
	if (!c->good) {
		if (!c->noted)
			err_set(c->eb, c->el, TM_EPROTO, "%s: no registrations", c->file);
		return TM_EPROTO;
	}
	if (!c->noted && c->el)
		c->eb[0] = 0;
	return 0;
}

/* One whole text through the incremental parser. */
static int parse_all(struct oui_db *db, bool manuf, const char *file, const char *data, size_t len,
		     char *eb, size_t el)
{
	struct oui_pctx c;
	int rc;

	oui_pctx_init(&c, db, manuf, file, eb, el);
	oui_pctx_feed(&c, data, len, true, &rc);
	return oui_pctx_end(&c, rc);
}

int oui_parse_ieee_csv(struct oui_db *db, const char *file, const char *data, size_t len, char *eb,
		       size_t el)
{
	return parse_all(db, false, file, data, len, eb, el);
}

int oui_parse_manuf(struct oui_db *db, const char *file, const char *data, size_t len, char *eb,
		    size_t el)
{
	return parse_all(db, true, file, data, len, eb, el);
}
