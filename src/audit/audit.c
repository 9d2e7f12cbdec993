/*
 * audit.c - the audit (audit.h): sites into memory (compactly: a million
 * sites cost tens of megabytes), the policy's polygons and circles into
 * src/geo's index, then one pass over the assets in the store, each checked
 * against every rule in force.  A site is looked up in the index the first
 * time one of its assets is on a rule's list (or counts for a share cap),
 * and its zones kept: most assets are on no list, so most sites are never
 * looked up.
 */
#include "audit.h"

#include "attr/attr.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/smap.h"
#include "core/str.h"
#include "geo/geo.h"
#include "kb/vendor.h"
#include "policy/policy.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>


/* ---- state ---- */

struct site {
	const char *id;
	const char *tags; /* NULL none */
	double lat, lon;
	uint32_t op, region; /* interned string indexes */
	uint32_t z0, zn;     /* covering geo zones: zl[z0 .. z0 + zn) */
	int placed;
	int joined;	     /* z0/zn are known (looked up when an asset first needs them) */
};

struct hit {
	int pz;	     /* policy zone */
	long gz;     /* geo zone, -1 for a non-geographic zone */
	int sens;
};

/* per share rule and operator group */
struct share_acc {
	int rule;
	uint32_t group; /* interned operator */
	long n_scope, n_listed;
};

struct aud {
	struct store *st;
	const struct vreg *vr;
	const struct policy *p;
	const struct audit_opt *o;
	struct audit_result *r;
	struct arena *ar;
	char *eb;
	size_t el;
	int64_t day;

	struct site *sites;
	size_t nsites, capsites;
	struct smap site_ix; /* used only when the store did not give the sites sorted by id */
	int sites_unsorted;
	uint32_t last_op, last_region; /* intern() cache: neighbouring sites share them */
	struct smap str_ix; /* interned operator and region names */
	const char **strs;
	size_t nstrs, capstrs;

	struct geo_zones *gz;
	struct geo_index *gix;
	int *gz_pz;	    /* geo zone -> policy zone */
	const char **gz_label;
	uint32_t *zl;	    /* covering geo zones, per site (CSR) */
	size_t nzl, capzl;
	uint64_t *pairs;    /* join output: site << 32 | zone */
	size_t npairs, cappairs;

	int *plain;	    /* policy zones that are not geographic (CIDR, role, tag, site) */
	int nplain;
	int *in_force;	    /* per rule */
	struct share_acc *sh;
	size_t nsh, capsh;
	uint8_t *site_flags; /* per (share rule slot, site): 1 in scope, 2 listed */
	int *share_slot;     /* rule -> slot or -1 */
	int nslots;
	int err;
};

static uint32_t intern(struct aud *a, const char *s)
{
	long v = smap_get(&a->str_ix, s);

	if (v >= 0)
		return (uint32_t)v;
	if (a->nstrs == a->capstrs) {
		size_t cap = a->capstrs ? a->capstrs * 2 : 64;
		const char **n = mem_realloc(a->strs, cap * sizeof(*n));
		if (!n)
			return a->err = TM_ENOMEM, 0;
		a->strs = n, a->capstrs = cap;
	}
	char *c = arena_strdup(a->ar, s);
	if (!c || smap_put(&a->str_ix, c, (uint32_t)a->nstrs) < 0)
		return a->err = TM_ENOMEM, 0;
	a->strs[a->nstrs] = c;
	return (uint32_t)a->nstrs++;
}

