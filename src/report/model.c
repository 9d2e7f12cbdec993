/*
 * model.c - what the HTML report and the Markdown summary share (report.h):
 * the sites, each with its worst finding; the findings in severity order;
 * vendor shares per operator and per region (assets placed by their site;
 * the top vendors over all assets named, the rest "other"; the largest
 * groups charted, the rest "(other)"); the run history; and the policy's
 * zones loaded for the map.  Counting is over interned ids, so a million
 * assets cost a few megabytes.
 */
#include "report.h"

#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"
#include "geo/geo.h"
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- interning: string -> small id ---- */

struct intern {
	const char **s; /* id -> string (in the arena) */
	size_t n, cap;
	uint32_t *ht;	/* open addressing: id + 1, 0 empty */
	size_t hcap;
	struct arena *ar;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int intern_grow(struct intern *t)
{
	size_t hcap = t->hcap ? t->hcap * 2 : 256;
	uint32_t *ht = mem_calloc(hcap, sizeof(*ht));

	if (!ht)
		return TM_ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		size_t j = hash_str(t->s[i]) & (hcap - 1);
		while (ht[j])
			j = (j + 1) & (hcap - 1);
		ht[j] = (uint32_t)i + 1;
	}
	mem_free(t->ht);
	t->ht = ht, t->hcap = hcap;
	return 0;
}

/* The id of s (added when new), or -1 when out of memory. */
static long intern(struct intern *t, const char *s)
{
	size_t j;

	if ((t->n + 1) * 2 > t->hcap && intern_grow(t))
		return -1;
	for (j = hash_str(s) & (t->hcap - 1); t->ht[j]; j = (j + 1) & (t->hcap - 1))
		if (!strcmp(t->s[t->ht[j] - 1], s))
			return t->ht[j] - 1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		const char **n = mem_realloc(t->s, cap * sizeof(*n));
		if (!n)
			return -1;
		t->s = n, t->cap = cap;
	}
	if (!(t->s[t->n] = arena_strdup(t->ar, s)))
		return -1;
	t->ht[j] = (uint32_t)t->n + 1;
	return (long)t->n++;
}

static void intern_free(struct intern *t)
{
	mem_free(t->s);
	mem_free(t->ht);
}

/* ---- gathering ---- */

struct gather {
	struct rep_model *m;
	size_t scap, rcap;
	/* per asset: vendor id and site index (SIZE_MAX none) */
	uint32_t *a_v;
	size_t *a_site;
	size_t na, acap;
	struct intern vendors, groups;
	int err;
};

static int on_site(void *ctx, const struct site_rec *s)
{
	struct gather *g = ctx;
	struct rep_model *m = g->m;
	struct rep_site *d;
	long o, r;

	if (m->nsites == g->scap) {
		size_t cap = g->scap ? g->scap * 2 : 256;
		struct rep_site *n = mem_realloc(m->sites, cap * sizeof(*n));
		if (!n)
			return g->err = TM_ENOMEM;
		m->sites = n, g->scap = cap;
	}
	d = &m->sites[m->nsites];
	d->id = arena_strdup(m->ar, s->id);
	d->name = arena_strdup(m->ar, s->name);
	o = intern(&g->groups, s->operator_[0] ? s->operator_ : "(none)");
	r = intern(&g->groups, s->region[0] ? s->region : "(none)");
	if (!d->id || !d->name || o < 0 || r < 0)
		return g->err = TM_ENOMEM;
	d->lat = s->lat, d->lon = s->lon, d->has_coords = s->has_coords;
	d->op = (uint32_t)o, d->rg = (uint32_t)r;
	m->nsites++;
	if (s->has_coords)
		m->nplaced++;
	return 0;
}

static int site_cmp(const void *x, const void *y)
{
	return strcmp(((const struct rep_site *)x)->id, ((const struct rep_site *)y)->id);
}

const struct rep_site *rep_site(const struct rep_model *m, const char *id)
{
	struct rep_site key = {.id = id};

	if (!id || !*id || !m->nsites)
		return NULL;
	return bsearch(&key, m->sites, m->nsites, sizeof(key), site_cmp);
}

