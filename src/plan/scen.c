/*
 * scen.c - scenario evaluation (scen.h): the store's sites and assets once
 * (operators' network sizes), then the audit on each day where the
 * policy's findings can change, keeping every asset a deny rule catches
 * with the first day it is caught, its cost role, cost and confidence band.
 */
#include "scen.h"

#include "plan/cost.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/smap.h"
#include "core/str.h"
#include "policy/policy.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


struct imap { /* asset id -> scenario index */
	int64_t *key;
	uint32_t *val;
	size_t cap, n;
};

struct ssite { /* a site of the store */
	const char *id;
	uint32_t op, region;
	int32_t scen; /* index into scen.sites, -1 none yet */
};

struct scen_priv {
	struct arena *ar;
	struct smap str_ix, site_ix;
	struct ssite *ss;
	size_t nss, capss;
	size_t nop; /* op_assets entries */
	struct imap ids;
	uint32_t *reguess; /* assets whose role was guessed: looked at again with their evidence after the pass */
	size_t nre, capre;
	const struct cost_model *m;
	struct store *st;
	int err;
};

static uint64_t hash_id(int64_t id)
{
	uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
	return x ^ (x >> 29);
}

static long imap_get(const struct imap *m, int64_t id)
{
	if (!m->cap)
		return -1;
	for (size_t j = hash_id(id) & (m->cap - 1); m->key[j]; j = (j + 1) & (m->cap - 1))
		if (m->key[j] == id)
			return m->val[j];
	return -1;
}

/* id must be nonzero (asset ids start at 1). */
static int imap_put(struct imap *m, int64_t id, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		int64_t *k = mem_calloc(cap, sizeof(*k));
		uint32_t *v = mem_calloc(cap, sizeof(*v));
		if (!k || !v) {
			mem_free(k);
			mem_free(v);
			return TM_ENOMEM;
		}
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->key[i])
				continue;
			size_t j = hash_id(m->key[i]) & (cap - 1);
			while (k[j])
				j = (j + 1) & (cap - 1);
			k[j] = m->key[i], v[j] = m->val[i];
		}
		mem_free(m->key);
		mem_free(m->val);
		m->key = k, m->val = v, m->cap = cap;
	}
	size_t j = hash_id(id) & (m->cap - 1);
	while (m->key[j])
		j = (j + 1) & (m->cap - 1);
	m->key[j] = id, m->val[j] = val;
	m->n++;
	return 0;
}

#define GROW(arr, n, cap, init)                                                           \
	do {                                                                              \
		if ((n) == (cap)) {                                                       \
			size_t c_ = (cap) ? (cap) * 2 : (init);                           \
			void *x_ = mem_realloc((arr), c_ * sizeof(*(arr)));               \
			if (!x_)                                                          \
				return TM_ENOMEM;                                         \
			(arr) = x_, (cap) = c_;                                           \
		}                                                                         \
	} while (0)

static int intern(struct scen *s, const char *str, uint32_t *out)
{
	struct scen_priv *v = s->priv;
	long k = smap_get(&v->str_ix, str);
	char *c;

	if (k >= 0)
		return *out = (uint32_t)k, 0;
	GROW(s->strs, s->nstrs, s->capstrs, 64);
	if (!(c = arena_strdup(v->ar, str)) || smap_put(&v->str_ix, c, (uint32_t)s->nstrs) < 0)
		return TM_ENOMEM;
	s->strs[s->nstrs] = c;
	*out = (uint32_t)s->nstrs++;
	return 0;
}

static int on_site(void *ctx, const struct site_rec *r)
{
	struct scen *s = ctx;
	struct scen_priv *v = s->priv;
	struct ssite *x;

	GROW(v->ss, v->nss, v->capss, 1024);
	x = &v->ss[v->nss];
	x->scen = -1;
	if (!(x->id = arena_strdup(v->ar, r->id)) || intern(s, r->operator_, &x->op) ||
	    intern(s, r->region, &x->region) || smap_put(&v->site_ix, x->id, (uint32_t)v->nss) < 0)
		return v->err = TM_ENOMEM;
	v->nss++;
	return 0;
}

/* Every asset the audit reads: the size of each operator's network. */
static void on_asset(void *ctx, const struct asset_rec *a, const char *op)
{
	struct scen *s = ctx;
	struct scen_priv *v = s->priv;
	long k = op[0] ? smap_get(&v->str_ix, op) : 0;

	(void)a;
	s->assets_total++;
	if (k >= 0 && (size_t)k < v->nop)
		s->op_assets[k]++;
}