/* Index of site id, or -1. */
static long site_find(const struct aud *a, const char *id)
{
	size_t lo = 0, hi = a->nsites;

	if (a->sites_unsorted)
		return smap_get(&a->site_ix, id);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(a->sites[mid].id, id);
		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int on_site(void *ctx, const struct site_rec *s)
{
	struct aud *a = ctx;
	struct site *x;

	if (a->nsites == a->capsites) {
		size_t cap = a->capsites ? a->capsites * 2 : 1024;
		struct site *n = mem_realloc(a->sites, cap * sizeof(*n));
		if (!n)
			return a->err = TM_ENOMEM;
		a->sites = n, a->capsites = cap;
	}
	x = &a->sites[a->nsites];
	memset(x, 0, sizeof(*x));
	if (!(x->id = arena_strdup(a->ar, s->id)) || (s->tags[0] && !(x->tags = arena_strdup(a->ar, s->tags))))
		return a->err = TM_ENOMEM;
	x->lat = s->lat, x->lon = s->lon, x->placed = s->has_coords;
	x->op = a->last_op = strcmp(a->strs[a->last_op], s->operator_) ? intern(a, s->operator_) : a->last_op;
	x->region = a->last_region =
		strcmp(a->strs[a->last_region], s->region) ? intern(a, s->region) : a->last_region;
	if (a->err)
		return a->err;
	/* the store gives sites ordered by id: binary search then, a hash only if not */
	if (!a->sites_unsorted && a->nsites && strcmp(a->sites[a->nsites - 1].id, x->id) >= 0) {
		a->sites_unsorted = 1;
		for (size_t i = 0; i < a->nsites; i++)
			if (smap_put(&a->site_ix, a->sites[i].id, (uint32_t)i) < 0)
				return a->err = TM_ENOMEM;
	}
	if (a->sites_unsorted && smap_put(&a->site_ix, x->id, (uint32_t)a->nsites) < 0)
		return a->err = TM_ENOMEM;
	a->nsites++;
	return 0;
}

/* ---- zones ---- */

static int load_geo(struct aud *a)
{
	const struct policy *p = a->p;
	char path[1024];
	int rc;

	if (!(a->gz = geo_zones_new()))
		return TM_ENOMEM;
	for (int i = 0; i < p->nzones; i++) {
		const struct pol_zone *z = &p->zones[i];
		size_t before = a->gz->n;

		if (z->kind == PZ_GEOJSON) {
			struct geo_geojson_opt go = {z->name_prop, z->sens_prop, z->sensitivity, 0};
			if (z->path[0] == '/' || !a->o->base_dir || !*a->o->base_dir)
				snprintf(path, sizeof(path), "%s", z->path);
			else
				snprintf(path, sizeof(path), "%s/%s", a->o->base_dir, z->path);
			if ((rc = geo_geojson_load(a->gz, path, &go, a->eb, a->el)))
				return rc;
		} else if (z->kind == PZ_CIRCLE) {
			if ((rc = geo_zones_add_circle(a->gz, z->name, z->sensitivity, z->lat, z->lon,
						       z->radius_m, a->eb, a->el)))
				return rc;
		} else {
			continue;
		}
		int *m = mem_realloc(a->gz_pz, (a->gz->n ? a->gz->n : 1) * sizeof(*m));
		const char **l = mem_realloc(a->gz_label, (a->gz->n ? a->gz->n : 1) * sizeof(*l));
		if (m)
			a->gz_pz = m;
		if (l)
			a->gz_label = l;
		if (!m || !l)
			return TM_ENOMEM;
		for (size_t g = before; g < a->gz->n; g++) {
			char lab[160];
			a->gz_pz[g] = i;
			if (a->gz->n - before > 1 || (z->kind == PZ_GEOJSON && a->gz->z[g].name[0] &&
						       strcmp(a->gz->z[g].name, z->name)))
				snprintf(lab, sizeof(lab), "%s/%s", z->name,
					 a->gz->z[g].name[0] ? a->gz->z[g].name : "?");
			else
				snprintf(lab, sizeof(lab), "%s", z->name);
			if (!(a->gz_label[g] = arena_strdup(a->ar, lab)))
				return TM_ENOMEM;
		}
	}
	a->r->zones_geo = (long)a->gz->n;
	return 0;
}

static int on_pair(void *ctx, size_t point, size_t zone)
{
	struct aud *a = ctx;

	if (a->npairs == a->cappairs) {
		size_t cap = a->cappairs ? a->cappairs * 2 : 4096;
		uint64_t *n = mem_realloc(a->pairs, cap * sizeof(*n));
		if (!n)
			return a->err = TM_ENOMEM;
		a->pairs = n, a->cappairs = cap;
	}
	a->pairs[a->npairs++] = (uint64_t)point << 32 | (uint32_t)zone;
	return 0;
}

/* Joins every placed site with the geo zones: a->zl, sites[i].z0/zn. */
static int join_sites(struct aud *a)
{
	double *lat, *lon;
	uint32_t *idx, *cnt;
	size_t np = 0;
	int rc = 0;

	if (!a->gz->n)
		return 0;
	if ((rc = geo_index_build(a->gz, &a->gix, a->eb, a->el)))
		return rc;
	lat = mem_calloc(a->nsites + 1, sizeof(*lat));
	lon = mem_calloc(a->nsites + 1, sizeof(*lon));
	idx = mem_calloc(a->nsites + 1, sizeof(*idx));
	cnt = mem_calloc(a->nsites + 1, sizeof(*cnt));
	if (!lat || !lon || !idx || !cnt) {
		rc = TM_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < a->nsites; i++)
		if (a->sites[i].placed)
			lat[np] = a->sites[i].lat, lon[np] = a->sites[i].lon, idx[np++] = (uint32_t)i;
	int64_t got = geo_join(a->gix, lat, lon, np, on_pair, a);
	if (a->err || got < 0) {
		rc = a->err ? a->err : (int)got;
		goto out;
	}
	/* counting sort of the pairs by site, zones in order within a site */
	for (size_t k = 0; k < a->npairs; k++)
		cnt[idx[a->pairs[k] >> 32]]++;
	uint32_t acc = 0;
	for (size_t i = 0; i < a->nsites; i++) {
		a->sites[i].z0 = acc;
		a->sites[i].zn = 0;
		acc += cnt[i];
	}
	if (!(a->zl = mem_calloc(a->npairs + 1, sizeof(*a->zl)))) {
		rc = TM_ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < a->npairs; k++) {
		struct site *s = &a->sites[idx[a->pairs[k] >> 32]];
		a->zl[s->z0 + s->zn++] = (uint32_t)a->pairs[k];
	}
	for (size_t i = 0; i < a->nsites; i++)
		a->sites[i].joined = 1;
	a->nzl = a->capzl = a->npairs;
	/* sort each site's zones (the join visits in cell order) */
	for (size_t i = 0; i < a->nsites; i++) {
		uint32_t *z = a->zl + a->sites[i].z0;
		for (uint32_t x = 1; x < a->sites[i].zn; x++)
			for (uint32_t y = x; y > 0 && z[y - 1] > z[y]; y--) {
				uint32_t t = z[y];
				z[y] = z[y - 1], z[y - 1] = t;
			}
	}
out:
	mem_free(lat);
	mem_free(lon);
	mem_free(idx);
	mem_free(cnt);
	mem_free(a->pairs);
	a->pairs = NULL;
	return rc;
}

static int word_in(const char **w, const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *w; w++)
		if (!strcasecmp(*w, s))
			return 1;
	return 0;
}