static int on_asset(void *ctx, const struct asset_rec *a)
{
	struct gather *g = ctx;
	const struct rep_site *s = rep_site(g->m, a->site);
	long v;

	if (g->na == g->acap) {
		size_t cap = g->acap ? g->acap * 2 : 1024;
		uint32_t *nv = mem_realloc(g->a_v, cap * sizeof(*nv));
		if (nv)
			g->a_v = nv;
		size_t *ns = mem_realloc(g->a_site, cap * sizeof(*ns));
		if (ns)
			g->a_site = ns;
		if (!nv || !ns)
			return g->err = TM_ENOMEM;
		g->acap = cap;
	}
	if ((v = intern(&g->vendors, a->vendor[0] ? a->vendor : "(unknown)")) < 0)
		return g->err = TM_ENOMEM;
	g->a_v[g->na] = (uint32_t)v;
	g->a_site[g->na] = s ? (size_t)(s - g->m->sites) : SIZE_MAX;
	g->na++;
	g->m->assets++;
	return 0;
}

static int on_run(void *ctx, const struct run_rec *r)
{
	struct gather *g = ctx;
	struct rep_model *m = g->m;

	if (m->nruns == g->rcap) {
		size_t cap = g->rcap ? g->rcap * 2 : 64;
		struct run_rec *n = mem_realloc(m->runs, cap * sizeof(*n));
		if (!n)
			return g->err = TM_ENOMEM;
		m->runs = n, g->rcap = cap;
	}
	m->runs[m->nruns++] = *r;
	return 0;
}

/* ---- shares ---- */

struct idcount {
	uint32_t id;
	long n;
};

static int idcount_cmp(const void *x, const void *y)
{
	const struct idcount *a = x, *b = y;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Sorts ids by count, most first (then by id: first seen first). */
static struct idcount *rank(const long *cnt, size_t n)
{
	struct idcount *r = mem_calloc(n ? n : 1, sizeof(*r));

	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++)
		r[i] = (struct idcount){(uint32_t)i, cnt[i]};
	qsort(r, n, sizeof(*r), idcount_cmp);
	return r;
}

/* The group of a site in one dimension: 0 operator, 1 region. */
static uint32_t site_grp(const struct rep_site *s, int dim)
{
	return dim ? s->rg : s->op;
}

/* One dimension (0 operator, 1 region): the group of an asset is its site's (or "(no site)"). */
static int share(struct gather *g, int dim, const struct idcount *vr, size_t nvr, struct rep_share *sh)
{
	struct rep_model *m = g->m;
	long none = -1, *gtot = NULL;
	int *vcol = NULL, rc = TM_ENOMEM;
	size_t *grow = NULL, ng, nshow;
	struct idcount *gr = NULL;

	if (g->na && (none = intern(&g->groups, "(no site)")) < 0)
		goto out;
	ng = g->groups.n;
	if (!(gtot = mem_calloc(ng ? ng : 1, sizeof(*gtot))) || !(grow = mem_calloc(ng ? ng : 1, sizeof(*grow))) ||
	    !(vcol = mem_calloc(g->vendors.n ? g->vendors.n : 1, sizeof(*vcol))))
		goto out;
	for (size_t i = 0; i < g->na; i++)
		gtot[g->a_site[i] == SIZE_MAX ? (size_t)none : site_grp(&m->sites[g->a_site[i]], dim)]++;
	if (!(gr = rank(gtot, ng)))
		goto out;
	while (ng && gr[ng - 1].n == 0)
		ng--; /* groups of the other dimension, or without assets */
	nshow = ng > REP_TOP_GROUPS ? REP_TOP_GROUPS : ng;
	sh->ngroups = nshow + (ng > nshow);
	sh->nv = (int)(nvr < REP_TOP_VENDORS ? nvr : REP_TOP_VENDORS);
	for (size_t i = 0; i < g->vendors.n; i++)
		vcol[i] = sh->nv;
	for (int k = 0; k < sh->nv; k++) {
		sh->vendor[k] = g->vendors.s[vr[k].id];
		vcol[vr[k].id] = k;
	}
	sh->group = arena_alloc(m->ar, (sh->ngroups ? sh->ngroups : 1) * sizeof(*sh->group));
	sh->total = arena_alloc(m->ar, (sh->ngroups ? sh->ngroups : 1) * sizeof(*sh->total));
	sh->cnt = arena_alloc(m->ar, (sh->ngroups ? sh->ngroups : 1) * (size_t)(sh->nv + 1) * sizeof(*sh->cnt));
	if (!sh->group || !sh->total || !sh->cnt)
		goto out;
	memset(sh->total, 0, sh->ngroups * sizeof(*sh->total));
	memset(sh->cnt, 0, sh->ngroups * (size_t)(sh->nv + 1) * sizeof(*sh->cnt));
	for (size_t i = 0; i < g->groups.n; i++)
		grow[i] = nshow; /* "(other)" */
	for (size_t k = 0; k < nshow; k++) {
		grow[gr[k].id] = k;
		sh->group[k] = g->groups.s[gr[k].id];
	}
	if (sh->ngroups > nshow)
		sh->group[nshow] = "(other)";
	for (size_t i = 0; i < g->na; i++) {
		size_t row = grow[g->a_site[i] == SIZE_MAX ? (size_t)none : site_grp(&m->sites[g->a_site[i]], dim)];
		sh->total[row]++;
		sh->cnt[row * (size_t)(sh->nv + 1) + (size_t)vcol[g->a_v[i]]]++;
	}
	rc = 0;
out:
	mem_free(gtot);
	mem_free(grow);
	mem_free(vcol);
	mem_free(gr);
	return rc;
}

