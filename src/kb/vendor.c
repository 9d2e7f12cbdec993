/*
 * vendor.c - the vendor registry of vendor.h: exact look-ups (ids, names,
 * aliases, CPE vendors, enterprise numbers) through one hash map, dated
 * corporate families, and list membership that follows a family down to
 * its subsidiaries and brands.  Loading lives in vendor_load.c, matching of
 * free text in vendor_words.c; the structures are in vendor_int.h.
 */
#include "vendor_int.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/mem.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

uint32_t vr_hash(const char *k, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a: keys are our own data, so no seed is needed */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	return h;
}

int *vr_map_get(const struct vr_map *m, const char *k, size_t n)
{
	uint32_t h;
	size_t i;

	if (!m->cap)
		return NULL;
	h = vr_hash(k, n);
	for (i = h & (m->cap - 1); m->e[i].k; i = (i + 1) & (m->cap - 1)) {
		const struct vr_ment *e = &m->e[i];

		if (e->h == h && e->klen == n && !memcmp(e->k, k, n))
			return &m->e[i].v;
	}
	return NULL;
}

static void put_slot(struct vr_ment *e, size_t cap, const struct vr_ment *x)
{
	size_t i;

	for (i = x->h & (cap - 1); e[i].k; i = (i + 1) & (cap - 1))
		;
	e[i] = *x;
}

int vr_map_reserve(struct vr_map *m, size_t more)
{
	size_t want = m->n + more, cap = m->cap ? m->cap : 64;
	struct vr_ment *e;

	while (want * 4 > cap * 3) /* load factor at most 3/4 */
		cap *= 2;
	if (cap == m->cap)
		return 0;
	e = mem_calloc(cap, sizeof(*e));
	if (!e)
		return TM_ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->e[i].k)
			put_slot(e, cap, &m->e[i]);
	mem_free(m->e);
	m->e = e;
	m->cap = cap;
	return 0;
}

void vr_map_put(struct vr_map *m, const char *k, size_t n, int v)
{
	struct vr_ment x = {k, (uint32_t)n, vr_hash(k, n), v};
	int *old = vr_map_get(m, k, n);

	if (old) {
		*old = v;
		return;
	}
	put_slot(m->e, m->cap, &x);
	m->n++;
}

void vr_map_fini(struct vr_map *m)
{
	mem_free(m->e);
	m->e = NULL;
	m->cap = m->n = 0;
}

int vr_grow(void **p, int *cap, int want, size_t sz, int ceiling)
{
	int c = *cap ? *cap : 16;
	void *q;

	if (want <= *cap)
		return 0;
	if (want > ceiling)
		return TM_ELIMIT;
	while (c < want)
		c *= 2;
	if (c > ceiling)
		c = ceiling;
	q = mem_realloc(*p, (size_t)c * sz);
	if (!q)
		return TM_ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

int64_t vr_day(int64_t day)
{
	return day >= 0 ? day : (int64_t)(time(NULL) / 86400);
}

struct vreg *vreg_new(void)
{
	struct vreg *r = mem_calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->a = arena_new(0);
	if (!r->a) {
		mem_free(r);
		return NULL;
	}
	return r;
}

void vreg_free(struct vreg *r)
{
	if (!r)
		return;
	vr_map_fini(&r->map);
	mem_free(r->v);
	mem_free(r->al);
	mem_free(r->l);
	mem_free(r->pend);
	arena_free(r->a);
	mem_free(r);
}

const char *vreg_kind_name(enum vendor_kind k)
{
	switch (k) {
	case VENDOR_EQUIPMENT:
		return "equipment";
	case VENDOR_COMPONENT:
		return "component";
	case VENDOR_SOFTWARE:
		return "software";
	case VENDOR_SERVICE:
		return "service";
	}
	return "unknown";
}

int vreg_count(const struct vreg *r)
{
	return r ? r->nv : 0;
}

const struct vendor *vreg_get(const struct vreg *r, int idx)
{
	return r && idx >= 0 && idx < r->nv ? &r->v[idx].v : NULL;
}

/* Looks up ns + lower-cased trimmed (s, n) in the map; -1 if absent or too long. */
static int lookup_lower(const struct vreg *r, char ns, const char *s, size_t n)
{
	char k[VR_KEY_MAX + 1];
	const int *v;

	if (!r || !s)
		return -1;
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n || n > VR_KEY_MAX)
		return -1;
	k[0] = ns;
	for (size_t i = 0; i < n; i++)
		k[i + 1] = (char)tolower((unsigned char)s[i]);
	v = vr_map_get(&r->map, k, n + 1);
	return v ? *v : -1;
}