/* Is one of words in the ';'-separated tags? */
static int tag_in(const char **w, const char *tags)
{
	if (!tags)
		return 0;
	for (; *w; w++) {
		size_t n = strlen(*w);
		for (const char *t = tags; *t;) {
			size_t m = strcspn(t, ";");
			if (m == n && !strncasecmp(t, *w, n))
				return 1;
			t += m + (t[m] == ';');
		}
	}
	return 0;
}

static int cidr_has(const struct pol_cidr *c, int n, const char *addr)
{
	uint8_t b[16];
	int fam;

	if (!addr || !*addr)
		return 0;
	if (inet_pton(AF_INET, addr, b) == 1)
		fam = 4;
	else if (inet_pton(AF_INET6, addr, b) == 1)
		fam = 6;
	else
		return 0;
	for (int i = 0; i < n; i++) {
		if (c[i].family != fam)
			continue;
		int full = c[i].prefix / 8, rest = c[i].prefix % 8;
		if (memcmp(b, c[i].addr, (size_t)full))
			continue;
		if (rest && ((b[full] ^ c[i].addr[full]) & (0xff00 >> rest)))
			continue;
		return 1;
	}
	return 0;
}

#define MAX_HITS 256

static int on_zone(void *ctx, size_t point, size_t zone)
{
	struct aud *a = ctx;

	(void)point;
	if (a->nzl == a->capzl) {
		size_t cap = a->capzl ? a->capzl * 2 : 4096;
		uint32_t *n = mem_realloc(a->zl, cap * sizeof(*n));
		if (!n)
			return a->err = TM_ENOMEM;
		a->zl = n, a->capzl = cap;
	}
	a->zl[a->nzl++] = (uint32_t)zone;
	return 0;
}

/*
 * The geographic zones of site s, looked up in the index the first time an
 * asset there needs them (most assets are on no list, so most sites are
 * never looked up); zones come in zone order.
 */
