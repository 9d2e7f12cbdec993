/*
 * plan.c - `trustmap plan`: each --policy is a scenario (src/plan/scen.c:
 * the assets its deny rules catch now and at each later date, priced by
 * the cost model), printed side by side: assets and sites to change, cost
 * in total and by operator, region and role, the share of each operator's
 * network, and the confidence spread.  With --budget-per-year, each
 * scenario's assets become plan items (src/plan/planner.c) placed in
 * yearly phases; --funded-share replans with part of the money and says
 * what funding blocks; --core-first puts core before access; --paths-to
 * makes each sensitive site without a clean path to the core one work
 * package (src/plan/items.c builds the items; this file parses and
 * prints).  Exit status 0, 1 when a scenario's deadlines cannot be met, 2
 * on error.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "planargs.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../kb/kb.h"
#include "../kb/vendor.h"
#include "../paths/paths.h"
#include "../plan/cost.h"
#include "../plan/items.h"
#include "../plan/plan.h"
#include "../plan/scen.h"
#include "../policy/policy.h"
#include "../report/report.h"
#include "../report/table.h"
#include "../store/store.h"

#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct cfg {
	struct common c;
	struct plan_args pa;
	const char *date, *mode;
	int items, stats;
};

static const struct opt plan_opts[] = {
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"policy", 'p', "FILE", "a policy (YAML, docs/policy.md): one scenario; repeat to compare", OPT_FN,
	 offsetof(struct cfg, pa), plan_args_policy, 0},
	{"date", 0, "YYYY-MM-DD", "the plan's day (default today): what is a finding now", OPT_STR,
	 offsetof(struct cfg, date)},
	PLAN_ARGS_OPTS(struct cfg, pa),
	{"items", 0, NULL, "also list every item with its phase (or unplaced)", OPT_FLAG, offsetof(struct cfg, items)},
	{"paths-to", 0, "SELECTOR",
	 "each sensitive site without a clean path to this core (as trustmap paths --to) is one work package",
	 OPT_STR, offsetof(struct cfg, pa.paths_to)},
	{"solver", 0, "MODE", "auto (default), exact or heuristic", OPT_STR, offsetof(struct cfg, mode)},
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

static void day_text(int64_t day, char out[11])
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---- the scenario table: src/report/scentab.c, shared with the report ---- */

/* The scenario table; "unit" says what each row's values are (the currency, "share" or "" for counts). */
static int print_scenarios(enum rep_format fmt, struct rep_scentab *t, const char *cur)
{
	struct rep_col cols[4 + REP_MAX_SCEN];
	const char *cells[4 + REP_MAX_SCEN];
	char val[REP_MAX_SCEN][48];
	struct rep_table *tb;
	int rc = 0;

	cols[0] = (struct rep_col){"section", REP_STR, 10};
	cols[1] = (struct rep_col){"key", REP_STR, 24};
	cols[2] = (struct rep_col){"measure", REP_STR, 9};
	for (int j = 0; j < t->ns; j++)
		cols[3 + j] = (struct rep_col){t->name[j], REP_NUM, 20};
	cols[3 + t->ns] = (struct rep_col){"unit", REP_STR, 5};
	rep_scentab_sort(t); /* totals first in the order written, then the other sections sorted */
	if (!(tb = rep_table_new(fmt, stdout, cols, 4 + t->ns)))
		return TM_ENOMEM;
	for (size_t i = 0; i < t->n && !rc; i++) {
		const struct rep_srow *r = &t->r[i];
		cells[0] = r->sec, cells[1] = r->key, cells[2] = r->measure;
		for (int j = 0; j < t->ns; j++)
			cells[3 + j] = rep_scentab_cell(r, j, val[j], sizeof(val[j]));
		cells[3 + t->ns] = r->kind == REP_V_MONEY ? cur : r->kind == REP_V_SHARE ? "share" : "";
		rc = rep_row(tb, cells);
	}
	rep_table_end(tb);
	return rc;
}

/* ---- the plan ---- */

