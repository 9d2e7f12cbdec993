/*
 * vendor_rec.c - one "vendor" record of vendors.tm into the registry.  The
 * record is checked whole before anything of it is stored: a bad value, a
 * name, phrase, CPE vendor or enterprise number another vendor owns, or
 * overlapping parents leave it out.  Everything is staged as items, room
 * is reserved, and only then is the record committed, which cannot fail.
 * Parents are left pending until the file ends (vendor_load.c).
 */
#include "vendor_int.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/str.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static struct vr_item *add_item(struct vr_ld *c, char ns, unsigned line)
{
	struct vr_item *x = &c->it[c->n++]; /* at most two items a field: VR_MAX_ITEMS suffices */

	memset(x, 0, sizeof(*x));
	x->ns = ns;
	x->line = line;
	return x;
}

/* Stages an exact name (id, name, alias, oui-name) for vreg_find. */
static int stage_name(struct vr_ld *c, const char *s, size_t n, unsigned line, char *eb, size_t el)
{
	struct vr_item *x;

	if (n > VR_KEY_MAX)
		return err_set(eb, el, TM_ELIMIT, "%s:%u: name longer than %d bytes", c->file, line,
			       VR_KEY_MAX);
	x = add_item(c, 'n', line);
	x->key = vr_mkkey(c->r, 'n', s, n, true);
	x->klen = n + 1;
	return x->key ? 0 : err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
}

/* Stages a phrase: ns 'a' (alias, name), 'A' (oui-name, whole text) or 'x' (not). */
static int stage_phrase(struct vr_ld *c, char ns, const char *s, size_t n, unsigned line, char *eb,
			size_t el)
{
	char w[VR_WORD_MAX], key[VR_MAX_WORDS * (VR_WORD_MAX + 1) + 1];
	size_t pos = 0, ws, we, kl = 0;
	struct vr_item *x = add_item(c, ns, line);
	int wl;

	x->w = arena_alloc(c->r->a, VR_MAX_WORDS * sizeof(*x->w));
	if (!x->w)
		return err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
	while (vr_next_word(s, n, &pos, &ws, &we)) {
		if (x->nw == VR_MAX_WORDS || (wl = vr_norm_word(s, ws, we, w)) < 0)
			return err_set(eb, el, TM_ELIMIT,
				       "%s:%u: more than %d words or a word over %d bytes", c->file,
				       line, VR_MAX_WORDS, VR_WORD_MAX);
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
			       line, (int)(n > VR_SHOW ? VR_SHOW : n), s);
	x->key = vr_mkkey(c->r, ns == 'x' ? 'a' : ns, key, kl, false);
	x->klen = kl + 1;
	return x->key ? 0 : err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
}

static int stage_parent(struct vr_ld *c, const char *self, const char *s, size_t n, unsigned line,
			char *eb, size_t el)
{
	const char *id;
	size_t idn;
	struct vr_item *x;

	if (!vr_token(&s, &n, &id, &idn) || !vr_id_ok(id, idn))
		return err_set(eb, el, TM_EPROTO, "%s:%u: parent needs a vendor id", c->file, line);
	if (strlen(self) == idn && !memcmp(self, id, idn))
		return err_set(eb, el, TM_EPROTO, "%s:%u: vendor '%s' is its own parent", c->file,
			       line, self);
	x = add_item(c, 'P', line);
	if (vr_dates(s, n, &x->from, &x->until, NULL, NULL))
		return err_set(eb, el, TM_EPROTO,
			       "%s:%u: expected 'parent ID [from YYYY-MM-DD] [until YYYY-MM-DD]', "
			       "from before until",
			       c->file, line);
	x->pid = arena_strndup(c->r->a, id, idn);
	return x->pid ? 0 : err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
}

static int stage_pen(struct vr_ld *c, const char *s, size_t n, unsigned line, char *eb, size_t el)
{
	uint64_t pen;
	char k[4];
	struct vr_item *x;

	if (!str_to_u64(s, n, &pen) || pen > UINT32_MAX)
		return err_set(eb, el, TM_EPROTO, "%s:%u: pen needs a number up to 4294967295",
			       c->file, line);
	k[0] = (char)(pen >> 24), k[1] = (char)(pen >> 16), k[2] = (char)(pen >> 8),
	k[3] = (char)pen;
	x = add_item(c, 'p', line);
	x->key = vr_mkkey(c->r, 'p', k, 4, false);
	x->klen = 5;
	return x->key ? 0 : err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
}