static int site_lookup(struct aud *a, struct site *s)
{
	if (s->joined)
		return 0;
	s->joined = 1;
	s->z0 = (uint32_t)a->nzl;
	s->zn = 0;
	if (!s->placed || !a->gix)
		return 0;
	geo_index_query(a->gix, s->lat, s->lon, 0, on_zone, a);
	if (a->err)
		return a->err;
	s->zn = (uint32_t)(a->nzl - s->z0);
	return 0;
}

/* Every zone the asset is in. */
static int zones_of(struct aud *a, const struct asset_rec *as, struct site *s, struct hit *h)
{
	int n = 0;

	if (s && site_lookup(a, s))
		return -1;
	if (s)
		for (uint32_t k = 0; k < s->zn && n < MAX_HITS; k++) {
			uint32_t g = a->zl[s->z0 + k];
			h[n++] = (struct hit){a->gz_pz[g], (long)g, a->gz->z[g].sensitivity};
		}
	for (int k = 0; k < a->nplain && n < MAX_HITS; k++) {
		int i = a->plain[k];
		const struct pol_zone *z = &a->p->zones[i];
		int in = 0;

		switch (z->kind) {
		case PZ_CIDR:
			in = cidr_has(z->cidrs, z->ncidrs, as->addr);
			break;
		case PZ_ROLE:
			in = word_in(z->words, as->role);
			break;
		case PZ_TAG:
			in = s && tag_in(z->words, s->tags);
			break;
		case PZ_SITE:
			in = s && word_in(z->words, s->id);
			break;
		default:
			break;
		}
		if (in)
			h[n++] = (struct hit){i, -1, z->sensitivity};
	}
	return n;
}

/* Is the asset in the rule's scope?  *best: the deciding (most sensitive) hit, -1 none. */
static int in_scope(const struct pol_scope *sc, const struct hit *h, int nh, const char *role,
		    const char *op, const char *region, int *best)
{
	int zoned = sc->nzones || sc->min_sensitivity >= 0;

	*best = -1;
	if (!sc->everywhere) {
		if (sc->roles && !word_in(sc->roles, role))
			return 0;
		if (sc->operators && !word_in(sc->operators, op))
			return 0;
		if (sc->regions && !word_in(sc->regions, region))
			return 0;
	}
	for (int i = 0; i < nh; i++) {
		if (zoned && !sc->everywhere) {
			int ok = !sc->nzones;
			for (int k = 0; k < sc->nzones && !ok; k++)
				ok = sc->zones[k] == h[i].pz;
			if (!ok || h[i].sens < sc->min_sensitivity)
				continue;
		}
		if (*best < 0 || h[i].sens > h[*best].sens)
			*best = i;
	}
	return sc->everywhere || !zoned || *best >= 0;
}

static struct audit_finding *push(struct aud *a, int suspect)
{
	struct audit_finding **v = suspect ? &a->r->s : &a->r->f;
	size_t *n = suspect ? &a->r->ns : &a->r->n, *cap = suspect ? &a->r->scap : &a->r->cap;

	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct audit_finding *x = mem_realloc(*v, c * sizeof(*x));
		if (!x) {
			a->err = TM_ENOMEM;
			return NULL;
		}
		*v = x, *cap = c;
	}
	struct audit_finding *f = &(*v)[(*n)++];
	memset(f, 0, sizeof(*f));
	f->exception = -1;
	f->sensitivity = -1;
	return f;
}

static void fill_asset(struct aud *a, struct audit_finding *f, const struct asset_rec *as,
		       const struct site *s, const struct hit *h, int best)
{
	f->asset_id = as->id;
	str_set(f->asset_key, sizeof(f->asset_key), as->key);
	str_set(f->ref, sizeof(f->ref), as->ref);
	str_set(f->addr, sizeof(f->addr), as->addr);
	str_set(f->site, sizeof(f->site), as->site);
	if (s) {
		str_set(f->operator_, sizeof(f->operator_), a->strs[s->op]);
		str_set(f->region, sizeof(f->region), a->strs[s->region]);
	}
	str_set(f->vendor, sizeof(f->vendor), as->vendor);
	str_set(f->product, sizeof(f->product), as->product);
	str_set(f->model, sizeof(f->model), as->model);
	str_set(f->role, sizeof(f->role), as->role);
	f->conf = as->conf;
	if (best >= 0) {
		const struct hit *x = &h[best];
		str_set(f->zone, sizeof(f->zone), x->gz >= 0 ? a->gz_label[x->gz] : a->p->zones[x->pz].name);
		f->sensitivity = x->sens;
	}
}

