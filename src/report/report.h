/*
 * report.h - the reports people read: one self-contained HTML file (html.c:
 * an inline SVG map of sites and zones, vendor shares by region and
 * operator, findings with their evidence, the run history) and a short
 * Markdown summary (md.c).  Both are written from one model (model.c)
 * gathered once from the store and, when a policy is given, the audit's
 * result.  Every string that came from a device or a file (banners, site
 * names, asset ids, zone names, policy text) goes out through an escaping
 * helper: esc_html for HTML text and attributes, a backslash escape for
 * Markdown.  Nothing in the HTML is fetched from elsewhere.
 */
#ifndef TM_REPORT_H
#define TM_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"

struct policy;
struct audit_result;
struct audit_finding;
struct geo_zones;
struct arena;

#define REP_MAX_FINDINGS 2000 /* findings listed in full in the HTML by default */
#define REP_EVIDENCE 12	      /* evidence items per finding by default */
#define REP_TOP_VENDORS 8     /* vendors named in share charts; the rest is "other" */
#define REP_TOP_GROUPS 25     /* operators / regions charted; the rest is "(other)" */

#define REP_MAX_SCEN 16 /* scenarios (policies) compared */

/*
 * The scenario comparison (scentab.c): rows of (section, key, measure) with
 * one value per scenario, exactly the table `trustmap plan` prints (the
 * sections total, operator, region, role, confidence; docs/plan.md).
 */
enum rep_val { REP_V_COUNT = 0, REP_V_MONEY, REP_V_SHARE }; /* a count, minor units, a fraction */

struct rep_srow {
	char sec[16], key[96], measure[16];
	int kind;		/* enum rep_val */
	double v[REP_MAX_SCEN]; /* per scenario */
};

struct rep_scentab {
	const char *name[REP_MAX_SCEN]; /* the scenarios' (policies') names; not owned */
	int ns;
	const char *currency; /* the cost model's; not owned */
	struct rep_srow *r;
	size_t n, cap;
};

/* One scenario's phased plan, as `trustmap plan --budget-per-year` prints it. */
struct rep_phase {
	int year;
	long items;	 /* plan items placed (an asset, or a clean-path package) */
	long packages;	 /* of them clean-path packages */
	long sites;	 /* sites visited */
	long due;	 /* items with a deadline */
	int64_t spend;	 /* minor units, visits included */
	int64_t budget;	 /* minor units */
	double risk;	 /* risk weight removed */
	double value;	 /* weight x (H - phase + 1) */
};

struct rep_plan {
	const char *scenario; /* the policy's name; not owned */
	struct rep_phase *ph; /* nph phases, the first year first */
	int nph;
	struct rep_phase total; /* the sums over the phases (year 0) */
	long unplaced, unplaced_due;
	int64_t unplaced_cost; /* without visits */
	double unplaced_risk;
	int feasible;	       /* every deadline met */
	long missed;	       /* items missing their deadline */
	int64_t short_lo, short_hi; /* !feasible: the least extra money lies in [lo, hi] */
	int short_exact;
	const char *note; /* the solver, overdue items, what funding blocks: plain text, may be NULL */
};

/* `trustmap paths` for the report (paths.c): devices named as trustmap paths names them. */
struct rep_pdev {
	const char *name; /* inventory id, else asset key */
	const char *site; /* its site id, "" none */
};

struct rep_psite {
	const char *site, *zone;
	int sensitivity;
	long devices;
	int status;		   /* enum paths_status */
	int64_t cost;		   /* replacement, minor units */
	int64_t cut_value;	   /* devices or minor units (cut_money) */
	struct rep_pdev *replace; /* the cheapest clean path's devices to replace */
	size_t nreplace;
	struct rep_pdev *cut; /* the vendor-shutdown cut */
	size_t ncut;
};

struct rep_paths {
	const char *sel;	 /* the core selector */
	int cut_money;		 /* cut_value is money (--cut-by cost) */
	struct rep_psite *s;	 /* sensitive sites, by id */
	size_t n;
	const char **core_sites; /* distinct sites of the core devices */
	size_t ncore_sites;
	long assets, restricted, core, links;
	const char *priced_by; /* the cost model's name; NULL: trustmap paths's fixed prices by role */
};

