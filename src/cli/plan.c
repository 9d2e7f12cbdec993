/*
 * plan.c - `trustmap plan`: each --policy is a scenario (src/plan/scen.c:
 * the assets its deny rules catch now and at each later date, priced by
 * the cost model), printed side by side: assets and sites to change, cost
 * in total and by operator, region and role, the share of each operator's
 * network, and the confidence spread.  With --budget-per-year, each
 * scenario's assets become plan items (src/plan/planner.c) placed in
 * yearly phases; --funded-share replans with part of the money and says
 * what funding blocks; --core-first puts core before access.  Exit status
 * 0, 1 when a scenario's deadlines cannot be met, 2 on error.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../kb/kb.h"
#include "../kb/vendor.h"
#include "../plan/cost.h"
#include "../plan/plan.h"
#include "../plan/scen.h"
#include "../policy/policy.h"
#include "../report/table.h"
#include "../store/store.h"

#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SCEN 16

struct cfg {
	struct common c;
	const char *pol[MAX_SCEN];
	int npol;
	const char *cost, *date, *mode;
	double budget, funded, min_conf;
	int budget_set;
	long start_year, years;
	int core_first, items, stats;
};

static int set_policy(void *vc, const char *v, int tag)
{
	struct cfg *c = vc;

	(void)tag;
	if (c->npol == MAX_SCEN) {
		fprintf(stderr, "trustmap plan: at most %d policies\n", MAX_SCEN);
		return -1;
	}
	c->pol[c->npol++] = v;
	return 0;
}

static int set_num(void *vc, const char *v, int tag)
{
	struct cfg *c = vc;
	char *end;
	double d = strtod(v, &end);

	if (*end || end == v || !isfinite(d) || d < 0 || d > 1e15 || (tag == 1 && d > 1)) {
		fprintf(stderr, "trustmap plan: --%s takes a number %s, not '%s'\n",
			tag == 0 ? "budget-per-year" : tag == 1 ? "funded-share" : "min-confidence",
			tag == 0 ? "of 0 or more" : "from 0 to 1", v);
		return -1;
	}
	if (tag == 0)
		c->budget = d, c->budget_set = 1;
	else if (tag == 1)
		c->funded = d;
	else
		c->min_conf = d;
	return 0;
}

static const struct opt plan_opts[] = {
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"policy", 'p', "FILE", "a policy (YAML, docs/policy.md): one scenario; repeat to compare", OPT_FN, 0,
	 set_policy, 0},
	{"cost", 0, "FILE", "cost model (YAML, docs/cost.md; default rules/cost-default.yaml)", OPT_STR,
	 offsetof(struct cfg, cost)},
	{"date", 0, "YYYY-MM-DD", "the plan's day (default today): what is a finding now", OPT_STR,
	 offsetof(struct cfg, date)},
	{"budget-per-year", 0, "N", "plan yearly phases with this budget each (model currency)", OPT_FN, 0, set_num, 0},
	{"start-year", 0, "Y", "the first phase's year (default the year of --date)", OPT_INT,
	 offsetof(struct cfg, start_year)},
	{"years", 0, "H", "number of yearly phases (default 10, at most 64)", OPT_INT, offsetof(struct cfg, years)},
	{"funded-share", 0, "F", "budgets times F (0..1); say what funding then blocks", OPT_FN, 0, set_num, 1},
	{"core-first", 0, NULL, "every core item no later than any access item (docs/plan.md)", OPT_FLAG,
	 offsetof(struct cfg, core_first)},
	{"items", 0, NULL, "also list every item with its phase (or unplaced)", OPT_FLAG, offsetof(struct cfg, items)},
	{"solver", 0, "MODE", "auto (default), exact or heuristic", OPT_STR, offsetof(struct cfg, mode)},
	{"min-confidence", 0, "X", "attributions below X are suspects, not findings (default 0.5)", OPT_FN, 0,
	 set_num, 2},
	{"stats", 0, NULL, "timings on standard error", OPT_FLAG, offsetof(struct cfg, stats)},
	{"format", 'f', "FMT", "table, jsonl or csv", OPT_STR, offsetof(struct cfg, c.format)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"lists", 0, "FILE", "your own vendor lists (lists.tm format)", OPT_STR, offsetof(struct cfg, c.lists)},
	{NULL},
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int year_of(int64_t day)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

static void day_text(int64_t day, char out[11])
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Money in minor units as text with two decimals. */
static const char *money(int64_t c, char *out, size_t len)
{
	snprintf(out, len, "%s%lld.%02lld", c < 0 ? "-" : "", (long long)(llabs(c) / 100), (long long)(llabs(c) % 100));
	return out;
}

