/*
 * report.c - `trustmap report`: the self-contained HTML report (--html
 * FILE) and the short Markdown summary (--format md on standard output, or
 * --md FILE) of what the store holds: sites and zones on a map, vendor
 * shares, and with --policy the audit's findings and their evidence
 * (src/report/report.h).  With two or more --policy (or --cost, or a
 * budget) each policy is also a scenario (src/plan/scen.c), compared side
 * by side as `trustmap plan` compares them; with --budget-per-year each
 * gets its phased plan (src/plan/items.h: the same items, solver and sums
 * as `trustmap plan`), and with --paths-to the first policy's clean paths
 * (src/paths, as `trustmap paths` answers them) are a section and are drawn
 * on the map.  The store, registry and policies are loaded as `trustmap
 * audit` loads them.  Files are written beside their target and renamed
 * into place, so a failed run leaves no half report.  Exit status 0
 * (findings are not an error here: `trustmap audit` is the gate), 2 on error.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "planargs.h"
#include "../audit/audit.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../geo/geo.h"
#include "../kb/kb.h"
#include "../kb/vendor.h"
#include "../paths/paths.h"
#include "../plan/cost.h"
#include "../plan/items.h"
#include "../plan/scen.h"
#include "../policy/policy.h"
#include "../report/report.h"
#include "../store/store.h"

#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct cfg {
	struct common c;
	struct plan_args pa; /* pa.pol[0] is the audit's policy */
	const char *html, *md, *date, *title;
	long max_findings, evidence;
	int evidence_set;
};

static int set_evidence(void *vc, const char *v, int tag)
{
	struct cfg *c = vc;
	int64_t n;

	(void)tag;
	if (!str_to_i64(v, strlen(v), &n) || n < 0 || n > 1000) {
		fprintf(stderr, "trustmap report: --evidence takes a number from 0 to 1000\n");
		return -1;
	}
	c->evidence = n ? (long)n : -1, c->evidence_set = 1;
	return 0;
}

static const struct opt report_opts[] = {
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"html", 'o', "FILE", "write the HTML report to FILE", OPT_STR, offsetof(struct cfg, html)},
	{"md", 0, "FILE", "write the Markdown summary to FILE", OPT_STR, offsetof(struct cfg, md)},
	{"format", 'f', "md", "md: the Markdown summary on standard output", OPT_STR, offsetof(struct cfg, c.format)},
	{"policy", 'p', "FILE",
	 "audit against this policy (docs/policy.md): findings, zones on the map; repeat to compare scenarios",
	 OPT_FN, offsetof(struct cfg, pa), plan_args_policy, 0},
	{"date", 0, "YYYY-MM-DD", "audit as of this day (default today)", OPT_STR, offsetof(struct cfg, date)},
	PLAN_ARGS_OPTS(struct cfg, pa),
	{"paths-to", 0, "SELECTOR",
	 "clean paths from each sensitive site to this core (as trustmap paths --to): a section and lines on the map",
	 OPT_STR, offsetof(struct cfg, pa.paths_to)},
	{"title", 't', "TEXT", "the report's title (default \"trustmap report\")", OPT_STR,
	 offsetof(struct cfg, title)},
	{"max-findings", 0, "N", "findings listed in full in the HTML (default 2000)", OPT_INT,
	 offsetof(struct cfg, max_findings)},
	{"evidence", 0, "N", "evidence items per finding in the HTML (default 12; 0 none)", OPT_FN, 0, set_evidence,
	 0},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"lists", 0, "FILE", "your own vendor lists (lists.tm format)", OPT_STR, offsetof(struct cfg, c.lists)},
	{NULL},
};

typedef int (*writer_fn)(FILE *out, const struct rep_in *in, char *eb, size_t el);