static struct share_acc *share_get(struct aud *a, int rule, uint32_t group)
{
	for (size_t i = 0; i < a->nsh; i++)
		if (a->sh[i].rule == rule && a->sh[i].group == group)
			return &a->sh[i];
	if (a->nsh == a->capsh) {
		size_t cap = a->capsh ? a->capsh * 2 : 16;
		struct share_acc *n = mem_realloc(a->sh, cap * sizeof(*n));
		if (!n)
			return a->err = TM_ENOMEM, NULL;
		a->sh = n, a->capsh = cap;
	}
	a->sh[a->nsh] = (struct share_acc){rule, group, 0, 0};
	return &a->sh[a->nsh++];
}

static int on_asset(void *ctx, const struct asset_rec *as)
{
	struct aud *a = ctx;
	const struct policy *p = a->p;
	struct hit h[MAX_HITS];
	struct site *s = NULL;
	long si = as->site[0] ? site_find(a, as->site) : -1;
	int nh = -1, vendor, comp, hint, declared_only = !!(as->flags & ATTR_DECLARED_ONLY);
	const char *op = "", *region = "";

	a->r->assets++;
	if (si >= 0) {
		s = &a->sites[si];
		op = a->strs[s->op];
		region = a->strs[s->region];
		if (s->placed)
			a->r->assets_placed++;
	}
	vendor = as->vendor[0] ? vreg_find(a->vr, as->vendor, strlen(as->vendor)) : -1;
	comp = as->component_vendor[0] ? vreg_find(a->vr, as->component_vendor, strlen(as->component_vendor)) : -1;
	hint = as->hint_vendor[0] ? vreg_find(a->vr, as->hint_vendor, strlen(as->hint_vendor)) : -1;
	if (a->o->each)
		a->o->each(a->o->each_ctx, as, op);

	/* o->day, then (for the planner) each of o->later: rule findings only */
	for (int di = 0; di <= a->o->nlater; di++) {
		a->day = di ? a->o->later[di - 1] : a->o->day;
		for (int ri = 0; ri < p->nrules; ri++) {
			const struct pol_rule *r = &p->rules[ri];
			int best, m, hm = -1, via_comp = 0;

			int later_off = r->effective != INT64_MIN && r->effective > a->day;
			if (di ? later_off || r->max_share >= 0 : !a->in_force[ri])
				continue;
			m = policy_list_match(p, a->vr, r->list, vendor, -1, as->role, declared_only, a->day);
			if (m < 0 && comp >= 0 &&
			    (m = policy_list_match(p, a->vr, r->list, -1, comp, as->role, 0, a->day)) >= 0)
				via_comp = 1;
			/* weak-only evidence of a listed maker makes a suspect */
			if (m < 0 && r->max_share < 0 && !di && hint >= 0 && (as->flags & ATTR_WEAK_ONLY))
				hm = policy_list_match(p, a->vr, r->list, hint, -1, as->role, 0, a->day);
			if (m < 0 && hm < 0 && r->max_share < 0)
				continue; /* nothing to find: no zone lookup */
			if (nh < 0 && (nh = zones_of(a, as, s, h)) < 0)
				return a->err;
			if (!in_scope(&r->scope, h, nh, as->role, op, region, &best))
				continue;
			int excepted = m >= 0 &&
				       policy_exception_find(p, as->key, as->ref, as->site, r->id, a->day) >= 0;

			if (r->max_share >= 0) {
				struct share_acc *acc = share_get(a, ri, s ? s->op : 0);
				if (!acc)
					return a->err;
				int listed = m >= 0 && as->conf >= a->o->min_conf && !excepted;
				acc->n_scope++;
				acc->n_listed += listed;
				if (s && a->share_slot[ri] >= 0) {
					size_t slot = (size_t)a->share_slot[ri];
					uint8_t *fl = &a->site_flags[slot * a->nsites + (size_t)si];
					*fl |= 1 | (listed ? 2 : 0);
				}
				continue;
			}
			if (m < 0) {
				if ((m = hm) >= 0) {
					struct audit_finding *f = push(a, 1);
					if (!f)
						return a->err;
					f->kind = AF_SUSPECT, f->sev = SEV_LOW, f->rule = ri, f->why = AW_HINT_ONLY;
					fill_asset(a, f, as, s, h, best);
					str_set(f->vendor, sizeof(f->vendor), as->hint_vendor);
					str_set(f->listed, sizeof(f->listed), vreg_get(a->vr, m)->id);
				}
				continue;
			}
			if (excepted) {
				a->r->excepted += !di;
				continue;
			}
			int suspect = as->conf < a->o->min_conf;
			if (di && suspect)
				continue;
			struct audit_finding tmp, *f = &tmp;
			if (!suspect && a->o->on_finding) {
				memset(&tmp, 0, sizeof(tmp));
				tmp.exception = -1, tmp.sensitivity = -1;
			} else if (!(f = push(a, suspect))) {
				return a->err;
			}
			fill_asset(a, f, as, s, h, best);
			f->rule = ri;
			f->day = a->day;
			str_set(f->listed, sizeof(f->listed), vreg_get(a->vr, m)->id);
			if (via_comp) {
				f->why |= AW_COMPONENT;
				str_set(f->vendor, sizeof(f->vendor), as->component_vendor);
			}
			if (declared_only)
				f->why |= AW_DECLARED_ONLY;
			if (suspect) {
				f->kind = AF_SUSPECT, f->sev = SEV_LOW, f->why |= AW_LOW_CONF;
			} else {
				f->kind = AF_RULE;
				f->sev = r->action == POL_WARN	? SEV_MEDIUM
					 : f->sensitivity >= 4	? SEV_CRITICAL
								: SEV_HIGH;
			}
			if (f == &tmp && (a->err = a->o->on_finding(a->o->finding_ctx, f)))
				return a->err;
		}
	}
	a->day = a->o->day;
	return a->err;
}

