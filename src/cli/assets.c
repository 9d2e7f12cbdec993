/*
 * assets.c - `trustmap assets` lists attributed assets with filters, and
 * `trustmap show ASSET` prints one asset with all its evidence.  Both read
 * the store and only the vendor registry (not the whole knowledge base).
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../attr/attr.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../kb/kb.h"
#include "../kb/vendor.h"
#include "../report/table.h"
#include "../store/store.h"

#include <stdio.h>
#include <string.h>

struct cfg {
	struct common c;
	const char *vendor, *family, *list, *site;
	double min_conf;
	long limit;
};

static const struct opt asset_opts[] = {
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"vendor", 0, "ID", "only assets attributed to this vendor", OPT_STR, offsetof(struct cfg, vendor)},
	{"family", 0, "ID", "only this corporate family (parent and subsidiaries)", OPT_STR,
	 offsetof(struct cfg, family)},
	{"list", 0, "NAME", "only vendors on this list (e.g. fcc-covered), role limits applied", OPT_STR,
	 offsetof(struct cfg, list)},
	{"site", 0, "ID", "only assets at this site", OPT_STR, offsetof(struct cfg, site)},
	{"min-confidence", 0, "X", "only attributions with confidence >= X (0..1)", OPT_DOUBLE,
	 offsetof(struct cfg, min_conf)},
	{"limit", 0, "N", "at most N assets", OPT_INT, offsetof(struct cfg, limit)},
	{"format", 'f', "FMT", "table, jsonl or csv", OPT_STR, offsetof(struct cfg, c.format)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"lists", 0, "FILE", "your own vendor lists (lists.tm format)", OPT_STR, offsetof(struct cfg, c.lists)},
	{NULL},
};

static const struct rep_col cols[] = {
	{"id", REP_NUM, 8},	  {"key", REP_STR, 28},	    {"addr", REP_STR, 16},
	{"site", REP_STR, 12},	  {"vendor", REP_STR, 14},  {"family", REP_STR, 12},
	{"product", REP_STR, 20}, {"model", REP_STR, 16},   {"version", REP_STR, 16},
	{"role", REP_STR, 10},	  {"confidence", REP_NUM, 10}, {"lists", REP_STR, 24},
	{"flags", REP_STR, 24},	  {"declared", REP_STR, 12}, {"component", REP_STR, 12},
};

struct lctx {
	struct vreg *vr;
	struct rep_table *t;
	int list;
	long shown;
};

static const char *lists_of(struct vreg *vr, const struct asset_rec *a, char *out, size_t len)
{
	int v = a->vendor[0] ? vreg_find(vr, a->vendor, strlen(a->vendor)) : -1;
	size_t n = 0;

	out[0] = 0;
	if (v < 0)
		return out;
	for (int l = 0; l < vreg_list_count(vr); l++)
		if (vreg_in_list(vr, l, v, a->role, -1)) {
			if (n)
				n += str_set(out + n, len - n, ",");
			n += str_set(out + n, len - n, vreg_list_name(vr, l));
		}
	return out;
}

static int row(void *vc, const struct asset_rec *a)
{
	struct lctx *x = vc;
	char id[24], conf[16], lists[128], flags[128];

	if (x->list >= 0) {
		int v = a->vendor[0] ? vreg_find(x->vr, a->vendor, strlen(a->vendor)) : -1;

		if (v < 0 || !vreg_in_list(x->vr, x->list, v, a->role, -1))
			return 0;
	}
	snprintf(id, sizeof(id), "%lld", (long long)a->id);
	snprintf(conf, sizeof(conf), "%.2f", a->conf);
	const char *cells[] = {id, a->key, a->addr, a->site, a->vendor, a->family, a->product,
			       a->model, a->version, a->role, conf,
			       lists_of(x->vr, a, lists, sizeof(lists)),
			       attr_flag_names(a->flags, flags, sizeof(flags)), a->declared_vendor,
			       a->component_vendor};
	x->shown++;
	return rep_row(x->t, cells);
}

static struct vreg *load_vreg(const char *cmd, const struct common *c)
{
	char eb[TM_ERRLEN];
	struct vreg *vr;

	if (kb_load_vreg(&vr, c->kb_dir, c->lists, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap %s: %s\n", cmd, eb);
		return NULL;
	}
	return vr;
}

int cmd_assets(int argc, char **argv)
{
	struct cfg cfg = {0};
	struct lctx x = {.list = -1};
	struct asset_filter f = {0};
	struct store *st = NULL;
	const char **fams = NULL;
	int npos, fmt, rc;

	rc = opt_parse(asset_opts, &cfg, argc, argv, &npos, "[--db URL] [filters] [--format FMT]");
	if (rc)
		return rc > 0 ? 0 : 2;
	rc = 2;
	if ((fmt = cli_format("assets", &cfg.c)) < 0 || !(x.vr = load_vreg("assets", &cfg.c)))
		goto out;
	if (cfg.list) {
		int nf = 0;

		if ((x.list = vreg_list_find(x.vr, cfg.list)) < 0) {
			fprintf(stderr, "trustmap assets: no list named '%s'\n", cfg.list);
			goto out;
		}
		/* prefilter in the store by family; exact role limits in row() */
		fams = mem_calloc((size_t)vreg_count(x.vr) + 1, sizeof(*fams));
		if (!fams)
			goto out;
		for (int v = 0; v < vreg_count(x.vr); v++)
			if (vreg_in_list(x.vr, x.list, v, NULL, -1))
				fams[nf++] = vreg_get(x.vr, v)->id;
		f.families = fams;
	}
	f.vendor = cfg.vendor;
	f.family = cfg.family;
	f.site = cfg.site;
	f.min_conf = cfg.min_conf;
	f.limit = cfg.list ? 0 : cfg.limit;
	if (!(st = cli_store("assets", &cfg.c)))
		goto out;
	if (!(x.t = rep_table_new((enum rep_format)fmt, stdout, cols, 15)))
		goto out;
	if (store_asset_iter(st, &f, row, &x) < 0) {
		fprintf(stderr, "trustmap assets: %s\n", store_errmsg(st));
		goto out;
	}
	rc = 0;
