/*
 * nmap_match.c - matching a response against a probe's lines and its
 * fallbacks (nmap.h), and filling the version templates as nmap does:
 * $1..$9 copy a capture; $P(n) keeps its printable bytes; $SUBST(n,"a","b")
 * replaces a by b in it; $I(n,">") reads it (at most 8 bytes) as an unsigned
 * big-endian integer ("<" little-endian) in decimal.  A reference to a group
 * past the last one that matched, or any other $ form, empties the field;
 * trailing white space and commas are trimmed; in cpe: templates each
 * substituted value is lower-cased, blanks become '_' and URI-special bytes
 * %XX.  Values are cut to the field sizes of struct nmap_hit.
 */
#include "nmap_int.h"
#include "../attr/mre.h"
#include "../core/err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARG_MAX 5
#define ARG_STRLEN 128

struct out { /* a bounded, always terminated output field */
	char *p;
	size_t cap, len;
};

struct subj { /* the matched response and its captures */
	const uint8_t *s;
	size_t n;
	const size_t *ov;
	int nmatch; /* highest group that took part + 1, as pcre_exec's return */
};

struct arg {
	int isstr;
	long num;
	char s[ARG_STRLEN];
	size_t sl;
};

static void put(struct out *o, const void *p, size_t n)
{
	size_t room = o->cap - 1 - o->len;

	if (n > room)
		n = room;
	memcpy(o->p + o->len, p, n);
	o->len += n;
	o->p[o->len] = 0;
}

