/*
 * vendor_load.c - reads "vendor" and "list" records (stanza.h format, see
 * docs/vendors.md) into the registry of vendor_int.h: the helpers every
 * record uses, list records, and the end of a file, where parents are
 * resolved and cycles refused (vendor records are in vendor_rec.c).  A bad
 * record is left out whole and stops the file with "file:line: ..." while
 * earlier records stay.
 */
#include "vendor_int.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/err.h"
#include "../core/file.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <ctype.h>
#include <string.h>

/* The decoded value of f, NUL-terminated in the arena. */
int vr_value(struct vr_ld *c, const struct st_field *f, const char **out, size_t *n, char *eb,
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
bool vr_id_ok(const char *s, size_t n)
{
	if (!n || n > 40 || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

/* A key: ns + (s, n), lower-cased when lower; in the arena. */
const char *vr_mkkey(struct vreg *r, char ns, const char *s, size_t n, bool lower)
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

/* Splits the next white-space separated token off (*s, *n). */
bool vr_token(const char **s, size_t *n, const char **t, size_t *tn)
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
int vr_dates(const char *s, size_t n, int64_t *from, int64_t *until, const char **roles, size_t *rn)
{
	const char *t, *v;
	size_t tn, vn;

	*from = VR_NO_DAY_LO, *until = VR_NO_DAY_HI;
	while (vr_token(&s, &n, &t, &tn)) {
		if (!vr_token(&s, &n, &v, &vn))
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

/* Looks a vendor up by id (s, n); -1 if none. */
int vr_by_id(const struct vreg *r, const char *s, size_t n)
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

static int member(struct vr_ld *c, struct vr_member *m, const char *s, size_t n, unsigned line,
		  char *eb, size_t el)
{
	const char *id, *roles = NULL;
	size_t idn, rn = 0;

	if (!vr_token(&s, &n, &id, &idn))
		return err_set(eb, el, TM_EPROTO, "%s:%u: member needs a vendor id", c->file, line);
	if ((m->vendor = vr_by_id(c->r, id, idn)) < 0)
		return err_set(eb, el, TM_EPROTO, "%s:%u: unknown vendor '%.*s'", c->file, line,
			       (int)(idn > VR_SHOW ? VR_SHOW : idn), id);
	if (vr_dates(s, n, &m->from, &m->until, &roles, &rn))
		return err_set(eb, el, TM_EPROTO,
			       "%s:%u: expected 'member VENDOR [roles a,b] [from YYYY-MM-DD] "
			       "[until YYYY-MM-DD]', from before until",
			       c->file, line);
	m->roles = NULL;
	if (roles && !(m->roles = role_set(c->r, roles, rn)))
		return err_set(eb, el, TM_EPROTO,
			       "%s:%u: roles are words of letters, digits and '-' joined by ','",
			       c->file, line);
	return 0;
}

/* Reads one field of a list record into l (members into c->mem). */
static int list_field(struct vr_ld *c, struct vr_list *l, const struct st_field *f, char *eb,
		      size_t el)
{
	const char *s, *k = f->key;
	size_t n;
	int rc;

	if ((rc = vr_value(c, f, &s, &n, eb, el)))
		return rc;
	if (!strcmp(k, "member"))
		return member(c, &c->mem[l->nm++], s, n, f->line, eb, el);
	if (!strcmp(k, "name") && !*l->title)
		l->title = s;
	else if (!strcmp(k, "source") && !*l->source)
		l->source = s;
	else if (!strcmp(k, "date") && l->date == VR_NO_DAY_LO) {
		if (!str_to_date(s, n, &l->date))
			return err_set(eb, el, TM_EPROTO, "%s:%u: date is YYYY-MM-DD", c->file,
				       f->line);
	} else if (strcmp(k, "note"))
		return err_set(eb, el, TM_EPROTO,
			       "%s:%u: unknown or repeated field '%.*s' in list %s", c->file,
			       f->line, VR_SHOW, k, l->id);
	return 0;
}

static int list_rec(struct vr_ld *c, const struct st_rec *rec, char *eb, size_t el)
{
	struct vreg *r = c->r;
	struct vr_list l = {NULL, "", "", VR_NO_DAY_LO, NULL, 0};
	size_t idn = strlen(rec->id);
	const char *key;
	int rc;

	if (!vr_id_ok(rec->id, idn))
		return err_set(
		    eb, el, TM_EPROTO,
		    "%s:%u: list id '%.*s': lower-case letters, digits and '-', at most 40",
		    c->file, rec->line, VR_SHOW, rec->id);
	if (!(key = vr_mkkey(r, 'l', rec->id, idn, false)))
		return err_set(eb, el, TM_ENOMEM, "%s: out of memory", c->file);
	l.id = key + 1;
	if (vr_map_get(&r->map, key, idn + 1))
		return err_set(eb, el, TM_EPROTO, "%s:%u: duplicate list id '%s'", c->file,
			       rec->line, l.id);
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
	struct vr_ld *c = ctx;

	if (!strcmp(rec->type, "vendor") && (c->allow & VREG_VENDORS))
		return vr_vendor_rec(c, rec, eb, el);
	if (!strcmp(rec->type, "list") && (c->allow & VREG_LISTS))
		return list_rec(c, rec, eb, el);
	return err_set(eb, el, TM_EPROTO, "%s:%u: a '%.*s' record does not belong in this file",
		       c->file, rec->line, VR_SHOW, rec->type);
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

		if (e->parent >= 0 && l < h &&
		    (rc = reaches(r, e->parent, target, l, h, depth + 1)))
			return rc;
	}
	return 0;
}

/* Resolves the file's parents and drops those that would make a cycle; keeps the first error. */
static int finish(struct vr_ld *c, int rc, char *eb, size_t el)
{
	struct vreg *r = c->r;

	for (int i = 0; i < r->npend; i++) {
		const struct vr_pend *p = &r->pend[i];
		struct vr_edge *e = &r->v[p->vendor].par[p->edge];

		e->parent = vr_by_id(r, p->id, strlen(p->id));
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
	struct vr_ld *c;
	int rc;

	if (!r || (!data && len))
		return err_set(eb, el, TM_EINVAL, "%s: no registry or data", file);
	/*
	 * Not zeroed (~45 KB, once per file: most of a small file's parse): the
	 * staging arrays are written before they are read, it[] item by item
	 * (add_item) up to c->n, mem[] member by member up to the list's count.
	 */
	if (!(c = mem_alloc(sizeof(*c))))
		return err_set(eb, el, TM_ENOMEM, "%s: out of memory", file);
	c->r = r;
	c->allow = allow;
	c->file = file;
	c->n = 0;
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