/* Writes through path.tmp renamed to path; 0 or -1 after a message. */
static int write_file(const char *path, writer_fn fn, const struct rep_in *in)
{
	char tmp[4096], eb[TM_ERRLEN] = "";
	FILE *f;
	int rc;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		fprintf(stderr, "trustmap report: %s: path too long\n", path);
		return -1;
	}
	if (!(f = fopen(tmp, "w"))) {
		perror(tmp);
		return -1;
	}
	rc = fn(f, in, eb, sizeof(eb));
	if (fclose(f) && !rc)
		rc = err_set(eb, sizeof(eb), TM_EIO, "write failed");
	if (!rc && rename(tmp, path)) {
		perror(path);
		unlink(tmp);
		return -1;
	}
	if (rc) {
		fprintf(stderr, "trustmap report: %s: %s\n", path, eb);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* What the report computes beyond the audit, all freed by work_free. */
struct work {
	struct cost_model *m;
	struct scen sc[REP_MAX_SCEN];
	int nsc;
	struct plan_paths pp[REP_MAX_SCEN];
	struct plan_items pi[REP_MAX_SCEN];
	struct plan_outcome po[REP_MAX_SCEN];
	int nplan;
	struct rep_scentab tab;
	struct rep_plan plan[REP_MAX_SCEN];
	struct paths_result pr;
	struct rep_paths paths;
	struct plan_pricer *pricer; /* the paths' prices when there is a model */
};

static void work_free(struct work *k)
{
	for (int i = 0; i < k->nsc; i++) {
		scen_free(&k->sc[i]);
		plan_paths_free(&k->pp[i]);
	}
	for (int i = 0; i < k->nplan; i++) {
		plan_items_free(&k->pi[i]);
		plan_outcome_free(&k->po[i]);
	}
	rep_scentab_free(&k->tab);
	paths_result_free(&k->pr);
	plan_pricer_free(k->pricer);
	cost_free(k->m);
}

static void phase_of(struct rep_phase *d, const struct plan_phase_sum *x, int year)
{
	d->year = year;
	d->items = x->items, d->packages = x->packages, d->sites = x->sites, d->due = x->due;
	d->spend = x->spend, d->budget = x->budget, d->risk = x->risk, d->value = x->value;
}

/* Scenario j's phased plan as `trustmap plan` makes it; 0 or -1 after a message. */
static int plan_one(struct work *k, int j, const struct cfg *c, int64_t day, const char *base_dir,
		    struct store *st, const struct vreg *vr, struct arena *ar)
{
	struct plan_items_opt io = {day, c->pa.start_year, (int)c->pa.years, c->pa.budget, c->pa.funded, c->pa.core_first};
	struct plan_paths *pp = NULL;
	struct rep_plan *rp = &k->plan[j];
	char eb[TM_ERRLEN] = "", note[1024];
	int rc;

	if (c->pa.paths_to) {
		struct paths_opt po = {.day = day, .base_dir = base_dir, .core = c->pa.paths_to};
		if (plan_paths_run(st, vr, &k->sc[j], k->m, &po, &k->pp[j], eb, sizeof(eb))) {
			fprintf(stderr, "trustmap report: %s: %s\n", k->sc[j].p->name, eb);
			return -1;
		}
		pp = &k->pp[j];
	}
	k->nplan = j + 1;
	if ((rc = plan_items_build(&k->sc[j], &io, pp, &k->pi[j], eb, sizeof(eb))) ||
	    (rc = plan_items_solve(&k->pi[j], PLAN_AUTO, &k->po[j], eb, sizeof(eb)))) {
		fprintf(stderr, "trustmap report: %s\n", eb);
		return -1;
	}
	const struct plan_items *pi = &k->pi[j];
	const struct plan_outcome *o = &k->po[j];
	rp->scenario = k->sc[j].p->name;
	rp->nph = pi->pb.H;
	if (!(rp->ph = arena_alloc(ar, (size_t)rp->nph * sizeof(*rp->ph)))) {
		fprintf(stderr, "trustmap report: out of memory\n");
		return -1;
	}
	for (int ph = 1; ph <= rp->nph; ph++)
		phase_of(&rp->ph[ph - 1], &o->ph[ph], (int)(pi->start_year + ph - 1));
	phase_of(&rp->total, &o->total, 0);
	rp->unplaced = o->ph[0].items, rp->unplaced_due = o->ph[0].due;
	rp->unplaced_cost = o->ph[0].spend, rp->unplaced_risk = o->ph[0].risk;
	rp->feasible = o->r.feasible, rp->missed = o->r.missed;
	rp->short_lo = o->r.short_lo, rp->short_hi = o->r.short_hi, rp->short_exact = o->r.short_exact;
	plan_outcome_note(pi, o, k->m->currency, note, sizeof(note));
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
	if (!(rp->note = arena_strdup(ar, note))) {
		fprintf(stderr, "trustmap report: out of memory\n");
		return -1;
	}
	return 0;
}

/* The scenarios, their plans and the clean paths; 0 or -1 after a message. */
static int compute(struct work *k, const struct cfg *c, struct policy **pol, int64_t day, struct store *st,
		   const struct vreg *vr, struct arena *ar)
{
	char eb[TM_ERRLEN] = "", dir[1024];
	int scenarios = c->pa.npol >= 2 || c->pa.cost || c->pa.budget_set;

	if (scenarios && cli_cost_model("report", c->pa.cost, c->c.kb_dir, &k->m))
		return -1;
	for (int i = 0; scenarios && i < c->pa.npol; i++) {
		struct scen_opt so = {day, c->pa.min_conf, NULL};
		str_set(dir, sizeof(dir), c->pa.pol[i]);
		so.base_dir = dirname(dir);
		k->nsc = i + 1;
		if (scen_eval(st, vr, pol[i], k->m, &so, &k->sc[i], eb, sizeof(eb))) {
			fprintf(stderr, "trustmap report: %s\n", eb);
			return -1;
		}
		if (rep_scentab_add(&k->tab, &k->sc[i], day)) {
			fprintf(stderr, "trustmap report: out of memory\n");
			return -1;
		}
		if (c->pa.budget_set && plan_one(k, i, c, day, so.base_dir, st, vr, ar))
			return -1;
	}
	if (scenarios) {
		rep_scentab_sort(&k->tab);
		k->tab.currency = k->m->currency;
		if (c->pa.budget_set && c->pa.budget * c->pa.funded == 0)
			fprintf(stderr, "trustmap report: a budget of zero: nothing can be placed\n");
	}
	if (c->pa.paths_to) { /* the first policy's paths, as `trustmap paths --to [--cost]` answers them */
		struct paths_opt po = {.day = day, .core = c->pa.paths_to};
		str_set(dir, sizeof(dir), c->pa.pol[0]);
		po.base_dir = dirname(dir);
		if (k->m) { /* priced by the scenarios' model, as their plans are */
			if (plan_pricer_new(st, k->m, &k->pricer, eb, sizeof(eb))) {
				fprintf(stderr, "trustmap report: %s\n", eb);
				return -1;
			}
			po.cost = plan_pricer_cost, po.cost_ctx = k->pricer;
		}
		if (paths_run(st, vr, pol[0], &po, &k->pr, eb, sizeof(eb))) {
			fprintf(stderr, "trustmap report: %s\n", eb);
			return -1;
		}
		if (k->pr.unknown_links)
			fprintf(stderr, "trustmap report: warning: %ld of %ld links name an asset the store does not "
					"have; they are left out\n",
				k->pr.unknown_links, k->pr.links_read);
		if (rep_paths_build(st, &k->pr, c->pa.paths_to, 0, ar, &k->paths)) {
			fprintf(stderr, "trustmap report: out of memory\n");
			return -1;
		}
		k->paths.priced_by = k->m ? k->m->name : NULL;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct cfg cfg = {.pa = PLAN_ARGS_INIT("report")};
	struct audit_result r = {0};
	struct audit_opt ao = {0};
	struct rep_in in = {0};
	struct policy *pol[REP_MAX_SCEN] = {0}, *p = NULL;
	struct store *st = NULL;
	struct vreg *vr = NULL;
	struct geo_zones *zs = NULL;
	const char **labels = NULL;
	struct arena *ar = NULL;
	struct work *k = NULL;
	char eb[TM_ERRLEN] = "", dir[1024];
	int npos, rc, md_stdout = 0;

	rc = opt_parse(report_opts, &cfg, argc, argv, &npos,
		       "--html FILE | --md FILE | --format md  [--db URL] [--policy FILE [--policy FILE ...] "
		       "[--date YYYY-MM-DD] [--min-confidence X] [--cost FILE] [--budget-per-year N [--start-year Y] "
		       "[--years H] [--funded-share F] [--core-first]] [--paths-to SELECTOR]] [--title TEXT]");
	if (rc)
		return rc > 0 ? 0 : 2;
	rc = 2;
	if (npos) {
		fprintf(stderr, "trustmap report: unexpected argument '%s'\n", argv[1]);
		goto out;
	}
	if (cfg.c.format) {
		if (strcmp(cfg.c.format, "md")) {
			fprintf(stderr, "trustmap report: --format takes md (the HTML goes to --html FILE)\n");
			goto out;
		}
		md_stdout = 1;
	}
	if (!cfg.html && !cfg.md && !md_stdout) {
		fprintf(stderr, "trustmap report: say where: --html FILE, --md FILE or --format md\n");
		goto out;
	}
	if (cfg.max_findings < 0) {
		fprintf(stderr, "trustmap report: --max-findings takes a positive number\n");
		goto out;
	}
	if ((cfg.date || cfg.pa.min_conf != 0.5) && !cfg.pa.npol) {
		fprintf(stderr, "trustmap report: --date and --min-confidence need --policy\n");
		goto out;
	}
	if ((cfg.pa.cost || cfg.pa.budget_set || cfg.pa.paths_to) && !cfg.pa.npol) {
		fprintf(stderr, "trustmap report: --cost, --budget-per-year and --paths-to need --policy\n");
		goto out;
	}
	if (!cfg.pa.budget_set && (cfg.pa.funded < 1 || cfg.pa.core_first || cfg.pa.start_year || cfg.pa.years != 10)) {
		fprintf(stderr, "trustmap report: --start-year, --years, --funded-share and --core-first need "
				"--budget-per-year\n");
		goto out;
	}
	ao.day = (int64_t)(time(NULL) / 86400);
	if (cfg.date && !str_to_date(cfg.date, strlen(cfg.date), &ao.day)) {
		fprintf(stderr, "trustmap report: --date wants YYYY-MM-DD, not '%s'\n", cfg.date);
		goto out;
	}
	if (plan_args_check(&cfg.pa, ao.day))
		goto out;
	ao.min_conf = cfg.pa.min_conf;
	if (!(ar = arena_new(4096)) || !(k = mem_calloc(1, sizeof(*k)))) {
		fprintf(stderr, "trustmap report: out of memory\n");
		goto out;
	}
	if (cfg.pa.npol) {
		if (kb_load_vreg(&vr, cfg.c.kb_dir, cfg.c.lists, eb, sizeof(eb))) {
			fprintf(stderr, "trustmap report: %s\n", eb);
			goto out;
		}
		for (int i = 0; i < cfg.pa.npol; i++)
			if (policy_load(cfg.pa.pol[i], vr, &pol[i], eb, sizeof(eb))) {
				fprintf(stderr, "trustmap report: %s\n", eb);
				goto out;
			}
		p = pol[0];
		str_set(dir, sizeof(dir), cfg.pa.pol[0]);
		ao.base_dir = dirname(dir);
		if (rep_zones_load(p, ao.base_dir, ar, &zs, &labels, eb, sizeof(eb))) {
			fprintf(stderr, "trustmap report: %s\n", eb);
			goto out;
		}
	}
	if (!(st = cli_store("report", &cfg.c)))
		goto out;
	if (p && audit_run(st, vr, p, &ao, &r, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap report: %s\n", eb);
		goto out;
	}
	if (p && compute(k, &cfg, pol, ao.day, st, vr, ar))
		goto out;
	in.title = cfg.title;
	in.generated = (int64_t)time(NULL);
	in.st = st;
	in.p = p;
	in.ar = p ? &r : NULL;
	in.day = ao.day;
	in.min_conf = ao.min_conf;
	in.zones = zs;
	in.zone_label = labels;
	in.max_findings = cfg.max_findings;
	in.evidence = cfg.evidence;
	in.scen = k->nsc ? &k->tab : NULL;
	in.plan = k->nplan ? k->plan : NULL;
	in.nplan = k->nplan;
	in.currency = k->m ? k->m->currency : "";
	in.paths = cfg.pa.paths_to ? &k->paths : NULL;
	if (cfg.html && write_file(cfg.html, rep_html, &in))
		goto out;
	if (cfg.md && write_file(cfg.md, rep_md, &in))
		goto out;
	if (md_stdout && rep_md(stdout, &in, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap report: %s\n", eb);
		goto out;
	}
	if (cfg.html && p)
		fprintf(stderr, "%s: %zu findings, %zu suspects; %ld assets, %ld sites\n", cfg.html, r.n, r.ns,
			r.assets, r.sites);
	rc = 0;
out:
	if (k)
		work_free(k);
	mem_free(k);
	audit_result_free(&r);
	store_close(st);
	geo_zones_free(zs);
	mem_free(labels);
	arena_free(ar);
	for (int i = 0; i < cfg.pa.npol; i++)
		policy_free(pol[i]);
	vreg_free(vr);
	return rc;
}
