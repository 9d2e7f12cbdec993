/*
 * nmap.c - the parser of nmap-service-probes and the probe database of
 * nmap.h: directives (Exclude, Probe, match, softmatch, ports, sslports,
 * rarity, totalwaitms, tcpwrappedms, fallback) read line by line through
 * the bounded reader, each probe's regexes handed to its own multi-regex
 * engine, fallbacks resolved at compile the way nmap does (self, the listed
 * probes of the same protocol, then NULL for TCP).  Matching and the
 * version templates live in nmap_match.c.
 */
#include "nmap_int.h"
#include "../attr/mre.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/file.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/rd.h"
#include "../core/str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LINE_MAX_LEN 65536
#define WARN_MAX 20 /* warnings per file; the rest are only counted */
#define FILE_MAX ((size_t)64 << 20)

struct cur { /* a cursor over one line */
	const char *s;
	size_t n, i;
};

struct pst { /* parse state of one file */
	struct nmap_db *db;
	const char *file;
	unsigned lineno;
	int probe; /* current probe, -1 before the first */
	char msg[TM_ERRLEN];
};

static void skip_ws(struct cur *c)
{
	while (c->i < c->n && isspace((unsigned char)c->s[c->i]))
		c->i++;
}

/* The next white-space separated word. */
static size_t word(struct cur *c, const char **w)
{
	size_t b;

	skip_ws(c);
	b = c->i;
	while (c->i < c->n && !isspace((unsigned char)c->s[c->i]))
		c->i++;
	*w = c->s + b;
	return c->i - b;
}

/* Text up to the next delim (consumed); -1 when there is none. */
static int delimited(struct cur *c, char delim, const char **t, size_t *tl)
{
	const char *e = memchr(c->s + c->i, delim, c->n - c->i);

	if (!e)
		return -1;
	*t = c->s + c->i;
	*tl = (size_t)(e - *t);
	c->i += *tl + 1;
	return 0;
}

static int fail(struct pst *ps, const char *why)
{
	str_set(ps->msg, sizeof(ps->msg), why);
	return TM_EPROTO;
}

int nmap_new(struct nmap_db **out)
{
	struct nmap_db *db = mem_calloc(1, sizeof(*db));

	*out = NULL;
	if (!db || !(db->a = arena_new(0))) {
		mem_free(db);
		return TM_ENOMEM;
	}
	*out = db;
	return 0;
}

void nmap_free(struct nmap_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->npr; i++)
		mre_free(db->pr[i].mre);
	mem_free(db->pr);
	mem_free(db->ln);
	mem_free(db->idx);
	arena_free(db->a);
	mem_free(db);
}

static int grow(void **p, size_t *cap, size_t need, size_t el)
{
	size_t nc = *cap ? *cap * 2 : 64;
	void *np;

	if (need <= *cap)
		return 0;
	while (nc < need)
		nc *= 2;
	if (!(np = mem_realloc(*p, nc * el)))
		return TM_ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

/* nmap's C-style escapes of probe strings: \\ \0 \a \b \f \n \r \t \v \xHH; others stand for themselves. */
static int unescape(const char *s, size_t n, uint8_t *out, size_t *olen)
{
	static const char from[] = "0abfnrtv", to[] = "\0\a\b\f\n\r\t\v";
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		const char *k;
		if (s[i] != '\\') {
			out[o++] = (uint8_t)s[i];
		} else if (++i >= n) {
			return -1;
		} else if (s[i] == 'x') {
			if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) ||
			    !isxdigit((unsigned char)s[i + 2]))
				return -1;
			char hx[3] = {s[i + 1], s[i + 2], 0};
			out[o++] = (uint8_t)strtoul(hx, NULL, 16);
			i += 2;
		} else if (s[i] && (k = strchr(from, s[i]))) {
			out[o++] = (uint8_t)to[k - from];
		} else {
			out[o++] = (uint8_t)s[i];
		}
	}
	*olen = o;
	return 0;
}