static int share_findings(struct aud *a)
{
	const struct policy *p = a->p;

	/* sites: per (rule, operator) count sites in scope and those with a listed device */
	for (size_t i = 0; i < a->nsh; i++)
		if (p->rules[a->sh[i].rule].share_of == POL_SHARE_SITES)
			a->sh[i].n_scope = a->sh[i].n_listed = 0; /* devices were counted; sites count */
	for (int ri = 0; ri < p->nrules; ri++) {
		if (a->share_slot[ri] < 0 || p->rules[ri].share_of != POL_SHARE_SITES)
			continue;
		const uint8_t *fl = &a->site_flags[(size_t)a->share_slot[ri] * a->nsites];
		for (size_t si = 0; si < a->nsites; si++) {
			if (!fl[si])
				continue;
			struct share_acc *acc = share_get(a, ri, a->sites[si].op);
			if (!acc)
				return a->err;
			acc->n_scope++;
			acc->n_listed += (fl[si] & 2) != 0;
		}
	}
	for (size_t i = 0; i < a->nsh; i++) {
		const struct share_acc *acc = &a->sh[i];
		const struct pol_rule *r = &p->rules[acc->rule];

		if (!acc->n_scope)
			continue;
		double share = (double)acc->n_listed / (double)acc->n_scope;
		/* a cap of 0 is broken by one device; otherwise compare with a small tolerance */
		if (!(r->max_share == 0 ? acc->n_listed > 0 : share > r->max_share + 1e-12))
			continue;
		struct audit_finding *f = push(a, 0);
		if (!f)
			return a->err;
		f->kind = AF_SHARE;
		f->rule = acc->rule;
		f->sev = r->action == POL_WARN ? SEV_MEDIUM : SEV_HIGH;
		str_set(f->group, sizeof(f->group), a->strs[acc->group]);
		str_set(f->operator_, sizeof(f->operator_), a->strs[acc->group]);
		f->n_scope = acc->n_scope;
		f->n_listed = acc->n_listed;
		f->share = share;
		f->cap = r->max_share;
	}
	return 0;
}

