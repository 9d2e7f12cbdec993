/*
 * paths.c - `trustmap paths --policy FILE --to CORE-SELECTOR`: for every
 * sensitive site of the policy, does a path to the core avoid every
 * restricted device; if not, the cheapest devices to replace to make one,
 * and the site's exposure to a vendor shutdown: the restricted devices
 * whose failure alone cuts it off (src/paths, docs/paths.md).  Exit status
 * 0 when every sensitive site has a clean path (or there is none), 1 when
 * some site has none, 2 on error (no core matched, a bad selector, ...).
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "planargs.h"
#include "../core/err.h"
#include "../core/str.h"
#include "../kb/kb.h"
#include "../kb/vendor.h"
#include "../paths/paths.h"
#include "../plan/cost.h"
#include "../plan/items.h"
#include "../policy/policy.h"
#include "../report/table.h"
#include "../store/store.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct cfg {
	struct common c;
	const char *policy, *date, *to, *cut_by, *cost;
	int strict, stats, summary;
};

static const struct opt paths_opts[] = {
    {"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR,
     offsetof(struct cfg, c.db)},
    {"policy", 'p', "FILE",
     "the policy (YAML, docs/policy.md): restricted lists and sensitive zones", OPT_STR,
     offsetof(struct cfg, policy)},
    {"to", 't', "SELECTOR", "the core: role:NAME, site:ID, tag:TAG, asset:ID, comma-separated",
     OPT_STR, offsetof(struct cfg, to)},
    {"date", 0, "YYYY-MM-DD", "as of this day (default today): rules in force, list dates", OPT_STR,
     offsetof(struct cfg, date)},
    {"cost", 0, "FILE",
     "price devices by this cost model (docs/cost.md), as trustmap plan does; default: fixed prices by role",
     OPT_STR, offsetof(struct cfg, cost)},
    {"cut-by", 0, "WHAT", "weigh the shutdown cut by devices (default: fewest devices) or cost",
     OPT_STR, offsetof(struct cfg, cut_by)},
    {"strict", 0, NULL, "links naming unknown assets are an error, not a warning", OPT_FLAG,
     offsetof(struct cfg, strict)},
    {"stats", 0, NULL, "graph sizes and timings on standard error", OPT_FLAG,
     offsetof(struct cfg, stats)},
    {"summary", 0, NULL, "one row of counts (sites by status, devices, links) instead of the sites",
     OPT_FLAG, offsetof(struct cfg, summary)},
    {"format", 'f', "FMT", "table, jsonl or csv", OPT_STR, offsetof(struct cfg, c.format)},
    {"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
    {"lists", 0, "FILE", "your own vendor lists (lists.tm format)", OPT_STR,
     offsetof(struct cfg, c.lists)},
    {NULL},
};

static const struct rep_col cols[] = {
    {"site", REP_STR, 14},    {"zone", REP_STR, 20},	 {"sensitivity", REP_NUM, 4},
    {"devices", REP_NUM, 5},  {"status", REP_STR, 10},	 {"replace_cost", REP_NUM, 12},
    {"replace", REP_STR, 40}, {"cut_value", REP_NUM, 9}, {"cut", REP_STR, 40},
};
#define NCOLS ((int)(sizeof(cols) / sizeof(cols[0])))

/* --summary: the counts the table format prints under the sites, as a table of its own. */
static const struct rep_col sum_cols[] = {
    {"policy", REP_STR, 16},	   {"sensitive_sites", REP_NUM, 4}, {"clean", REP_NUM, 4},
    {"replace", REP_NUM, 4},	   {"replace_cost", REP_NUM, 12},   {"cut_off", REP_NUM, 4},
    {"no_devices", REP_NUM, 4},	   {"devices", REP_NUM, 6},	    {"restricted", REP_NUM, 6},
    {"core", REP_NUM, 4},	   {"links", REP_NUM, 6},	    {"self_loops", REP_NUM, 4},
    {"duplicates", REP_NUM, 4},	   {"unknown_links", REP_NUM, 4},   {"capture_links", REP_NUM, 4},
};
#define NSUM ((int)(sizeof(sum_cols) / sizeof(sum_cols[0])))


static void money(int64_t cents, char *out, size_t len)
{
	snprintf(out, len, "%s%lld.%02lld", cents < 0 ? "-" : "", (long long)(llabs(cents) / 100),
		 (long long)(llabs(cents) % 100));
}

