/*
 * scentab.c - the scenario comparison (report.h): one column per scenario
 * (a policy evaluated by src/plan/scen.c), one row per (section, key,
 * measure): the totals (assets, sites, cost and its two parts, due now and
 * later, roles guessed, share caps broken), then cost, assets, network and
 * share per operator, cost and assets per region and per role, and the
 * confidence spread.  The same rows `trustmap plan` prints and the HTML
 * report and Markdown summary show, so the three cannot disagree.  Money
 * is summed in minor units (each asset's and each site's cost rounded to
 * cents once), so the totals are exact.
 */
#include "report.h"

#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"
#include "plan/cost.h"
#include "plan/scen.h"
#include "policy/policy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int64_t cents(double x)
{
	return (int64_t)llround(x * 100);
}

const char *rep_money(int64_t c, char *out, size_t len)
{
	snprintf(out, len, "%s%lld.%02lld", c < 0 ? "-" : "", (long long)(llabs(c) / 100),
		 (long long)(llabs(c) % 100));
	return out;
}

/* The row (sec, key, measure), added when new; NULL when out of memory. */
static struct rep_srow *row_get(struct rep_scentab *t, const char *sec, const char *key, const char *measure,
				int kind)
{
	for (size_t i = t->n; i-- > 0;) /* recent rows first: sections are filled together */
		if (!strcmp(t->r[i].key, key) && !strcmp(t->r[i].sec, sec) && !strcmp(t->r[i].measure, measure))
			return &t->r[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct rep_srow *x = mem_realloc(t->r, cap * sizeof(*x));
		if (!x)
			return NULL;
		t->r = x, t->cap = cap;
	}
	struct rep_srow *r = &t->r[t->n++];
	memset(r, 0, sizeof(*r));
	str_set(r->sec, sizeof(r->sec), sec);
	str_set(r->key, sizeof(r->key), key);
	str_set(r->measure, sizeof(r->measure), measure);
	r->kind = kind;
	return r;
}