static int expired_findings(struct aud *a)
{
	for (int i = 0; i < a->p->nexceptions; i++) {
		const struct pol_exception *x = &a->p->exceptions[i];

		if (a->day <= x->expires)
			continue;
		struct audit_finding *f = push(a, 0);
		if (!f)
			return a->err;
		f->kind = AF_EXCEPTION_EXPIRED;
		f->sev = SEV_MEDIUM;
		f->exception = i;
		f->why = AW_EXCEPTION_EXPIRED;
		f->rule = -1;
		for (int r = 0; x->rule[0] && r < a->p->nrules; r++)
			if (!strcmp(a->p->rules[r].id, x->rule))
				f->rule = r;
		str_set(f->asset_key, sizeof(f->asset_key), x->asset);
		str_set(f->site, sizeof(f->site), x->site);
		long si = x->site[0] ? site_find(a, x->site) : -1;
		if (si >= 0) {
			str_set(f->operator_, sizeof(f->operator_), a->strs[a->sites[si].op]);
			str_set(f->region, sizeof(f->region), a->strs[a->sites[si].region]);
		}
	}
	return 0;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Most severe first; then kind, asset, rule: a stable order for reports and tests. */
static int by_asset(const void *x, const void *y)
{
	const struct audit_finding *a = x, *b = y;

	if (a->sev != b->sev)
		return (int)a->sev - (int)b->sev;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	if (a->asset_id != b->asset_id)
		return a->asset_id < b->asset_id ? -1 : 1;
	return a->rule - b->rule;
}

int audit_run(struct store *st, const struct vreg *vr, const struct policy *p,
	      const struct audit_opt *o, struct audit_result *r, char *eb, size_t el)
{
	struct aud a = {st, vr, p, o, r, NULL, eb, el, o->day};
	struct timespec t0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!(a.ar = arena_new(0)))
		return err_set(eb, el, TM_ENOMEM, "audit: out of memory");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	intern(&a, ""); /* index 0: no operator / region */
	if ((rc = a.err) || (rc = store_site_iter(st, on_site, &a)))
		goto out;
	if ((rc = load_geo(&a)))
		goto out;
	r->sites = (long)a.nsites;
	for (size_t i = 0; i < a.nsites; i++)
		r->sites_placed += a.sites[i].placed;
	r->ms_load = ms_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* the index only: sites are looked up when one of their assets needs it (site_lookup) */
	if (a.gz->n && (rc = geo_index_build(a.gz, &a.gix, eb, el)))
		goto out;
	r->ms_join = ms_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	if (!(a.plain = mem_calloc((size_t)p->nzones + 1, sizeof(int)))) {
		rc = TM_ENOMEM;
		goto out;
	}
	for (int i = 0; i < p->nzones; i++)
		if (p->zones[i].kind != PZ_GEOJSON && p->zones[i].kind != PZ_CIRCLE)
			a.plain[a.nplain++] = i;
	a.in_force = mem_calloc((size_t)p->nrules + 1, sizeof(int));
	a.share_slot = mem_calloc((size_t)p->nrules + 1, sizeof(int));
	if (!a.in_force || !a.share_slot) {
		rc = TM_ENOMEM;
		goto out;
	}
	for (int i = 0; i < p->nrules; i++) {
		a.in_force[i] = p->rules[i].effective == INT64_MIN || p->rules[i].effective <= a.day;
		r->rules_in_force += a.in_force[i];
		a.share_slot[i] = p->rules[i].max_share >= 0 && p->rules[i].share_of == POL_SHARE_SITES && a.in_force[i]
					  ? a.nslots++
					  : -1;
	}
	if (a.nslots && !(a.site_flags = mem_calloc((size_t)a.nslots * a.nsites + 1, 1))) {
		rc = TM_ENOMEM;
		goto out;
	}
	rc = store_asset_iter(st, NULL, on_asset, &a);
	if (a.err)
		rc = a.err;
	if (rc || (rc = share_findings(&a)) || (rc = expired_findings(&a)))
		goto out;
	if (r->n)
		qsort(r->f, r->n, sizeof(*r->f), by_asset);
	if (r->ns)
		qsort(r->s, r->ns, sizeof(*r->s), by_asset);
	r->ms_assets = ms_since(&t0);
out:
	if (rc == TM_ENOMEM)
		err_set(eb, el, rc, "audit: out of memory");
	else if (rc && !*eb)
		err_set(eb, el, rc, "audit: %s", store_errmsg(st));
	geo_index_free(a.gix);
	geo_zones_free(a.gz);
	mem_free(a.gz_pz);
	mem_free(a.gz_label);
	mem_free(a.zl);
	mem_free(a.pairs);
	mem_free(a.sites);
	mem_free(a.strs);
	mem_free(a.plain);
	mem_free(a.in_force);
	mem_free(a.share_slot);
	mem_free(a.site_flags);
	mem_free(a.sh);
	smap_free(&a.site_ix);
	smap_free(&a.str_ix);
	arena_free(a.ar);
	return rc;
}