static int print_summary(enum rep_format fmt, const char *policy, const struct paths_result *r,
			 const long n[4], int64_t total)
{
	long v[] = {r->sensitive_sites, n[PS_CLEAN], n[PS_REPLACE], 0, n[PS_CUT_OFF],
		    n[PS_NO_DEVICES], r->assets, r->restricted, r->core, r->gs.links,
		    r->gs.self_loops, r->gs.duplicates, r->unknown_links, r->capture_links};
	char num[NSUM][32];
	const char *cells[NSUM];
	struct rep_table *t = rep_table_new(fmt, stdout, sum_cols, NSUM);
	int rc;

	if (!t)
		return TM_ENOMEM;
	cells[0] = policy;
	for (int i = 1; i < NSUM; i++) {
		if (i == 4)
			money(total, num[i], sizeof(num[i]));
		else
			snprintf(num[i], sizeof(num[i]), "%ld", v[i - 1]);
		cells[i] = num[i];
	}
	rc = rep_row(t, cells);
	rep_table_end(t);
	return rc;
}

/* Asset ids as "ref-or-key;..." into out (cut with "..." when long). */
static void names(struct store *st, const int64_t *ids, size_t n, char *out, size_t len)
{
	struct asset_rec a;
	char num[24];
	size_t w = 0;

	out[0] = 0;
	for (size_t i = 0; i < n && w + 4 < len; i++) {
		const char *nm = num;
		snprintf(num, sizeof(num), "%lld", (long long)ids[i]);
		if (!store_asset_get(st, num, &a))
			nm = a.ref[0] ? a.ref : a.key;
		int k = snprintf(out + w, len - w, "%s%s", i ? ";" : "", nm);
		if (k < 0 || (size_t)k >= len - w) {
			snprintf(out + (len > 4 ? len - 4 : 0), 4, "...");
			return;
		}
		w += (size_t)k;
	}
}

static int print_sites(struct rep_table *t, struct store *st, const struct paths_result *r,
		       int cut_money)
{
	static char rep[8192], cut[8192];
	char sens[16], dev[24], cost[32], cv[32];

	for (size_t i = 0; i < r->n; i++) {
		const struct paths_site *s = &r->s[i];
		snprintf(sens, sizeof(sens), "%d", s->sensitivity);
		snprintf(dev, sizeof(dev), "%ld", s->devices);
		cost[0] = cv[0] = 0;
		if (s->status == PS_REPLACE) {
			money(s->cost, cost, sizeof(cost));
			if (cut_money)
				money(s->cut_value, cv, sizeof(cv));
			else
				snprintf(cv, sizeof(cv), "%lld", (long long)s->cut_value);
		} else if (s->status == PS_CLEAN) {
			snprintf(cost, sizeof(cost), "0.00");
		}
		names(st, s->replace, s->nreplace, rep, sizeof(rep));
		names(st, s->cut, s->ncut, cut, sizeof(cut));
		const char *cells[NCOLS] = {
		    s->site, s->zone, sens, dev, paths_status_name(s->status), cost, rep, cv, cut};
		int rc = rep_row(t, cells);
		if (rc)
			return rc;
	}
	return 0;
}