static const struct rep_col plan_cols[] = {
	{"scenario", REP_STR, 20}, {"phase", REP_STR, 8},     {"year", REP_NUM, 4},	    {"items", REP_NUM, 8},
	{"packages", REP_NUM, 8},  {"sites", REP_NUM, 7},     {"spend", REP_NUM, 16},	    {"budget", REP_NUM, 16},
	{"risk_removed", REP_NUM, 10}, {"value", REP_NUM, 12}, {"due_items", REP_NUM, 8}, {"currency", REP_STR, 3},
	{"note", REP_STR, 100},
};

static int phase_row(struct rep_table *tb, const char *scen, const char *phase, const char *year,
		     const struct plan_phase_sum *x, int unplaced, const char *cur, const char *note)
{
	char ni[24], np[24], nv[24], sp[32], bu[32], rk[32], vl[32], du[24];

	snprintf(ni, sizeof(ni), "%ld", x->items);
	snprintf(np, sizeof(np), "%ld", x->packages);
	snprintf(nv, sizeof(nv), "%ld", x->sites);
	snprintf(rk, sizeof(rk), "%.2f", x->risk);
	snprintf(vl, sizeof(vl), "%.2f", x->value);
	snprintf(du, sizeof(du), "%ld", x->due);
	plan_money(x->spend, sp, sizeof(sp));
	plan_money(x->budget, bu, sizeof(bu));
	const char *cells[] = {scen,	  phase, year, ni, np, unplaced ? "" : nv, sp, unplaced ? "" : bu, rk,
			       unplaced ? "" : vl, du, cur, note};
	return rep_row(tb, cells);
}

static int print_plan(struct rep_table *tb, const struct scen *s, const struct plan_items *pi,
		      const struct plan_outcome *o, const struct plan_paths *pp, const char *cur)
{
	char y[24], phs[16], note[1024];
	int rc = 0;

	for (int ph = 1; ph <= pi->pb.H && !rc; ph++) {
		snprintf(y, sizeof(y), "%ld", pi->start_year + ph - 1);
		snprintf(phs, sizeof(phs), "%d", ph);
		rc = phase_row(tb, s->p->name, phs, y, &o->ph[ph], 0, cur, "");
	}
	if (rc)
		return rc;
	plan_outcome_note(pi, o, cur, note, sizeof(note));
	if (pp) {
		size_t n = strlen(note);
		long rep = 0;
		for (size_t i = 0; i < pp->r.n; i++)
			rep += pp->r.s[i].status == PS_REPLACE;
		snprintf(note + n, sizeof(note) - n,
			 "; clean paths: %ld of %ld sensitive sites need replacements: %zu packages (%ld devices not "
			 "findings), %ld inside earlier packages",
			 rep, pp->r.sensitive_sites, pi->npkg, pi->extra_devs, pi->pkg_covered);
	}
	if ((rc = phase_row(tb, s->p->name, "total", "", &o->total, 0, cur, note)))
		return rc;
	return phase_row(tb, s->p->name, "unplaced", "", &o->ph[0], 1, cur, "items cost without site visits");
}

static const struct rep_col item_cols[] = {
	{"scenario", REP_STR, 20},	{"asset", REP_STR, 26},	      {"site", REP_STR, 14},
	{"role", REP_STR, 18},		{"guessed", REP_NUM, 1},      {"confidence", REP_STR, 13},
	{"cost", REP_NUM, 14},		{"weight", REP_NUM, 6},	      {"due", REP_STR, 10},
	{"deadline_year", REP_NUM, 4}, {"phase", REP_NUM, 3},	      {"year", REP_NUM, 4},
	{"package", REP_STR, 10},	{"devices", REP_NUM, 3},      {"not_findings", REP_NUM, 3},
	{"shared", REP_NUM, 3},		{"currency", REP_STR, 3},
};

/* A package's devices as "R1;R2;X" (cut with "..." when long). */
static void dev_list(const struct plan_pkg *k, char *out, size_t len)
{
	size_t w = 0;

	out[0] = 0;
	for (size_t j = 0; j < k->ndev; j++) {
		int n = snprintf(out + w, len - w, "%s%s", j ? ";" : "", k->ref[j]);
		if (n < 0 || (size_t)n >= len - w) {
			snprintf(out + (len > 4 ? len - 4 : 0), 4, "...");
			return;
		}
		w += (size_t)n;
	}
}

