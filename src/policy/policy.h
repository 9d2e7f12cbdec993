/*
 * policy.h - a policy file (YAML, docs/policy.md): which vendor lists are
 * restricted where, from when, and with which exceptions.  policy_load()
 * reads the whole file through libyaml, checks every key and value, and
 * either returns a complete policy or none: an error names file:line:column
 * and the field ("policy.yaml:12:5: rules[2].effective: date is YYYY-MM-DD").
 * Unknown keys are errors.  The loaded policy refers to the vendor registry
 * by index (lists and members are resolved at load time) and to zones by
 * their definitions; geometry (GeoJSON files) is loaded by the geo module
 * when the audit needs it, relative to the policy file's directory.
 */
#ifndef TM_POLICY_H
#define TM_POLICY_H

#include <stddef.h>
#include <stdint.h>

struct vreg;

#define POL_NAME 64

/* A member of a policy list: a registry vendor (and its family below it), optionally for some roles. */
struct pol_member {
	int vendor;	     /* registry index */
	const char **roles;  /* NULL-terminated, NULL = every role */
	int64_t from, until; /* days since 1970-01-01; INT64_MIN / INT64_MAX when open */
};

struct pol_list {
	char name[POL_NAME];
	int *builtin; /* registry list indexes included ("include: [fcc-covered]") */
	int nbuiltin;
	struct pol_member *members;
	int nmembers;
	int components; /* a listed maker's part (OUI NIC, OEM base) counts too */
	int declared;	/* an inventory's declared vendor counts when nothing was observed (default 1) */
	unsigned line, col;
};

enum pol_zone_kind {
	PZ_GEOJSON, /* polygons/multipolygons from a GeoJSON file (one zone per feature) */
	PZ_CIRCLE,  /* centre + radius in metres, geodesic on WGS84 */
	PZ_CIDR,    /* address ranges */
	PZ_TAG,	    /* sites carrying one of these tags */
	PZ_ROLE,    /* devices of one of these roles, wherever they are */
	PZ_SITE,    /* these site ids */
};

struct pol_cidr {
	int family; /* 4 or 6 */
	uint8_t addr[16];
	int prefix;
};

struct pol_zone {
	char name[POL_NAME];
	enum pol_zone_kind kind;
	int sensitivity; /* 0.. (higher is more sensitive); for GeoJSON the default when a feature has none */
	/* PZ_GEOJSON */
	char *path;	 /* as written, resolved against the policy's directory by the caller */
	char name_prop[POL_NAME], sens_prop[POL_NAME];
	/* PZ_CIRCLE */
	double lat, lon, radius_m;
	/* PZ_CIDR */
	struct pol_cidr *cidrs;
	int ncidrs;
	/* PZ_TAG, PZ_ROLE, PZ_SITE */
	const char **words; /* NULL-terminated */
	unsigned line, col;
};

enum pol_action { POL_DENY = 0, POL_WARN };
enum pol_share_of { POL_SHARE_DEVICES = 0, POL_SHARE_SITES };

/* Where a rule applies.  Every member is optional; conditions combine with AND. */
struct pol_scope {
	int *zones; /* zone indexes; a device is in scope when in any of them */
	int nzones;
	int min_sensitivity;   /* -1 none: else only zones (or features) at least this sensitive */
	const char **roles;    /* NULL-terminated or NULL */
	const char **operators;
	const char **regions;
	int everywhere;	       /* "scope: all" (no condition at all) */
};

struct pol_rule {
	char id[POL_NAME];
	enum pol_action action;
	int list; /* index into policy.lists */
	struct pol_scope scope;
	int64_t effective; /* days since 1970-01-01; INT64_MIN when always */
	/* share cap: at most max_share (0..1) of the scope's devices or sites from the list; <0 none */
	double max_share;
	enum pol_share_of share_of;
	char *note;
	unsigned line, col;
};

struct pol_exception {
	char asset[96]; /* asset key or inventory ref; "" when by site */
	char site[64];	/* site id; "" when by asset */
	char rule[POL_NAME]; /* "" = every rule */
	char *reason;
	int64_t expires; /* days since 1970-01-01 (the exception holds through that day) */
	unsigned line, col;
};

struct policy {
	char *file;
	char *name; /* "name:" or the file name */
	struct pol_list *lists;
	int nlists;
	struct pol_zone *zones;
	int nzones;
	struct pol_rule *rules;
	int nrules;
	struct pol_exception *exceptions;
	int nexceptions;
	struct arena *arena; /* owns every string and array above */
};

/*
 * Loads path.  vr resolves vendor ids and built-in list names.  Returns 0
 * and *out, or TM_EPROTO/TM_EIO/TM_ELIMIT/TM_ENOMEM with "file:line:col:
 * field: what" in eb and *out NULL.  Files above 16 MiB are refused.
 */
int policy_load(const char *path, const struct vreg *vr, struct policy **out, char *eb, size_t el);
/* Same from memory (file is the name used in messages). */
int policy_parse(const char *file, const char *data, size_t len, const struct vreg *vr,
		 struct policy **out, char *eb, size_t el);
void policy_free(struct policy *p);

int policy_list_find(const struct policy *p, const char *name);
int policy_zone_find(const struct policy *p, const char *name);

/*
 * Is a device of vendor idx (registry index, -1 unknown), component maker
 * comp (-1 none) and role (NULL/"" unknown) on list l on day?  declared_only:
 * the vendor is only an inventory's word.  Returns the registry index that
 * matched (the listed vendor or ancestor) or -1.  An unknown role matches a
 * role-limited member (an unknown role must not hide a restricted device).
 */
int policy_list_match(const struct policy *p, const struct vreg *vr, int l, int idx, int comp,
		      const char *role, int declared_only, int64_t day);

/* Is an exception in force for (asset key or ref, site, rule) on day?  Returns its index or -1. */
int policy_exception_find(const struct policy *p, const char *asset_key, const char *asset_ref,
			  const char *site, const char *rule, int64_t day);

#endif
