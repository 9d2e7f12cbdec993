/*
 * items.c - a scenario's plan items (items.h, docs/plan.md): the clean
 * paths priced by the cost model, the items (single assets and clean-path
 * work packages) with their sites, visits, overhead shares and deadlines,
 * and the plan's per-phase sums.  Between the scenario (scen.c) and the
 * planner (planner.c); `trustmap plan` and `trustmap report` print what it
 * builds.
 */
#include "items.h"

#include "cost.h"
#include "scen.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/smap.h"
#include "core/str.h"
#include "policy/policy.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct plan_items_priv {
	struct arena *ar;
};

static int64_t cents(double x)
{
	return (int64_t)llround(x * 100);
}

static int year_of(int64_t day)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

const char *plan_money(int64_t c, char *out, size_t len)
{
	snprintf(out, len, "%s%lld.%02lld", c < 0 ? "-" : "", (long long)(llabs(c) / 100), (long long)(llabs(c) % 100));
	return out;
}

/* ---- scenario assets by id ---- */

struct idix {
	int64_t id;
	uint32_t ix;
};

static int cmp_idix(const void *x, const void *y)
{
	const struct idix *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* s's assets sorted by id (*out freed by the caller). */
static int index_scen(const struct scen *s, struct idix **out)
{
	struct idix *v = mem_alloc((s->n + 1) * sizeof(*v));

	if (!(*out = v))
		return TM_ENOMEM;
	for (size_t i = 0; i < s->n; i++)
		v[i] = (struct idix){s->a[i].id, (uint32_t)i};
	qsort(v, s->n, sizeof(*v), cmp_idix);
	return 0;
}

static long find_id(const struct idix *v, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].id < id)
			lo = mid + 1;
		else if (v[mid].id > id)
			hi = mid;
		else
			return v[mid].ix;
	}
	return -1;
}

static long find_dev(const struct plan_paths *pp, int64_t id)
{
	size_t lo = 0, hi = pp->ndev;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pp->dev[mid].id < id)
			lo = mid + 1;
		else if (pp->dev[mid].id > id)
			hi = mid;
		else
			return (long)mid;
	}
	return -1;
}

/* ---- the clean paths, priced by the model ---- */

struct pctx {
	const struct scen *s;
	const struct cost_model *m;
	struct idix *ix;
	struct smap sites; /* store site id -> index into fac */
	double *fac;	   /* region factor per store site */
	size_t nfac, capfac;
	struct arena *ar;
	int err;
};

static int on_site(void *ctx, const struct site_rec *r)
{
	struct pctx *c = ctx;

	if (c->nfac == c->capfac) {
		size_t cap = c->capfac ? c->capfac * 2 : 256;
		double *f = mem_realloc(c->fac, cap * sizeof(*f));
		if (!f)
			return c->err = TM_ENOMEM;
		c->fac = f, c->capfac = cap;
	}
	if (smap_put_copy(&c->sites, c->ar, r->id, (uint32_t)c->nfac) < 0)
		return c->err = TM_ENOMEM;
	c->fac[c->nfac++] = cost_region_factor(c->m, r->region);
	return 0;
}

static double site_factor(const struct pctx *c, const char *site)
{
	long k = site[0] ? smap_get(&c->sites, site) : -1;
	return k >= 0 ? c->fac[k] : cost_region_factor(c->m, "");
}

/* A device that is not a scenario asset: its role (guessed from product and model when it has none) and price. */
static void price_dev(const struct pctx *c, const struct asset_rec *a, struct plan_dev *d)
{
	const char *text[4] = {a->product, a->model, a->vendor, NULL};
	double f = site_factor(c, a->site);

	d->id = a->id;
	str_set(d->ref, sizeof(d->ref), a->ref[0] ? a->ref : a->key);
	str_set(d->site, sizeof(d->site), a->site);
	str_set(d->key, sizeof(d->key), a->key);
	d->role = cost_guess_role(a->role, text, &d->guessed);
	d->cost = (c->m->unit[d->role] + c->m->labour) * f;
	d->weight = c->m->weight[d->role];
	d->visit = c->m->site_visit * f;
	d->overhead = c->m->site_overhead * f;
}