int cmd_paths(int argc, char **argv)
{
	struct cfg cfg = {0};
	struct paths_opt po = {0};
	struct paths_result r = {0};
	struct policy *p = NULL;
	struct store *st = NULL;
	struct rep_table *t = NULL;
	struct vreg *vr = NULL;
	struct cost_model *m = NULL;
	struct plan_pricer *pricer = NULL;
	char eb[TM_ERRLEN] = "", dir[1024];
	int npos, fmt, rc;

	rc = opt_parse(paths_opts, &cfg, argc, argv, &npos,
		       "--policy FILE --to SELECTOR [--db URL] [--date YYYY-MM-DD] [--cost FILE] [--cut-by "
		       "devices|cost] [--strict] "
		       "[--summary] [--format FMT]");
	if (rc)
		return rc > 0 ? 0 : 2;
	rc = 2;
	if (npos) {
		fprintf(stderr, "trustmap paths: unexpected argument '%s'\n", argv[1]);
		goto out;
	}
	if (!cfg.policy || !cfg.to) {
		fprintf(
		    stderr,
		    "trustmap paths: --policy FILE and --to SELECTOR are required (see --help)\n");
		goto out;
	}
	po.day = (int64_t)(time(NULL) / 86400);
	if (cfg.date && !str_to_date(cfg.date, strlen(cfg.date), &po.day)) {
		fprintf(stderr, "trustmap paths: --date wants YYYY-MM-DD, not '%s'\n", cfg.date);
		goto out;
	}
	if (cfg.cut_by && strcmp(cfg.cut_by, "devices") && strcmp(cfg.cut_by, "cost")) {
		fprintf(stderr, "trustmap paths: --cut-by takes devices or cost, not '%s'\n",
			cfg.cut_by);
		goto out;
	}
	po.cut_by = cfg.cut_by && !strcmp(cfg.cut_by, "cost") ? PATHS_CUT_COST : PATHS_CUT_DEVICES;
	po.core = cfg.to;
	if ((fmt = cli_format("paths", &cfg.c)) < 0)
		goto out;
	if (kb_load_vreg(&vr, cfg.c.kb_dir, cfg.c.lists, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap paths: %s\n", eb);
		goto out;
	}
	if (policy_load(cfg.policy, vr, &p, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap paths: %s\n", eb);
		goto out;
	}
	str_set(dir, sizeof(dir), cfg.policy);
	po.base_dir = dirname(dir);
	if (!(st = cli_store("paths", &cfg.c)))
		goto out;
	if (cfg.cost) {
		if (cli_cost_model("paths", cfg.cost, cfg.c.kb_dir, &m))
			goto out;
		if (plan_pricer_new(st, m, &pricer, eb, sizeof(eb))) {
			fprintf(stderr, "trustmap paths: %s\n", eb);
			goto out;
		}
		po.cost = plan_pricer_cost, po.cost_ctx = pricer;
	}
	if (paths_run(st, vr, p, &po, &r, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap paths: %s\n", eb);
		goto out;
	}
	if (r.unknown_links) {
		fprintf(
		    stderr,
		    "trustmap paths: %s%ld of %ld links name an asset the store does not have (",
		    cfg.strict ? "" : "warning: ", r.unknown_links, r.links_read);
		for (long i = 0; i < r.unknown_named; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", r.unknown_first[i]);
		fprintf(stderr, "%s)%s\n", r.unknown_links > r.unknown_named ? ", ..." : "",
			cfg.strict ? "" : "; they are left out");
		if (cfg.strict)
			goto out;
	}
	long n[4] = {0};
	int64_t total = 0;
	for (size_t i = 0; i < r.n; i++) {
		n[r.s[i].status]++;
		if (r.s[i].status == PS_REPLACE)
			total += r.s[i].cost;
	}
	if (!r.sensitive_sites) {
		fprintf(stderr,
			"trustmap paths: no sensitive sites under policy \"%s\": nothing to do\n",
			p->name);
		if (cfg.summary && print_summary((enum rep_format)fmt, p->name, &r, n, total))
			goto out;
		rc = 0;
		goto out;
	}
	if (cfg.summary) {
		if (print_summary((enum rep_format)fmt, p->name, &r, n, total))
			goto out;
	} else {
		if (!(t = rep_table_new((enum rep_format)fmt, stdout, cols, NCOLS)))
			goto out;
		if (print_sites(t, st, &r, po.cut_by == PATHS_CUT_COST))
			goto out;
		rep_table_end(t);
		t = NULL;
	}
	if ((fmt == REP_TABLE && !cfg.summary) || cfg.stats) {
		char tc[32];
		money(total, tc, sizeof(tc));
		fprintf(fmt == REP_TABLE ? stdout : stderr,
			"%s%ld sensitive sites: %ld clean, %ld need replacements (%s in all), %ld "
			"cut off, %ld without "
			"devices; %ld devices (%ld restricted, %ld core), %ld links (%ld "
			"self-loops, %ld duplicates, %ld "
			"to unknown assets, %ld seen from a capture point left out)\n",
			fmt == REP_TABLE ? "\n" : "", r.sensitive_sites, n[PS_CLEAN], n[PS_REPLACE],
			tc, n[PS_CUT_OFF], n[PS_NO_DEVICES], r.assets, r.restricted, r.core,
			r.gs.links, r.gs.self_loops, r.gs.duplicates, r.unknown_links,
			r.capture_links);
	}
	if (cfg.stats)
		fprintf(stderr,
			"paths: load %.0f ms, graph %.0f ms (%ld clean components, quotient %ld "
			"nodes %ld links, %ld "
			"flow arcs), queries %.0f ms\n",
			r.ms_load, r.ms_graph, r.gs.clean_comps, r.gs.qnodes, r.gs.qlinks,
			r.gs.flow_arcs, r.ms_query);
	rc = n[PS_REPLACE] || n[PS_CUT_OFF] || n[PS_NO_DEVICES] ? 1 : 0;
out:
	rep_table_end(t);
	paths_result_free(&r);
	plan_pricer_free(pricer);
	cost_free(m);
	store_close(st);
	policy_free(p);
	vreg_free(vr);
	return rc;
}
