/*
 * audit.c - `trustmap audit --policy FILE`: the findings of a policy over
 * the store (src/audit), each with the evidence chain that makes the asset
 * that vendor; or (--summary) the counts by operator, region, zone and
 * rule; or (--suspects) the low-confidence attributions that could hide a
 * finding.  Exit status 0 when clean, 1 when there are findings, 2 on error,
 * so that it can gate a pipeline.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../audit/audit.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/smap.h"
#include "../core/str.h"
#include "../kb/kb.h"
#include "../kb/vendor.h"
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
	const char *policy, *date;
	double min_conf;
	int min_conf_set;
	int summary, suspects, stats;
	long evidence;
};

static int set_min_conf(void *vc, const char *v, int tag)
{
	struct cfg *c = vc;
	char *end;

	(void)tag;
	c->min_conf = strtod(v, &end);
	if (*end || end == v || c->min_conf < 0 || c->min_conf > 1) {
		fprintf(stderr, "trustmap audit: --min-confidence takes a number from 0 to 1\n");
		return -1;
	}
	c->min_conf_set = 1;
	return 0;
}

static const struct opt audit_opts[] = {
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"policy", 'p', "FILE", "the policy (YAML, docs/policy.md)", OPT_STR, offsetof(struct cfg, policy)},
	{"date", 0, "YYYY-MM-DD", "audit as of this day (default today): rules in force, exceptions", OPT_STR,
	 offsetof(struct cfg, date)},
	{"min-confidence", 0, "X", "attributions below X are suspects, not findings (default 0.5)", OPT_FN, 0,
	 set_min_conf, 0},
	{"summary", 0, NULL, "counts by operator, region, zone and rule instead of findings", OPT_FLAG,
	 offsetof(struct cfg, summary)},
	{"suspects", 0, NULL, "list low-confidence attributions that could hide a finding", OPT_FLAG,
	 offsetof(struct cfg, suspects)},
	{"evidence", 0, "N", "evidence items in each finding's chain (default 3)", OPT_INT,
	 offsetof(struct cfg, evidence)},
	{"stats", 0, NULL, "timings and counts on standard error", OPT_FLAG, offsetof(struct cfg, stats)},
	{"format", 'f', "FMT", "table, jsonl or csv", OPT_STR, offsetof(struct cfg, c.format)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"lists", 0, "FILE", "your own vendor lists (lists.tm format)", OPT_STR, offsetof(struct cfg, c.lists)},
	{NULL},
};

static const struct rep_col cols[] = {
	{"severity", REP_STR, 8}, {"finding", REP_STR, 10},  {"rule", REP_STR, 18},
	{"asset", REP_STR, 26},	  {"addr", REP_STR, 15},     {"site", REP_STR, 10},
	{"operator", REP_STR, 10}, {"region", REP_STR, 10},  {"zone", REP_STR, 22},
	{"sensitivity", REP_NUM, 4}, {"vendor", REP_STR, 10}, {"listed", REP_STR, 10},
	{"role", REP_STR, 8},	  {"confidence", REP_NUM, 5}, {"why", REP_STR, 40},
	{"evidence", REP_STR, 60},
};
#define NCOLS ((int)(sizeof(cols) / sizeof(cols[0])))

static const struct rep_col sum_cols[] = {
	{"by", REP_STR, 8},	   {"value", REP_STR, 28},   {"findings", REP_NUM, 8},
	{"critical", REP_NUM, 8}, {"high", REP_NUM, 6},	    {"medium", REP_NUM, 6},
	{"low", REP_NUM, 6},	   {"assets", REP_NUM, 6},
};

static void day_text(int64_t day, char out[11])
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int64_t today(void)
{
	return (int64_t)(time(NULL) / 86400);
}

/* ---- the evidence chain: the asset's strongest evidence, one line ---- */

struct evc {
	char *out;
	size_t len, n;
	long left;
};

