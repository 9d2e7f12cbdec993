/*
 * audit.c - the audit (audit.h) in three steps, so that a million assets
 * cost seconds:
 *   1. the policy's polygons and circles into src/geo's index; then only
 *      the assets some rule in force could find, with their sites, from the
 *      store (store_asset_pick: the store asks pick_vendor() about each
 *      vendor text, then about each row's role, with the matcher's own
 *      lookup; a site is kept once, dedup_sites()), each kept when wanted()
 *      says so (a listed maker, a weak hint of one).  When the store cannot
 *      pick, a share cap counts every device, or the planner wants every
 *      asset: every site (the lean scan, compactly: a million sites cost
 *      tens of megabytes) and one pass over every asset, keeping the same;
 *   2. the sites of the kept assets joined with the zones in one batch
 *      (geo_join visits them in grid-cell order, for the cache);
 *   3. each kept asset, in id order, checked against every rule in force.
 * Findings are compact records (the asset kept in step 1, rule, zone,
 * severity, day); their text is filled only when one is read
 * (audit_result_get), and for the callers that want whole records
 * (audit_opt.lean unset) at the end.
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

/* The sizes of struct asset_rec and site_rec: the lean views are not cut, we cut as they do. */
#define ASSET_CUT(field) (sizeof(((struct asset_rec *)0)->field) - 1)
#define SITE_CUT(field) (sizeof(((struct site_rec *)0)->field) - 1)

/* ---- state ---- */

struct site {
	const char *id;
	const char *tags; /* NULL none */
	double lat, lon;
	uint32_t op, region; /* interned string indexes */
	uint32_t z0, zn;     /* covering geo zones: zl[z0 .. z0 + zn) */
	uint8_t placed;
	uint8_t joined;	     /* z0/zn are known */
	uint8_t want;	     /* a kept asset is there: join it in step 2 */
};

/* An asset kept for step 3 (strings in the arena, cut to asset_rec's sizes). */
struct kept {
	int64_t id;
	const char *key, *ref, *addr, *site, *vendor_s, *product, *model, *role, *comp_s, *hint_s;
	double conf;
	unsigned flags;
	int32_t si;		   /* site index, -1 none */
	uint32_t op, region;	   /* interned (0: none) */
	int32_t vendor, comp, hint; /* registry indexes, -1 none */
};

/* A compact finding: the text is filled by fill() when it is read. */
struct cf {
	int64_t asset_id; /* for the order */
	int64_t day;
	const char *zone; /* "" none */
	uint32_t kept;	  /* index in kept[], or NONE */
	uint32_t full;	  /* AF_SHARE, AF_EXCEPTION_EXPIRED: index in full[], else NONE */
	uint32_t seq;	  /* push order: equal keys keep it */
	uint32_t listed;  /* interned registry id that matched (0 none) */
	int32_t rule, sens;
	uint16_t why;
	uint8_t kind, sev;
};
#define NONE UINT32_MAX

/* What a result keeps when its findings are compact (audit_opt.lean). */
struct audit_priv {
	struct arena *ar;    /* kept assets' strings, interned strings, zone labels */
	const char **strs;   /* interned strings (operators, regions, registry ids) */
	size_t nstrs, capstrs;
	struct kept *kept;
	size_t nkept, capkept;
	struct cf *cf[2];    /* findings, suspects */
	size_t ncf[2], capcf[2];
	struct audit_finding *full; /* share and expired-exception findings, whole */
	size_t nfull, capfull;
	uint32_t seq;
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
	struct audit_priv *v;
	char *eb;
	size_t el;
	int64_t day;

	struct site *sites;
	size_t nsites, capsites;
	struct smap site_ix; /* used only when the store did not give the sites sorted by id */
	int sites_unsorted;
	size_t guess;	     /* site_find: the site found last */
	int picking;	     /* store_asset_pick: only the assets a rule could find, with their sites */
	long pick_si;	     /* picking: the site of the asset being taken, -1 none */
	char pick_vendor[ASSET_CUT(vendor) + 1], pick_role[ASSET_CUT(role) + 1]; /* pick_vendor()'s last */
	int pick_idx, pick_ans;	/* its registry index (-2: none yet), its answer for pick_role (-1: none) */
	uint32_t last_op, last_region; /* intern() cache: neighbouring sites share them */
	struct smap str_ix; /* interned operator and region names */
	int32_t *listed_ix; /* registry index -> interned id + 1 (0: not yet) */
	size_t nlisted_ix;