static int stage_cpe(struct vr_ld *c, const char *s, size_t n, unsigned line, char *eb, size_t el)
{
	struct vr_item *x;

	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-.!~", s[i]))
			n = 0;
	if (!n || n > VR_WORD_MAX)
		return err_set(eb, el, TM_EPROTO, "%s:%u: bad CPE vendor name", c->file, line);
	x = add_item(c, 'c', line);
	x->key = vr_mkkey(c->r, 'c', s, n, true);
	x->klen = n + 1;
	return x->key ? 0 : err_set(eb, el, TM_ENOMEM, "%s:%u: out of memory", c->file, line);
}

static int set_kind(struct vr_ld *c, struct vendor *v, const char *s, unsigned line, char *eb,
		    size_t el)
{
	for (int k = VENDOR_EQUIPMENT; k <= VENDOR_SERVICE; k++)
		if (!strcmp(s, vreg_kind_name((enum vendor_kind)k))) {
			v->kind = (enum vendor_kind)k;
			return 0;
		}
	return err_set(eb, el, TM_EPROTO,
		       "%s:%u: kind is equipment, component, software or service", c->file, line);
}

static int set_country(struct vr_ld *c, struct vendor *v, const char *s, size_t n, unsigned line,
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
static int vendor_field(struct vr_ld *c, struct vendor *v, const struct st_field *f, char *eb,
			size_t el)
{
	const char *s, *k = f->key;
	size_t n;
	int rc;

	if ((rc = vr_value(c, f, &s, &n, eb, el)))
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
		       f->line, VR_SHOW, k, v->id);
}

/* Who already owns a staged key: a vendor index, -1 for a not phrase, -2 for no one. */
static int owner(const struct vreg *r, const struct vr_item *x)
{
	const int *v = vr_map_get(&r->map, x->key, x->klen);

	if (!v)
		return -2;
	return x->ns == 'a' || x->ns == 'A' || x->ns == 'x' ? r->al[*v].vendor : *v;
}

/* A staged key as text for a message: the number of a pen, else the key's first VR_SHOW bytes. */
static const char *shown(const struct vr_item *x, char *out, size_t n)
{
	const unsigned char *k = (const unsigned char *)x->key + 1;

	if (x->ns == 'p')
		snprintf(out, n, "%lu",
			 (unsigned long)k[0] << 24 | (unsigned long)k[1] << 16 |
			     (unsigned long)k[2] << 8 | k[3]);
	else
		str_copy(out, n, x->key + 1, x->klen - 1);
	return out;
}

/* Marks repeats inside the record and refuses keys other vendors own. */
static int check_items(struct vr_ld *c, const char *id, char *eb, size_t el)
{
	static const char *what[128] = {
	    ['n'] = "name",   ['a'] = "phrase",	    ['A'] = "oui-name",
	    ['x'] = "phrase", ['c'] = "CPE vendor", ['p'] = "enterprise number"};
	const struct vreg *r = c->r;
	char num[VR_SHOW + 1];

	for (int i = 0; i < c->n; i++) {
		struct vr_item *x = &c->it[i];
		int o;

		for (int j = 0; j < i && !x->dup && x->key; j++) {
			const struct vr_item *y = &c->it[j];

			x->dup = y->key && y->klen == x->klen && !memcmp(y->key, x->key, x->klen);
			if (x->dup && (y->ns == 'x') != (x->ns == 'x'))
				return err_set(eb, el, TM_EPROTO,
					       "%s:%u: '%.*s' is both a name and a 'not' phrase",
					       c->file, x->line, VR_SHOW, x->key + 1);
		}
		if (x->dup || !x->key || (o = owner(r, x)) == -2)
			continue;
		if (o == -1 && x->ns == 'x') {
			x->dup = true; /* the same not phrase under another vendor: harmless */
			continue;
		}
		return err_set(eb, el, TM_EPROTO,
			       "%s:%u: %s '%s' of vendor %s already belongs to %s", c->file,
			       x->line, what[(int)x->ns], shown(x, num, sizeof(num)), id,
			       o >= 0 ? r->v[o].v.id : "a 'not' phrase");
	}
	for (int i = 0; i < c->n; i++)
		for (int j = 0; j < i; j++) {
			const struct vr_item *a = &c->it[j], *b = &c->it[i];

			if (a->ns == 'P' && b->ns == 'P' && a->from < b->until &&
			    b->from < a->until)
				return err_set(eb, el, TM_EPROTO, "%s:%u: parent overlaps line %u",
					       c->file, b->line, a->line);
		}
	return 0;
}

