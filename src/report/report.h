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

/* The HTML report to out.  Returns 0 or a TM_E* code with eb (TM_EIO when out fails). */
int rep_html(FILE *out, const struct rep_in *in, char *eb, size_t el);
/* The Markdown summary to out. */
int rep_md(FILE *out, const struct rep_in *in, char *eb, size_t el);

#endif