static int print_items(struct rep_table *tb, const struct scen *s, const struct plan_items *pi,
		       const struct plan_result *r, const char *cur)
{
	char g[24], co[32], w[24], d[11], dy[24], ph[8], y[24], nd[24], nx[24], sh[24];
	static char devs[8192];
	int rc = 0;

	for (size_t i = 0; i < pi->n && !rc; i++) {
		const struct plan_item *it = &pi->it[i];
		const struct plan_pkg *k = pi->pkg_of[i] >= 0 ? &pi->pkg[pi->pkg_of[i]] : NULL;
		const struct scen_asset *a = k ? NULL : &s->a[pi->cover[pi->cover_off[i]]];
		int guessed = 0, band = -1;
		for (uint32_t c = pi->cover_off[i]; c < pi->cover_off[i + 1]; c++) {
			guessed += s->a[pi->cover[c]].guessed;
			if (s->a[pi->cover[c]].band > band)
				band = s->a[pi->cover[c]].band; /* the weakest band of its findings */
		}
		snprintf(g, sizeof(g), "%d", guessed);
		snprintf(w, sizeof(w), "%g", it->weight);
		d[0] = 0;
		if (a)
			day_text(a->due, d);
		else if (k->findings)
			day_text(k->due, d);
		dy[0] = y[0] = 0;
		if (it->deadline)
			snprintf(dy, sizeof(dy), "%ld", pi->start_year + it->deadline - 1);
		snprintf(ph, sizeof(ph), "%d", r->phase[i]);
		if (r->phase[i])
			snprintf(y, sizeof(y), "%ld", pi->start_year + r->phase[i] - 1);
		snprintf(nd, sizeof(nd), "%zu", k ? k->ndev : (size_t)1);
		snprintf(nx, sizeof(nx), "%ld", k ? k->extra : 0L);
		snprintf(sh, sizeof(sh), "%ld", k ? k->shared : 0L);
		if (k)
			dev_list(k, devs, sizeof(devs));
		const char *cells[] = {s->p->name,
				       a ? a->ref : devs,
				       pi->site_id[it->site],
				       a ? cost_role_name(a->role) : "package",
				       g,
				       band < 0 ? "" : scen_band_name(band),
				       plan_money(it->cost, co, sizeof(co)),
				       w,
				       d,
				       dy,
				       ph,
				       y,
				       k ? k->site : "",
				       nd,
				       nx,
				       sh,
				       cur};
		rc = rep_row(tb, cells);
	}
	return rc;
}