	struct geo_zones *gz;
	struct geo_index *gix;
	int *gz_pz;	    /* geo zone -> policy zone */
	const char **gz_label;
	uint32_t *zl;	    /* covering geo zones, per site (CSR) */
	size_t nzl;
	uint64_t *pairs;    /* join output: point << 32 | zone */
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

/*
 * Arrays grow geometrically from a small first capacity: a few entries for
 * a small store, and no first allocation large enough to be its own mapping
 * (under ASan: above 128 KiB, mapped, zero-filled and unmapped each time;
 * the fuzz target audits a 12-asset store three times an input).  Large
 * stores pay a few more doublings, or none where reserve() sizes from the
 * store's count.
 */
#define GROW(arr, n, cap, first)                                                   \
	((n) < (cap) ? 0 : grow((void **)&(arr), &(cap), sizeof(*(arr)), (first)))

static int grow(void **arr, size_t *cap, size_t size, size_t first)
{
	size_t c = *cap ? *cap * 2 : first;
	void *n = mem_realloc(*arr, c * size);

	if (!n)
		return TM_ENOMEM;
	*arr = n, *cap = c;
	return 0;
}

static uint32_t intern(struct aud *a, const char *s)
{
	struct audit_priv *v = a->v;
	long x = smap_get(&a->str_ix, s);

	if (x >= 0)
		return (uint32_t)x;
	if (GROW(v->strs, v->nstrs, v->capstrs, 64))
		return a->err = TM_ENOMEM, 0;
	char *c = arena_strdup(v->ar, s);
	if (!c || smap_put(&a->str_ix, c, (uint32_t)v->nstrs) < 0)
		return a->err = TM_ENOMEM, 0;
	v->strs[v->nstrs] = c;
	return (uint32_t)v->nstrs++;
}

/* s, or its first cap bytes copied into buf[cap + 1] when it is longer (as the store's records cut). */
static const char *cut(const char *s, char *buf, size_t cap)
{
	if (strnlen(s, cap + 1) <= cap)
		return s;
	str_copy(buf, cap + 1, s, cap);
	return buf;
}

/*
 * Index of site id, or -1.  A guess first: the site found last or the one
 * after it (an inventory lists a site's devices together, and the store
 * keeps the order of the import); then a binary search when the sites came
 * sorted by id, else a hash, built at the first miss.
 */
static long site_find(struct aud *a, const char *id)
{
	size_t g = a->guess, lo = 0, hi = a->nsites;

	if (g < a->nsites && !strcmp(a->sites[g].id, id))
		return (long)g;
	if (g + 1 < a->nsites && !strcmp(a->sites[g + 1].id, id))
		return (long)(a->guess = g + 1);
	if (a->sites_unsorted) {
		if (!a->site_ix.n)
			for (size_t i = 0; i < a->nsites; i++)
				if (smap_put(&a->site_ix, a->sites[i].id, (uint32_t)i) < 0)
					return a->err = TM_ENOMEM, -1;
		long x = smap_get(&a->site_ix, id);
		if (x >= 0)
			a->guess = (size_t)x;
		return x;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(a->sites[mid].id, id);
		if (!c)
			return (long)(a->guess = mid);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int on_site(void *ctx, const struct site_view *s)
{
	struct aud *a = ctx;
	char idb[SITE_CUT(id) + 1], tagb[SITE_CUT(tags) + 1], opb[SITE_CUT(operator_) + 1],
		rgb[SITE_CUT(region) + 1];
	const char *id = cut(s->id, idb, SITE_CUT(id)), *tags = cut(s->tags, tagb, SITE_CUT(tags));
	const char *op = cut(s->operator_, opb, SITE_CUT(operator_)), *region = cut(s->region, rgb, SITE_CUT(region));
	struct site *x;

	if (GROW(a->sites, a->nsites, a->capsites, 16))
		return a->err = TM_ENOMEM;
	x = &a->sites[a->nsites];
	memset(x, 0, sizeof(*x));
	if (!(x->id = arena_strdup(a->v->ar, id)) || (tags[0] && !(x->tags = arena_strdup(a->v->ar, tags))))
		return a->err = TM_ENOMEM;
	x->lat = s->lat, x->lon = s->lon, x->placed = !!s->has_coords;
	x->op = a->last_op = strcmp(a->v->strs[a->last_op], op) ? intern(a, op) : a->last_op;
	x->region = a->last_region = strcmp(a->v->strs[a->last_region], region) ? intern(a, region) : a->last_region;
	if (a->err)
		return a->err;
	/* sorted by id (store_site_iter): binary search then; a hash when not (site_find) */
	if (!a->sites_unsorted && a->nsites && strcmp(a->sites[a->nsites - 1].id, x->id) >= 0)
		a->sites_unsorted = 1;
	a->nsites++;
	return 0;
}

/* The same from a whole record (store_site_iter, sorted by id: audit_sensitive_sites). */
static int on_site_rec(void *ctx, const struct site_rec *s)
{
	struct site_view v = {s->id, s->operator_, s->region, s->tags, s->lat, s->lon, s->has_coords};

	return on_site(ctx, &v);
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
			if (!(a->gz_label[g] = arena_strdup(a->v->ar, lab)))
				return TM_ENOMEM;
		}
	}
	a->r->zones_geo = (long)a->gz->n;
	return 0;
}

static int on_pair(void *ctx, size_t point, size_t zone)
{
	struct aud *a = ctx;

	if (GROW(a->pairs, a->npairs, a->cappairs, 64))
		return a->err = TM_ENOMEM;
	a->pairs[a->npairs++] = (uint64_t)point << 32 | (uint32_t)zone;
	return 0;
}

/*
 * Joins the placed sites (all, or only those a kept asset wants) with the
 * geo zones in one batch: a->zl, sites[i].z0/zn, each site's zones in zone
 * order.  Builds the index first when it is not built yet.
 */
static int join_sites(struct aud *a, int only_wanted)
{
	double *lat = NULL, *lon = NULL;
	uint32_t *idx = NULL, *cnt = NULL;
	size_t np = 0;
	int rc = 0;

	if (!a->gz->n)
		return 0;
	if (!a->gix && (rc = geo_index_build(a->gz, &a->gix, a->eb, a->el)))
		return rc;
	for (size_t i = 0; i < a->nsites; i++)
		np += a->sites[i].placed && (!only_wanted || a->sites[i].want);
	lat = mem_alloc((np + 1) * sizeof(*lat));
	lon = mem_alloc((np + 1) * sizeof(*lon));
	idx = mem_alloc((np + 1) * sizeof(*idx));
	cnt = mem_calloc(np + 1, sizeof(*cnt));
	if (!lat || !lon || !idx || !cnt) {
		rc = TM_ENOMEM;
		goto out;
	}
	np = 0;
	for (size_t i = 0; i < a->nsites; i++)
		if (a->sites[i].placed && (!only_wanted || a->sites[i].want))
			lat[np] = a->sites[i].lat, lon[np] = a->sites[i].lon, idx[np++] = (uint32_t)i;
	int64_t got = geo_join(a->gix, lat, lon, np, on_pair, a);
	if (a->err || got < 0) {
		rc = a->err ? a->err : (int)got;
		goto out;
	}
	/* counting sort of the pairs by point: each site's zones together */
	for (size_t k = 0; k < a->npairs; k++)
		cnt[a->pairs[k] >> 32]++;
	uint32_t acc = 0;
	for (size_t j = 0; j < np; j++) {
		struct site *s = &a->sites[idx[j]];
		s->z0 = acc, s->zn = 0, s->joined = 1;
		acc += cnt[j];
	}
	if (!(a->zl = mem_alloc((a->npairs + 1) * sizeof(*a->zl)))) {
		rc = TM_ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < a->npairs; k++) {
		struct site *s = &a->sites[idx[a->pairs[k] >> 32]];
		a->zl[s->z0 + s->zn++] = (uint32_t)a->pairs[k];
	}
	a->nzl = a->npairs;
	/* zone order within a site (the join visits in cell order) */
	for (size_t j = 0; j < np; j++) {
		const struct site *s = &a->sites[idx[j]];
		uint32_t *z = a->zl + s->z0;
		for (uint32_t x = 1; x < s->zn; x++)
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
	a->npairs = a->cappairs = 0;
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

/* Every zone the kept asset is in (its site joined in step 2). */
static int zones_of(const struct aud *a, const struct kept *k, const struct site *s, struct hit *h)
{
	int n = 0;

	if (s)
		for (uint32_t j = 0; j < s->zn && n < MAX_HITS; j++) {
			uint32_t g = a->zl[s->z0 + j];
			h[n++] = (struct hit){a->gz_pz[g], (long)g, a->gz->z[g].sensitivity};
		}
	for (int j = 0; j < a->nplain && n < MAX_HITS; j++) {
		int i = a->plain[j];
		const struct pol_zone *z = &a->p->zones[i];
		int in = 0;

		switch (z->kind) {
		case PZ_CIDR:
			in = cidr_has(z->cidrs, z->ncidrs, k->addr);
			break;
		case PZ_ROLE:
			in = word_in(z->words, k->role);
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

/* A new compact finding (suspect: into the suspects). */
static struct cf *push(struct aud *a, int suspect)
{
	struct audit_priv *v = a->v;

	if (GROW(v->cf[suspect], v->ncf[suspect], v->capcf[suspect], 256)) {
		a->err = TM_ENOMEM;
		return NULL;
	}
	struct cf *c = &v->cf[suspect][v->ncf[suspect]++];
	memset(c, 0, sizeof(*c));
	c->kept = c->full = NONE;
	c->seq = v->seq++;
	c->rule = -1;
	c->sens = -1;
	return c;
}

/* A whole finding (share caps, expired exceptions: a few), with its compact record. */
static struct audit_finding *push_full(struct aud *a)
{
	struct audit_priv *v = a->v;
	struct cf *c;

	if (GROW(v->full, v->nfull, v->capfull, 16) || !(c = push(a, 0))) {
		a->err = TM_ENOMEM;
		return NULL;
	}
	struct audit_finding *f = &v->full[v->nfull];
	memset(f, 0, sizeof(*f));
	f->exception = -1;
	f->sensitivity = -1;
	c->full = (uint32_t)v->nfull++;
	return f;
}

/* Its whole record from compact c. */
static void fill(const struct audit_priv *v, const struct cf *c, struct audit_finding *f)
{
	if (c->full != NONE) {
		*f = v->full[c->full];
		return;
	}
	const struct kept *k = &v->kept[c->kept];

	memset(f, 0, sizeof(*f));
	f->kind = (enum audit_kind)c->kind;
	f->sev = (enum audit_sev)c->sev;
	f->rule = c->rule;
	f->exception = -1;
	f->why = c->why;
	f->day = c->day;
	f->asset_id = k->id;
	str_set(f->asset_key, sizeof(f->asset_key), k->key);
	str_set(f->ref, sizeof(f->ref), k->ref);
	str_set(f->addr, sizeof(f->addr), k->addr);
	str_set(f->site, sizeof(f->site), k->site);
	if (k->si >= 0) {
		str_set(f->operator_, sizeof(f->operator_), v->strs[k->op]);
		str_set(f->region, sizeof(f->region), v->strs[k->region]);
	}
	str_set(f->vendor, sizeof(f->vendor),
		c->why & AW_HINT_ONLY ? k->hint_s : c->why & AW_COMPONENT ? k->comp_s : k->vendor_s);
	str_set(f->listed, sizeof(f->listed), v->strs[c->listed]);
	str_set(f->product, sizeof(f->product), k->product);
	str_set(f->model, sizeof(f->model), k->model);
	str_set(f->role, sizeof(f->role), k->role);
	f->conf = k->conf;
	f->sensitivity = -1;
	if (c->zone) {
		str_set(f->zone, sizeof(f->zone), c->zone);
		f->sensitivity = c->sens;
	}
}

/* The interned registry id of vendor index m. */
static uint32_t listed_id(struct aud *a, int m)
{
	if ((size_t)m >= a->nlisted_ix) {
		size_t n = (size_t)m + 64;
		int32_t *x = mem_realloc(a->listed_ix, n * sizeof(*x));
		if (!x)
			return a->err = TM_ENOMEM, 0;
		memset(x + a->nlisted_ix, 0, (n - a->nlisted_ix) * sizeof(*x));
		a->listed_ix = x, a->nlisted_ix = n;
	}
	if (!a->listed_ix[m])
		a->listed_ix[m] = (int32_t)intern(a, vreg_get(a->vr, m)->id) + 1;
	return (uint32_t)(a->listed_ix[m] - 1);
}

/* Could a rule in force (on o->day or a later day) find this asset?  Only then is it kept. */
static int wanted(const struct aud *a, int vendor, int comp, int hint, const char *role, unsigned flags)
{
	const struct policy *p = a->p;
	int declared_only = !!(flags & ATTR_DECLARED_ONLY);

	for (int di = 0; di <= a->o->nlater; di++) {
		int64_t day = di ? a->o->later[di - 1] : a->o->day;
		for (int ri = 0; ri < p->nrules; ri++) {
			const struct pol_rule *r = &p->rules[ri];
			int later_off = r->effective != INT64_MIN && r->effective > day;

			if (di ? later_off || r->max_share >= 0 : !a->in_force[ri])
				continue;
			if (r->max_share >= 0 ||
			    policy_list_match(p, a->vr, r->list, vendor, -1, role, declared_only, day) >= 0 ||
			    (comp >= 0 && policy_list_match(p, a->vr, r->list, -1, comp, role, 0, day) >= 0) ||
			    (!di && hint >= 0 && (flags & ATTR_WEAK_ONLY) &&
			     policy_list_match(p, a->vr, r->list, hint, -1, role, 0, day) >= 0))
				return 1;
		}
	}
	return 0;
}

/* Step 1, per asset: counted, handed to o->each, and kept when a rule could find it. */
static int take(struct aud *a, const struct asset_view *as, const struct asset_rec *rec)
{
	char sb[ASSET_CUT(site) + 1], vb[ASSET_CUT(vendor) + 1], cb[ASSET_CUT(component_vendor) + 1],
		hb[ASSET_CUT(hint_vendor) + 1], rb[ASSET_CUT(role) + 1];
	const char *site = cut(as->site, sb, ASSET_CUT(site)), *role = cut(as->role, rb, ASSET_CUT(role));
	const char *vs = cut(as->vendor, vb, ASSET_CUT(vendor));
	const char *cs = cut(as->component_vendor, cb, ASSET_CUT(component_vendor));
	const char *hs = cut(as->hint_vendor, hb, ASSET_CUT(hint_vendor));
	long si = a->picking ? a->pick_si : site[0] ? site_find(a, site) : -1;
	struct site *s = si >= 0 ? &a->sites[si] : NULL;
	int vendor, comp, hint;

	if (a->err)
		return a->err;
	a->r->assets_read++;
	if (s && s->placed)
		a->r->assets_placed++;
	vendor = vs[0] ? vreg_find(a->vr, vs, strlen(vs)) : -1;
	comp = cs[0] ? vreg_find(a->vr, cs, strlen(cs)) : -1;
	hint = hs[0] ? vreg_find(a->vr, hs, strlen(hs)) : -1;
	if (a->o->each)
		a->o->each(a->o->each_ctx, rec, s ? a->v->strs[s->op] : "");
	if (!wanted(a, vendor, comp, hint, role, as->flags))
		return 0;

	struct audit_priv *v = a->v;
	const char *in[10] = {as->key, as->ref, as->addr, as->product, as->model, site, vs, role, cs, hs};
	const size_t capn[10] = {ASSET_CUT(key), ASSET_CUT(ref), ASSET_CUT(addr), ASSET_CUT(product),
				 ASSET_CUT(model), ASSET_CUT(site), ASSET_CUT(vendor), ASSET_CUT(role),
				 ASSET_CUT(component_vendor), ASSET_CUT(hint_vendor)};
	size_t len[10], total = 0;
	char *buf;

	for (int i = 0; i < 10; i++)
		total += (len[i] = strnlen(in[i], capn[i])) + 1;
	if (GROW(v->kept, v->nkept, v->capkept, 16) || !(buf = arena_alloc(v->ar, total)))
		return a->err = TM_ENOMEM;
	const char *out[10];
	for (int i = 0; i < 10; i++) {
		memcpy(buf, in[i], len[i]);
		buf[len[i]] = 0;
		out[i] = buf;
		buf += len[i] + 1;
	}
	struct kept *k = &v->kept[v->nkept++];
	*k = (struct kept){as->id, out[0], out[1], out[2], out[5], out[6], out[3], out[4], out[7], out[8], out[9],
			   as->conf, as->flags, (int32_t)si, s ? s->op : 0, s ? s->region : 0,
			   vendor, comp, hint};
	if (s && !s->joined)
		s->want = 1;
	return 0;
}

static int on_view(void *ctx, const struct asset_view *as)
{
	struct aud *a = ctx;

	return take(a, as, NULL) ? a->err : 0;
}

/* The whole records, when o->each wants them. */
static int on_rec(void *ctx, const struct asset_rec *r)
{
	struct aud *a = ctx;
	struct asset_view as = {r->id, r->key, r->addr, r->ref, r->site, r->vendor, r->product, r->model, r->role,
				r->component_vendor, r->hint_vendor, r->conf, r->flags};

	return take(a, &as, r) ? a->err : 0;
}

/*
 * Picking (store_asset_pick): could a rule find a device of this vendor text
 * (role NULL: in any role; else in this one)?  Both cut and looked up as
 * take() does, not declared-only, so that every asset wanted() keeps is read
 * (wanted() still decides, per asset).  The store asks row by row for the
 * picked vendors: the last vendor text's index and the last answer are kept.
 */
static int pick_vendor(void *ctx, const char *vendor, const char *role)
{
	struct aud *a = ctx;
	char vb[ASSET_CUT(vendor) + 1], rb[ASSET_CUT(role) + 1];
	const char *vs = cut(vendor, vb, ASSET_CUT(vendor));
	const char *rs = role ? cut(role, rb, ASSET_CUT(role)) : NULL;
	int idx;

	if (a->pick_idx != -2 && !strcmp(a->pick_vendor, vs)) {
		idx = a->pick_idx;
	} else {
		idx = vs[0] ? vreg_find(a->vr, vs, strlen(vs)) : -1;
		str_set(a->pick_vendor, sizeof(a->pick_vendor), vs);
		a->pick_idx = idx, a->pick_ans = -1;
	}
	if (idx < 0)
		return 0;
	if (!rs)
		return wanted(a, idx, -1, -1, NULL, 0);
	if (a->pick_ans >= 0 && !strcmp(a->pick_role, rs))
		return a->pick_ans;
	str_set(a->pick_role, sizeof(a->pick_role), rs);
	return a->pick_ans = wanted(a, idx, -1, -1, rs, 0);
}

/*
 * Room for n more entries of size at once (the store has said how many
 * assets it holds before the first one comes: pages are touched only as
 * they fill, and no realloc copies a growing array over and over).
 */
static int reserve(void **arr, size_t *cap, size_t size, size_t n)
{
	void *x;

	if (n > ((size_t)1 << 22))
		n = (size_t)1 << 22;
	if (*cap >= n || !(x = mem_realloc(*arr, n * size)))
		return 0; /* GROW will try again, smaller */
	*arr = x, *cap = n;
	return 0;
}

/*
 * A picked asset with its site (s NULL: none).  A site that comes again
 * right after itself (a site's devices are together) is kept once here;
 * other repeats once by dedup_sites() after the read.
 */
static int on_pick(void *ctx, const struct asset_view *as, const struct site_view *s)
{
	struct aud *a = ctx;
	char idb[SITE_CUT(id) + 1];
	long si = -1;

	if (!a->v->nkept && !a->r->assets_read) {
		reserve((void **)&a->v->kept, &a->v->capkept, sizeof(*a->v->kept), (size_t)a->r->assets + 1);
		reserve((void **)&a->sites, &a->capsites, sizeof(*a->sites), (size_t)a->r->assets + 1);
	}
	if (s) {
		const char *id = cut(s->id, idb, SITE_CUT(id));
		if (a->nsites && !strcmp(a->sites[a->nsites - 1].id, id)) {
			si = (long)a->nsites - 1;
		} else {
			if (on_site(a, s))
				return a->err;
			si = (long)a->nsites - 1;
		}
	}
	a->pick_si = si;
	return take(a, as, NULL) ? a->err : 0;
}

struct site_hash {
	uint64_t h;
	uint32_t i;
};

static int by_hash(const void *x, const void *y)
{
	const struct site_hash *a = x, *b = y;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/*
 * After picking: one entry per site id (the first), the kept assets pointed
 * at it.  Sorting hashes of the ids (sequential, a few megabytes) costs less
 * than a hash table probed at random for every asset.
 */
static int dedup_sites(struct aud *a)
{
	size_t n = a->nsites, w = 0;
	struct site_hash *x;
	uint32_t *to;
	int dup = 0;

	if (n < 2)
		return 0;
	x = mem_alloc(n * sizeof(*x));
	to = mem_alloc(n * sizeof(*to));
	if (!x || !to) {
		mem_free(x);
		mem_free(to);
		return a->err = TM_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		x[i] = (struct site_hash){smap_hash(a->sites[i].id), (uint32_t)i}, to[i] = (uint32_t)i;
	qsort(x, n, sizeof(*x), by_hash);
	/* equal ids are neighbours with equal hashes; the one before is checked first (collisions are rare) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j-- > 0 && x[j].h == x[i].h;)
			if (!strcmp(a->sites[x[j].i].id, a->sites[x[i].i].id)) {
				to[x[i].i] = to[x[j].i], dup = 1; /* its first, with a lower index */
				break;
			}
	if (dup) {
		/* keep the first of each id, in order; to[] becomes old -> new */
		for (size_t i = 0; i < n; i++) {
			if (to[i] != i) {
				to[i] = to[to[i]];
				continue;
			}
			a->sites[w] = a->sites[i];
			to[i] = (uint32_t)w++;
		}
		a->nsites = w;
		for (size_t k = 0; k < a->v->nkept; k++)
			if (a->v->kept[k].si >= 0)
				a->v->kept[k].si = (int32_t)to[a->v->kept[k].si];
	}
	mem_free(x);
	mem_free(to);
	return 0;
}

/* Step 3, per kept asset: every rule in force on o->day, then on each later day. */
static int eval(struct aud *a, uint32_t ki)
{
	const struct policy *p = a->p;
	const struct kept *k = &a->v->kept[ki];
	const struct site *s = k->si >= 0 ? &a->sites[k->si] : NULL;
	const char *op = a->v->strs[k->op], *region = a->v->strs[k->region];
	struct hit h[MAX_HITS];
	int nh = -1, declared_only = !!(k->flags & ATTR_DECLARED_ONLY);

	/* o->day, then (for the planner) each of o->later: rule findings only */
	for (int di = 0; di <= a->o->nlater; di++) {
		a->day = di ? a->o->later[di - 1] : a->o->day;
		for (int ri = 0; ri < p->nrules; ri++) {
			const struct pol_rule *r = &p->rules[ri];
			int best, m, hm = -1, via_comp = 0;

			int later_off = r->effective != INT64_MIN && r->effective > a->day;
			if (di ? later_off || r->max_share >= 0 : !a->in_force[ri])
				continue;
			m = policy_list_match(p, a->vr, r->list, k->vendor, -1, k->role, declared_only, a->day);
			if (m < 0 && k->comp >= 0 &&
			    (m = policy_list_match(p, a->vr, r->list, -1, k->comp, k->role, 0, a->day)) >= 0)
				via_comp = 1;
			/* weak-only evidence of a listed maker makes a suspect */
			if (m < 0 && r->max_share < 0 && !di && k->hint >= 0 && (k->flags & ATTR_WEAK_ONLY))
				hm = policy_list_match(p, a->vr, r->list, k->hint, -1, k->role, 0, a->day);
			if (m < 0 && hm < 0 && r->max_share < 0)
				continue; /* nothing to find */
			if (nh < 0)
				nh = zones_of(a, k, s, h);
			if (!in_scope(&r->scope, h, nh, k->role, op, region, &best))
				continue;
			int excepted = m >= 0 && policy_exception_find(p, k->key, k->ref, k->site, r->id, a->day) >= 0;
			const char *zone = NULL;
			int sens = -1;
			if (best >= 0) {
				zone = h[best].gz >= 0 ? a->gz_label[h[best].gz] : p->zones[h[best].pz].name;
				sens = h[best].sens;
			}

			if (r->max_share >= 0) {
				struct share_acc *acc = share_get(a, ri, s ? s->op : 0);
				if (!acc)
					return a->err;
				int listed = m >= 0 && k->conf >= a->o->min_conf && !excepted;
				acc->n_scope++;
				acc->n_listed += listed;
				if (s && a->share_slot[ri] >= 0) {
					size_t slot = (size_t)a->share_slot[ri];
					uint8_t *fl = &a->site_flags[slot * a->nsites + (size_t)k->si];
					*fl |= 1 | (listed ? 2 : 0);
				}
				continue;
			}
			if (m < 0) {
				if (hm >= 0) {
					struct cf *c = push(a, 1);
					if (!c)
						return a->err;
					c->kind = AF_SUSPECT, c->sev = SEV_LOW, c->rule = ri, c->why = AW_HINT_ONLY;
					c->kept = ki, c->asset_id = k->id, c->zone = zone, c->sens = sens;
					c->listed = listed_id(a, hm);
				}
				continue;
			}
			if (excepted) {
				a->r->excepted += !di;
				continue;
			}
			int suspect = k->conf < a->o->min_conf;
			if (di && suspect)
				continue;
			struct cf tmp, *c = &tmp;
			if (!suspect && a->o->on_finding) {
				memset(&tmp, 0, sizeof(tmp));
				tmp.full = NONE;
			} else if (!(c = push(a, suspect))) {
				return a->err;
			}
			c->kept = ki, c->asset_id = k->id, c->zone = zone, c->sens = sens;
			c->rule = ri;
			c->day = a->day;
			c->listed = listed_id(a, m);
			if (via_comp)
				c->why |= AW_COMPONENT;
			if (declared_only)
				c->why |= AW_DECLARED_ONLY;
			if (suspect) {
				c->kind = AF_SUSPECT, c->sev = SEV_LOW, c->why |= AW_LOW_CONF;
			} else {
				c->kind = AF_RULE;
				c->sev = r->action == POL_WARN ? SEV_MEDIUM : sens >= 4 ? SEV_CRITICAL : SEV_HIGH;
			}
			if (a->err)
				return a->err;
			if (c == &tmp) {
				struct audit_finding f;
				fill(a->v, c, &f);
				if ((a->err = a->o->on_finding(a->o->finding_ctx, &f)))
					return a->err;
			}
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
		struct audit_finding *f = push_full(a);
		if (!f)
			return a->err;
		f->kind = AF_SHARE;
		f->rule = acc->rule;
		f->sev = r->action == POL_WARN ? SEV_MEDIUM : SEV_HIGH;
		str_set(f->group, sizeof(f->group), a->v->strs[acc->group]);
		str_set(f->operator_, sizeof(f->operator_), a->v->strs[acc->group]);
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
		struct audit_finding *f = push_full(a);
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
		long si = x->site[0] && !a->picking ? site_find(a, x->site) : -1;
		if (a->err)
			return a->err;
		if (si >= 0) {
			str_set(f->operator_, sizeof(f->operator_), a->v->strs[a->sites[si].op]);
			str_set(f->region, sizeof(f->region), a->v->strs[a->sites[si].region]);
		} else if (x->site[0] && a->picking) {
			/* only the sites of picked assets were read: this one from the store (by its whole id) */
			struct site_rec sr;
			int rc = store_site_get(a->st, x->site, &sr);
			if (rc && rc != TM_ENOTFOUND)
				return a->err = rc;
			if (!rc) {
				str_set(f->operator_, sizeof(f->operator_), sr.operator_);
				str_set(f->region, sizeof(f->region), sr.region);
			}
		}
	}
	/* their compact records: the keys the order needs */
	for (size_t i = 0; i < a->v->ncf[0]; i++) {
		struct cf *c = &a->v->cf[0][i];
		if (c->full != NONE) {
			const struct audit_finding *f = &a->v->full[c->full];
			c->kind = (uint8_t)f->kind, c->sev = (uint8_t)f->sev, c->rule = f->rule, c->asset_id = f->asset_id;
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

/*
 * Most severe first; then kind, asset, rule: a stable order for reports and
 * tests (equal keys, one asset and rule on several days, in the order found).
 */
static int by_asset(const void *x, const void *y)
{
	const struct cf *a = x, *b = y;

	if (a->sev != b->sev)
		return (int)a->sev - (int)b->sev;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	if (a->asset_id != b->asset_id)
		return a->asset_id < b->asset_id ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule - b->rule;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void priv_free(struct audit_priv *v)
{
	if (!v)
		return;
	arena_free(v->ar);
	mem_free(v->strs);
	mem_free(v->kept);
	mem_free(v->cf[0]);
	mem_free(v->cf[1]);
	mem_free(v->full);
	mem_free(v);
}

static struct audit_priv *priv_new(void)
{
	struct audit_priv *v = mem_calloc(1, sizeof(*v));

	if (v && !(v->ar = arena_new(0))) {
		mem_free(v);
		v = NULL;
	}
	return v;
}

/* The whole records of the compact findings (audit_opt.lean unset). */
static int expand(struct audit_result *r, const struct audit_priv *v)
{
	for (int k = 0; k < 2; k++) {
		struct audit_finding *f = mem_calloc(v->ncf[k] + 1, sizeof(*f));
		if (!f)
			return TM_ENOMEM;
		for (size_t i = 0; i < v->ncf[k]; i++)
			fill(v, &v->cf[k][i], &f[i]);
		if (k)
			r->s = f, r->scap = v->ncf[k];
		else
			r->f = f, r->cap = v->ncf[k];
	}
	return 0;
}

static void aud_free(struct aud *a)
{
	geo_index_free(a->gix);
	geo_zones_free(a->gz);
	mem_free(a->gz_pz);
	mem_free(a->gz_label);
	mem_free(a->zl);
	mem_free(a->pairs);
	mem_free(a->sites);
	mem_free(a->plain);
	mem_free(a->in_force);
	mem_free(a->share_slot);
	mem_free(a->site_flags);
	mem_free(a->sh);
	mem_free(a->listed_ix);
	smap_free(&a->site_ix);
	smap_free(&a->str_ix);
}

/*
 * Can the audit read only the assets a rule could find?  Not when asked to
 * read all, when o->each wants every asset, or when a share cap in force
 * counts every device in its scope (wanted() keeps them all then).
 */
static int can_pick(const struct aud *a)
{
	if (a->o->read_all || a->o->each)
		return 0;
	for (int i = 0; i < a->p->nrules; i++) {
		const struct pol_rule *r = &a->p->rules[i];
		if (r->max_share >= 0 && (r->effective == INT64_MIN || r->effective <= a->o->day))
			return 0;
	}
	return 1;
}

int audit_run(struct store *st, const struct vreg *vr, const struct policy *p,
	      const struct audit_opt *o, struct audit_result *r, char *eb, size_t el)
{
	struct aud a = {st, vr, p, o, r, NULL, eb, el, o->day};
	struct timespec t0;
	double ms_a;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!(a.v = priv_new()))
		return err_set(eb, el, TM_ENOMEM, "audit: out of memory");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	intern(&a, ""); /* index 0: no operator / region */
	a.picking = can_pick(&a);
	if ((rc = a.err) || (!a.picking && (rc = store_site_scan(st, on_site, &a))))
		goto out;
	if ((rc = load_geo(&a)))
		goto out;
	r->ms_load = ms_since(&t0);
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
	/*
	 * 1. the assets some rule could find: only those and their sites when
	 * the store can pick them, else all (whole records when o->each wants them)
	 */
	if (a.picking) {
		a.pick_idx = -2, a.pick_ans = -1;
		rc = store_asset_pick(st, pick_vendor, on_pick, &a, &r->assets, &r->sites);
		if (rc == TM_EUNSUP && !a.nsites && !r->assets_read) {
			/* this store cannot: everything, as below */
			a.picking = 0;
			rc = store_site_scan(st, on_site, &a);
		} else if (!rc && !a.err) {
			rc = dedup_sites(&a);
		}
	}
	if (!a.picking && !rc && !a.err)
		rc = o->each ? store_asset_iter(st, NULL, on_rec, &a) : store_asset_scan(st, on_view, &a);
	if (a.err)
		rc = a.err;
	if (rc)
		goto out;
	if (!a.picking)
		r->assets = r->assets_read, r->sites = (long)a.nsites;
	r->sites_read = (long)a.nsites;
	for (size_t i = 0; i < a.nsites; i++)
		r->sites_placed += a.sites[i].placed;
	ms_a = ms_since(&t0);
	/* 2. their sites with the zones, in one batch */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = join_sites(&a, 1)))
		goto out;
	r->ms_join = ms_since(&t0);
	/* 3. each of them against the rules */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < a.v->nkept && !rc; i++)
		rc = eval(&a, (uint32_t)i);
	if (rc || (rc = share_findings(&a)) || (rc = expired_findings(&a)))
		goto out;
	for (int k = 0; k < 2; k++)
		if (a.v->ncf[k])
			qsort(a.v->cf[k], a.v->ncf[k], sizeof(struct cf), by_asset);
	r->n = a.v->ncf[0];
	r->ns = a.v->ncf[1];
	if (o->lean) {
		r->priv = a.v;
		a.v = NULL;
	} else if ((rc = expand(r, a.v))) {
		goto out;
	}
	r->ms_assets = ms_a + ms_since(&t0);
out:
	if (rc == TM_ENOMEM)
		err_set(eb, el, rc, "audit: out of memory");
	else if (rc && !*eb)
		err_set(eb, el, rc, "audit: %s", store_errmsg(st));
	aud_free(&a);
	priv_free(a.v);
	return rc;
}

int audit_result_get(const struct audit_result *r, int suspects, size_t i, struct audit_finding *out)
{
	const struct audit_finding *f = suspects ? r->s : r->f;

	if (i >= (suspects ? r->ns : r->n))
		return TM_EINVAL;
	if (f)
		*out = f[i];
	else if (r->priv)
		fill(r->priv, &r->priv->cf[suspects ? 1 : 0][i], out);
	else
		return TM_EINVAL;
	return 0;
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

	if (!(a.v = priv_new()))
		return err_set(eb, el, TM_ENOMEM, "audit: out of memory");
	intern(&a, "");
	/* sites in id order (store_site_iter): fn sees them so */
	if ((rc = a.err) || (rc = store_site_iter(st, on_site_rec, &a)) || (rc = load_geo(&a)) ||
	    (rc = join_sites(&a, 0)))
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
			if ((sc->operators && !word_in(sc->operators, a.v->strs[s->op])) ||
			    (sc->regions && !word_in(sc->regions, a.v->strs[s->region])))
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
	aud_free(&a);
	priv_free(a.v);
	return rc;
}

void audit_result_free(struct audit_result *r)
{
	mem_free(r->f);
	mem_free(r->s);
	priv_free(r->priv);
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
