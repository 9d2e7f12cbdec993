/*
 * vendor_load.c - reads "vendor" and "list" records (stanza.h format, see
 * docs/vendors.md) into the registry of vendor_int.h.  A record is checked
 * whole before anything of it is stored: a bad value, a name already owned
 * by another vendor, a duplicate id or enterprise number leaves the record
 * out and stops the file with "file:line: ..." while earlier records stay.
 * Parents may name vendors defined later in the same file; they are
 * resolved, and cycles refused, when the file ends.
 */
#include "vendor_int.h"
#include "stanza.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/err.h"
#include "../core/file.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_ITEMS (2 * STANZA_MAX_FIELDS + 2)
#define SHOW 60 /* bytes of a value quoted in a message */

/* One thing a vendor record stores, staged until the whole record is checked. */
struct item {
	char ns;	     /* map namespace of key: 'n' 'a' 'A' 'x' (not: 'a' key, no vendor) 'c' 'p' 'P' (parent) */
	const char *key;     /* map key (arena), NULL for a parent */
	size_t klen;
	const char **w;	     /* a phrase's words (arena) */
	int nw, nch;
	const char *pid;     /* a parent's id */
	int64_t from, until; /* a parent's days */
	unsigned line;
	bool dup;	     /* same key as an earlier item of this record: skipped */
};

struct ld {
	struct vreg *r;
	unsigned allow;
	const char *file;
	struct item it[MAX_ITEMS];
	int n;
	struct vr_member mem[STANZA_MAX_FIELDS]; /* a list record's members, staged */
	struct buf b;
};

/* The decoded value of f, NUL-terminated in the arena. */
static int value(struct ld *c, const struct st_field *f, const char **out, size_t *n, char *eb,
		 size_t el)
{
	int rc;

	buf_reset(&c->b);
	if ((rc = stanza_unquote(f, &c->b)))
		return err_set(eb, el, rc, "%s:%u: bad quoted value", c->file, f->line);
	if (memchr(buf_str(&c->b), 0, c->b.len))
		return err_set(eb, el, TM_EPROTO, "%s:%u: NUL byte in value", c->file, f->line);
	*n = c->b.len;
	*out = arena_strndup(c->r->a, buf_str(&c->b), c->b.len);
	return *out ? 0 : err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, f->line);
}