static int parse_probe(struct pst *ps, struct cur *c)
{
	struct nmap_db *db = ps->db;
	struct nmap_probe *pr;
	const char *w, *q;
	size_t wl, ql;
	uint8_t proto;

	ps->probe = -1; /* the lines up to the next Probe go nowhere if this one is bad */
	wl = word(c, &w);
	if (wl == 3 && !memcmp(w, "TCP", 3))
		proto = 6;
	else if (wl == 3 && !memcmp(w, "UDP", 3))
		proto = 17;
	else
		return fail(ps, "Probe: protocol must be TCP or UDP");
	wl = word(c, &w);
	if (!wl || !isalnum((unsigned char)w[0]) || wl >= sizeof(pr->name))
		return fail(ps, "Probe: bad probe name");
	skip_ws(c);
	if (c->i + 1 >= c->n || c->s[c->i] != 'q')
		return fail(ps, "Probe: probe string must begin with q");
	c->i += 2;
	if (delimited(c, c->s[c->i - 1], &q, &ql))
		return fail(ps, "Probe: no ending delimiter for probe string");
	if (grow((void **)&db->pr, &db->cpr, db->npr + 1, sizeof(*db->pr)))
		return TM_ENOMEM;
	pr = &db->pr[db->npr];
	memset(pr, 0, sizeof(*pr));
	uint8_t *pl = arena_alloc(db->a, ql + 1);
	if (!pl || !(pr->mre = mre_new()))
		return TM_ENOMEM;
	if (unescape(q, ql, pl, &pr->plen)) {
		mre_free(pr->mre);
		return fail(ps, "Probe: bad escape in probe string");
	}
	memcpy(pr->name, w, wl);
	pr->proto = proto;
	pr->line = ps->lineno;
	pr->payload = pl;
	pr->rarity = 5;
	ps->probe = (int)db->npr++;
	return 0;
}

/* Reads "<letters><delim>text<delim>[flags]" at c; *mode, *t set; 1 at the end, -1 when malformed. */
static int next_template(struct cur *c, const char **mode, size_t *ml, const char **t, size_t *tl)
{
	size_t b;

	skip_ws(c);
	if (c->i >= c->n)
		return 1;
	b = c->i;
	while (c->i < c->n && (isalpha((unsigned char)c->s[c->i]) || c->s[c->i] == ':'))
		c->i++;
	*mode = c->s + b;
	*ml = c->i - b;
	if (c->i >= c->n || isspace((unsigned char)c->s[c->i]))
		return -1;
	c->i++;
	if (delimited(c, c->s[c->i - 1], t, tl))
		return -1;
	while (c->i < c->n && isalpha((unsigned char)c->s[c->i]))
		c->i++;
	return 0;
}

static int set_template(struct pst *ps, struct nmap_line *l, const char *mode, size_t ml,
			const char *t, size_t tl)
{
	static const char modes[] = "pvihod";
	const char *k;
	char *d;

	if (ml == 4 && !memcmp(mode, "cpe:", 4)) {
		if (l->ncpe == NMAP_MAXCPE)
			return 0; /* nmap keeps one per part; four is plenty */
		if (!(d = arena_alloc(ps->db->a, tl + 6)))
			return TM_ENOMEM;
		memcpy(d, "cpe:/", 5);
		memcpy(d + 5, t, tl);
		d[tl + 5] = 0;
		l->cpe[l->ncpe].p = d;
		l->cpe[l->ncpe++].n = tl + 5;
		return 0;
	}
	if (ml != 1 || !(k = strchr(modes, mode[0])) || !mode[0])
		return fail(ps, "match: unknown template letter");
	if (!(d = arena_strndup(ps->db->a, t, tl)))
		return TM_ENOMEM;
	l->t[k - modes].p = d; /* a repeated template replaces the earlier one, as in nmap */
	l->t[k - modes].n = tl;
	return 0;
}