static const struct audit_finding *g_f; /* for the qsort below only */

static int order_cmp(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	if (g_f[a].sev != g_f[b].sev)
		return g_f[a].sev < g_f[b].sev ? -1 : 1;
	return a < b ? -1 : a > b;
}

int rep_model_build(const struct rep_in *in, struct rep_model *m, char *eb, size_t el)
{
	struct gather g = {.m = m};
	struct idcount *vr = NULL;
	long *vtot = NULL;
	int rc;

	memset(m, 0, sizeof(*m));
	if (!(m->ar = arena_new(1 << 16)))
		return err_set(eb, el, TM_ENOMEM, "out of memory");
	g.vendors.ar = g.groups.ar = m->ar;
	if ((rc = store_site_iter(in->st, on_site, &g)) || (rc = g.err))
		goto out_store;
	if (m->nsites)
		qsort(m->sites, m->nsites, sizeof(*m->sites), site_cmp);
	if (!(m->worst = mem_alloc(m->nsites ? m->nsites : 1))) {
		rc = TM_ENOMEM;
		goto out_mem;
	}
	memset(m->worst, -1, m->nsites ? m->nsites : 1);
	if ((rc = store_asset_iter(in->st, NULL, on_asset, &g)) || (rc = g.err))
		goto out_store;
	if ((rc = store_run_iter(in->st, on_run, &g)) || (rc = g.err))
		goto out_store;

	/* vendors ranked over all assets */
	if (!(vtot = mem_calloc(g.vendors.n ? g.vendors.n : 1, sizeof(*vtot)))) {
		rc = TM_ENOMEM;
		goto out_mem;
	}
	for (size_t i = 0; i < g.na; i++)
		vtot[g.a_v[i]]++;
	if (!(vr = rank(vtot, g.vendors.n))) {
		rc = TM_ENOMEM;
		goto out_mem;
	}
	if ((rc = share(&g, 0, vr, g.vendors.n, &m->by_operator)) ||
	    (rc = share(&g, 1, vr, g.vendors.n, &m->by_region)))
		goto out_mem;

	/* findings: worst per site, severity order */
	if (in->ar) {
		const struct audit_result *r = in->ar;
		if (!(m->order = mem_calloc(r->n ? r->n : 1, sizeof(*m->order)))) {
			rc = TM_ENOMEM;
			goto out_mem;
		}
		for (size_t i = 0; i < r->n; i++) {
			const struct rep_site *s = rep_site(m, r->f[i].site);
			unsigned sev = (unsigned)r->f[i].sev;
			m->order[i] = i;
			if (sev < 4)
				m->sev[sev]++;
			if (s && (m->worst[s - m->sites] < 0 || m->worst[s - m->sites] > (signed char)sev))
				m->worst[s - m->sites] = (signed char)sev;
		}
		g_f = r->f;
		qsort(m->order, r->n, sizeof(*m->order), order_cmp);
		g_f = NULL;
	}
	rc = 0;
	goto out;
out_store:
	if (rc < 0 && rc != TM_ENOMEM)
		err_set(eb, el, rc, "store: %s", store_errmsg(in->st));
out_mem:
	if (rc == TM_ENOMEM)
		err_set(eb, el, rc, "out of memory");
out:
	mem_free(vtot);
	mem_free(vr);
	mem_free(g.a_v);
	mem_free(g.a_site);
	intern_free(&g.vendors);
	intern_free(&g.groups);
	return rc;
}

void rep_model_free(struct rep_model *m)
{
	mem_free(m->sites);
	mem_free(m->worst);
	mem_free(m->order);
	mem_free(m->runs);
	arena_free(m->ar);
	memset(m, 0, sizeof(*m));
}

/* ---- zones for the map ---- */

int rep_zones_load(const struct policy *p, const char *base_dir, struct arena *ar,
		   struct geo_zones **zsp, const char ***labelsp, char *eb, size_t el)
{
	struct geo_zones *zs;
	const char **lab = NULL;
	char path[1024];
	int rc = TM_ENOMEM;