/* paths_cost_fn: a scenario asset costs what the scenario says, any other device what the model says. */
static int64_t model_cost(void *ctx, const struct asset_rec *a)
{
	const struct pctx *c = ctx;
	long k = c->s ? find_id(c->ix, c->s->n, a->id) : -1;
	struct plan_dev d;

	if (k >= 0)
		return cents(c->s->a[k].cost);
	price_dev(c, a, &d);
	return cents(d.cost);
}

/* Sets c up for scenario s (NULL: none) and model m: the store's sites and their region factors. */
static int pctx_init(struct pctx *c, struct store *st, const struct scen *s, const struct cost_model *m, char *eb,
		     size_t el)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->s = s, c->m = m;
	if (!(c->ar = arena_new(0)) || (s && index_scen(s, &c->ix)))
		return err_set(eb, el, TM_ENOMEM, "plan: out of memory");
	if ((rc = store_site_iter(st, on_site, c)) || (rc = c->err)) {
		if (rc == TM_ENOMEM)
			return err_set(eb, el, rc, "plan: out of memory");
		return err_set(eb, el, rc, "plan: %s", store_errmsg(st));
	}
	return 0;
}

static void pctx_fini(struct pctx *c)
{
	mem_free(c->ix);
	mem_free(c->fac);
	smap_free(&c->sites);
	arena_free(c->ar);
}

struct plan_pricer {
	struct pctx c;
};

