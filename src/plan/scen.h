/*
 * scen.h - a scenario: one policy's answer to "what would it cost?".  The
 * assets that must change are those that are findings of a deny rule of the
 * policy (src/audit) on the plan's day or on any later day where the
 * findings change (each rule's effective date, the day after each
 * exception expires, each list member's from date); each asset keeps the
 * first such day (its due day).  Each gets a cost role (its own, or one
 * guessed from its attribution text, marked guessed), a cost from the model
 * (unit + labour, times its region's factor), a confidence band, and its
 * site (assets without one are a site of their own).  Sites carry the visit
 * and overhead costs.  The totals by operator, region and role, shares of
 * each operator's network and the confidence spread are computed by
 * scen_totals().
 */
#ifndef TM_SCEN_H
#define TM_SCEN_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct vreg;
struct policy;
struct cost_model;

/* Confidence bands (docs/cost.md): how firmly the attribution names a listed maker. */
enum scen_band { SB_STRONG = 0, SB_MEDIUM, SB_WEAK, SB_DECLARED, SB_N };

struct scen_asset {
	int64_t id;
	char ref[64];	  /* inventory id, else asset key */
	uint32_t site;	  /* index into scen.sites */
	int role;	  /* enum cost_role */
	int guessed;	  /* the role was guessed */
	int band;	  /* enum scen_band */
	int64_t due;	  /* first day it is a finding (days since 1970-01-01) */
	double cost;	  /* (unit + labour) x region factor */
	double weight;	  /* the model's risk weight of its role */
	char role_in[24]; /* the role attribution or the inventory gave ("" none) */
	char text[64], text2[48]; /* product and model, for guessing the role */
};

struct scen_site {
	const char *id;	     /* site id, or "asset:<key>" for an asset without a site */
	uint32_t op, region; /* indexes into scen.strs */
	double visit, overhead; /* the model's, times the region's factor */
	long n;		     /* scenario assets at the site */
};

struct scen {
	const struct policy *p;
	struct scen_asset *a;
	size_t n, cap;
	struct scen_site *sites;
	size_t nsites, capsites;
	const char **strs; /* interned operator and region names; [0] = "" */
	size_t nstrs, capstrs;
	long *op_assets;   /* per interned string: every asset in the store of that operator */
	long assets_total; /* assets in the store */
	long n_days;	   /* audit days evaluated */
	long share_findings; /* share-cap findings (not itemised: no single asset must go) */
	struct scen_priv *priv;
};

struct scen_opt {
	int64_t day;	      /* the plan's day (--date) */
	double min_conf;      /* attributions below are suspects, not findings */
	const char *base_dir; /* the policy's directory for its GeoJSON files */
};

/*
 * Evaluates policy p over st with cost model m into s (free with
 * scen_free, also after an error).  Returns 0 or a TM_E* code with a
 * message in eb.
 */
int scen_eval(struct store *st, const struct vreg *vr, const struct policy *p, const struct cost_model *m,
	      const struct scen_opt *o, struct scen *s, char *eb, size_t el);
void scen_free(struct scen *s);

const char *scen_band_name(int band); /* "strong", "medium", "weak", "declared-only" */

#endif