static int64_t cents(double x)
{
	return (int64_t)llround(x * 100);
}

/* ---- the scenario table: one row per (section, key, measure), one column per scenario ---- */

struct row {
	char sec[16], key[96], measure[16];
	int is_money;		 /* values in minor units */
	int is_share;		 /* values as fractions */
	double v[MAX_SCEN];
};

struct rows {
	struct row *r;
	size_t n, cap;
};

static struct row *row_get(struct rows *t, const char *sec, const char *key, const char *measure, int kind)
{
	for (size_t i = t->n; i-- > 0;) /* recent rows first: sections are filled together */
		if (!strcmp(t->r[i].key, key) && !strcmp(t->r[i].sec, sec) && !strcmp(t->r[i].measure, measure))
			return &t->r[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct row *x = mem_realloc(t->r, cap * sizeof(*x));
		if (!x)
			return NULL;
		t->r = x, t->cap = cap;
	}
	struct row *r = &t->r[t->n++];
	memset(r, 0, sizeof(*r));
	str_set(r->sec, sizeof(r->sec), sec);
	str_set(r->key, sizeof(r->key), key);
	str_set(r->measure, sizeof(r->measure), measure);
	r->is_money = kind == 1, r->is_share = kind == 2;
	return r;
}

#define ADD(t, sec, key, measure, kind, j, val)                                  \
	do {                                                                     \
		struct row *r_ = row_get((t), (sec), (key), (measure), (kind)); \
		if (!r_)                                                         \
			return TM_ENOMEM;                                        \
		r_->v[(j)] += (val);                                             \
	} while (0)