/* What a report is about.  Only st is required. */
struct rep_in {
	const char *title;		   /* NULL or "": "trustmap report" */
	int64_t generated;		   /* seconds since the epoch (printed as UTC) */
	struct store *st;
	const struct policy *p;		   /* NULL: no audit (sites are drawn unaudited) */
	const struct audit_result *ar;	   /* the audit of p (with p) */
	int64_t day;			   /* the audit's day */
	double min_conf;		   /* the audit's confidence threshold */
	const struct geo_zones *zones;	   /* polygons and circles to draw; may be NULL */
	const char *const *zone_label;	   /* one label per zone ("policy-zone/feature"); may be NULL */
	long max_findings;		   /* 0: REP_MAX_FINDINGS */
	long evidence;			   /* 0: REP_EVIDENCE; < 0 none */
	const struct rep_scentab *scen;	   /* the scenario comparison; NULL none */
	const struct rep_plan *plan;	   /* nplan phased plans (one per scenario); NULL none */
	int nplan;
	const char *currency;		   /* of the money above ("" none) */
	const struct rep_paths *paths;	   /* clean paths to the core; NULL none */
};

/* Vendor share over one dimension (operator or region). */
struct rep_share {
	const char *vendor[REP_TOP_VENDORS]; /* the most common vendors over all assets */
	int nv;
	const char **group; /* groups by assets, most first; the last may be "(other)" */
	long *total;	    /* assets per group */
	long *cnt;	    /* ngroups rows of nv + 1 columns: each top vendor, then every other */
	size_t ngroups;
};

/* A site as the reports need it (strings in the model's arena): a million cost ~100 MB. */
struct rep_site {
	const char *id, *name;
	double lat, lon;
	int has_coords;
	uint32_t op, rg; /* operator and region (model.c's interned ids) */
};

/* What both writers need, read from the store once. */
struct rep_model {
	struct rep_site *sites; /* ordered by id (strcmp) */
	size_t nsites, nplaced;
	signed char *worst;	/* per site: worst finding severity (enum audit_sev), -1 none */
	long assets;
	long sev[4];		/* findings by severity */
	size_t *order;		/* findings by severity, then as the audit gave them */
	struct rep_share by_operator, by_region;
	struct run_rec *runs;
	size_t nruns;
	struct arena *ar;	/* owns the strings above */
};

/* Fills m (free with rep_model_free, also after an error).  Returns 0 or a TM_E* code with eb. */
int rep_model_build(const struct rep_in *in, struct rep_model *m, char *eb, size_t el);
void rep_model_free(struct rep_model *m);
/* The site with this id, or NULL. */
const struct rep_site *rep_site(const struct rep_model *m, const char *id);

/*
 * Loads the policy's GeoJSON and circle zones for the map, as the audit does
 * (relative paths from base_dir).  *zs and *labels (one per zone, strings in
 * ar) are the caller's: geo_zones_free and mem_free.  TM_E* with eb on error.
 */
int rep_zones_load(const struct policy *p, const char *base_dir, struct arena *ar,
		   struct geo_zones **zs, const char ***labels, char *eb, size_t el);

/* Why a finding is one, in a line of plain (unescaped) text. */
void rep_why(const struct policy *p, const struct audit_finding *f, char *out, size_t len);
/* The rule id of a finding, "" when none. */
const char *rep_rule(const struct policy *p, const struct audit_finding *f);
/* "YYYY-MM-DD" of a day number; "YYYY-MM-DD HH:MM:SS UTC" of a time. */
void rep_day(int64_t day, char out[11]);
void rep_time(int64_t t, char out[32]);

/* ---- scentab.c: the scenario table, shared with `trustmap plan` ---- */

struct scen;
struct paths_result;

/*
 * Adds scenario s (its policy's name is the column's) as the next column of
 * t; day is the plan's day (what is due now).  Returns 0, TM_ELIMIT (more
 * than REP_MAX_SCEN) or TM_ENOMEM (t is then still freeable).
 */
int rep_scentab_add(struct rep_scentab *t, const struct scen *s, int64_t day);
/* The totals first in the order added, then the other sections by key and measure. */
void rep_scentab_sort(struct rep_scentab *t);
void rep_scentab_free(struct rep_scentab *t);
/* Row r's value for scenario j as `trustmap plan` prints it ("1234.50", "0.2500", "12"). */
const char *rep_scentab_cell(const struct rep_srow *r, int j, char *out, size_t len);
/* Minor units as "1234.50" (or "-0.05"). */
const char *rep_money(int64_t minor, char *out, size_t len);

/*
 * The report's view of a paths result: each device by name and site (read
 * from st), the core's distinct sites.  Strings and arrays in ar (freed with
 * it).  Returns 0 or TM_ENOMEM.
 */
int rep_paths_build(struct store *st, const struct paths_result *r, const char *core, int cut_money,
		    struct arena *ar, struct rep_paths *out);

/* The HTML report to out.  Returns 0 or a TM_E* code with eb (TM_EIO when out fails). */
int rep_html(FILE *out, const struct rep_in *in, char *eb, size_t el);
/* The Markdown summary to out. */
int rep_md(FILE *out, const struct rep_in *in, char *eb, size_t el);

#endif