/* The clean paths of scenario j's policy (--paths-to): warnings as `trustmap paths` gives them. */
static int scen_paths(struct store *st, const struct vreg *vr, const struct scen *s, const struct cost_model *m,
		      const struct cfg *c, const char *base_dir, int64_t day, struct plan_paths *pp)
{
	struct paths_opt po = {.day = day, .base_dir = base_dir, .core = c->pa.paths_to};
	char eb[TM_ERRLEN] = "";

	if (plan_paths_run(st, vr, s, m, &po, pp, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap plan: %s: %s\n", s->p->name, eb);
		return -1;
	}
	if (pp->r.unknown_links) {
		fprintf(stderr, "trustmap plan: warning: %ld of %ld links name an asset the store does not have (",
			pp->r.unknown_links, pp->r.links_read);
		for (long i = 0; i < pp->r.unknown_named; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", pp->r.unknown_first[i]);
		fprintf(stderr, "%s); they are left out\n", pp->r.unknown_links > pp->r.unknown_named ? ", ..." : "");
	}
	if (!pp->r.sensitive_sites)
		fprintf(stderr, "trustmap plan: no sensitive sites under policy \"%s\": no clean-path packages\n",
			s->p->name);
	return 0;
}

static int do_plans(enum rep_format fmt, struct scen *s, int ns, struct plan_paths *pp, const struct cfg *c,
		    int64_t day, const struct cost_model *m, int *infeasible)
{
	enum plan_mode mode = !c->mode || !strcmp(c->mode, "auto") ? PLAN_AUTO
			      : !strcmp(c->mode, "exact")	     ? PLAN_EXACT
								     : PLAN_HEURISTIC;
	struct plan_items_opt io = {day, c->pa.start_year, (int)c->pa.years, c->pa.budget, c->pa.funded, c->pa.core_first};
	struct rep_table *tb = rep_table_new(fmt, stdout, plan_cols, (int)(sizeof(plan_cols) / sizeof(plan_cols[0])));
	struct plan_items *pi = mem_calloc((size_t)ns, sizeof(*pi));
	struct plan_outcome *res = mem_calloc((size_t)ns, sizeof(*res));
	char eb[TM_ERRLEN] = "";
	int rc = 0;

	if (!tb || !pi || !res) {
		fprintf(stderr, "trustmap plan: out of memory\n");
		rc = TM_ENOMEM;
		goto out;
	}
	if (fmt == REP_TABLE)
		printf("\n");
	for (int j = 0; j < ns && !rc; j++) {
		if ((rc = plan_items_build(&s[j], &io, c->pa.paths_to ? &pp[j] : NULL, &pi[j], eb, sizeof(eb))) ||
		    (rc = plan_items_solve(&pi[j], mode, &res[j], eb, sizeof(eb)))) {
			fprintf(stderr, "trustmap plan: %s\n", eb);
			break;
		}
		if (c->stats)
			fprintf(stderr, "plan: %s: %zu items (%zu packages), %zu sites, %s, %.0f ms\n", s[j].p->name,
				pi[j].n, pi[j].npkg, pi[j].nsites, res[j].r.exact ? "exact" : "heuristic", res[j].ms);
		*infeasible |= !res[j].r.feasible;
		if ((rc = print_plan(tb, &s[j], &pi[j], &res[j], c->pa.paths_to ? &pp[j] : NULL, m->currency)))
			fprintf(stderr, "trustmap plan: %s\n", tm_strerror(rc));
	}
	rep_table_end(tb);
	tb = NULL;
	if (!rc && c->items) {
		if (fmt == REP_TABLE)
			printf("\n");
		if (!(tb = rep_table_new(fmt, stdout, item_cols, (int)(sizeof(item_cols) / sizeof(item_cols[0])))))
			rc = TM_ENOMEM;
		for (int j = 0; j < ns && !rc; j++)
			rc = print_items(tb, &s[j], &pi[j], &res[j].r, m->currency);
		if (rc)
			fprintf(stderr, "trustmap plan: %s\n", tm_strerror(rc));
	}
out:
	rep_table_end(tb);
	for (int j = 0; pi && res && j < ns; j++) {
		plan_items_free(&pi[j]);
		plan_outcome_free(&res[j]);
	}
	mem_free(pi);
	mem_free(res);
	return rc;
}

int cmd_plan(int argc, char **argv)
{
	struct cfg cfg = {.pa = PLAN_ARGS_INIT("plan")};
	struct policy *pol[PLAN_ARGS_MAX] = {0};
	struct scen sc[PLAN_ARGS_MAX];
	struct plan_paths pp[PLAN_ARGS_MAX] = {0};
	struct cost_model *m = NULL;
	struct store *st = NULL;
	struct vreg *vr = NULL;
	struct rep_scentab rows = {0};
	char eb[TM_ERRLEN] = "", dir[1024];
	int npos, fmt, rc, infeasible = 0, nsc = 0;
	int64_t day;

	rc = opt_parse(plan_opts, &cfg, argc, argv, &npos,
		       "--policy A.yaml [--policy B.yaml ...] [--db URL] [--cost FILE] [--date YYYY-MM-DD] "
		       "[--budget-per-year N [--start-year Y] [--years H] [--funded-share F] [--core-first] "
		       "[--paths-to SELECTOR] [--items]] "
		       "[--format FMT]");
	if (rc)
		return rc > 0 ? 0 : 2;
	rc = 2;
	if (npos) {
		fprintf(stderr, "trustmap plan: unexpected argument '%s'\n", argv[1]);
		goto out;
	}
	if (!cfg.pa.npol) {
		fprintf(stderr, "trustmap plan: --policy FILE is required (one per scenario)\n");
		goto out;
	}
	day = (int64_t)(time(NULL) / 86400);
	if (cfg.date && !str_to_date(cfg.date, strlen(cfg.date), &day)) {
		fprintf(stderr, "trustmap plan: --date wants YYYY-MM-DD, not '%s'\n", cfg.date);
		goto out;
	}
	if (plan_args_check(&cfg.pa, day))
		goto out;
	if (cfg.mode && strcmp(cfg.mode, "auto") && strcmp(cfg.mode, "exact") && strcmp(cfg.mode, "heuristic")) {
		fprintf(stderr, "trustmap plan: --solver is auto, exact or heuristic\n");
		goto out;
	}
	if (!cfg.pa.budget_set && (cfg.pa.funded < 1 || cfg.pa.core_first || cfg.items || cfg.pa.paths_to)) {
		fprintf(stderr, "trustmap plan: --funded-share, --core-first, --items and --paths-to need --budget-per-year\n");
		goto out;
	}
	if ((fmt = cli_format("plan", &cfg.c)) < 0 || cli_cost_model("plan", cfg.pa.cost, cfg.c.kb_dir, &m))
		goto out;
	if (kb_load_vreg(&vr, cfg.c.kb_dir, cfg.c.lists, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap plan: %s\n", eb);
		goto out;
	}
	for (int i = 0; i < cfg.pa.npol; i++)
		if (policy_load(cfg.pa.pol[i], vr, &pol[i], eb, sizeof(eb))) {
			fprintf(stderr, "trustmap plan: %s\n", eb);
			goto out;
		}
	if (!(st = cli_store("plan", &cfg.c)))
		goto out;
	for (int i = 0; i < cfg.pa.npol; i++, nsc++) {
		struct scen_opt so = {day, cfg.pa.min_conf, NULL};
		double t0 = now_ms();
		str_set(dir, sizeof(dir), cfg.pa.pol[i]);
		so.base_dir = dirname(dir);
		if (scen_eval(st, vr, pol[i], m, &so, &sc[i], eb, sizeof(eb))) {
			fprintf(stderr, "trustmap plan: %s\n", eb);
			nsc++;
			goto out;
		}
		if (cfg.stats)
			fprintf(stderr, "plan: scenario %s: %zu assets at %zu sites, %ld audit days, %.0f ms\n", pol[i]->name,
				sc[i].n, sc[i].nsites, sc[i].n_days, now_ms() - t0);
		if (rep_scentab_add(&rows, &sc[i], day)) {
			fprintf(stderr, "trustmap plan: out of memory\n");
			nsc++;
			goto out;
		}
		if (cfg.pa.paths_to && scen_paths(st, vr, &sc[i], m, &cfg, so.base_dir, day, &pp[i])) {
			nsc++;
			goto out;
		}
	}
	if (print_scenarios((enum rep_format)fmt, &rows, m->currency))
		goto out;
	if (fmt == REP_TABLE) {
		char d[11];
		day_text(day, d);
		printf("\ncosts in %s (model %s); findings of deny rules on %s and at each later effective date\n",
		       m->currency, m->name, d);
	}
	if (cfg.pa.budget_set) {
		if (cfg.pa.budget * cfg.pa.funded == 0)
			fprintf(stderr, "trustmap plan: a budget of zero: nothing can be placed\n");
		if (do_plans((enum rep_format)fmt, sc, nsc, pp, &cfg, day, m, &infeasible))
			goto out;
	}
	rc = infeasible ? 1 : 0;
out:
	for (int i = 0; i < nsc; i++) {
		scen_free(&sc[i]);
		plan_paths_free(&pp[i]);
	}
	for (int i = 0; i < cfg.pa.npol; i++)
		policy_free(pol[i]);
	rep_scentab_free(&rows);
	store_close(st);
	cost_free(m);
	vreg_free(vr);
	return rc;
}