/* Makes room for everything the record stores, so that commit() cannot fail. */
static int reserve(struct vr_ld *c, int *npar)
{
	struct vreg *r = c->r;
	int nph = 0, rc;

	*npar = 0;
	for (int i = 0; i < c->n; i++) {
		nph += c->it[i].w && !c->it[i].dup;
		*npar += c->it[i].ns == 'P';
	}
	if ((rc = vr_grow((void **)&r->v, &r->capv, r->nv + 1, sizeof(*r->v), VR_MAX_VENDORS)) ||
	    (rc = vr_grow((void **)&r->al, &r->capal, r->nal + nph, sizeof(*r->al),
			  VR_MAX_ALIASES)) ||
	    (rc = vr_grow((void **)&r->pend, &r->cappend, r->npend + *npar, sizeof(*r->pend),
			  VR_MAX_ALIASES)) ||
	    (rc = vr_map_reserve(&r->map, (size_t)(c->n + nph + 1))))
		return rc;
	return 0;
}

/* Files phrase x under its first word. */
static void commit_phrase(struct vreg *r, const struct vr_item *x, int vendor, const char *wkey)
{
	struct vr_alias *a = &r->al[r->nal];
	int *head = vr_map_get(&r->map, wkey, strlen(x->w[0]) + 1);

	a->w = x->w;
	a->nw = (uint8_t)x->nw;
	a->nch = (uint16_t)x->nch;
	a->whole = x->ns == 'A';
	a->vendor = x->ns == 'x' ? -1 : vendor;
	a->next = head ? *head : -1;
	if (head) {
		*head = r->nal;
	} else {
		uint32_t b = vr_wbit(vr_hash(wkey, strlen(x->w[0]) + 1));

		vr_map_put(&r->map, wkey, strlen(x->w[0]) + 1, r->nal);
		r->wfilt[b / 64] |= (uint64_t)1 << (b % 64);
	}
	vr_map_put(&r->map, x->key, x->klen, r->nal);
	r->nal++;
}

static int commit(struct vr_ld *c, const struct vendor *v, const char *idkey, int npar)
{
	struct vreg *r = c->r;
	struct vr_vendor *nv = &r->v[r->nv];
	const char *wkeys[VR_MAX_ITEMS] = {NULL};
	int idx = r->nv, e = 0;

	/* the arena parts first: a failure here leaves the registry untouched */
	nv->par = npar ? arena_alloc(r->a, (size_t)npar * sizeof(*nv->par)) : NULL;
	for (int i = 0; i < c->n; i++)
		if (c->it[i].w && !c->it[i].dup &&
		    !(wkeys[i] = vr_mkkey(r, 'w', c->it[i].w[0], strlen(c->it[i].w[0]), false)))
			return TM_ENOMEM;
	if (npar && !nv->par)
		return TM_ENOMEM;
	nv->v = *v;
	nv->npar = npar;
	vr_map_put(&r->map, idkey, strlen(idkey), idx);
	for (int i = 0; i < c->n; i++) {
		const struct vr_item *x = &c->it[i];

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

int vr_vendor_rec(struct vr_ld *c, const struct st_rec *rec, char *eb, size_t el)
{
	struct vendor v = {NULL, NULL, "", VENDOR_EQUIPMENT};
	size_t idn = strlen(rec->id);
	const char *idkey;
	int rc, npar;

	c->n = 0;
	if (!vr_id_ok(rec->id, idn))
		return err_set(
		    eb, el, TM_EPROTO,
		    "%s:%u: vendor id '%.*s': lower-case letters, digits and '-', at most 40",
		    c->file, rec->line, VR_SHOW, rec->id);
	if (!(idkey = vr_mkkey(c->r, 'i', rec->id, idn, false)) || !(v.id = idkey + 1))
		return err_set(eb, el, TM_ENOMEM, "%s: out of memory", c->file);
	if (vr_map_get(&c->r->map, idkey, idn + 1))
		return err_set(eb, el, TM_EPROTO, "%s:%u: duplicate vendor id '%s'", c->file,
			       rec->line, v.id);
	if ((rc = stage_name(c, v.id, idn, rec->line, eb, el)))
		return rc;
	for (int i = 0; i < rec->nf; i++)
		if ((rc = vendor_field(c, &v, &rec->f[i], eb, el)))
			return rc;
	if (!v.name)
		return err_set(eb, el, TM_EPROTO, "%s:%u: vendor %s has no name", c->file,
			       rec->line, v.id);
	if ((rc = check_items(c, v.id, eb, el)))
		return rc;
	if ((rc = reserve(c, &npar)) || (rc = commit(c, &v, idkey, npar)))
		return err_set(eb, el, rc, "%s:%u: %s", c->file, rec->line,
			       rc == TM_ELIMIT ? "too many vendors or names" : "out of memory");
	return 0;
}