static int ev_add(void *vc, const struct ev_rec *e)
{
	static const char *const sn[] = {"none", "weak", "medium", "fair", "strong"};
	struct evc *x = vc;
	char val[81];

	if (x->left-- <= 0)
		return 1;
	str_copy(val, sizeof(val), (const char *)e->value, e->len > 80 ? 80 : e->len);
	for (char *p = val; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	x->n += (size_t)snprintf(x->out + x->n, x->n < x->len ? x->len - x->n : 0, "%s%s %s=\"%s\" -> %s (%s%s)",
				 x->n ? "; " : "", e->kind, e->rule[0] ? e->rule : "?", val,
				 e->vendor[0] ? e->vendor : e->vendor_raw[0] ? e->vendor_raw : "-",
				 e->strength >= 0 && e->strength <= 4 ? sn[e->strength] : "?",
				 e->conflict ? ", conflicts" : "");
	if (x->n >= x->len)
		x->n = x->len - 1;
	return 0;
}

static void chain(struct store *st, const struct audit_finding *f, long max, char *out, size_t len)
{
	struct evc x = {out, len, 0, max};

	out[0] = 0;
	if (f->asset_id && max > 0)
		store_evidence_iter(st, f->asset_id, ev_add, &x);
}

static void why_text(const struct policy *p, const struct audit_finding *f, char *out, size_t len)
{
	char d[11];
	size_t n = 0;

	out[0] = 0;
	switch (f->kind) {
	case AF_SHARE:
		snprintf(out, len, "%.1f%% of %s from list %s (%ld of %ld) > cap %.1f%%", f->share * 100,
			 p->rules[f->rule].share_of == POL_SHARE_SITES ? "sites" : "devices",
			 p->lists[p->rules[f->rule].list].name, f->n_listed, f->n_scope, f->cap * 100);
		return;
	case AF_EXCEPTION_EXPIRED:
		day_text(p->exceptions[f->exception].expires, d);
		snprintf(out, len, "exception expired %s (%s:%u): %s", d, p->file,
			 p->exceptions[f->exception].line, p->exceptions[f->exception].reason);
		return;
	default:
		break;
	}
	if (f->rule >= 0)
		n += (size_t)snprintf(out + n, len - n, "%s on list %s", f->listed, p->lists[p->rules[f->rule].list].name);
	if (f->why & AW_COMPONENT && n < len)
		n += (size_t)snprintf(out + n, len - n, "; a part (OEM/NIC) by %s", f->vendor);
	if (f->why & AW_DECLARED_ONLY && n < len)
		n += (size_t)snprintf(out + n, len - n, "; declared by the inventory only");
	if (f->why & AW_LOW_CONF && n < len)
		n += (size_t)snprintf(out + n, len - n, "; confidence below threshold");
	if (f->why & AW_HINT_ONLY && n < len)
		snprintf(out + n, len - n, "; weak evidence only");
}

/* Each finding (or suspect) filled from its compact record only now, one at a time. */
static int print_findings(struct rep_table *t, struct store *st, const struct policy *p,
			  const struct audit_result *r, int suspects, long ev)
{
	char sens[16], conf[16], why[512], evid[2048];
	struct audit_finding x, *f = &x;
	size_t n = suspects ? r->ns : r->n;

	for (size_t i = 0; i < n; i++) {
		if (audit_result_get(r, suspects, i, &x))
			return TM_EINVAL;
		snprintf(sens, sizeof(sens), "%d", f->sensitivity);
		snprintf(conf, sizeof(conf), "%.2f", f->conf);
		why_text(p, f, why, sizeof(why));
		chain(st, f, ev, evid, sizeof(evid));
		const char *cells[NCOLS] = {
			audit_sev_name(f->sev), audit_kind_name(f->kind), f->rule >= 0 ? p->rules[f->rule].id : "",
			f->ref[0] ? f->ref : f->asset_key, f->addr, f->site, f->operator_, f->region, f->zone,
			f->sensitivity >= 0 ? sens : "", f->vendor, f->listed, f->role,
			f->asset_id ? conf : "", why, evid};
		int rc = rep_row(t, cells);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- summary ---- */

struct srow {
	int by; /* 0 operator, 1 region, 2 zone, 3 rule */
	const char *val;
	enum audit_sev sev;
	int64_t asset;
};

static int srow_cmp(const void *x, const void *y)
{
	const struct srow *a = x, *b = y;
	int c = a->by - b->by;

	if (!c)
		c = strcmp(a->val, b->val);
	if (!c)
		c = a->asset < b->asset ? -1 : a->asset > b->asset;
	return c;
}

static int print_summary(struct rep_table *t, const struct policy *p, const struct audit_result *r)
{
	static const char *const dim[] = {"operator", "region", "zone", "rule"};
	struct srow *s = mem_calloc(r->n * 4 + 1, sizeof(*s));
	size_t ns = 0;
	int rc = 0;

	if (!s)
		return TM_ENOMEM;
	/* the values' text, interned: four dimensions of a few hundred thousand findings share a few */
	struct smap ix = {0};
	struct arena *ar = arena_new(0);
	const char **tv = NULL;
	size_t ntv = 0;
	struct audit_finding f;
	for (size_t i = 0; i < r->n && !rc && ar; i++) {
		if ((rc = audit_result_get(r, 0, i, &f)))
			break;
		const char *v[4] = {f.operator_, f.region, f.zone, f.rule >= 0 ? p->rules[f.rule].id : "(exceptions)"};
		for (int d = 0; d < 4 && !rc; d++) {
			const char *txt = v[d][0] ? v[d] : "-";
			long k = smap_get(&ix, txt);
			if (k < 0) {
				const char **g = ntv % 64 ? tv : mem_realloc(tv, (ntv + 64) * sizeof(*tv));
				char *c = arena_strdup(ar, txt);
				if (!g || !c || smap_put(&ix, c, (uint32_t)ntv) < 0) {
					rc = TM_ENOMEM;
					break;
				}
				tv = g, tv[k = (long)ntv++] = c;
			}
			s[ns++] = (struct srow){d, tv[k], f.sev, f.asset_id};
		}
	}
	if (!ar)
		rc = TM_ENOMEM;
	if (!rc)
		qsort(s, ns, sizeof(*s), srow_cmp);
	for (size_t i = 0; i < ns && !rc;) {
		long cnt[4] = {0}, total = 0, assets = 0;
		size_t j = i;
		for (; j < ns && s[j].by == s[i].by && !strcmp(s[j].val, s[i].val); j++) {
			cnt[s[j].sev]++, total++;
			if (s[j].asset && (j == i || s[j].asset != s[j - 1].asset))
				assets++;
		}
		char c[6][24];
		snprintf(c[0], 24, "%ld", total);
		for (int k = 0; k < 4; k++)
			snprintf(c[k + 1], 24, "%ld", cnt[k]);
		snprintf(c[5], 24, "%ld", assets);
		const char *cells[] = {dim[s[i].by], s[i].val, c[0], c[1], c[2], c[3], c[4], c[5]};
		rc = rep_row(t, cells);
		i = j;
	}
	mem_free(s);
	mem_free(tv);
	smap_free(&ix);
	arena_free(ar);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	struct cfg cfg = {.min_conf = 0.5, .evidence = 3};
	struct audit_result r = {0};
	struct audit_opt ao = {0};
	struct policy *p = NULL;
	struct store *st = NULL;
	struct rep_table *t = NULL;
	struct vreg *vr = NULL;
	char eb[TM_ERRLEN] = "", dir[1024];
	int npos, fmt, rc;

	rc = opt_parse(audit_opts, &cfg, argc, argv, &npos,
		       "--policy FILE [--db URL] [--date YYYY-MM-DD] [--min-confidence X] [--summary|--suspects] "
		       "[--format FMT]");
	if (rc)
		return rc > 0 ? 0 : 2;
	rc = 2;
	if (npos) {
		fprintf(stderr, "trustmap audit: unexpected argument '%s'\n", argv[1]);
		goto out;
	}
	if (!cfg.policy) {
		fprintf(stderr, "trustmap audit: --policy FILE is required\n");
		goto out;
	}
	ao.day = today();
	if (cfg.date && !str_to_date(cfg.date, strlen(cfg.date), &ao.day)) {
		fprintf(stderr, "trustmap audit: --date wants YYYY-MM-DD, not '%s'\n", cfg.date);
		goto out;
	}
	ao.min_conf = cfg.min_conf;
	ao.lean = 1; /* compact findings, filled one at a time as they are printed */
	/* every asset and site read, not only those a rule could find: the same findings, for comparisons */
	ao.read_all = getenv("TRUSTMAP_AUDIT_READ_ALL") && *getenv("TRUSTMAP_AUDIT_READ_ALL") == '1';
	if ((fmt = cli_format("audit", &cfg.c)) < 0)
		goto out;
	if (kb_load_vreg(&vr, cfg.c.kb_dir, cfg.c.lists, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap audit: %s\n", eb);
		goto out;
	}
	if (policy_load(cfg.policy, vr, &p, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap audit: %s\n", eb);
		goto out;
	}
	str_set(dir, sizeof(dir), cfg.policy);
	ao.base_dir = dirname(dir);
	if (!(st = cli_store("audit", &cfg.c)))
		goto out;
	int64_t run = 0;
	char args[512], status[64], d0[11];
	day_text(ao.day, d0);
	snprintf(args, sizeof(args), "--policy %s --date %s --min-confidence %.2f", cfg.policy, d0, ao.min_conf);
	/* the audit is a run too: when, over what policy, with which knowledge (runs.kb) */
	if (store_run_start(st, "audit", args, &run)) {
		fprintf(stderr, "trustmap audit: %s\n", store_errmsg(st));
		goto out;
	}
	if (audit_run(st, vr, p, &ao, &r, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap audit: %s\n", eb);
		snprintf(status, sizeof(status), "error");
		store_run_finish(st, run, 0, 0, status);
		goto out;
	}
	snprintf(status, sizeof(status), "ok: %zu findings, %zu suspects", r.n, r.ns);
	if (store_run_finish(st, run, 0, 0, status)) {
		fprintf(stderr, "trustmap audit: %s\n", store_errmsg(st));
		goto out;
	}
	if (cfg.summary)
		t = rep_table_new((enum rep_format)fmt, stdout, sum_cols, 8);
	else
		t = rep_table_new((enum rep_format)fmt, stdout, cols, NCOLS);
	if (!t)
		goto out;
	if (cfg.summary ? print_summary(t, p, &r) : print_findings(t, st, p, &r, cfg.suspects, cfg.evidence))
		goto out;
	rep_table_end(t);
	t = NULL;
	if (fmt == REP_TABLE || cfg.stats) {
		char d[11];
		day_text(ao.day, d);
		fprintf(fmt == REP_TABLE ? stdout : stderr,
			"%s%s: %zu findings, %zu suspects (confidence < %.2f), %ld suppressed by exceptions; "
			"%ld assets (%ld read, %ld placed), %ld sites (%ld read, %ld placed), %ld zones indexed, "
			"%ld of %d rules in force on %s\n",
			fmt == REP_TABLE ? "\n" : "", p->name, r.n, r.ns, ao.min_conf, r.excepted, r.assets,
			r.assets_read, r.assets_placed, r.sites, r.sites_read, r.sites_placed, r.zones_geo,
			r.rules_in_force, p->nrules, d);
	}
	if (cfg.stats)
		fprintf(stderr, "audit: load %.0f ms, spatial join %.0f ms, assets %.0f ms\n", r.ms_load, r.ms_join,
			r.ms_assets);
	rc = r.n ? 1 : 0;
out:
	rep_table_end(t);
	audit_result_free(&r);
	store_close(st);
	policy_free(p);
	vreg_free(vr);
	return rc;
}