/* The scenario site of a finding's asset (created on first use). */
static int site_of(struct scen *s, const struct audit_finding *f, uint32_t *out)
{
	struct scen_priv *v = s->priv;
	long si = f->site[0] ? smap_get(&v->site_ix, f->site) : -1;
	struct scen_site *x;
	char id[128];

	if (si >= 0 && v->ss[si].scen >= 0)
		return *out = (uint32_t)v->ss[si].scen, 0;
	GROW(s->sites, s->nsites, s->capsites, 1024);
	x = &s->sites[s->nsites];
	memset(x, 0, sizeof(*x));
	if (si >= 0) {
		x->id = v->ss[si].id, x->op = v->ss[si].op, x->region = v->ss[si].region;
		v->ss[si].scen = (int32_t)s->nsites;
	} else {
		snprintf(id, sizeof(id), "%s%s", f->site[0] ? "" : "asset:", f->site[0] ? f->site : f->asset_key);
		if (!(x->id = arena_strdup(v->ar, id)) || intern(s, f->operator_, &x->op) ||
		    intern(s, f->region, &x->region))
			return TM_ENOMEM;
	}
	double fac = cost_region_factor(v->m, s->strs[x->region]);
	x->visit = v->m->site_visit * fac;
	x->overhead = v->m->site_overhead * fac;
	*out = (uint32_t)s->nsites++;
	return 0;
}

/* Evidence text for role guessing: the values of the asset's strongest evidence. */
struct evtext {
	char buf[4][160];
	int n;
	int rtsp; /* the asset serves RTSP (port 554 and kin): a camera or recorder when nothing else says */
};

