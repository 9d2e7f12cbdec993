/*
 * cost.h - the cost model (docs/cost.md): what replacing a device costs, by
 * its role, with labour per device, one charge per site visit, a per-site
 * overhead, an optional factor by region, a currency, and a risk weight by
 * role for the planner.  cost_load() reads a YAML file with libyaml the way
 * policy.c does: the whole file or nothing, every error naming
 * file:line:column and the field; unknown keys, unknown roles, negative or
 * missing costs and a bad currency are errors.  Assets without a role get
 * one guessed from their attribution text (cost_guess_role), marked guessed.
 */
#ifndef TM_COST_H
#define TM_COST_H

#include <stddef.h>

/* The roles a cost model prices, in this order (cost_role_name). */
enum cost_role {
	CR_RAN_BASEBAND = 0,
	CR_RAN_RADIO,
	CR_CORE_ROUTER,
	CR_ROUTER,
	CR_AGG_SWITCH,
	CR_SWITCH,
	CR_ACCESS_SWITCH,
	CR_FIREWALL,
	CR_ONT,
	CR_CPE,
	CR_CAMERA,
	CR_NVR,
	CR_DVR,
	CR_RADIO,
	CR_SERVER,
	CR_OTHER,
	CR_N
};

/* Role classes for --core-first and the default risk weights (docs/plan.md). */
enum cost_class { CC_CORE = 0, CC_AGG, CC_ACCESS };

#define COST_MAX_REGIONS 10000
#define COST_MAX_MONEY 1e12 /* any one figure */

struct cost_region {
	char name[64];
	double factor; /* multiplies every cost at a site of that region */
};

struct cost_model {
	char *file;
	char *name;
	char currency[4];	  /* ISO 4217 code, upper case: "USD" */
	double unit[CR_N];	  /* equipment, per device of the role */
	double weight[CR_N];	  /* risk weight per device of the role (> 0) */
	double labour;		  /* per device */
	double site_visit;	  /* per site and per phase in which work is done there */
	double site_overhead;	  /* once per site: design, permits, structural checks */
	struct cost_region *regions;
	int nregions;
	struct arena *arena;	  /* owns file, name, regions */
};

/*
 * Loads path.  Returns 0 and *out (free with cost_free), or TM_EPROTO /
 * TM_EIO / TM_ELIMIT / TM_ENOMEM with "file:line:col: field: what" in eb and
 * *out NULL.  Files above 1 MiB are refused.
 */
int cost_load(const char *path, struct cost_model **out, char *eb, size_t el);
/* Same from memory; file names the source in messages. */
int cost_parse(const char *file, const char *data, size_t len, struct cost_model **out, char *eb, size_t el);
void cost_free(struct cost_model *m);

/* The region's factor (1 when the model names none for it). */
double cost_region_factor(const struct cost_model *m, const char *region);

const char *cost_role_name(int role); /* "ran-baseband", ... */
int cost_role_find(const char *name); /* exact role name -> index, or -1 */
int cost_role_class(int role);	      /* enum cost_class */
const char *cost_class_name(int cls);  /* "core", "aggregation", "access" */

/*
 * The cost role of an asset.  role: the asset's role as attribution or the
 * inventory gave it (a cost role name, or a synonym such as "ran", "olt",
 * "ap"); when that is empty or unknown, the role is guessed from text (the
 * product, model, sysDescr and other evidence strings, NULL-terminated, any
 * of them NULL) by words such as "BBU", "EchoLife", "NVR", "DS-2CD", and
 * *guessed is set.  Never fails: "other" (guessed) when nothing fits.
 */
int cost_guess_role(const char *role, const char *const *text, int *guessed);

#endif