/* Ids of vendors and lists: lower-case letters, digits and '-', at most 40. */
static bool id_ok(const char *s, size_t n)
{
	if (!n || n > 40 || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

/* A key: ns + (s, n), lower-cased when lower; in the arena. */
static const char *mkkey(struct vreg *r, char ns, const char *s, size_t n, bool lower)
{
	char *k = arena_alloc(r->a, n + 2);

	if (!k)
		return NULL;
	k[0] = ns;
	for (size_t i = 0; i < n; i++)
		k[i + 1] = lower ? (char)tolower((unsigned char)s[i]) : s[i];
	k[n + 1] = 0;
	return k;
}

static struct item *add_item(struct ld *c, char ns, unsigned line)
{
	struct item *x = &c->it[c->n++]; /* at most two items a field: MAX_ITEMS suffices */

	memset(x, 0, sizeof(*x));
	x->ns = ns;
	x->line = line;
	return x;
}

/* Stages an exact name (id, name, alias, oui-name) for vreg_find. */
static int stage_name(struct ld *c, const char *s, size_t n, unsigned line, char *eb, size_t el)
{
	struct item *x;

	if (n > VR_KEY_MAX)
		return err_set(eb, el, TM_ELIMIT, "%s:%u: name longer than %d bytes", c->file, line,
			       VR_KEY_MAX);
	x = add_item(c, 'n', line);
	x->key = mkkey(c->r, 'n', s, n, true);
	x->klen = n + 1;
	return x->key ? 0 : err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
}

/* Stages a phrase: ns 'a' (alias, name), 'A' (oui-name, whole text) or 'x' (not). */
static int stage_phrase(struct ld *c, char ns, const char *s, size_t n, unsigned line, char *eb,
			size_t el)
{
	char w[VR_WORD_MAX], key[VR_MAX_WORDS * (VR_WORD_MAX + 1) + 1];
	size_t pos = 0, ws, we, kl = 0;
	struct item *x = add_item(c, ns, line);
	int wl;

	x->w = arena_alloc(c->r->a, VR_MAX_WORDS * sizeof(*x->w));
	if (!x->w)
		return err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
	while (vr_next_word(s, n, &pos, &ws, &we)) {
		if (x->nw == VR_MAX_WORDS || (wl = vr_norm_word(s, ws, we, w)) < 0)
			return err_set(eb, el, TM_ELIMIT, "%s:%u: more than %d words or a word over %d bytes",
				       c->file, line, VR_MAX_WORDS, VR_WORD_MAX);
		if (!wl) /* only apostrophes */
			continue;
		if (!(x->w[x->nw++] = arena_strndup(c->r->a, w, (size_t)wl)))
			return err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
		if (kl)
			key[kl++] = ' ';
		memcpy(key + kl, w, (size_t)wl);
		kl += (size_t)wl;
		x->nch += wl;
	}
	if (!x->nw)
		return err_set(eb, el, TM_EPROTO, "%s:%u: '%.*s' has no letters or digits", c->file,
			       line, (int)(n > SHOW ? SHOW : n), s);
	x->key = mkkey(c->r, ns == 'x' ? 'a' : ns, key, kl, false);
	x->klen = kl + 1;
	return x->key ? 0 : err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
}

/* Splits the next white-space separated token off (*s, *n). */
static bool token(const char **s, size_t *n, const char **t, size_t *tn)
{
	str_trim(s, n);
	if (!*n)
		return false;
	*t = *s;
	for (*tn = 0; *tn < *n && !isspace((unsigned char)(*s)[*tn]); (*tn)++)
		;
	*s += *tn;
	*n -= *tn;
	return true;
}

/*
 * Parses "[from YYYY-MM-DD] [until YYYY-MM-DD]" (and, when roles is not NULL,
 * "roles a,b") from (s, n).  Returns a message-free error when malformed.
 */
static int dates(const char *s, size_t n, int64_t *from, int64_t *until, const char **roles,
		 size_t *rn)
{
	const char *t, *v;
	size_t tn, vn;

	*from = VR_NO_DAY_LO, *until = VR_NO_DAY_HI;
	while (token(&s, &n, &t, &tn)) {
		if (!token(&s, &n, &v, &vn))
			return TM_EPROTO;
		if (tn == 4 && !memcmp(t, "from", 4) && *from == VR_NO_DAY_LO) {
			if (!str_to_date(v, vn, from))
				return TM_EPROTO;
		} else if (tn == 5 && !memcmp(t, "until", 5) && *until == VR_NO_DAY_HI) {
			if (!str_to_date(v, vn, until))
				return TM_EPROTO;
		} else if (roles && tn == 5 && !memcmp(t, "roles", 5) && !*roles) {
			*roles = v, *rn = vn;
		} else
			return TM_EPROTO;
	}
	return *from < *until ? 0 : TM_EPROTO;
}

static int stage_parent(struct ld *c, const char *self, const char *s, size_t n, unsigned line,
			char *eb, size_t el)
{
	const char *id;
	size_t idn;
	struct item *x;

	if (!token(&s, &n, &id, &idn) || !id_ok(id, idn))
		return err_set(eb, el, TM_EPROTO, "%s:%u: parent needs a vendor id", c->file, line);
	if (strlen(self) == idn && !memcmp(self, id, idn))
		return err_set(eb, el, TM_EPROTO, "%s:%u: vendor '%s' is its own parent", c->file, line,
			       self);
	x = add_item(c, 'P', line);
	if (dates(s, n, &x->from, &x->until, NULL, NULL))
		return err_set(eb, el, TM_EPROTO,
			       "%s:%u: expected 'parent ID [from YYYY-MM-DD] [until YYYY-MM-DD]', from before until",
			       c->file, line);
	x->pid = arena_strndup(c->r->a, id, idn);
	return x->pid ? 0 : err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
}

static int stage_pen(struct ld *c, const char *s, size_t n, unsigned line, char *eb, size_t el)
{
	uint64_t pen;
	char k[4];
	struct item *x;

	if (!str_to_u64(s, n, &pen) || pen > UINT32_MAX)
		return err_set(eb, el, TM_EPROTO, "%s:%u: pen needs a number up to 4294967295",
			       c->file, line);
	k[0] = (char)(pen >> 24), k[1] = (char)(pen >> 16), k[2] = (char)(pen >> 8), k[3] = (char)pen;
	x = add_item(c, 'p', line);
	x->key = mkkey(c->r, 'p', k, 4, false);
	x->klen = 5;
	return x->key ? 0 : err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
}

static int stage_cpe(struct ld *c, const char *s, size_t n, unsigned line, char *eb, size_t el)
{
	struct item *x;

	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-.!~", s[i]))
			n = 0;
	if (!n || n > VR_WORD_MAX)
		return err_set(eb, el, TM_EPROTO, "%s:%u: bad CPE vendor name", c->file, line);
	x = add_item(c, 'c', line);
	x->key = mkkey(c->r, 'c', s, n, true);
	x->klen = n + 1;
	return x->key ? 0 : err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
}

static int set_kind(struct ld *c, struct vendor *v, const char *s, unsigned line, char *eb,
		    size_t el)
{
	for (int k = VENDOR_EQUIPMENT; k <= VENDOR_SERVICE; k++)
		if (!strcmp(s, vreg_kind_name((enum vendor_kind)k))) {
			v->kind = (enum vendor_kind)k;
			return 0;
		}
	return err_set(eb, el, TM_EPROTO, "%s:%u: kind is equipment, component, software or service",
		       c->file, line);
}

static int set_country(struct ld *c, struct vendor *v, const char *s, size_t n, unsigned line,
		       char *eb, size_t el)
{
	char *cc;

	if (n != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
		return err_set(eb, el, TM_EPROTO, "%s:%u: country is an ISO 3166 two-letter code",
			       c->file, line);
	if (!(cc = arena_strndup(c->r->a, s, 2)))
		return err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
	cc[0] = (char)toupper((unsigned char)cc[0]);
	cc[1] = (char)toupper((unsigned char)cc[1]);
	v->country = cc;
	return 0;
}

/* Reads one field of a vendor record into v and the staged items. */
static int vendor_field(struct ld *c, struct vendor *v, const struct st_field *f, char *eb,
			size_t el)
{
	const char *s, *k = f->key;
	size_t n;
	int rc;

	if ((rc = value(c, f, &s, &n, eb, el)))
		return rc;
	if (!strcmp(k, "name")) {
		if (v->name)
			return err_set(eb, el, TM_EPROTO, "%s:%u: second name", c->file, f->line);
		v->name = s;
		if ((rc = stage_name(c, s, n, f->line, eb, el)))
			return rc;
		return stage_phrase(c, 'a', s, n, f->line, eb, el);
	}
	if (!strcmp(k, "alias") || !strcmp(k, "oui-name")) {
		if ((rc = stage_name(c, s, n, f->line, eb, el)))
			return rc;
		return stage_phrase(c, k[0] == 'a' ? 'a' : 'A', s, n, f->line, eb, el);
	}
	if (!strcmp(k, "not"))
		return stage_phrase(c, 'x', s, n, f->line, eb, el);
	if (!strcmp(k, "country"))
		return set_country(c, v, s, n, f->line, eb, el);
	if (!strcmp(k, "kind"))
		return set_kind(c, v, s, f->line, eb, el);
	if (!strcmp(k, "cpe"))
		return stage_cpe(c, s, n, f->line, eb, el);
	if (!strcmp(k, "pen"))
		return stage_pen(c, s, n, f->line, eb, el);
	if (!strcmp(k, "parent"))
		return stage_parent(c, v->id, s, n, f->line, eb, el);
	if (!strcmp(k, "note"))
		return 0;
	return err_set(eb, el, TM_EPROTO, "%s:%u: unknown field '%.*s' in vendor %s", c->file,
		       f->line, SHOW, k, v->id);
}

/* Who already owns a staged key: a vendor index, -1 for a not phrase, -2 for no one. */
static int owner(const struct vreg *r, const struct item *x)
{
	const int *v = vr_map_get(&r->map, x->key, x->klen);

	if (!v)
		return -2;
	return x->ns == 'a' || x->ns == 'A' || x->ns == 'x' ? r->al[*v].vendor : *v;
}

/* A staged key as text for a message: the number of a pen, else the key's first SHOW bytes. */
static const char *shown(const struct item *x, char *out, size_t n)
{
	const unsigned char *k = (const unsigned char *)x->key + 1;

	if (x->ns == 'p')
		snprintf(out, n, "%lu",
			 (unsigned long)k[0] << 24 | (unsigned long)k[1] << 16 | (unsigned long)k[2] << 8 | k[3]);
	else
		str_copy(out, n, x->key + 1, x->klen - 1);
	return out;
}

/* Marks repeats inside the record and refuses keys other vendors own. */
static int check_items(struct ld *c, const char *id, char *eb, size_t el)
{
	static const char *what[128] = {['n'] = "name", ['a'] = "phrase", ['A'] = "oui-name",
					['x'] = "phrase", ['c'] = "CPE vendor", ['p'] = "enterprise number"};
	const struct vreg *r = c->r;
	char num[SHOW + 1];

	for (int i = 0; i < c->n; i++) {
		struct item *x = &c->it[i];
		int o;

		for (int j = 0; j < i && !x->dup && x->key; j++) {
			const struct item *y = &c->it[j];

			x->dup = y->key && y->klen == x->klen && !memcmp(y->key, x->key, x->klen);
			if (x->dup && (y->ns == 'x') != (x->ns == 'x'))
				return err_set(eb, el, TM_EPROTO, "%s:%u: '%.*s' is both a name and a 'not' phrase",
					       c->file, x->line, SHOW, x->key + 1);
		}
		if (x->dup || !x->key || (o = owner(r, x)) == -2)
			continue;
		if (o == -1 && x->ns == 'x') {
			x->dup = true; /* the same not phrase under another vendor: harmless */
			continue;
		}
		return err_set(eb, el, TM_EPROTO, "%s:%u: %s '%s' of vendor %s already belongs to %s",
			       c->file, x->line, what[(int)x->ns], shown(x, num, sizeof(num)), id,
			       o >= 0 ? r->v[o].v.id : "a 'not' phrase");
	}
	for (int i = 0; i < c->n; i++)
		for (int j = 0; j < i; j++) {
			const struct item *a = &c->it[j], *b = &c->it[i];

			if (a->ns == 'P' && b->ns == 'P' && a->from < b->until && b->from < a->until)
				return err_set(eb, el, TM_EPROTO, "%s:%u: parent overlaps line %u",
					       c->file, b->line, a->line);
		}
	return 0;
}

/* Makes room for everything the record stores, so that commit() cannot fail. */
static int reserve(struct ld *c, int *npar)
{
	struct vreg *r = c->r;
	int nph = 0, rc;

	*npar = 0;
	for (int i = 0; i < c->n; i++) {
		nph += c->it[i].w && !c->it[i].dup;
		*npar += c->it[i].ns == 'P';
	}
	if ((rc = vr_grow((void **)&r->v, &r->capv, r->nv + 1, sizeof(*r->v), VR_MAX_VENDORS)) ||
	    (rc = vr_grow((void **)&r->al, &r->capal, r->nal + nph, sizeof(*r->al), VR_MAX_ALIASES)) ||
	    (rc = vr_grow((void **)&r->pend, &r->cappend, r->npend + *npar, sizeof(*r->pend),
			  VR_MAX_ALIASES)) ||
	    (rc = vr_map_reserve(&r->map, (size_t)(c->n + nph + 1))))
		return rc;
	return 0;
}

/* Files phrase x under its first word. */
static void commit_phrase(struct vreg *r, const struct item *x, int vendor, const char *wkey)
{
	struct vr_alias *a = &r->al[r->nal];
	int *head = vr_map_get(&r->map, wkey, strlen(x->w[0]) + 1);

	a->w = x->w;
	a->nw = (uint8_t)x->nw;
	a->nch = (uint16_t)x->nch;
	a->whole = x->ns == 'A';
	a->vendor = x->ns == 'x' ? -1 : vendor;
	a->next = head ? *head : -1;
	if (head)
		*head = r->nal;
	else
		vr_map_put(&r->map, wkey, strlen(x->w[0]) + 1, r->nal);
	vr_map_put(&r->map, x->key, x->klen, r->nal);
	r->nal++;
}

static int commit(struct ld *c, const struct vendor *v, const char *idkey, int npar)
{
	struct vreg *r = c->r;
	struct vr_vendor *nv = &r->v[r->nv];
	const char *wkeys[MAX_ITEMS] = {NULL};
	int idx = r->nv, e = 0;

	/* the arena parts first: a failure here leaves the registry untouched */
	nv->par = npar ? arena_alloc(r->a, (size_t)npar * sizeof(*nv->par)) : NULL;
	for (int i = 0; i < c->n; i++)
		if (c->it[i].w && !c->it[i].dup &&
		    !(wkeys[i] = mkkey(r, 'w', c->it[i].w[0], strlen(c->it[i].w[0]), false)))
			return TM_ENOMEM;
	if (npar && !nv->par)
		return TM_ENOMEM;
	nv->v = *v;
	nv->npar = npar;
	vr_map_put(&r->map, idkey, strlen(idkey), idx);
	for (int i = 0; i < c->n; i++) {
		const struct item *x = &c->it[i];

		if (x->ns == 'P') {
			nv->par[e] = (struct vr_edge){-1, x->from, x->until, x->line};
			r->pend[r->npend++] = (struct vr_pend){idx, e++, x->pid, x->line};
		} else if (x->dup)
			continue;
		else if (x->w)
			commit_phrase(r, x, idx, wkeys[i]);
		else
			vr_map_put(&r->map, x->key, x->klen, idx);
	}
	r->nv++;
	return 0;
}

static int vendor_rec(struct ld *c, const struct st_rec *rec, char *eb, size_t el)
{
	struct vendor v = {NULL, NULL, "", VENDOR_EQUIPMENT};
	size_t idn = strlen(rec->id);
	const char *idkey;
	int rc, npar;

	c->n = 0;
	if (!id_ok(rec->id, idn))
		return err_set(eb, el, TM_EPROTO,
			       "%s:%u: vendor id '%.*s': lower-case letters, digits and '-', at most 40",
			       c->file, rec->line, SHOW, rec->id);
	if (!(idkey = mkkey(c->r, 'i', rec->id, idn, false)) || !(v.id = idkey + 1))
		return err_set(eb, el, TM_ENOMEM, "%s: out of memory", c->file);
	if (vr_map_get(&c->r->map, idkey, idn + 1))
		return err_set(eb, el, TM_EPROTO, "%s:%u: duplicate vendor id '%s'", c->file, rec->line,
			       v.id);
	if ((rc = stage_name(c, v.id, idn, rec->line, eb, el)))
		return rc;
	for (int i = 0; i < rec->nf; i++)
		if ((rc = vendor_field(c, &v, &rec->f[i], eb, el)))
			return rc;
	if (!v.name)
		return err_set(eb, el, TM_EPROTO, "%s:%u: vendor %s has no name", c->file, rec->line,
			       v.id);
	if ((rc = check_items(c, v.id, eb, el)))
		return rc;
	if ((rc = reserve(c, &npar)) || (rc = commit(c, &v, idkey, npar)))
		return err_set(eb, el, rc, "%s:%u: %s", c->file, rec->line,
			       rc == TM_ELIMIT ? "too many vendors or names" : "out of memory");
	return 0;
}

/* Looks a vendor up by id (s, n); -1 if none. */
static int by_id(const struct vreg *r, const char *s, size_t n)
{
	char k[48];
	const int *v;

	if (n > 40)
		return -1;
	k[0] = 'i';
	memcpy(k + 1, s, n);
	v = vr_map_get(&r->map, k, n + 1);
	return v ? *v : -1;
}

/* ",a,b," from "a,b" (lower-cased) in the arena; NULL when malformed or out of memory. */
static const char *role_set(struct vreg *r, const char *s, size_t n)
{
	char *out = arena_alloc(r->a, n + 3);
	size_t w = 0;

	if (!out || !n || n > 1024)
		return NULL;
	out[0] = ',';
	for (size_t i = 0; i < n; i++) {
		char ch = (char)tolower((unsigned char)s[i]);

		if (ch == ',' ? out[i] == ',' : !(isalnum((unsigned char)ch) || ch == '-'))
			return NULL; /* empty role or a bad byte */
		out[i + 1] = ch;
		w = ch == ',' ? 0 : w + 1;
		if (w > VR_WORD_MAX)
			return NULL;
	}
	if (out[n] == ',')
		return NULL;
	out[n + 1] = ',';
	out[n + 2] = 0;
	return out;
}

static int member(struct ld *c, struct vr_member *m, const char *s, size_t n, unsigned line,
		  char *eb, size_t el)
{
	const char *id, *roles = NULL;
	size_t idn, rn = 0;

	if (!token(&s, &n, &id, &idn))
		return err_set(eb, el, TM_EPROTO, "%s:%u: member needs a vendor id", c->file, line);
	if ((m->vendor = by_id(c->r, id, idn)) < 0)
		return err_set(eb, el, TM_EPROTO, "%s:%u: unknown vendor '%.*s'", c->file, line,
			       (int)(idn > SHOW ? SHOW : idn), id);
	if (dates(s, n, &m->from, &m->until, &roles, &rn))
		return err_set(eb, el, TM_EPROTO,
			       "%s:%u: expected 'member VENDOR [roles a,b] [from YYYY-MM-DD] [until YYYY-MM-DD]', from before until",
			       c->file, line);
	m->roles = NULL;
	if (roles && !(m->roles = role_set(c->r, roles, rn)))
		return err_set(eb, el, TM_EPROTO, "%s:%u: roles are words of letters, digits and '-' joined by ','",
			       c->file, line);
	return 0;
}

/* Reads one field of a list record into l (members into c->mem). */
static int list_field(struct ld *c, struct vr_list *l, const struct st_field *f, char *eb,
		      size_t el)
{
	const char *s, *k = f->key;
	size_t n;
	int rc;

	if ((rc = value(c, f, &s, &n, eb, el)))
		return rc;
	if (!strcmp(k, "member"))
		return member(c, &c->mem[l->nm++], s, n, f->line, eb, el);
	if (!strcmp(k, "name") && !*l->title)
		l->title = s;
	else if (!strcmp(k, "source") && !*l->source)
		l->source = s;
	else if (!strcmp(k, "date") && l->date == VR_NO_DAY_LO) {
		if (!str_to_date(s, n, &l->date))
			return err_set(eb, el, TM_EPROTO, "%s:%u: date is YYYY-MM-DD", c->file, f->line);
	} else if (strcmp(k, "note"))
		return err_set(eb, el, TM_EPROTO, "%s:%u: unknown or repeated field '%.*s' in list %s",
			       c->file, f->line, SHOW, k, l->id);
	return 0;
}

static int list_rec(struct ld *c, const struct st_rec *rec, char *eb, size_t el)
{
	struct vreg *r = c->r;
	struct vr_list l = {NULL, "", "", VR_NO_DAY_LO, NULL, 0};
	size_t idn = strlen(rec->id);
	const char *key;
	int rc;

	if (!id_ok(rec->id, idn))
		return err_set(eb, el, TM_EPROTO,
			       "%s:%u: list id '%.*s': lower-case letters, digits and '-', at most 40",
			       c->file, rec->line, SHOW, rec->id);
	if (!(key = mkkey(r, 'l', rec->id, idn, false)))
		return err_set(eb, el, TM_ENOMEM, "%s: out of memory", c->file);
	l.id = key + 1;
	if (vr_map_get(&r->map, key, idn + 1))
		return err_set(eb, el, TM_EPROTO, "%s:%u: duplicate list id '%s'", c->file, rec->line,
			       l.id);
	for (int i = 0; i < rec->nf; i++)
		if ((rc = list_field(c, &l, &rec->f[i], eb, el)))
			return rc;
	for (int i = 0; i < l.nm; i++)
		if (c->mem[i].from == VR_NO_DAY_LO)
			c->mem[i].from = l.date;
	if (l.nm && !(l.m = arena_alloc(r->a, (size_t)l.nm * sizeof(*l.m))))
		return err_set(eb, el, TM_ENOMEM, "%s: out of memory", c->file);
	if ((rc = vr_grow((void **)&r->l, &r->capl, r->nl + 1, sizeof(*r->l), VR_MAX_LISTS)) ||
	    (rc = vr_map_reserve(&r->map, 1)))
		return err_set(eb, el, rc, "%s:%u: %s", c->file, rec->line,
			       rc == TM_ELIMIT ? "too many lists" : "out of memory");
	if (l.nm)
		memcpy(l.m, c->mem, (size_t)l.nm * sizeof(*l.m));
	vr_map_put(&r->map, key, idn + 1, r->nl);
	r->l[r->nl++] = l;
	return 0;
}

static int on_rec(void *ctx, const struct st_rec *rec, char *eb, size_t el)
{
	struct ld *c = ctx;

	if (!strcmp(rec->type, "vendor") && (c->allow & VREG_VENDORS))
		return vendor_rec(c, rec, eb, el);
	if (!strcmp(rec->type, "list") && (c->allow & VREG_LISTS))
		return list_rec(c, rec, eb, el);
	return err_set(eb, el, TM_EPROTO, "%s:%u: a '%.*s' record does not belong in this file",
		       c->file, rec->line, SHOW, rec->type);
}

/*
 * Can walking up from node, on some day of [lo, hi), reach target?  1 yes,
 * 0 no, -1 deeper than VR_MAX_DEPTH.  A vendor's parents do not overlap, so
 * the days split at each step and the walk stays linear in the edges.
 */
static int reaches(const struct vreg *r, int node, int target, int64_t lo, int64_t hi, int depth)
{
	const struct vr_vendor *v = &r->v[node];
	int rc;

	if (node == target)
		return 1;
	if (depth >= VR_MAX_DEPTH)
		return -1;
	for (int i = 0; i < v->npar; i++) {
		const struct vr_edge *e = &v->par[i];
		int64_t l = e->from > lo ? e->from : lo, h = e->until < hi ? e->until : hi;

		if (e->parent >= 0 && l < h && (rc = reaches(r, e->parent, target, l, h, depth + 1)))
			return rc;
	}
	return 0;
}

/* Resolves the file's parents and drops those that would make a cycle; keeps the first error. */
static int finish(struct ld *c, int rc, char *eb, size_t el)
{
	struct vreg *r = c->r;

	for (int i = 0; i < r->npend; i++) {
		const struct vr_pend *p = &r->pend[i];
		struct vr_edge *e = &r->v[p->vendor].par[p->edge];

		e->parent = by_id(r, p->id, strlen(p->id));
		if (e->parent < 0 && !rc)
			rc = err_set(eb, el, TM_EPROTO, "%s:%u: unknown parent '%s' of vendor %s",
				     c->file, p->line, p->id, r->v[p->vendor].v.id);
	}
	for (int i = 0; i < r->npend; i++) {
		const struct vr_pend *p = &r->pend[i];
		struct vr_edge *e = &r->v[p->vendor].par[p->edge];
		int t = e->parent >= 0 ? reaches(r, e->parent, p->vendor, e->from, e->until, 1) : 0;

		if (!t)
			continue;
		e->parent = -1;
		if (!rc)
			rc = err_set(eb, el, t > 0 ? TM_EPROTO : TM_ELIMIT,
				     "%s:%u: parent '%s' of vendor %s %s", c->file, p->line, p->id,
				     r->v[p->vendor].v.id,
				     t > 0 ? "makes a cycle" : "makes a family deeper than 64");
	}
	r->npend = 0;
	return rc;
}

int vreg_parse(struct vreg *r, const char *file, const char *data, size_t len, unsigned allow,
	       char *eb, size_t el)
{
	struct ld *c;
	int rc;

	if (!r || (!data && len))
		return err_set(eb, el, TM_EINVAL, "%s: no registry or data", file);
	if (!(c = mem_calloc(1, sizeof(*c))))
		return err_set(eb, el, TM_ENOMEM, "%s: out of memory", file);
	c->r = r;
	c->allow = allow;
	c->file = file;
	buf_init(&c->b, 1u << 16);
	rc = stanza_parse(file, data ? data : "", len, on_rec, c, eb, el);
	rc = finish(c, rc, eb, el);
	buf_fini(&c->b);
	mem_free(c);
	return rc;
}

static int load_file(struct vreg *r, const char *path, unsigned allow, char *eb, size_t el)
{
	char *data;
	size_t len;
	int rc = file_read(path, 16u << 20, &data, &len, eb, el);

	if (rc)
		return rc;
	rc = vreg_parse(r, path, data, len, allow, eb, el);
	mem_free(data);
	return rc;
}

int vreg_load(struct vreg **out, const char *dir, char *eb, size_t el)
{
	struct vreg *r = vreg_new();
	struct buf path;
	int rc = TM_ENOMEM;

	*out = NULL;
	buf_init(&path, 4096);
	if (!r || buf_printf(&path, "%s/vendors.tm", dir)) {
		err_set(eb, el, rc, "%s: out of memory or path too long", dir);
		goto out;
	}
	if ((rc = load_file(r, buf_str(&path), VREG_VENDORS, eb, el)))
		goto out;
	buf_reset(&path);
	if ((rc = buf_printf(&path, "%s/lists.tm", dir)) ||
	    (rc = load_file(r, buf_str(&path), VREG_LISTS, eb, el)))
		goto out;
	*out = r;
	r = NULL;
out:
	vreg_free(r);
	buf_fini(&path);
	return rc;
}

int vreg_load_lists(struct vreg *r, const char *path, char *errbuf, size_t errlen)
{
	return load_file(r, path, VREG_VENDORS | VREG_LISTS, errbuf, errlen);
}