/* Site-level zones of site s (geographic, tag, site) into h; returns how many. */
static int site_zones(struct aud *a, const struct site *s, struct hit *h)
{
	int n = 0;

	for (uint32_t k = 0; k < s->zn && n < MAX_HITS; k++) {
		uint32_t g = a->zl[s->z0 + k];
		h[n++] = (struct hit){a->gz_pz[g], (long)g, a->gz->z[g].sensitivity};
	}
	for (int i = 0; i < a->p->nzones && n < MAX_HITS; i++) {
		const struct pol_zone *z = &a->p->zones[i];
		if ((z->kind == PZ_TAG && tag_in(z->words, s->tags)) || (z->kind == PZ_SITE && word_in(z->words, s->id)))
			h[n++] = (struct hit){i, -1, z->sensitivity};
	}
	return n;
}

int audit_sensitive_sites(struct store *st, const struct vreg *vr, const struct policy *p,
			  const struct audit_opt *o, audit_site_fn fn, void *ctx, char *eb, size_t el)
{
	struct audit_result r = {0};
	struct aud a = {st, vr, p, o, &r, NULL, eb, el, o->day};
	struct hit h[MAX_HITS];
	int rc;

	if (!(a.ar = arena_new(0)))
		return err_set(eb, el, TM_ENOMEM, "audit: out of memory");
	intern(&a, "");
	if ((rc = a.err) || (rc = store_site_iter(st, on_site, &a)) || (rc = load_geo(&a)) || (rc = join_sites(&a)))
		goto out;
	for (size_t si = 0; si < a.nsites && !rc; si++) {
		const struct site *s = &a.sites[si];
		int nh = site_zones(&a, s, h), best = -1;

		for (int ri = 0; ri < p->nrules; ri++) {
			const struct pol_rule *ru = &p->rules[ri];
			const struct pol_scope *sc = &ru->scope;

			if (ru->action != POL_DENY || (ru->effective != INT64_MIN && ru->effective > a.day))
				continue;
			if (sc->everywhere || (!sc->nzones && sc->min_sensitivity < 0))
				continue;
			if ((sc->operators && !word_in(sc->operators, a.strs[s->op])) ||
			    (sc->regions && !word_in(sc->regions, a.strs[s->region])))
				continue;
			for (int i = 0; i < nh; i++) {
				int ok = !sc->nzones;
				for (int k = 0; k < sc->nzones && !ok; k++)
					ok = sc->zones[k] == h[i].pz;
				if (ok && h[i].sens >= sc->min_sensitivity && (best < 0 || h[i].sens > h[best].sens))
					best = i;
			}
		}
		if (best >= 0)
			rc = fn(ctx, s->id, h[best].sens,
				h[best].gz >= 0 ? a.gz_label[h[best].gz] : p->zones[h[best].pz].name);
	}
out:
	if (rc == TM_ENOMEM)
		err_set(eb, el, rc, "audit: out of memory");
	else if (rc < 0 && !*eb)
		err_set(eb, el, rc, "audit: %s", store_errmsg(st));
	geo_index_free(a.gix);
	geo_zones_free(a.gz);
	mem_free(a.gz_pz);
	mem_free(a.gz_label);
	mem_free(a.zl);
	mem_free(a.pairs);
	mem_free(a.sites);
	mem_free(a.strs);
	smap_free(&a.site_ix);
	smap_free(&a.str_ix);
	arena_free(a.ar);
	return rc;
}

void audit_result_free(struct audit_result *r)
{
	mem_free(r->f);
	mem_free(r->s);
	memset(r, 0, sizeof(*r));
}

const char *audit_kind_name(enum audit_kind k)
{
	static const char *const n[] = {"rule", "share", "exception-expired", "suspect"};
	return (unsigned)k < 4 ? n[k] : "?";
}

const char *audit_sev_name(enum audit_sev s)
{
	static const char *const n[] = {"critical", "high", "medium", "low"};
	return (unsigned)s < 4 ? n[s] : "?";
}