/* The regex m<d>...<d>[is] of a match line; its engine flags in *fl. */
static int parse_regex(struct pst *ps, struct cur *c, const char **re, size_t *rl, unsigned *fl)
{
	skip_ws(c);
	if (c->i + 1 >= c->n || c->s[c->i] != 'm')
		return fail(ps, "match: pattern must begin with m");
	c->i += 2;
	if (delimited(c, c->s[c->i - 1], re, rl))
		return fail(ps, "match: no ending delimiter for the pattern");
	*fl = 0;
	for (; c->i < c->n && isalpha((unsigned char)c->s[c->i]); c->i++) {
		if (c->s[c->i] == 'i')
			*fl |= MRE_CASELESS;
		else if (c->s[c->i] == 's')
			*fl |= MRE_DOTALL;
		else
			return fail(ps, "match: unknown regex option");
	}
	return 0;
}

static int parse_match(struct pst *ps, struct cur *c, int soft)
{
	struct nmap_db *db = ps->db;
	struct nmap_line *l;
	const char *w, *re, *mode, *t;
	size_t wl, rl, ml, tl;
	unsigned fl;
	int rc, bad = 0;
	char eb[TM_ERRLEN - 32];

	if (ps->probe < 0)
		return fail(ps, "match outside a (valid) Probe section");
	wl = word(c, &w);
	if (!wl)
		return fail(ps, "match: no service name");
	if ((rc = parse_regex(ps, c, &re, &rl, &fl)))
		return rc;
	if (grow((void **)&db->ln, &db->cln, db->nln + 1, sizeof(*db->ln)))
		return TM_ENOMEM;
	l = &db->ln[db->nln];
	memset(l, 0, sizeof(*l));
	str_copy(l->service, sizeof(l->service), w, wl);
	l->soft = (uint8_t)soft;
	l->line = ps->lineno;
	while (!(rc = next_template(c, &mode, &ml, &t, &tl)))
		if ((rc = set_template(ps, l, mode, ml, t, tl)) == TM_ENOMEM)
			return rc;
		else if (rc)
			bad = rc; /* kept, but counted */
	if (rc < 0)
		return fail(ps, "match: unterminated template");
	rc = mre_add(db->pr[ps->probe].mre, re, rl, fl, (unsigned)db->nln, eb, sizeof(eb));
	if (rc) {
		snprintf(ps->msg, sizeof(ps->msg), "match: bad regex: %s", eb);
		return rc;
	}
	/* counted by mre_add's read of the regex */
	l->lit = mre_literals(db->pr[ps->probe].mre, mre_count(db->pr[ps->probe].mre) - 1);
	db->nln++;
	return bad;
}

static int parse_int(struct pst *ps, struct cur *c, int lo, int hi, int *out, const char *what)
{
	const char *w;
	size_t wl = word(c, &w);
	int64_t v;

	if (!str_to_i64(w, wl, &v) || v < lo || v > hi) {
		snprintf(ps->msg, sizeof(ps->msg), "%s must be a number from %d to %d", what, lo, hi);
		return TM_EPROTO;
	}
	*out = (int)v;
	return 0;
}

/* The rest of the line, trimmed, into the arena. */
static int rest(struct pst *ps, struct cur *c, const char **out)
{
	const char *p = c->s + c->i;
	size_t n = c->n - c->i;

	str_trim(&p, &n);
	*out = arena_strndup(ps->db->a, p, n);
	return *out ? 0 : TM_ENOMEM;
}

/* A directive that belongs to the current probe. */
static int probe_directive(struct pst *ps, struct cur *c, const char *w, size_t wl)
{
	struct nmap_probe *pr;

	if (ps->probe < 0)
		return fail(ps, "directive outside a (valid) Probe section");
	pr = &ps->db->pr[ps->probe];
	if (wl == 5 && !memcmp(w, "ports", 5))
		return rest(ps, c, &pr->ports);
	if (wl == 8 && !memcmp(w, "sslports", 8))
		return rest(ps, c, &pr->sslports);
	if (wl == 8 && !memcmp(w, "fallback", 8))
		return rest(ps, c, &pr->fallback);
	if (wl == 6 && !memcmp(w, "rarity", 6))
		return parse_int(ps, c, 1, 9, &pr->rarity, "rarity");
	if (wl == 11 && !memcmp(w, "totalwaitms", 11))
		return parse_int(ps, c, 100, 300000, &pr->totalwaitms, "totalwaitms");
	if (wl == 12 && !memcmp(w, "tcpwrappedms", 12))
		return parse_int(ps, c, 100, 300000, &pr->tcpwrappedms, "tcpwrappedms");
	return fail(ps, "unknown directive");
}