static int on_ev(void *ctx, const struct ev_rec *e)
{
	struct evtext *t = ctx;

	if (!strncmp(e->kind, "rtsp", 4))
		t->rtsp = 1;
	if (t->n >= 4)
		return 0;
	str_copy(t->buf[t->n], sizeof(t->buf[0]), (const char *)e->value, e->len < 159 ? e->len : 159);
	for (char *p = t->buf[t->n]; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	t->n++;
	return 0;
}

static int add_finding(struct scen *s, const struct audit_finding *f, int64_t day)
{
	struct scen_priv *v = s->priv;
	long k = imap_get(&v->ids, f->asset_id);
	struct scen_asset *a;
	int rc;

	if (k >= 0) {
		if (day < s->a[k].due)
			s->a[k].due = day;
		return 0;
	}
	GROW(s->a, s->n, s->cap, 1024);
	a = &s->a[s->n];
	memset(a, 0, sizeof(*a));
	a->id = f->asset_id;
	a->due = day;
	str_set(a->ref, sizeof(a->ref), f->ref[0] ? f->ref : f->asset_key);
	str_set(a->role_in, sizeof(a->role_in), f->role);
	if ((rc = site_of(s, f, &a->site)))
		return rc;
	s->sites[a->site].n++;
	int g = 0;
	const char *text[4] = {f->product, f->model, f->vendor, NULL};
	a->role = cost_guess_role(f->role, text, &g);
	if (g) { /* not the asset's own role: its evidence is read after the audit's pass */
		GROW(v->reguess, v->nre, v->capre, 256);
		v->reguess[v->nre++] = (uint32_t)s->n;
		str_set(a->text, sizeof(a->text), f->product);
		str_set(a->text2, sizeof(a->text2), f->model);
	}
	a->guessed = g;
	a->band = f->why & AW_DECLARED_ONLY ? SB_DECLARED : f->conf >= 0.9 ? SB_STRONG : f->conf >= 0.7 ? SB_MEDIUM : SB_WEAK;
	a->cost = (v->m->unit[a->role] + v->m->labour) * cost_region_factor(v->m, s->strs[s->sites[a->site].region]);
	a->weight = v->m->weight[a->role];
	if (imap_put(&v->ids, f->asset_id, (uint32_t)s->n))
		return TM_ENOMEM;
	s->n++;
	return 0;
}

/* A rule finding of the audit, on any of the days: deny rules' assets are the scenario's. */
static int on_finding(void *ctx, const struct audit_finding *f)
{
	struct scen *s = ctx;

	if (f->kind != AF_RULE || f->rule < 0 || s->p->rules[f->rule].action != POL_DENY || !f->asset_id)
		return 0;
	return add_finding(s, f, f->day);
}

/*
 * Assets whose role was guessed from product and model: guess again with
 * their strongest evidence too (sysDescr, titles, banners; RTSP served),
 * now that the store is not being iterated, and reprice them.
 */
static int reguess(struct scen *s)
{
	struct scen_priv *v = s->priv;

	for (size_t k = 0; k < v->nre; k++) {
		struct scen_asset *a = &s->a[v->reguess[k]];
		struct evtext et = {.n = 0};
		const char *text[8] = {a->text, a->text2};
		int g, rc;

		if ((rc = store_evidence_iter(v->st, a->id, on_ev, &et)) < 0)
			return rc;
		for (int i = 0; i < et.n; i++)
			text[2 + i] = et.buf[i];
		text[2 + et.n] = NULL;
		a->role = cost_guess_role(a->role_in, text, &g);
		if (a->role == CR_OTHER && et.rtsp)
			a->role = CR_CAMERA;
		a->cost = (v->m->unit[a->role] + v->m->labour) *
			  cost_region_factor(v->m, s->strs[s->sites[a->site].region]);
		a->weight = v->m->weight[a->role];
	}
	return 0;
}

static int cmp_day(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/*
 * The days where the policy's findings can change, o->day first, then the
 * later ones sorted and unique: each rule's effective date, the day after
 * each exception expires, each list member's from date.  *out is freed by
 * the caller; returns the count or TM_ENOMEM.
 */
static int days_of(const struct policy *p, int64_t day, int64_t **out)
{
	size_t cap = 1 + (size_t)p->nrules + (size_t)p->nexceptions, n = 0;
	int64_t *d;

	for (int l = 0; l < p->nlists; l++)
		cap += (size_t)p->lists[l].nmembers;
	if (!(d = mem_calloc(cap, sizeof(*d))))
		return TM_ENOMEM;
	d[n++] = day;
	for (int i = 0; i < p->nrules; i++)
		if (p->rules[i].effective != INT64_MIN && p->rules[i].effective > day)
			d[n++] = p->rules[i].effective;
	for (int i = 0; i < p->nexceptions; i++)
		if (p->exceptions[i].expires >= day && p->exceptions[i].expires < INT64_MAX)
			d[n++] = p->exceptions[i].expires + 1;
	for (int l = 0; l < p->nlists; l++)
		for (int k = 0; k < p->lists[l].nmembers; k++)
			if (p->lists[l].members[k].from != INT64_MIN && p->lists[l].members[k].from > day)
				d[n++] = p->lists[l].members[k].from;
	qsort(d + 1, n - 1, sizeof(*d), cmp_day);
	size_t w = 1;
	for (size_t i = 1; i < n; i++)
		if (d[i] != d[w - 1])
			d[w++] = d[i];
	*out = d;
	return (int)w;
}

int scen_eval(struct store *st, const struct vreg *vr, const struct policy *p, const struct cost_model *m,
	      const struct scen_opt *o, struct scen *s, char *eb, size_t el)
{
	int64_t *days = NULL;
	struct audit_result r;
	int rc, nd;
	uint32_t z;

	memset(s, 0, sizeof(*s));
	memset(&r, 0, sizeof(r));
	s->p = p;
	if (!(s->priv = mem_calloc(1, sizeof(*s->priv))) || !(s->priv->ar = arena_new(0)))
		return err_set(eb, el, TM_ENOMEM, "plan: out of memory");
	s->priv->m = m, s->priv->st = st;
	if ((rc = intern(s, "", &z)))
		goto out;
	if ((rc = store_site_iter(st, on_site, s)) || (rc = s->priv->err))
		goto out;
	if (!(s->op_assets = mem_calloc(s->nstrs + 1, sizeof(*s->op_assets)))) {
		rc = TM_ENOMEM;
		goto out;
	}
	size_t nop = s->priv->nop = s->nstrs;
	/* one pass over the assets: the plan's day and every later day where findings can change */
	if ((nd = days_of(p, o->day, &days)) < 0) {
		rc = nd;
		goto out;
	}
	struct audit_opt ao = {days[0], o->min_conf, o->base_dir, days + 1, nd - 1, on_asset, s, on_finding, s};
	if ((rc = audit_run(st, vr, p, &ao, &r, eb, el)))
		goto out;
	s->n_days = nd;
	if ((rc = reguess(s)))
		goto out;
	for (size_t i = 0; i < r.n; i++)
		s->share_findings += r.f[i].kind == AF_SHARE;
	audit_result_free(&r);
	/* interned strings added by findings (sites without a store record) need counters too */
	long *oa = mem_realloc(s->op_assets, (s->nstrs + 1) * sizeof(*oa));
	if (!oa) {
		rc = TM_ENOMEM;
		goto out;
	}
	s->op_assets = oa;
	for (size_t i = nop; i <= s->nstrs; i++)
		oa[i] = 0;
	rc = 0;
out:
	audit_result_free(&r);
	mem_free(days);
	if (rc == TM_ENOMEM)
		err_set(eb, el, rc, "plan: out of memory");
	else if (rc && !*eb)
		err_set(eb, el, rc, "plan: %s", store_errmsg(st));
	return rc;
}

void scen_free(struct scen *s)
{
	if (s->priv) {
		smap_free(&s->priv->str_ix);
		smap_free(&s->priv->site_ix);
		mem_free(s->priv->ids.key);
		mem_free(s->priv->ids.val);
		mem_free(s->priv->reguess);
		mem_free(s->priv->ss);
		arena_free(s->priv->ar);
		mem_free(s->priv);
	}
	mem_free(s->a);
	mem_free(s->sites);
	mem_free(s->strs);
	mem_free(s->op_assets);
	memset(s, 0, sizeof(*s));
}

const char *scen_band_name(int band)
{
	static const char *const n[] = {"strong", "medium", "weak", "declared-only"};
	return band >= 0 && band < SB_N ? n[band] : "?";
}