out:
	rep_table_end(x.t);
	store_close(st);
	vreg_free(x.vr);
	mem_free(fams);
	return rc;
}

/* ---- show ---- */

static const struct opt show_opts[] = {
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"format", 'f', "FMT", "table, jsonl or csv (evidence rows)", OPT_STR, offsetof(struct cfg, c.format)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"lists", 0, "FILE", "your own vendor lists (lists.tm format)", OPT_STR, offsetof(struct cfg, c.lists)},
	{NULL},
};

static const struct rep_col ev_cols[] = {
	{"asset", REP_NUM, 6},	  {"kind", REP_STR, 18},     {"strength", REP_STR, 8},
	{"conf", REP_NUM, 5},	  {"rule", REP_STR, 34},     {"says", REP_STR, 16},
	{"product", REP_STR, 20}, {"conflict", REP_STR, 8},  {"value", REP_STR, 70},
};

static int ev_row(void *vc, const struct ev_rec *e)
{
	struct rep_table *t = vc;
	char id[24], conf[16], val[OBS_VALUE_MAX + 1];
	static const char *const sn[] = {"none", "weak", "medium", "fair", "strong"};

	snprintf(id, sizeof(id), "%lld", (long long)e->asset_id);
	snprintf(conf, sizeof(conf), "%.2f", e->conf);
	str_copy(val, sizeof(val), (const char *)e->value, e->len);
	/* NUL bytes end the C string: show what precedes them; esc_* does the rest */
	const char *cells[] = {id, e->kind, e->strength >= 0 && e->strength <= 4 ? sn[e->strength] : "?",
			       conf, e->rule, e->vendor[0] ? e->vendor : e->vendor_raw, e->product,
			       e->conflict ? "yes" : "", val};
	return rep_row(t, cells);
}

int cmd_show(int argc, char **argv)
{
	struct cfg cfg = {0};
	struct store *st = NULL;
	struct vreg *vr = NULL;
	struct asset_rec a;
	struct rep_table *t = NULL;
	int npos, fmt, rc;

	rc = opt_parse(show_opts, &cfg, argc, argv, &npos, "ASSET (id or key) [--db URL]");
	if (rc)
		return rc > 0 ? 0 : 2;
	rc = 2;
	if (npos != 1) {
		fprintf(stderr, "trustmap show: give one asset id or key\n");
		return 2;
	}
	if ((fmt = cli_format("show", &cfg.c)) < 0 || !(vr = load_vreg("show", &cfg.c)) ||
	    !(st = cli_store("show", &cfg.c)))
		goto out;
	if (store_asset_get(st, argv[1], &a)) {
		fprintf(stderr, "trustmap show: no asset '%s'\n", argv[1]);
		goto out;
	}
	if (fmt == REP_TABLE) {
		char lists[128], flags[128];

		printf("asset       %lld  %s\n", (long long)a.id, a.key);
		printf("address     %s%s%s  mac %s  site %s\n", a.addr[0] ? a.addr : "-",
		       a.scope[0] ? " scope " : "", a.scope, a.mac[0] ? a.mac : "-",
		       a.site[0] ? a.site : "-");
		printf("vendor      %s  family %s  confidence %.2f\n", a.vendor[0] ? a.vendor : "unknown",
		       a.family[0] ? a.family : "-", a.conf);
		printf("product     %s  model %s  version %s  role %s\n", a.product[0] ? a.product : "-",
		       a.model[0] ? a.model : "-", a.version[0] ? a.version : "-", a.role[0] ? a.role : "-");
		printf("lists       %s\n", *lists_of(vr, &a, lists, sizeof(lists)) ? lists : "-");
		printf("flags       %s\n", a.flags ? attr_flag_names(a.flags, flags, sizeof(flags)) : "-");
		if (a.declared_vendor[0] || a.component_vendor[0] || a.hint_vendor[0])
			printf("declared    %s  component %s  weak hint %s\n",
			       a.declared_vendor[0] ? a.declared_vendor : "-",
			       a.component_vendor[0] ? a.component_vendor : "-",
			       a.hint_vendor[0] ? a.hint_vendor : "-");
		printf("seen        %d observations\nevidence\n", a.n_obs);
	}
	if (!(t = rep_table_new((enum rep_format)fmt, stdout, ev_cols, 9)))
		goto out;
	if (store_evidence_iter(st, a.id, ev_row, t) < 0) {
		fprintf(stderr, "trustmap show: %s\n", store_errmsg(st));
		goto out;
	}
	rc = 0;
out:
	rep_table_end(t);
	store_close(st);
	vreg_free(vr);
	return rc;
}