static int parse_line(struct pst *ps, const char *s, size_t n)
{
	struct cur c = {s, n, 0};
	const char *w;
	size_t wl = word(&c, &w);

	if (wl == 5 && !memcmp(w, "Probe", 5))
		return parse_probe(ps, &c);
	if (wl == 5 && !memcmp(w, "match", 5))
		return parse_match(ps, &c, 0);
	if (wl == 9 && !memcmp(w, "softmatch", 9))
		return parse_match(ps, &c, 1);
	if (wl == 7 && !memcmp(w, "Exclude", 7))
		return rest(ps, &c, &ps->db->exclude);
	return probe_directive(ps, &c, w, wl);
}

static void bad_line(struct pst *ps, size_t *warned)
{
	ps->db->bad++;
	if ((*warned)++ < WARN_MAX)
		log_warn("%s:%u: %s", ps->file, ps->lineno, ps->msg);
	else if (*warned == WARN_MAX + 1)
		log_warn("%s: more bad lines not shown", ps->file);
}

int nmap_parse(struct nmap_db *db, const char *file, const char *data, size_t len, char *eb,
	       size_t el)
{
	struct pst ps = {db, file ? file : "nmap-service-probes", 0, -1, ""};
	struct rd r;
	const char *line;
	size_t n, warned = 0;
	bool cut;
	int rc;

	if (!db || db->compiled || (!data && len))
		return err_set(eb, el, TM_EINVAL, "nmap_parse: bad call");
	rd_init(&r, data, len);
	while (rd_line(&r, &line, &n, LINE_MAX_LEN, &cut)) {
		const char *t = line;
		size_t tn = n;
		ps.lineno++;
		str_trim(&t, &tn);
		if (!tn || t[0] == '#')
			continue;
		if (cut || memchr(line, 0, n)) {
			fail(&ps, cut ? "line too long" : "NUL byte in line");
			bad_line(&ps, &warned);
			continue;
		}
		rc = parse_line(&ps, t, tn);
		if (rc == TM_ENOMEM)
			return err_set(eb, el, rc, "%s:%u: out of memory", ps.file, ps.lineno);
		if (rc)
			bad_line(&ps, &warned);
	}
	return 0;
}

static int pidx_cmp(const void *a, const void *b)
{
	const struct nmap_pidx *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->proto != y->proto)
		return x->proto - y->proto;
	return x->idx - y->idx;
}

/* The first probe (in file order) called (name, proto), or -1. */
static int find(const struct nmap_db *db, const char *name, uint8_t proto)
{
	size_t lo = 0, hi = db->npr;

	while (lo < hi) { /* first entry >= (name, proto) */
		size_t mid = (lo + hi) / 2;
		int c = strcmp(db->idx[mid].name, name);
		if (c < 0 || (!c && db->idx[mid].proto < proto))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < db->npr && !strcmp(db->idx[lo].name, name) && db->idx[lo].proto == proto)
		return db->idx[lo].idx;
	return -1;
}

int nmap_find_probe(const struct nmap_db *db, const char *name)
{
	int k;

	if (!db || !db->idx || !name)
		return -1;
	if (!strncasecmp(name, "TCP:", 4))
		return find(db, name + 4, 6);
	if (!strncasecmp(name, "UDP:", 4))
		return find(db, name + 4, 17);
	k = find(db, name, 6);
	return k >= 0 ? k : find(db, name, 17);
}

static void add_chain(struct nmap_probe *pr, int k)
{
	for (int j = 0; j < pr->nchain; j++)
		if (pr->chain[j] == k)
			return;
	if (pr->nchain < NMAP_MAXFB + 2)
		pr->chain[pr->nchain++] = k;
}