/* A substituted value: verbatim, or CPE-safe in cpe: templates. */
static void put_value(struct out *o, const uint8_t *p, size_t n, int cpe)
{
	static const char special[] = ":/?#[]@!$&'()*+,;=%<>\"";
	static const char hex[] = "0123456789ABCDEF";

	if (!cpe) {
		put(o, p, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char b[3] = {(char)tolower(p[i]), 0, 0};
		size_t bl = 1;
		if (p[i] && strchr(special, p[i]))
			b[0] = '%', b[1] = hex[p[i] >> 4], b[2] = hex[p[i] & 15], bl = 3;
		else if (p[i] == ' ')
			b[0] = '_';
		put(o, b, bl);
	}
}

/* Group g of the match as (p, n); -1 when nmap would refuse it. */
static int group(const struct subj *sj, long g, const uint8_t **p, size_t *n)
{
	if (g <= 0 || g > 9 || g >= sj->nmatch)
		return -1;
	*p = sj->s, *n = 0;
	if (sj->ov[2 * g] != MRE_UNSET && sj->ov[2 * g + 1] >= sj->ov[2 * g]) {
		*p = sj->s + sj->ov[2 * g];
		*n = sj->ov[2 * g + 1] - sj->ov[2 * g];
	}
	return 0;
}

/* A quoted argument at t[*i] == '"', with C escapes. */
static int str_arg(const char *t, size_t n, size_t *i, struct arg *a)
{
	static const char from[] = "0abfnrtv\\\"", to[] = "\0\a\b\f\n\r\t\v\\\"";
	size_t k;

	for (k = *i + 1; k < n && t[k] != '"'; k++) {
		int c = (unsigned char)t[k];
		const char *f;
		if (c == '\\' && k + 1 < n) {
			c = (unsigned char)t[++k];
			if (c == 'x' && k + 2 < n && isxdigit((unsigned char)t[k + 1]) &&
			    isxdigit((unsigned char)t[k + 2])) {
				char hx[3] = {t[k + 1], t[k + 2], 0};
				c = (int)strtol(hx, NULL, 16);
				k += 2;
			} else if (c && (f = strchr(from, c))) {
				c = (unsigned char)to[f - from];
			}
		}
		if (a->sl >= ARG_STRLEN - 1)
			return -1;
		a->s[a->sl++] = (char)c;
	}
	if (k >= n)
		return -1;
	a->isstr = 1;
	*i = k + 1;
	return 0;
}

static int num_arg(const char *t, size_t n, size_t *i, struct arg *a)
{
	char b[24];
	size_t k = 0;
	char *e;

	while (*i + k < n && k < sizeof(b) - 1 && (isalnum((unsigned char)t[*i + k]) || t[*i + k] == '-'))
		b[k] = t[*i + k], k++;
	b[k] = 0;
	a->num = strtol(b, &e, 0);
	if (!k || *e)
		return -1;
	*i += k;
	return 0;
}

/* Arguments "(a, b, ...)" from t[*i] == '('; returns their count or -1. */
static int args(const char *t, size_t n, size_t *i, struct arg *a)
{
	int na = 0;

	for ((*i)++;;) {
		while (*i < n && t[*i] == ' ')
			(*i)++;
		if (*i >= n)
			return -1;
		if (t[*i] == ')') {
			(*i)++;
			return na;
		}
		if (na == ARG_MAX)
			return -1;
		memset(&a[na], 0, sizeof(a[na]));
		if ((t[*i] == '"' ? str_arg(t, n, i, &a[na]) : num_arg(t, n, i, &a[na])))
			return -1;
		na++;
		while (*i < n && t[*i] == ' ')
			(*i)++;
		if (*i < n && t[*i] == ',')
			(*i)++;
		else if (*i >= n || t[*i] != ')')
			return -1;
	}
}

static int cmd_subst(const struct subj *sj, const struct arg *a, int na, struct out *v)
{
	const uint8_t *p;
	size_t n, i = 0;

	if (na != 3 || a[0].isstr || !a[1].isstr || !a[2].isstr || group(sj, a[0].num, &p, &n))
		return -1;
	while (i < n) {
		if (a[1].sl && a[1].sl <= n - i && !memcmp(p + i, a[1].s, a[1].sl)) {
			put(v, a[2].s, a[2].sl);
			i += a[1].sl;
		} else {
			put(v, p + i++, 1);
		}
	}
	return 0;
}

static int cmd_int(const struct subj *sj, const struct arg *a, int na, struct out *v)
{
	const uint8_t *p;
	size_t n;
	unsigned long long x = 0;
	char b[24];

	if (na != 2 || a[0].isstr || !a[1].isstr || a[1].sl != 1 || group(sj, a[0].num, &p, &n) ||
	    n > 8 || (a[1].s[0] != '<' && a[1].s[0] != '>'))
		return -1;
	for (size_t k = 0; k < n; k++)
		x = x << 8 | p[a[1].s[0] == '>' ? k : n - 1 - k];
	snprintf(b, sizeof(b), "%llu", x);
	put(v, b, strlen(b));
	return 0;
}

/* One $-form at t[*i] == '$', appended to o; -1 empties the field. */
static int var(const char *t, size_t n, size_t *i, const struct subj *sj, int cpe, struct out *o)
{
	char vb[512];
	struct out v = {vb, sizeof(vb), 0};
	struct arg a[ARG_MAX];
	const uint8_t *p;
	size_t k = *i + 1, gl;
	int na, rc = -1;

	vb[0] = 0;
	if (k < n && isdigit((unsigned char)t[k])) {
		if (group(sj, t[k] - '0', &p, &gl))
			return -1;
		*i = k + 1;
		put_value(o, p, gl, cpe);
		return 0;
	}
	while (k < n && isalpha((unsigned char)t[k]))
		k++;
	if (k == *i + 1 || k >= n || t[k] != '(')
		return -1;
	const char *cmd = t + *i + 1;
	size_t cl = k - *i - 1;
	if ((na = args(t, n, &k, a)) < 0)
		return -1;
	if (cl == 1 && cmd[0] == 'P' && na == 1 && !a[0].isstr && !group(sj, a[0].num, &p, &gl)) {
		for (size_t j = 0; j < gl; j++)
			if (p[j] >= 0x20 && p[j] < 0x7f)
				put(&v, p + j, 1);
		rc = 0;
	} else if (cl == 5 && !memcmp(cmd, "SUBST", 5)) {
		rc = cmd_subst(sj, a, na, &v);
	} else if (cl == 1 && cmd[0] == 'I') {
		rc = cmd_int(sj, a, na, &v);
	}
	if (rc)
		return -1;
	*i = k;
	put_value(o, (const uint8_t *)v.p, v.len, cpe);
	return 0;
}

/* Expands template t into (dst, cap); an empty string when it fails. */
static void expand(const struct nmap_tmpl *t, const struct subj *sj, int cpe, char *dst, size_t cap)
{
	struct out o = {dst, cap, 0};
	size_t i = 0;

	dst[0] = 0;
	if (!t->p)
		return;
	while (i < t->n) {
		const char *d = memchr(t->p + i, '$', t->n - i);
		size_t lit = d ? (size_t)(d - (t->p + i)) : t->n - i;
		put(&o, t->p + i, lit);
		i += lit;
		if (d && var(t->p, t->n, &i, sj, cpe, &o)) {
			dst[0] = 0;
			return;
		}
	}
	while (o.len && (isspace((unsigned char)dst[o.len - 1]) || dst[o.len - 1] == ','))
		dst[--o.len] = 0;
}

void nmap_fill(const struct nmap_line *l, struct nmap_hit *h, const uint8_t *subj, size_t n,
	       const size_t *ov, int ncap)
{
	struct subj sj = {subj, n, ov, 1};
	char *dst[NF_COUNT] = {h->product, h->version, h->info, h->hostname, h->os, h->devtype};
	size_t cap[NF_COUNT] = {sizeof(h->product), sizeof(h->version), sizeof(h->info),
				sizeof(h->hostname), sizeof(h->os), sizeof(h->devtype)};

	memset(h, 0, sizeof(*h));
	for (int g = ncap - 1; g > 0; g--)
		if (ov[2 * g] != MRE_UNSET) {
			sj.nmatch = g + 1;
			break;
		}
	memcpy(h->service, l->service, sizeof(h->service));
	h->soft = l->soft;
	h->line = l->line;
	h->lit = l->lit;
	for (int f = 0; f < NF_COUNT; f++)
		expand(&l->t[f], &sj, 0, dst[f], cap[f]);
	for (int k = 0; k < l->ncpe; k++) {
		expand(&l->cpe[k], &sj, 1, h->cpe[h->ncpe], sizeof(h->cpe[0]));
		if (h->cpe[h->ncpe][0])
			h->ncpe++;
	}
}

struct mctx {
	const struct nmap_db *db;
	struct nmap_hit *hits;
	int max, nh, hard;
};

static int on_match(void *ctx, unsigned id, const uint8_t *subj, size_t n, const size_t *ov,
		    int ncap)
{
	struct mctx *c = ctx;
	const struct nmap_line *l = &c->db->ln[id];
	int slot;

	if (l->soft) {
		if (c->nh < c->max)
			nmap_fill(l, &c->hits[c->nh++], subj, n, ov, ncap);
		return 0;
	}
	c->hard = 1;
	slot = c->nh < c->max ? c->nh++ : c->max - 1;
	if (slot >= 0)
		nmap_fill(l, &c->hits[slot], subj, n, ov, ncap);
	return 1;
}

int nmap_match(const struct nmap_db *db, struct nmap_scratch *s, const char *probe,
	       const uint8_t *p, size_t n, struct nmap_hit *hits, int max)
{
	struct mctx c = {db, hits, max, 0, 0};
	const struct nmap_probe *pr;
	int k, rc;

	if (!db || !db->compiled || !s || !probe || (!p && n) || max < 0 || (max && !hits))
		return TM_EINVAL;
	if ((k = nmap_find_probe(db, probe)) < 0)
		return TM_ENOTFOUND;
	pr = &db->pr[k];
	for (int j = 0; j < pr->nchain && !c.hard; j++)
		if ((rc = mre_scan(db->pr[pr->chain[j]].mre, s->ms, p, n, on_match, &c)))
			return rc;
	return c.nh;
}