	*zsp = NULL, *labelsp = NULL;
	if (!(zs = geo_zones_new()))
		return err_set(eb, el, TM_ENOMEM, "out of memory");
	for (int i = 0; p && i < p->nzones; i++) {
		const struct pol_zone *z = &p->zones[i];
		size_t before = zs->n;

		if (z->kind == PZ_GEOJSON) {
			struct geo_geojson_opt go = {z->name_prop, z->sens_prop, z->sensitivity, 0};
			if (z->path[0] == '/' || !base_dir || !*base_dir)
				snprintf(path, sizeof(path), "%s", z->path);
			else
				snprintf(path, sizeof(path), "%s/%s", base_dir, z->path);
			if ((rc = geo_geojson_load(zs, path, &go, eb, el)))
				goto out;
		} else if (z->kind == PZ_CIRCLE) {
			if ((rc = geo_zones_add_circle(zs, z->name, z->sensitivity, z->lat, z->lon, z->radius_m,
						       eb, el)))
				goto out;
		} else {
			continue;
		}
		const char **n = mem_realloc(lab, (zs->n ? zs->n : 1) * sizeof(*n));
		if (!n) {
			rc = err_set(eb, el, TM_ENOMEM, "out of memory");
			goto out;
		}
		lab = n;
		for (size_t k = before; k < zs->n; k++) {
			char l[160];
			const char *fn = zs->z[k].name;
			if (zs->n - before > 1 || (z->kind == PZ_GEOJSON && fn[0] && strcmp(fn, z->name)))
				snprintf(l, sizeof(l), "%s/%s", z->name, fn[0] ? fn : "?");
			else
				snprintf(l, sizeof(l), "%s", z->name);
			if (!(lab[k] = arena_strdup(ar, l))) {
				rc = err_set(eb, el, TM_ENOMEM, "out of memory");
				goto out;
			}
		}
	}
	*zsp = zs, *labelsp = lab;
	return 0;
out:
	geo_zones_free(zs);
	mem_free(lab);
	return rc;
}

/* ---- text helpers ---- */

const char *rep_rule(const struct policy *p, const struct audit_finding *f)
{
	return p && f->rule >= 0 && f->rule < p->nrules ? p->rules[f->rule].id : "";
}

void rep_day(int64_t day, char out[11])
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm))
		str_set(out, 11, "?");
}

void rep_time(int64_t v, char out[32])
{
	time_t t = (time_t)v;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm))
		str_set(out, 32, "?");
}

void rep_why(const struct policy *p, const struct audit_finding *f, char *out, size_t len)
{
	const char *list = p && f->rule >= 0 && f->rule < p->nrules && p->rules[f->rule].list >= 0 &&
					   p->rules[f->rule].list < p->nlists
				   ? p->lists[p->rules[f->rule].list].name
				   : "?";
	size_t n = 0;
	char d[11];

	out[0] = 0;
	switch (f->kind) {
	case AF_SHARE:
		snprintf(out, len, "%.1f%% of %s from list %s (%ld of %ld) > cap %.1f%%", f->share * 100,
			 p && f->rule >= 0 && p->rules[f->rule].share_of == POL_SHARE_SITES ? "sites" : "devices",
			 list, f->n_listed, f->n_scope, f->cap * 100);
		return;
	case AF_EXCEPTION_EXPIRED:
		if (p && f->exception >= 0 && f->exception < p->nexceptions) {
			const struct pol_exception *e = &p->exceptions[f->exception];
			rep_day(e->expires, d);
			snprintf(out, len, "exception expired %s (%s:%u): %s", d, p->file, e->line,
				 e->reason ? e->reason : "");
		} else {
			snprintf(out, len, "exception expired");
		}
		return;
	default:
		break;
	}
	if (f->rule >= 0)
		n += (size_t)snprintf(out + n, len - n, "%s on list %s", f->listed, list);
	if (f->why & AW_COMPONENT && n < len)
		n += (size_t)snprintf(out + n, len - n, "%sa part (OEM/NIC) by %s", n ? "; " : "", f->vendor);
	if (f->why & AW_DECLARED_ONLY && n < len)
		n += (size_t)snprintf(out + n, len - n, "%sdeclared by the inventory only", n ? "; " : "");
	if (f->why & AW_LOW_CONF && n < len)
		n += (size_t)snprintf(out + n, len - n, "%sconfidence below threshold", n ? "; " : "");
	if (f->why & AW_HINT_ONLY && n < len)
		snprintf(out + n, len - n, "%sweak evidence only", n ? "; " : "");
}
