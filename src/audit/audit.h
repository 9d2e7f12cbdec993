/*
 * audit.h - "which of it breaks the rule?": a policy (policy/policy.h)
 * applied to the assets and sites in the store on one day.
 *
 * For each asset: the zones it is in (GeoJSON polygons and geodesic circles
 * through its site's coordinates and the spatial index of src/geo; CIDR
 * zones through its address; tag, site and role zones through its site and
 * role), then each rule in force that day: is its maker on the rule's list
 * (role limits, families, components, declared vendors as the list says),
 * is it in the rule's scope (zones at or above a sensitivity, roles,
 * operators, regions), is its attribution confident enough, and does an
 * exception in force cover it.  Share caps count devices (or sites) in scope
 * and those from the list per operator.  Expired exceptions are findings of
 * their own.  Attributions below the confidence threshold, and weak-only
 * hints of a listed maker, that would otherwise be findings are "suspects":
 * the low-confidence attributions that could hide a finding.
 */
#ifndef TM_AUDIT_H
#define TM_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct vreg;
struct policy;
struct asset_rec;

enum audit_kind {
	AF_RULE = 0,	      /* an asset breaks a deny/warn rule */
	AF_SHARE,	      /* a share cap is exceeded in one operator's scope */
	AF_EXCEPTION_EXPIRED, /* an exception past its date */
	AF_SUSPECT,	      /* would be AF_RULE with a confident attribution */
};

enum audit_sev { SEV_CRITICAL = 0, SEV_HIGH, SEV_MEDIUM, SEV_LOW };

/* Why an asset matched (flags of a finding). */
enum audit_why {
	AW_DECLARED_ONLY = 1 << 0, /* the vendor is only the inventory's word */
	AW_COMPONENT = 1 << 1,	   /* a listed maker's part (OUI NIC, OEM base), not the device maker */
	AW_LOW_CONF = 1 << 2,	   /* suspect: attribution below --min-confidence */
	AW_HINT_ONLY = 1 << 3,	   /* suspect: only weak evidence names the listed maker */
	AW_EXCEPTION_EXPIRED = 1 << 4, /* an exception covered it until recently */
};

struct audit_finding {
	enum audit_kind kind;
	enum audit_sev sev;
	int rule;	   /* policy rule index; -1 for none */
	int exception;	   /* AF_EXCEPTION_EXPIRED: the exception's index; else -1 */
	unsigned why;	   /* enum audit_why */
	int64_t asset_id;  /* 0 when not about one asset */
	char asset_key[96];
	char ref[64];
	char addr[46];
	char site[64];
	char operator_[64];
	char region[64];
	char vendor[32];   /* the asset's vendor (or hint / component maker that matched) */
	char listed[32];   /* the listed registry id that matched (vendor or ancestor) */
	char product[64];
	char model[48];
	char role[24];
	double conf;
	char zone[128];	   /* "policy-zone" or "policy-zone/feature"; "" none */
	int sensitivity;   /* of that zone; -1 none */
	int64_t day;	   /* AF_RULE, AF_SUSPECT: the day it is a finding on (audit_opt day or later) */
	/* AF_SHARE */
	char group[64];	   /* the operator ("" none) */
	long n_scope, n_listed;
	double share, cap;
};

struct audit_priv;

struct audit_result {
	/*
	 * Findings: most severe first, then by kind, asset id, rule.  With
	 * audit_opt.lean, f and s stay NULL (n and ns count them) and the
	 * findings are compact records in priv: read them with audit_result_get.
	 */
	struct audit_finding *f;
	size_t n, cap;
	struct audit_finding *s; /* suspects */
	size_t ns, scap;
	/*
	 * The store's assets and sites; those the audit read (all of them, or
	 * only the assets a rule could find and their sites: audit_opt.read_all);
	 * of those read, the ones placed (an asset whose site has coordinates).
	 */
	long assets, assets_read, assets_placed;
	long sites, sites_read, sites_placed;
	long zones_geo;		    /* polygon features and circles indexed */
	long excepted;		    /* findings an exception in force suppressed */
	long rules_in_force;
	double ms_load, ms_join, ms_assets; /* timings, for --stats and benches */
	struct audit_priv *priv;	    /* audit_opt.lean: the compact findings */
};