int plan_pricer_new(struct store *st, const struct cost_model *m, struct plan_pricer **out, char *eb, size_t el)
{
	struct plan_pricer *p = mem_calloc(1, sizeof(*p));
	int rc;

	*out = NULL;
	if (!p)
		return err_set(eb, el, TM_ENOMEM, "plan: out of memory");
	if ((rc = pctx_init(&p->c, st, NULL, m, eb, el))) {
		plan_pricer_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int64_t plan_pricer_cost(void *ctx, const struct asset_rec *a)
{
	struct plan_pricer *p = ctx;
	return model_cost(&p->c, a);
}

void plan_pricer_free(struct plan_pricer *p)
{
	if (!p)
		return;
	pctx_fini(&p->c);
	mem_free(p);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* The devices of the replace lists that are not scenario assets, read from the store. */
static int read_devs(struct store *st, struct pctx *c, struct plan_paths *pp, char *eb, size_t el)
{
	size_t n = 0, w = 0;
	int64_t *ids;
	char num[24];
	int rc;

	for (size_t i = 0; i < pp->r.n; i++)
		n += pp->r.s[i].nreplace;
	if (!(ids = mem_alloc((n + 1) * sizeof(*ids))))
		return TM_ENOMEM;
	n = 0;
	for (size_t i = 0; i < pp->r.n; i++)
		for (size_t k = 0; k < pp->r.s[i].nreplace; k++)
			if (find_id(c->ix, c->s->n, pp->r.s[i].replace[k]) < 0)
				ids[n++] = pp->r.s[i].replace[k];
	qsort(ids, n, sizeof(*ids), cmp_i64);
	for (size_t i = 0; i < n; i++)
		if (!w || ids[i] != ids[w - 1])
			ids[w++] = ids[i];
	if (w && !(pp->dev = mem_calloc(w, sizeof(*pp->dev)))) {
		mem_free(ids);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < w; i++) {
		struct asset_rec a;
		snprintf(num, sizeof(num), "%lld", (long long)ids[i]);
		if ((rc = store_asset_get(st, num, &a))) {
			err_set(eb, el, rc, "plan: asset %s of a clean path: %s", num,
				rc == TM_ENOTFOUND ? "gone from the store" : store_errmsg(st));
			mem_free(ids);
			return rc;
		}
		price_dev(c, &a, &pp->dev[pp->ndev++]);
	}
	mem_free(ids);
	return 0;
}

/*
 * The day the policy stands complete: the last rule effective date, list
 * member from date or day after an exception expires, if later than day.
 * Clean paths for a plan are asked of the policy as it will be once every
 * rule bites, not only of the rules in force on the plan's day.
 */
static int64_t last_day(const struct policy *p, int64_t day)
{
	for (int i = 0; i < p->nrules; i++)
		if (p->rules[i].effective != INT64_MIN && p->rules[i].effective > day)
			day = p->rules[i].effective;
	for (int i = 0; i < p->nexceptions; i++)
		if (p->exceptions[i].expires < INT64_MAX && p->exceptions[i].expires + 1 > day)
			day = p->exceptions[i].expires + 1;
	for (int l = 0; l < p->nlists; l++)
		for (int k = 0; k < p->lists[l].nmembers; k++)
			if (p->lists[l].members[k].from != INT64_MIN && p->lists[l].members[k].from > day)
				day = p->lists[l].members[k].from;
	return day;
}

int plan_paths_run(struct store *st, const struct vreg *vr, const struct scen *s, const struct cost_model *m,
		   const struct paths_opt *o, struct plan_paths *pp, char *eb, size_t el)
{
	struct pctx c;
	struct paths_opt po = *o;
	int rc;

	memset(pp, 0, sizeof(*pp));
	if ((rc = pctx_init(&c, st, s, m, eb, el)))
		goto out;
	po.cost = model_cost, po.cost_ctx = &c;
	po.day = last_day(s->p, o->day);
	if ((rc = paths_run(st, vr, s->p, &po, &pp->r, eb, el)))
		goto out;
	if ((rc = read_devs(st, &c, pp, eb, el)) == TM_ENOMEM)
		err_set(eb, el, rc, "plan: out of memory");
out:
	pctx_fini(&c);
	return rc;
}

void plan_paths_free(struct plan_paths *pp)
{
	if (!pp)
		return;
	paths_result_free(&pp->r);
	mem_free(pp->dev);
	memset(pp, 0, sizeof(*pp));
}

/* ---- the items ---- */

/*
 * Work space of one build.  Devices are numbered: scenario assets 0..ns-1,
 * then pp->dev[j] as ns + j.
 */
struct bld {
	const struct scen *s;
	const struct plan_items_opt *o;
	const struct plan_paths *pp;
	struct plan_items *pi;
	struct idix *ix;
	size_t ns, nd;
	int32_t *owner;	  /* per device: its package, -1 none */
	int64_t *dcost;	  /* per device: cost with its overhead share (cents) */
	uint32_t *dsite;  /* per device: planner site */
	struct smap site_ix; /* planner site id -> index */
	int64_t *overhead;   /* per planner site */
	size_t capsites;
};

static int add_site(struct bld *b, const char *id, int64_t visit, int64_t overhead, uint32_t *out)
{
	struct plan_items *pi = b->pi;
	long k = smap_get(&b->site_ix, id);

	if (k >= 0)
		return *out = (uint32_t)k, 0;
	if (pi->nsites == b->capsites) {
		size_t cap = b->capsites ? b->capsites * 2 : 64;
		const char **x = mem_realloc(pi->site_id, cap * sizeof(*x));
		if (x)
			pi->site_id = x;
		int64_t *v = mem_realloc(pi->visit, cap * sizeof(*v));
		if (v)
			pi->visit = v;
		int64_t *h = mem_realloc(b->overhead, cap * sizeof(*h));
		if (h)
			b->overhead = h;
		if (!x || !v || !h)
			return TM_ENOMEM;
		b->capsites = cap;
	}
	char *c = arena_strdup(pi->priv->ar, id);
	if (!c || smap_put(&b->site_ix, c, (uint32_t)pi->nsites) < 0)
		return TM_ENOMEM;
	pi->site_id[pi->nsites] = c;
	pi->visit[pi->nsites] = visit;
	b->overhead[pi->nsites] = overhead;
	*out = (uint32_t)pi->nsites++;
	return 0;
}

/* The device number of asset id, or -1. */
static long dev_of(const struct bld *b, int64_t id)
{
	long k = find_id(b->ix, b->ns, id);

	if (k >= 0)
		return k;
	k = b->pp ? find_dev(b->pp, id) : -1;
	return k >= 0 ? (long)b->ns + k : -1;
}

/* The deadline phase of a due day: out by the year before the due day's (docs/plan.md). */
static int deadline_of(const struct plan_items_opt *o, int64_t due, int *overdue)
{
	*overdue = due <= o->day;
	if (*overdue)
		return 1;
	long ph = (long)year_of(due) - o->start_year;
	return ph < 1 ? 1 : ph > o->years ? 0 : (int)ph;
}

/*
 * Packages first: each PS_REPLACE site of pp, by site id, takes the devices
 * of its path that no earlier package took.  Then every planner site and
 * each device's cost with its share of its site's overhead (equal shares,
 * the remainder on the site's first device: scenario assets in scenario
 * order, then the others by id).
 */
static int take_devices(struct bld *b, char *eb, size_t el)
{
	struct plan_items *pi = b->pi;
	const struct plan_paths *pp = b->pp;
	size_t nrep = 0;

	for (size_t i = 0; pp && i < pp->r.n; i++)
		nrep += pp->r.s[i].status == PS_REPLACE;
	if (nrep && !(pi->pkg = mem_calloc(nrep + 1, sizeof(*pi->pkg))))
		return TM_ENOMEM;
	for (size_t i = 0; pp && i < pp->r.n; i++) {
		const struct paths_site *ps = &pp->r.s[i];
		if (ps->status != PS_REPLACE)
			continue;
		struct plan_pkg *k = &pi->pkg[pi->npkg]; /* pkg has a slot for each PS_REPLACE site */
		memset(k, 0, sizeof(*k));
		k->site = ps->site;
		if (ps->nreplace && (!(k->dev = mem_alloc(ps->nreplace * sizeof(*k->dev))) ||
				     !(k->ref = mem_alloc(ps->nreplace * sizeof(*k->ref)))))
			return TM_ENOMEM;
		for (size_t j = 0; j < ps->nreplace; j++) {
			long d = dev_of(b, ps->replace[j]);
			if (d < 0)
				return err_set(eb, el, TM_EINVAL,
					       "plan: device %lld of site %s's clean path is neither a finding nor read",
					       (long long)ps->replace[j], ps->site);
			if (b->owner[d] == (int32_t)pi->npkg)
				continue; /* listed twice (paths_run lists each device once) */
			if (b->owner[d] >= 0) {
				k->shared++;
				if (!k->shared_with)
					k->shared_with = pi->pkg[b->owner[d]].site;
				continue;
			}
			b->owner[d] = (int32_t)pi->npkg;
			k->ref[k->ndev] = (size_t)d < b->ns ? b->s->a[d].ref : pp->dev[d - b->ns].ref;
			k->dev[k->ndev++] = ps->replace[j];
			if ((size_t)d < b->ns) {
				if (!k->findings++ || b->s->a[d].due < k->due)
					k->due = b->s->a[d].due;
			} else
				k->extra++, pi->extra_devs++;
		}
		if (k->ndev)
			pi->npkg++;
		else {
			mem_free(k->dev);
			mem_free(k->ref);
			k->dev = NULL, k->ref = NULL;
			pi->pkg_covered++;
		}
	}
	return 0;
}

static int price_devices(struct bld *b)
{
	const struct scen *s = b->s;
	size_t nall = b->ns + b->nd;
	long *cnt = NULL;
	int64_t *left = NULL;
	int rc = TM_ENOMEM;

	for (size_t k = 0; k < s->nsites; k++) {
		uint32_t x;
		if ((rc = add_site(b, s->sites[k].id, cents(s->sites[k].visit), cents(s->sites[k].overhead), &x)))
			return rc;
	}
	for (size_t i = 0; i < b->ns; i++)
		b->dsite[i] = s->a[i].site;
	for (size_t j = 0; j < b->nd; j++) {
		const struct plan_dev *d = &b->pp->dev[j];
		char id[160];
		if (b->owner[b->ns + j] < 0)
			continue; /* on no package's path (cannot happen: read_devs reads only those) */
		snprintf(id, sizeof(id), "%s%s", d->site[0] ? "" : "asset:", d->site[0] ? d->site : d->key);
		if ((rc = add_site(b, id, cents(d->visit), cents(d->overhead), &b->dsite[b->ns + j])))
			return rc;
	}
	rc = TM_ENOMEM;
	if (!(cnt = mem_calloc(b->pi->nsites + 1, sizeof(*cnt))) || !(left = mem_calloc(b->pi->nsites + 1, sizeof(*left))))
		goto out;
	for (size_t d = 0; d < nall; d++)
		if (d < b->ns || b->owner[d] >= 0)
			cnt[b->dsite[d]]++;
	for (size_t k = 0; k < b->pi->nsites; k++)
		left[k] = b->overhead[k];
	for (size_t d = 0; d < nall; d++) {
		if (d >= b->ns && b->owner[d] < 0)
			continue;
		uint32_t k = b->dsite[d];
		int64_t share = b->overhead[k] / cnt[k];
		int64_t o = left[k] == b->overhead[k] ? b->overhead[k] - share * (cnt[k] - 1) : share;
		left[k] -= o;
		b->dcost[d] = (d < b->ns ? cents(s->a[d].cost) : cents(b->pp->dev[d - b->ns].cost)) + o;
	}
	rc = 0;
out:
	mem_free(cnt);
	mem_free(left);
	return rc;
}

/* A package's item: its devices' sums; its site the one they share, else "pkg:<site>" visiting each. */
static int package_item(struct bld *b, size_t k, struct plan_item *it, uint32_t *cov, size_t *ncov)
{
	struct plan_items *pi = b->pi;
	struct plan_pkg *g = &pi->pkg[k];
	uint32_t first = UINT32_MAX;
	int64_t visits = 0;
	int overdue = 0, rc;

	memset(it, 0, sizeof(*it));
	it->cls = CC_ACCESS;
	for (size_t j = 0; j < g->ndev; j++) {
		long d = dev_of(b, g->dev[j]);
		uint32_t site = b->dsite[d];
		int seen = 0;
		for (size_t q = 0; q < j && !seen; q++)
			seen = b->dsite[dev_of(b, g->dev[q])] == site;
		if (!seen)
			g->sites++, visits += pi->visit[site];
		if (first == UINT32_MAX)
			first = site;
		it->cost += b->dcost[d];
		int role;
		if ((size_t)d < b->ns) {
			const struct scen_asset *a = &b->s->a[d];
			int od, dl = deadline_of(b->o, a->due, &od);
			overdue |= od;
			if (dl && (!it->deadline || dl < it->deadline))
				it->deadline = dl;
			it->weight += a->weight;
			role = a->role;
			cov[(*ncov)++] = (uint32_t)d;
		} else {
			it->weight += b->pp->dev[d - b->ns].weight;
			role = b->pp->dev[d - b->ns].role;
		}
		if (cost_role_class(role) < it->cls)
			it->cls = cost_role_class(role);
	}
	pi->overdue += overdue;
	if (g->sites == 1) {
		it->site = first;
		return 0;
	}
	char id[96];
	snprintf(id, sizeof(id), "pkg:%s", g->site);
	if ((rc = add_site(b, id, visits, 0, &it->site)))
		return rc;
	/* add_site returns the existing site for a repeated id: package sites are unique by their sensitive site */
	return 0;
}

static int build_items(struct bld *b)
{
	const struct scen *s = b->s;
	struct plan_items *pi = b->pi;
	size_t nsingle = 0, ncov = 0;
	int rc;

	for (size_t i = 0; i < b->ns; i++)
		nsingle += b->owner[i] < 0;
	pi->n = nsingle + pi->npkg;
	if (!(pi->it = mem_calloc(pi->n + 1, sizeof(*pi->it))) ||
	    !(pi->cover_off = mem_calloc(pi->n + 2, sizeof(*pi->cover_off))) ||
	    !(pi->cover = mem_calloc(b->ns + 1, sizeof(*pi->cover))) ||
	    !(pi->pkg_of = mem_calloc(pi->n + 1, sizeof(*pi->pkg_of))) ||
	    !(pi->item_of = mem_calloc(b->ns + 1, sizeof(*pi->item_of))))
		return TM_ENOMEM;
	size_t w = 0;
	for (size_t i = 0; i < b->ns; i++) {
		if (b->owner[i] >= 0)
			continue;
		const struct scen_asset *a = &s->a[i];
		struct plan_item *it = &pi->it[w];
		int od;
		it->cost = b->dcost[i];
		it->weight = a->weight;
		it->site = b->dsite[i];
		it->cls = cost_role_class(a->role);
		it->deadline = deadline_of(b->o, a->due, &od);
		pi->overdue += od;
		pi->pkg_of[w] = -1;
		pi->item_of[i] = (int32_t)w;
		pi->cover_off[w] = (uint32_t)ncov;
		pi->cover[ncov++] = (uint32_t)i;
		w++;
	}
	for (size_t k = 0; k < pi->npkg; k++, w++) {
		pi->cover_off[w] = (uint32_t)ncov;
		pi->pkg[k].item = (uint32_t)w;
		pi->pkg_of[w] = (int32_t)k;
		size_t c0 = ncov;
		if ((rc = package_item(b, k, &pi->it[w], pi->cover, &ncov)))
			return rc;
		for (size_t c = c0; c < ncov; c++)
			pi->item_of[pi->cover[c]] = (int32_t)w;
	}
	pi->cover_off[w] = (uint32_t)ncov;
	return 0;
}

int plan_items_build(const struct scen *s, const struct plan_items_opt *o, const struct plan_paths *pp,
		     struct plan_items *pi, char *eb, size_t el)
{
	struct bld b = {.s = s, .o = o, .pp = pp, .pi = pi, .ns = s->n, .nd = pp ? pp->ndev : 0};
	size_t nall = b.ns + b.nd;
	int rc = TM_ENOMEM;

	memset(pi, 0, sizeof(*pi));
	if (eb && el)
		eb[0] = 0;
	if (o->years < 1 || o->years > PLAN_MAX_PHASES)
		return err_set(eb, el, TM_EINVAL, "plan: %d phases: 1 to %d", o->years, PLAN_MAX_PHASES);
	if (!(pi->priv = mem_calloc(1, sizeof(*pi->priv))) || !(pi->priv->ar = arena_new(0)) ||
	    index_scen(s, &b.ix) || !(b.owner = mem_alloc((nall + 1) * sizeof(*b.owner))) ||
	    !(b.dcost = mem_calloc(nall + 1, sizeof(*b.dcost))) || !(b.dsite = mem_calloc(nall + 1, sizeof(*b.dsite))))
		goto out;
	for (size_t d = 0; d < nall; d++)
		b.owner[d] = -1;
	if ((rc = take_devices(&b, eb, el)) || (rc = price_devices(&b)) || (rc = build_items(&b)))
		goto out;
	pi->start_year = o->start_year;
	pi->share = o->share;
	for (int k = 0; k < o->years; k++) {
		pi->budget[k] = cents(o->budget * o->share);
		pi->budget_full[k] = cents(o->budget);
	}
	pi->pb = (struct plan_problem){pi->it, pi->n, pi->visit, pi->nsites, pi->budget, o->years, o->core_first};
	pi->pb_full = pi->pb;
	pi->pb_full.budget = pi->budget_full;
	rc = 0;
out:
	if (rc == TM_ENOMEM)
		err_set(eb, el, rc, "plan: out of memory");
	mem_free(b.ix);
	mem_free(b.owner);
	mem_free(b.dcost);
	mem_free(b.dsite);
	mem_free(b.overhead);
	smap_free(&b.site_ix);
	return rc;
}

void plan_items_free(struct plan_items *pi)
{
	if (!pi)
		return;
	for (size_t k = 0; pi->pkg && k <= pi->npkg; k++) { /* [npkg] may hold a package being built */
		mem_free(pi->pkg[k].dev);
		mem_free(pi->pkg[k].ref);
	}
	mem_free(pi->pkg);
	mem_free(pi->it);
	mem_free(pi->site_id);
	mem_free(pi->visit);
	mem_free(pi->item_of);
	mem_free(pi->cover_off);
	mem_free(pi->cover);
	mem_free(pi->pkg_of);
	if (pi->priv) {
		arena_free(pi->priv->ar);
		mem_free(pi->priv);
	}
	memset(pi, 0, sizeof(*pi));
}

/* ---- solving and the sums ---- */

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int sums(const struct plan_items *pi, struct plan_outcome *o)
{
	const struct plan_result *r = &o->r;
	int H = pi->pb.H;
	uint8_t *seen = mem_calloc(pi->nsites * (size_t)H + 1, 1);

	if (!seen)
		return TM_ENOMEM;
	for (size_t i = 0; i < pi->n; i++) {
		int ph = r->phase[i];
		const struct plan_item *it = &pi->it[i];
		struct plan_phase_sum *x = &o->ph[ph];
		x->items++;
		x->packages += pi->pkg_of[i] >= 0;
		x->risk += it->weight;
		x->due += it->deadline != 0;
		if (ph) {
			x->value += it->weight * (H - ph + 1);
			if (!seen[(size_t)it->site * (size_t)H + (size_t)ph - 1]++)
				x->sites++;
		} else
			x->spend += it->cost;
		if (o->has_full && o->full.phase[i] && !ph) {
			o->blocked++, o->blocked_cost += it->cost, o->blocked_risk += it->weight;
			o->blocked_due += it->deadline != 0;
		}
	}
	mem_free(seen);
	for (int ph = 1; ph <= H; ph++) {
		struct plan_phase_sum *x = &o->ph[ph], *t = &o->total;
		x->spend = r->spend[ph - 1];
		x->budget = pi->budget[ph - 1];
		t->items += x->items, t->packages += x->packages, t->sites += x->sites;
		t->spend += x->spend, t->budget += x->budget;
		t->risk += x->risk, t->due += x->due;
	}
	o->total.value = r->value;
	return 0;
}

int plan_items_solve(const struct plan_items *pi, enum plan_mode mode, struct plan_outcome *o, char *eb,
		     size_t el)
{
	double t0 = now_ms();
	int rc;

	memset(o, 0, sizeof(*o));
	o->mode = mode;
	if ((rc = plan_solve(&pi->pb, mode, &o->r, eb, el)))
		return rc;
	if (pi->share < 1) {
		o->has_full = 1;
		if ((rc = plan_solve(&pi->pb_full, mode, &o->full, eb, el)))
			return rc;
	}
	o->ms = now_ms() - t0;
	if ((rc = sums(pi, o)))
		err_set(eb, el, rc, "plan: out of memory");
	return rc;
}

void plan_outcome_free(struct plan_outcome *o)
{
	if (!o)
		return;
	plan_result_free(&o->r);
	plan_result_free(&o->full);
	memset(o, 0, sizeof(*o));
}

void plan_outcome_note(const struct plan_items *pi, const struct plan_outcome *o, const char *cur, char *out,
		       size_t len)
{
	const struct plan_result *r = &o->r;
	char a[32], b[32];
	size_t n;

	if (!len)
		return;
	n = (size_t)snprintf(out, len, "%s",
			     r->exact ? "exact optimum"
			     : !r->feasible && plan_exact_ok(&pi->pb) && o->mode != PLAN_HEURISTIC
				 ? "best effort (the exact search found no plan meeting every deadline)"
				 : "heuristic");
#define MORE(...)                                                          \
	do {                                                               \
		if (n < len)                                               \
			n += (size_t)snprintf(out + n, len - n, __VA_ARGS__); \
	} while (0)
	if (r->feasible)
		MORE("; every deadline met");
	else if (r->short_hi == 0)
		MORE("; %ld due items miss their deadline, though the due items alone fit the budgets: "
		     "the heuristic failed here (report it)",
		     r->missed);
	else if (r->short_exact)
		MORE("; %ld due items miss their deadline (late or left out): no plan can meet the deadlines: "
		     "short by %s %s",
		     r->missed, plan_money(r->short_lo, a, sizeof(a)), cur);
	else
		MORE("; %ld due items miss their deadline (late or left out): no plan can meet the deadlines: "
		     "short by at most %s %s (at least %s)",
		     r->missed, plan_money(r->short_hi, a, sizeof(a)), cur, plan_money(r->short_lo, b, sizeof(b)));
	if (pi->overdue)
		MORE("; %ld items already due, in phase 1", pi->overdue);
	if (o->has_full)
		MORE("; funded at %.0f%%: %ld items (%s %s, risk %.2f, %ld of them due) blocked by funding",
		     pi->share * 100, o->blocked, plan_money(o->blocked_cost, a, sizeof(a)), cur, o->blocked_risk,
		     o->blocked_due);
#undef MORE
}