int vreg_find(const struct vreg *r, const char *name, size_t n)
{
	return lookup_lower(r, 'n', name, n);
}

int vreg_by_cpe(const struct vreg *r, const char *cpe_vendor, size_t n)
{
	return lookup_lower(r, 'c', cpe_vendor, n);
}

int vreg_by_pen(const struct vreg *r, uint32_t pen)
{
	char k[5] = {'p', (char)(pen >> 24), (char)(pen >> 16), (char)(pen >> 8), (char)pen};
	const int *v;

	if (!r)
		return -1;
	v = vr_map_get(&r->map, k, sizeof(k));
	return v ? *v : -1;
}

int vreg_parent(const struct vreg *r, int idx, int64_t day)
{
	const struct vr_vendor *v;

	if (!r || idx < 0 || idx >= r->nv)
		return -1;
	day = vr_day(day);
	v = &r->v[idx];
	for (int i = 0; i < v->npar; i++) {
		const struct vr_edge *e = &v->par[i];

		if (e->parent >= 0 && e->from <= day && day < e->until)
			return e->parent;
	}
	return -1;
}

int vreg_family(const struct vreg *r, int idx, int64_t day)
{
	int p;

	if (!r || idx < 0 || idx >= r->nv)
		return -1;
	day = vr_day(day);
	/* the loader refuses cycles; the depth bound is only a second guard */
	for (int d = 0; d < VR_MAX_DEPTH && (p = vreg_parent(r, idx, day)) >= 0; d++)
		idx = p;
	return idx;
}

int vreg_list_count(const struct vreg *r)
{
	return r ? r->nl : 0;
}

static const struct vr_list *list_at(const struct vreg *r, int list)
{
	return r && list >= 0 && list < r->nl ? &r->l[list] : NULL;
}

const char *vreg_list_name(const struct vreg *r, int list)
{
	const struct vr_list *l = list_at(r, list);

	return l ? l->id : NULL;
}

const char *vreg_list_title(const struct vreg *r, int list)
{
	const struct vr_list *l = list_at(r, list);

	return l ? l->title : NULL;
}

const char *vreg_list_source(const struct vreg *r, int list)
{
	const struct vr_list *l = list_at(r, list);

	return l ? l->source : NULL;
}

int64_t vreg_list_date(const struct vreg *r, int list)
{
	const struct vr_list *l = list_at(r, list);

	return l ? l->date : VR_NO_DAY_LO;
}

int vreg_list_find(const struct vreg *r, const char *name)
{
	return name ? lookup_lower(r, 'l', name, strlen(name)) : -1;
}

/* Is role (lower-cased here) one of the member's roles?  An unknown role always is. */
static bool role_ok(const struct vr_member *m, const char *role)
{
	char k[VR_WORD_MAX + 3];
	size_t n;

	if (!m->roles || !role || !*role)
		return true;
	n = strlen(role);
	if (n > VR_WORD_MAX)
		return false;
	k[0] = ',';
	for (size_t i = 0; i < n; i++)
		k[i + 1] = (char)tolower((unsigned char)role[i]);
	k[n + 1] = ',';
	k[n + 2] = 0;
	return strstr(m->roles, k) != NULL;
}

int vreg_list_match(const struct vreg *r, int list, int idx, const char *role, int64_t day)
{
	const struct vr_list *l = list_at(r, list);

	if (!l || idx < 0 || idx >= r->nv)
		return -1;
	day = vr_day(day);
	for (int d = 0; d < VR_MAX_DEPTH && idx >= 0; d++) {
		for (int i = 0; i < l->nm; i++) {
			const struct vr_member *m = &l->m[i];

			if (m->vendor == idx && m->from <= day && day < m->until &&
			    role_ok(m, role))
				return idx;
		}
		idx = vreg_parent(r, idx, day);
	}
	return -1;
}

bool vreg_in_list(const struct vreg *r, int list, int idx, const char *role, int64_t day)
{
	return vreg_list_match(r, list, idx, role, day) >= 0;
}