int rep_scentab_add(struct rep_scentab *t, const struct scen *s, int64_t day)
{
	int64_t eq = 0, site = 0, total;
	long due_now = 0, guessed = 0;
	double *op_cost = NULL;
	long *op_n = NULL;
	int j = t->ns, rc = 0;
	struct rep_srow *r;

	if (j >= REP_MAX_SCEN)
		return TM_ELIMIT;
	op_cost = mem_calloc(s->nstrs + 1, sizeof(double));
	op_n = mem_calloc(s->nstrs + 1, sizeof(long));
	if (!op_cost || !op_n) {
		rc = TM_ENOMEM;
		goto out;
	}
	t->name[j] = s->p && s->p->name ? s->p->name : "?";
	t->ns++;
	for (size_t i = 0; i < s->n; i++)
		eq += cents(s->a[i].cost), due_now += s->a[i].due <= day, guessed += s->a[i].guessed;
	for (size_t k = 0; k < s->nsites; k++)
		site += cents(s->sites[k].visit) + cents(s->sites[k].overhead);
	total = eq + site;
#define PUT(sec, key, measure, kind, val)                                  \
	do {                                                               \
		if (!(r = row_get(t, (sec), (key), (measure), (kind)))) { \
			rc = TM_ENOMEM;                                    \
			goto out;                                          \
		}                                                          \
		r->v[j] += (val);                                          \
	} while (0)
	PUT("total", "", "assets", REP_V_COUNT, (double)s->n);
	PUT("total", "", "sites", REP_V_COUNT, (double)s->nsites);
	PUT("total", "", "cost", REP_V_MONEY, (double)total);
	PUT("total", "equipment+labour", "cost", REP_V_MONEY, (double)eq);
	PUT("total", "visits+overhead", "cost", REP_V_MONEY, (double)site);
	PUT("total", "due now", "assets", REP_V_COUNT, (double)due_now);
	PUT("total", "due later", "assets", REP_V_COUNT, (double)(s->n - (size_t)due_now));
	PUT("total", "roles guessed", "assets", REP_V_COUNT, (double)guessed);
	PUT("total", "share caps broken", "findings", REP_V_COUNT, (double)s->share_findings);
	/* by operator and region: the assets, then their sites' visits and overheads */
	for (size_t i = 0; i < s->n; i++) {
		const struct scen_site *x = &s->sites[s->a[i].site];
		const char *rg = s->strs[x->region][0] ? s->strs[x->region] : "-";
		op_cost[x->op] += (double)cents(s->a[i].cost);
		op_n[x->op]++;
		PUT("region", rg, "cost", REP_V_MONEY, (double)cents(s->a[i].cost));
		PUT("region", rg, "assets", REP_V_COUNT, 1);
	}
	for (size_t k = 0; k < s->nsites; k++) {
		const struct scen_site *x = &s->sites[k];
		double c = (double)(cents(x->visit) + cents(x->overhead));
		op_cost[x->op] += c;
		PUT("region", s->strs[x->region][0] ? s->strs[x->region] : "-", "cost", REP_V_MONEY, c);
	}
	for (size_t o = 0; o < s->nstrs; o++) {
		if (!op_n[o] && !s->op_assets[o])
			continue;
		const char *name = s->strs[o][0] ? s->strs[o] : "-";
		PUT("operator", name, "cost", REP_V_MONEY, op_cost[o]);
		PUT("operator", name, "assets", REP_V_COUNT, (double)op_n[o]);
		PUT("operator", name, "network", REP_V_COUNT, (double)s->op_assets[o]);
		PUT("operator", name, "share", REP_V_SHARE,
		    s->op_assets[o] ? (double)op_n[o] / (double)s->op_assets[o] : 0);
	}
	for (size_t i = 0; i < s->n; i++) {
		PUT("role", cost_role_name(s->a[i].role), "cost", REP_V_MONEY, (double)cents(s->a[i].cost));
		PUT("role", cost_role_name(s->a[i].role), "assets", REP_V_COUNT, 1);
	}
	for (size_t i = 0; i < s->n; i++) {
		PUT("confidence", scen_band_name(s->a[i].band), "cost", REP_V_MONEY, (double)cents(s->a[i].cost));
		PUT("confidence", scen_band_name(s->a[i].band), "assets", REP_V_COUNT, 1);
	}
#undef PUT
out:
	mem_free(op_cost);
	mem_free(op_n);
	return rc;
}

static int sec_rank(const char *s)
{
	static const char *const order[] = {"total", "operator", "region", "role", "confidence"};

	for (int i = 0; i < 5; i++)
		if (!strcmp(s, order[i]))
			return i;
	return 5;
}

static int row_cmp(const void *x, const void *y)
{
	const struct rep_srow *a = x, *b = y;
	int c = sec_rank(a->sec) - sec_rank(b->sec);

	if (c)
		return c;
	if ((c = strcmp(a->key, b->key)))
		return c;
	return strcmp(a->measure, b->measure);
}

void rep_scentab_sort(struct rep_scentab *t)
{
	size_t nt = 0;

	while (nt < t->n && !strcmp(t->r[nt].sec, "total"))
		nt++;
	if (t->n > nt)
		qsort(t->r + nt, t->n - nt, sizeof(*t->r), row_cmp);
}

void rep_scentab_free(struct rep_scentab *t)
{
	if (!t)
		return;
	mem_free(t->r);
	t->r = NULL, t->n = t->cap = 0, t->ns = 0;
}

const char *rep_scentab_cell(const struct rep_srow *r, int j, char *out, size_t len)
{
	if (j < 0 || j >= REP_MAX_SCEN)
		snprintf(out, len, "?");
	else if (r->kind == REP_V_MONEY)
		rep_money((int64_t)llround(r->v[j]), out, len);
	else if (r->kind == REP_V_SHARE)
		snprintf(out, len, "%.4f", r->v[j]);
	else
		snprintf(out, len, "%.0f", r->v[j]);
	return out;
}