static int scen_rows(struct rows *t, const struct scen *s, int j, int64_t day)
{
	int64_t eq = 0, site = 0, total;
	long due_now = 0, guessed = 0;
	double *op_cost = mem_calloc(s->nstrs + 1, sizeof(double));
	long *op_n = mem_calloc(s->nstrs + 1, sizeof(long));
	int rc = 0;

	if (!op_cost || !op_n) {
		rc = TM_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < s->n; i++)
		eq += cents(s->a[i].cost), due_now += s->a[i].due <= day, guessed += s->a[i].guessed;
	for (size_t k = 0; k < s->nsites; k++)
		site += cents(s->sites[k].visit) + cents(s->sites[k].overhead);
	total = eq + site;
	struct row *r;
#define PUT(sec, key, measure, kind, val)                                  \
	do {                                                               \
		if (!(r = row_get(t, (sec), (key), (measure), (kind)))) { \
			rc = TM_ENOMEM;                                    \
			goto out;                                          \
		}                                                          \
		r->v[j] += (val);                                          \
	} while (0)
	PUT("total", "", "assets", 0, (double)s->n);
	PUT("total", "", "sites", 0, (double)s->nsites);
	PUT("total", "", "cost", 1, (double)total);
	PUT("total", "equipment+labour", "cost", 1, (double)eq);
	PUT("total", "visits+overhead", "cost", 1, (double)site);
	PUT("total", "due now", "assets", 0, (double)due_now);
	PUT("total", "due later", "assets", 0, (double)(s->n - (size_t)due_now));
	PUT("total", "roles guessed", "assets", 0, (double)guessed);
	PUT("total", "share caps broken", "findings", 0, (double)s->share_findings);
	/* by operator and region: assets and their sites */
	for (size_t i = 0; i < s->n; i++) {
		const struct scen_site *x = &s->sites[s->a[i].site];
		op_cost[x->op] += (double)cents(s->a[i].cost);
		op_n[x->op]++;
		PUT("region", s->strs[x->region][0] ? s->strs[x->region] : "-", "cost", 1, (double)cents(s->a[i].cost));
		PUT("region", s->strs[x->region][0] ? s->strs[x->region] : "-", "assets", 0, 1);
	}
	for (size_t k = 0; k < s->nsites; k++) {
		const struct scen_site *x = &s->sites[k];
		double c = (double)(cents(x->visit) + cents(x->overhead));
		op_cost[x->op] += c;
		PUT("region", s->strs[x->region][0] ? s->strs[x->region] : "-", "cost", 1, c);
	}
	for (size_t o = 0; o < s->nstrs; o++) {
		if (!op_n[o] && !s->op_assets[o])
			continue;
		const char *name = s->strs[o][0] ? s->strs[o] : "-";
		PUT("operator", name, "cost", 1, op_cost[o]);
		PUT("operator", name, "assets", 0, (double)op_n[o]);
		PUT("operator", name, "network", 0, (double)s->op_assets[o]);
		PUT("operator", name, "share", 2, s->op_assets[o] ? (double)op_n[o] / (double)s->op_assets[o] : 0);
	}
	for (size_t i = 0; i < s->n; i++) {
		PUT("role", cost_role_name(s->a[i].role), "cost", 1, (double)cents(s->a[i].cost));
		PUT("role", cost_role_name(s->a[i].role), "assets", 0, 1);
	}
	for (size_t i = 0; i < s->n; i++) {
		PUT("confidence", scen_band_name(s->a[i].band), "cost", 1, (double)cents(s->a[i].cost));
		PUT("confidence", scen_band_name(s->a[i].band), "assets", 0, 1);
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
	const struct row *a = x, *b = y;
	int c = sec_rank(a->sec) - sec_rank(b->sec);

	if (c)
		return c;
	if (!strcmp(a->sec, "total"))
		return 0; /* qsort is not stable, so totals keep their order via the key below */
	if ((c = strcmp(a->key, b->key)))
		return c;
	return strcmp(a->measure, b->measure);
}

static int print_scenarios(enum rep_format fmt, struct rows *t, struct scen *s, int ns)
{
	struct rep_col cols[3 + MAX_SCEN];
	const char *cells[3 + MAX_SCEN];
	char val[MAX_SCEN][48];
	struct rep_table *tb;
	int rc = 0;

	cols[0] = (struct rep_col){"section", REP_STR, 10};
	cols[1] = (struct rep_col){"key", REP_STR, 24};
	cols[2] = (struct rep_col){"measure", REP_STR, 9};
	for (int j = 0; j < ns; j++)
		cols[3 + j] = (struct rep_col){s[j].p->name, REP_NUM, 20};
	/* totals first in the order written, then the other sections sorted */
	size_t nt = 0;
	while (nt < t->n && !strcmp(t->r[nt].sec, "total"))
		nt++;
	qsort(t->r + nt, t->n - nt, sizeof(*t->r), row_cmp);
	if (!(tb = rep_table_new(fmt, stdout, cols, 3 + ns)))
		return TM_ENOMEM;
	for (size_t i = 0; i < t->n && !rc; i++) {
		const struct row *r = &t->r[i];
		cells[0] = r->sec, cells[1] = r->key, cells[2] = r->measure;
		for (int j = 0; j < ns; j++) {
			if (r->is_money)
				money((int64_t)llround(r->v[j]), val[j], sizeof(val[j]));
			else if (r->is_share)
				snprintf(val[j], sizeof(val[j]), "%.4f", r->v[j]);
			else
				snprintf(val[j], sizeof(val[j]), "%.0f", r->v[j]);
			cells[3 + j] = val[j];
		}
		rc = rep_row(tb, cells);
	}
	rep_table_end(tb);
	return rc;
}

/* ---- the plan ---- */

struct prob {
	struct plan_item *it;
	int64_t *visit;
	int64_t budget[PLAN_MAX_PHASES];
	struct plan_problem pb;
	long overdue; /* items already due on the plan's day */
};

static int build_problem(const struct scen *s, const struct cfg *c, int64_t day, double share, struct prob *p)
{
	memset(p, 0, sizeof(*p));
	p->it = mem_calloc(s->n + 1, sizeof(*p->it));
	p->visit = mem_calloc(s->nsites + 1, sizeof(*p->visit));
	int64_t *left = mem_calloc(s->nsites + 1, sizeof(*left)); /* overhead not yet shared out */
	if (!p->it || !p->visit || !left) {
		mem_free(left);
		return TM_ENOMEM;
	}
	for (size_t k = 0; k < s->nsites; k++) {
		p->visit[k] = cents(s->sites[k].visit);
		left[k] = cents(s->sites[k].overhead);
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct scen_asset *a = &s->a[i];
		const struct scen_site *x = &s->sites[a->site];
		struct plan_item *it = &p->it[i];
		/* the site's overhead shared equally by its items, the remainder on the first */
		int64_t share_o = cents(x->overhead) / x->n;
		int64_t o = left[a->site] == cents(x->overhead) ? cents(x->overhead) - share_o * (x->n - 1) : share_o;
		left[a->site] -= o;
		it->cost = cents(a->cost) + o;
		it->weight = a->weight;
		it->site = a->site;
		it->cls = cost_role_class(a->role);
		if (a->due <= day) {
			it->deadline = 1;
			p->overdue++;
		} else {
			long ph = (long)year_of(a->due) - c->start_year; /* out by the year before the due day's */
			it->deadline = ph < 1 ? 1 : ph > c->years ? 0 : (int)ph;
		}
	}
	mem_free(left);
	for (int k = 0; k < c->years; k++)
		p->budget[k] = cents(c->budget * share);
	p->pb = (struct plan_problem){p->it, s->n, p->visit, s->nsites, p->budget, (int)c->years, c->core_first};
	return 0;
}

static void free_problem(struct prob *p)
{
	mem_free(p->it);
	mem_free(p->visit);
}

static const struct rep_col plan_cols[] = {
	{"scenario", REP_STR, 20}, {"phase", REP_STR, 8},   {"year", REP_NUM, 4},	{"items", REP_NUM, 8},
	{"sites", REP_NUM, 7},	    {"spend", REP_NUM, 16}, {"budget", REP_NUM, 16},	{"risk_removed", REP_NUM, 10},
	{"value", REP_NUM, 12},    {"due_items", REP_NUM, 8}, {"note", REP_STR, 100},
};

static int print_plan(struct rep_table *tb, const struct scen *s, const struct cfg *c, const struct prob *p,
		      const struct plan_result *r, const struct plan_result *full, const char *cur)
{
	long items[PLAN_MAX_PHASES + 1] = {0}, due[PLAN_MAX_PHASES + 1] = {0}, visits[PLAN_MAX_PHASES + 1] = {0};
	double risk[PLAN_MAX_PHASES + 1] = {0}, value[PLAN_MAX_PHASES + 1] = {0};
	int64_t cost_out = 0, tot_spend = 0, tot_budget = 0;
	char y[24], ni[24], nv[24], sp[32], bu[32], rk[32], vl[32], du[24], note[512];
	int H = p->pb.H, rc = 0;
	uint8_t *seen = mem_calloc(s->nsites * (size_t)H + 1, 1);

	if (!seen)
		return TM_ENOMEM;
	for (size_t i = 0; i < p->pb.n; i++) {
		int ph = r->phase[i];
		const struct plan_item *it = &p->it[i];
		items[ph]++;
		risk[ph] += it->weight;
		due[ph] += it->deadline != 0;
		if (ph) {
			value[ph] += it->weight * (H - ph + 1);
			if (!seen[(size_t)it->site * (size_t)H + (size_t)ph - 1]++)
				visits[ph]++;
		} else
			cost_out += it->cost;
	}
	mem_free(seen);
	for (int ph = 1; ph <= H && !rc; ph++) {
		snprintf(y, sizeof(y), "%ld", c->start_year + ph - 1);
		snprintf(ni, sizeof(ni), "%ld", items[ph]);
		snprintf(nv, sizeof(nv), "%ld", visits[ph]);
		snprintf(rk, sizeof(rk), "%.2f", risk[ph]);
		snprintf(vl, sizeof(vl), "%.2f", value[ph]);
		snprintf(du, sizeof(du), "%ld", due[ph]);
		char phs[8];
		snprintf(phs, sizeof(phs), "%d", ph);
		tot_spend += r->spend[ph - 1], tot_budget += p->budget[ph - 1];
		const char *cells[] = {s->p->name, phs, y, ni, nv, money(r->spend[ph - 1], sp, sizeof(sp)),
				       money(p->budget[ph - 1], bu, sizeof(bu)), rk, vl, du, ""};
		rc = rep_row(tb, cells);
	}
	if (rc)
		return rc;
	/* totals, with the solver and what the deadlines need */
	long placed = (long)p->pb.n - items[0];
	double rt = 0;
	for (int ph = 1; ph <= H; ph++)
		rt += risk[ph];
	size_t n = (size_t)snprintf(note, sizeof(note), "%s",
				    r->exact ? "exact optimum"
				    : !r->feasible && plan_exact_ok(&p->pb) && (!c->mode || strcmp(c->mode, "heuristic"))
					? "best effort (the exact search found no plan meeting every deadline)"
					: "heuristic");
	if (r->feasible)
		n += (size_t)snprintf(note + n, sizeof(note) - n, "; every deadline met");
	else if (r->short_hi == 0)
		n += (size_t)snprintf(note + n, sizeof(note) - n,
				      "; %ld due items miss their deadline, though the due items alone fit the budgets: "
				      "the heuristic failed here (report it)", r->missed);
	else if (r->short_exact)
		n += (size_t)snprintf(note + n, sizeof(note) - n, "; %ld due items miss their deadline (late or left out): no plan can meet the deadlines: short by %s %s",
				      r->missed, money(r->short_lo, sp, sizeof(sp)), cur);
	else
		n += (size_t)snprintf(note + n, sizeof(note) - n,
				      "; %ld due items miss their deadline (late or left out): no plan can meet the deadlines: "
				      "short by at most %s %s (at least %s)", r->missed,
				      money(r->short_hi, sp, sizeof(sp)), cur, money(r->short_lo, bu, sizeof(bu)));
	if (p->overdue && n < sizeof(note))
		n += (size_t)snprintf(note + n, sizeof(note) - n, "; %ld items already due, in phase 1", p->overdue);
	if (full && n < sizeof(note)) {
		long blocked = 0, bmiss = 0;
		int64_t bcost = 0;
		double brisk = 0;
		for (size_t i = 0; i < p->pb.n; i++)
			if (full->phase[i] && !r->phase[i]) {
				blocked++, bcost += p->it[i].cost, brisk += p->it[i].weight;
				bmiss += p->it[i].deadline != 0;
			}
		snprintf(note + n, sizeof(note) - n,
			 "; funded at %.0f%%: %ld items (%s %s, risk %.2f, %ld of them due) blocked by funding", c->funded * 100,
			 blocked, money(bcost, sp, sizeof(sp)), cur, brisk, bmiss);
	}
	snprintf(ni, sizeof(ni), "%ld", placed);
	snprintf(rk, sizeof(rk), "%.2f", rt);
	snprintf(vl, sizeof(vl), "%.2f", r->value);
	long nvis = 0, ndue = 0;
	for (int ph = 1; ph <= H; ph++)
		nvis += visits[ph], ndue += due[ph];
	snprintf(nv, sizeof(nv), "%ld", nvis);
	snprintf(du, sizeof(du), "%ld", ndue);
	{
		char sp2[32], bu2[32];
		const char *cells[] = {s->p->name, "total", "", ni, nv, money(tot_spend, sp2, sizeof(sp2)),
				       money(tot_budget, bu2, sizeof(bu2)), rk, vl, du, note};
		if ((rc = rep_row(tb, cells)))
			return rc;
	}
	snprintf(ni, sizeof(ni), "%ld", items[0]);
	snprintf(rk, sizeof(rk), "%.2f", risk[0]);
	snprintf(du, sizeof(du), "%ld", due[0]);
	const char *cells[] = {s->p->name, "unplaced", "", ni, "", money(cost_out, sp, sizeof(sp)), "", rk, "", du,
			       "items cost without site visits"};
	return rep_row(tb, cells);
}

static const struct rep_col item_cols[] = {
	{"scenario", REP_STR, 20}, {"asset", REP_STR, 26}, {"site", REP_STR, 14}, {"role", REP_STR, 18},
	{"guessed", REP_NUM, 1},   {"confidence", REP_STR, 13}, {"cost", REP_NUM, 14}, {"weight", REP_NUM, 6},
	{"due", REP_STR, 10},	   {"deadline_year", REP_NUM, 4}, {"phase", REP_NUM, 3}, {"year", REP_NUM, 4},
};

static int print_items(struct rep_table *tb, const struct scen *s, const struct cfg *c, const struct prob *p,
		       const struct plan_result *r)
{
	char g[4], co[32], w[24], d[11], dy[24], ph[8], y[24];
	int rc = 0;

	for (size_t i = 0; i < s->n && !rc; i++) {
		const struct scen_asset *a = &s->a[i];
		snprintf(g, sizeof(g), "%d", a->guessed);
		snprintf(w, sizeof(w), "%g", a->weight);
		day_text(a->due, d);
		if (p->it[i].deadline)
			snprintf(dy, sizeof(dy), "%ld", c->start_year + p->it[i].deadline - 1);
		else
			dy[0] = 0;
		snprintf(ph, sizeof(ph), "%d", r->phase[i]);
		if (r->phase[i])
			snprintf(y, sizeof(y), "%ld", c->start_year + r->phase[i] - 1);
		else
			y[0] = 0;
		const char *cells[] = {s->p->name, a->ref, s->sites[a->site].id, cost_role_name(a->role), g,
				       scen_band_name(a->band), money(p->it[i].cost, co, sizeof(co)), w, d, dy, ph, y};
		rc = rep_row(tb, cells);
	}
	return rc;
}

static int do_plans(enum rep_format fmt, struct scen *s, int ns, const struct cfg *c, int64_t day,
		    const struct cost_model *m, int *infeasible)
{
	enum plan_mode mode = !c->mode || !strcmp(c->mode, "auto") ? PLAN_AUTO
			      : !strcmp(c->mode, "exact")	     ? PLAN_EXACT
								     : PLAN_HEURISTIC;
	struct rep_table *tb = rep_table_new(fmt, stdout, plan_cols, (int)(sizeof(plan_cols) / sizeof(plan_cols[0])));
	struct prob *pr = mem_calloc((size_t)ns, sizeof(*pr));
	struct plan_result *res = mem_calloc((size_t)ns, sizeof(*res));
	char eb[TM_ERRLEN] = "";
	int rc = 0;

	if (!tb || !pr || !res) {
		rc = TM_ENOMEM;
		goto out;
	}
	if (fmt == REP_TABLE)
		printf("\n");
	for (int j = 0; j < ns && !rc; j++) {
		struct plan_result full = {0};
		double t0 = now_ms();
		if ((rc = build_problem(&s[j], c, day, c->funded, &pr[j])))
			break;
		if ((rc = plan_solve(&pr[j].pb, mode, &res[j], eb, sizeof(eb)))) {
			fprintf(stderr, "trustmap plan: %s\n", eb);
			break;
		}
		if (c->funded < 1) {
			struct prob pf;
			if ((rc = build_problem(&s[j], c, day, 1, &pf)))
				break;
			rc = plan_solve(&pf.pb, mode, &full, eb, sizeof(eb));
			free_problem(&pf);
			if (rc) {
				fprintf(stderr, "trustmap plan: %s\n", eb);
				plan_result_free(&full);
				break;
			}
		}
		if (c->stats)
			fprintf(stderr, "plan: %s: %zu items, %zu sites, %s, %.0f ms\n", s[j].p->name, s[j].n, s[j].nsites,
				res[j].exact ? "exact" : "heuristic", now_ms() - t0);
		*infeasible |= !res[j].feasible;
		rc = print_plan(tb, &s[j], c, &pr[j], &res[j], c->funded < 1 ? &full : NULL, m->currency);
		plan_result_free(&full);
	}
	rep_table_end(tb);
	tb = NULL;
	if (!rc && c->items) {
		if (fmt == REP_TABLE)
			printf("\n");
		if (!(tb = rep_table_new(fmt, stdout, item_cols, (int)(sizeof(item_cols) / sizeof(item_cols[0])))))
			rc = TM_ENOMEM;
		for (int j = 0; j < ns && !rc; j++)
			rc = print_items(tb, &s[j], c, &pr[j], &res[j]);
	}
out:
	rep_table_end(tb);
	for (int j = 0; pr && res && j < ns; j++) {
		free_problem(&pr[j]);
		plan_result_free(&res[j]);
	}
	mem_free(pr);
	mem_free(res);
	return rc;
}

static int load_cost(const struct cfg *c, struct cost_model **m)
{
	char dir[512], path[640], eb[TM_ERRLEN];

	if (c->cost) {
		if (!cost_load(c->cost, m, eb, sizeof(eb)))
			return 0;
	} else if (kb_find_dir(c->c.kb_dir, dir, sizeof(dir))) {
		snprintf(eb, sizeof(eb), "no rules directory for the default cost model (--cost FILE or --kb-dir DIR)");
	} else {
		snprintf(path, sizeof(path), "%s/cost-default.yaml", dir);
		if (!cost_load(path, m, eb, sizeof(eb)))
			return 0;
	}
	fprintf(stderr, "trustmap plan: %s\n", eb);
	return -1;
}

int cmd_plan(int argc, char **argv)
{
	struct cfg cfg = {.funded = 1, .min_conf = 0.5, .years = 10};
	struct policy *pol[MAX_SCEN] = {0};
	struct scen sc[MAX_SCEN];
	struct cost_model *m = NULL;
	struct store *st = NULL;
	struct vreg *vr = NULL;
	struct rows rows = {0};
	char eb[TM_ERRLEN] = "", dir[1024];
	int npos, fmt, rc, infeasible = 0, nsc = 0;
	int64_t day;

	rc = opt_parse(plan_opts, &cfg, argc, argv, &npos,
		       "--policy A.yaml [--policy B.yaml ...] [--db URL] [--cost FILE] [--date YYYY-MM-DD] "
		       "[--budget-per-year N [--start-year Y] [--years H] [--funded-share F] [--core-first]] "
		       "[--format FMT]");
	if (rc)
		return rc > 0 ? 0 : 2;
	rc = 2;
	if (npos) {
		fprintf(stderr, "trustmap plan: unexpected argument '%s'\n", argv[1]);
		goto out;
	}
	if (!cfg.npol) {
		fprintf(stderr, "trustmap plan: --policy FILE is required (one per scenario)\n");
		goto out;
	}
	day = (int64_t)(time(NULL) / 86400);
	if (cfg.date && !str_to_date(cfg.date, strlen(cfg.date), &day)) {
		fprintf(stderr, "trustmap plan: --date wants YYYY-MM-DD, not '%s'\n", cfg.date);
		goto out;
	}
	if (!cfg.start_year)
		cfg.start_year = year_of(day);
	if (cfg.years < 1 || cfg.years > PLAN_MAX_PHASES) {
		fprintf(stderr, "trustmap plan: --years takes 1 to %d\n", PLAN_MAX_PHASES);
		goto out;
	}
	if (cfg.start_year < 1970 || cfg.start_year > 9999) {
		fprintf(stderr, "trustmap plan: --start-year takes a year from 1970 to 9999\n");
		goto out;
	}
	if (cfg.mode && strcmp(cfg.mode, "auto") && strcmp(cfg.mode, "exact") && strcmp(cfg.mode, "heuristic")) {
		fprintf(stderr, "trustmap plan: --solver is auto, exact or heuristic\n");
		goto out;
	}
	if (!cfg.budget_set && (cfg.funded < 1 || cfg.core_first || cfg.items)) {
		fprintf(stderr, "trustmap plan: --funded-share, --core-first and --items need --budget-per-year\n");
		goto out;
	}
	if ((fmt = cli_format("plan", &cfg.c)) < 0 || load_cost(&cfg, &m))
		goto out;
	if (kb_load_vreg(&vr, cfg.c.kb_dir, cfg.c.lists, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap plan: %s\n", eb);
		goto out;
	}
	for (int i = 0; i < cfg.npol; i++)
		if (policy_load(cfg.pol[i], vr, &pol[i], eb, sizeof(eb))) {
			fprintf(stderr, "trustmap plan: %s\n", eb);
			goto out;
		}
	if (!(st = cli_store("plan", &cfg.c)))
		goto out;
	for (int i = 0; i < cfg.npol; i++, nsc++) {
		struct scen_opt so = {day, cfg.min_conf, NULL};
		double t0 = now_ms();
		str_set(dir, sizeof(dir), cfg.pol[i]);
		so.base_dir = dirname(dir);
		if (scen_eval(st, vr, pol[i], m, &so, &sc[i], eb, sizeof(eb))) {
			fprintf(stderr, "trustmap plan: %s\n", eb);
			nsc++;
			goto out;
		}
		if (cfg.stats)
			fprintf(stderr, "plan: scenario %s: %zu assets at %zu sites, %ld audit days, %.0f ms\n", pol[i]->name,
				sc[i].n, sc[i].nsites, sc[i].n_days, now_ms() - t0);
		if (scen_rows(&rows, &sc[i], i, day)) {
			fprintf(stderr, "trustmap plan: out of memory\n");
			nsc++;
			goto out;
		}
	}
	if (print_scenarios((enum rep_format)fmt, &rows, sc, nsc))
		goto out;
	if (fmt == REP_TABLE) {
		char d[11];
		day_text(day, d);
		printf("\ncosts in %s (model %s); findings of deny rules on %s and at each later effective date\n",
		       m->currency, m->name, d);
	}
	if (cfg.budget_set) {
		if (cfg.budget * cfg.funded == 0)
			fprintf(stderr, "trustmap plan: a budget of zero: nothing can be placed\n");
		if (do_plans((enum rep_format)fmt, sc, nsc, &cfg, day, m, &infeasible)) {
			fprintf(stderr, "trustmap plan: out of memory\n");
			goto out;
		}
	}
	rc = infeasible ? 1 : 0;
out:
	for (int i = 0; i < nsc; i++)
		scen_free(&sc[i]);
	for (int i = 0; i < cfg.npol; i++)
		policy_free(pol[i]);
	mem_free(rows.r);
	store_close(st);
	cost_free(m);
	vreg_free(vr);
	return rc;
}