/* self, the fallback directive's probes (same protocol first), then NULL for TCP. */
static void resolve_fallbacks(struct nmap_db *db, int i)
{
	struct nmap_probe *pr = &db->pr[i];
	const char *s = pr->fallback;
	int nfb = 0, null = find(db, "NULL", 6);

	pr->nchain = 0;
	add_chain(pr, i);
	while (s && *s) {
		size_t n = strcspn(s, ", \t\r\n");
		char name[64];
		int k;
		if (n && n < sizeof(name)) {
			memcpy(name, s, n);
			name[n] = 0;
			k = find(db, name, pr->proto);
			if (k < 0) /* DNSVersionBindReqTCP falls back on the UDP probe's lines */
				k = find(db, name, pr->proto == 6 ? 17 : 6);
			if (k < 0)
				log_warn("probe %s (line %u): unknown fallback '%s' ignored", pr->name,
					 pr->line, name);
			else if (nfb++ < NMAP_MAXFB)
				add_chain(pr, k);
		}
		s += n;
		s += strspn(s, ", \t\r\n");
	}
	if (pr->proto == 6 && null >= 0)
		add_chain(pr, null);
}

int nmap_compile(struct nmap_db *db, const char *cache_dir, char *eb, size_t el)
{
	int rc;

	if (!db)
		return err_set(eb, el, TM_EINVAL, "nmap_compile: no database");
	if (db->compiled)
		return 0;
	mem_free(db->idx); /* from an earlier try that failed */
	if (!(db->idx = mem_calloc(db->npr + 1, sizeof(*db->idx))))
		return err_set(eb, el, TM_ENOMEM, "out of memory");
	for (size_t i = 0; i < db->npr; i++)
		db->idx[i] = (struct nmap_pidx){db->pr[i].name, db->pr[i].proto, (int)i};
	if (db->npr)
		qsort(db->idx, db->npr, sizeof(*db->idx), pidx_cmp);
	for (size_t i = 0; i < db->npr; i++) {
		resolve_fallbacks(db, (int)i);
		if ((rc = mre_compile(db->pr[i].mre, cache_dir, eb, el)))
			return rc;
	}
	db->compiled = 1;
	return 0;
}

int nmap_load(struct nmap_db **out, const char *path, const char *cache_dir, char *eb, size_t el)
{
	struct nmap_db *db = NULL;
	char *data = NULL;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = file_read(path, FILE_MAX, &data, &len, eb, el)))
		return rc;
	if ((rc = nmap_new(&db))) {
		err_set(eb, el, rc, "out of memory");
		goto out;
	}
	if ((rc = nmap_parse(db, path, data, len, eb, el)) ||
	    (rc = nmap_compile(db, cache_dir, eb, el)))
		goto out;
	*out = db;
	db = NULL;
out:
	nmap_free(db);
	mem_free(data);
	return rc;
}

struct nmap_scratch *nmap_scratch_new(const struct nmap_db *db)
{
	struct nmap_scratch *s;

	if (!db || !db->compiled || !(s = mem_calloc(1, sizeof(*s))))
		return NULL;
	if (!(s->ms = mre_scratch_new(NULL)))
		goto fail;
	for (size_t i = 0; i < db->npr; i++)
		if (mre_scratch_fit(s->ms, db->pr[i].mre))
			goto fail;
	return s;
fail:
	nmap_scratch_free(s);
	return NULL;
}

void nmap_scratch_free(struct nmap_scratch *s)
{
	if (!s)
		return;
	mre_scratch_free(s->ms);
	mem_free(s);
}

size_t nmap_count(const struct nmap_db *db)
{
	return db ? db->nln : 0;
}

size_t nmap_bad_lines(const struct nmap_db *db)
{
	return db ? db->bad : 0;
}

size_t nmap_probe_count(const struct nmap_db *db)
{
	return db ? db->npr : 0;
}

size_t nmap_prefiltered(const struct nmap_db *db)
{
	size_t n = 0;

	for (size_t i = 0; db && i < db->npr; i++)
		n += mre_prefiltered(db->pr[i].mre);
	return n;
}

const uint8_t *nmap_probe_payload(const struct nmap_db *db, const char *probe, size_t *len)
{
	int k = nmap_find_probe(db, probe);

	*len = 0;
	if (k < 0)
		return NULL;
	*len = db->pr[k].plen;
	return db->pr[k].payload;
}