struct audit_opt {
	int64_t day;	       /* the audit's day (days since 1970-01-01) */
	double min_conf;       /* attributions below are suspects, not findings */
	const char *base_dir;  /* where relative GeoJSON paths start ("" = current directory) */
	/*
	 * For the planner (src/plan/scen.c), optional: later days (ascending)
	 * whose rule findings are wanted from the same pass over the assets
	 * (no suspects, share caps or expired exceptions for them; each
	 * finding's day says which), and a function called once per asset
	 * read, with its site's operator ("" none).
	 */
	const int64_t *later;
	int nlater;
	void (*each)(void *ctx, const struct asset_rec *a, const char *operator_);
	void *each_ctx;
	/*
	 * Optional: rule findings (AF_RULE, on every day) go to this function
	 * (f valid during the call; nonzero stops the audit with that code)
	 * instead of into the result, so that a million need not be held.
	 */
	int (*on_finding)(void *ctx, const struct audit_finding *f);
	void *finding_ctx;
	/*
	 * Optional: keep the findings compact (56 bytes each, plus about 180
	 * per asset found, not ~900 a finding) and fill each one's text only
	 * when audit_result_get reads it: for a caller that prints them one at
	 * a time (trustmap audit).  The compact findings point into p (zone
	 * names): free the result before the policy.
	 */
	int lean;
	/*
	 * Read every asset and site, not only the assets a rule in force could
	 * find with their sites (store_asset_pick).  The audit reads them all
	 * anyway when the store cannot pick, a share cap is in force (it counts
	 * every device) or o->each wants every asset.  The findings are the
	 * same either way; for comparisons and tests.
	 */
	int read_all;
};

/*
 * Runs p over st.  r is filled (free with audit_result_free, also after an
 * error).  Returns 0 or a TM_E* code with "file: what" in eb (a GeoJSON
 * zone that does not load, the store failing).
 */
int audit_run(struct store *st, const struct vreg *vr, const struct policy *p,
	      const struct audit_opt *o, struct audit_result *r, char *eb, size_t el);
void audit_result_free(struct audit_result *r);
/*
 * Finding i (suspect i when suspects) of r into out, whole, in the order
 * above, whether r holds whole records or (audit_opt.lean) compact ones.
 * Returns 0, or TM_EINVAL when there is no such finding.
 */
int audit_result_get(const struct audit_result *r, int suspects, size_t i, struct audit_finding *out);

/*
 * The sensitive sites of p on o->day (for trustmap paths, docs/paths.md): a
 * site is sensitive when one of its site-level zones (a GeoJSON feature or
 * circle covering its coordinates, a tag zone matching its tags, a site
 * zone naming it) is in the zone scope of a deny rule in force: among the
 * rule's zones (any zone when it names none), at least its min_sensitivity,
 * and the site's operator and region allowed by the rule.  Deny rules with
 * no zone condition at all make no site sensitive.  fn gets each sensitive
 * site in id order with its most sensitive such zone ("zone" or
 * "zone/feature"); fn returning nonzero stops (that value is returned).
 * Returns 0 or a TM_E* code with a message in eb.
 */
typedef int (*audit_site_fn)(void *ctx, const char *site, int sensitivity, const char *zone);
int audit_sensitive_sites(struct store *st, const struct vreg *vr, const struct policy *p,
			  const struct audit_opt *o, audit_site_fn fn, void *ctx, char *eb, size_t el);

const char *audit_kind_name(enum audit_kind k); /* "rule", "share", "exception-expired", "suspect" */
const char *audit_sev_name(enum audit_sev s);	/* "critical", "high", "medium", "low" */

#endif
