/*
 * vendor.h - the vendor registry: canonical ids, display names, aliases as
 * they appear in banners, OUI registrations and CPEs, corporate families with
 * dated ownership, countries, and vendor lists (the built-in fcc-covered and
 * users' own).  Loaded from rules/vendors.tm and rules/lists.tm (the stanza
 * format of stanza.h).
 */
#ifndef TM_VENDOR_H
#define TM_VENDOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vendor_kind {
	VENDOR_EQUIPMENT = 0, /* makes devices */
	VENDOR_COMPONENT,     /* makes parts inside others' devices: NICs, chipsets, modules */
	VENDOR_SOFTWARE,      /* makes software found on many makers' devices (Net-SNMP, OpenSSH) */
};

struct vendor {
	const char *id;	     /* canonical id, lower case: "huawei" */
	const char *name;    /* display name: "Huawei Technologies" */
	const char *country; /* ISO 3166-1 alpha-2, "" unknown */
	enum vendor_kind kind;
};

struct vreg;

/* Loads the registry from dir/vendors.tm and dir/lists.tm.  errbuf names file:line. */
int vreg_load(struct vreg **out, const char *dir, char *errbuf, size_t errlen);
/* Loads one more list file (users' own lists); same format as lists.tm. */
int vreg_load_lists(struct vreg *r, const char *path, char *errbuf, size_t errlen);
void vreg_free(struct vreg *r);

int vreg_count(const struct vreg *r);
const struct vendor *vreg_get(const struct vreg *r, int idx);
/* By canonical id or exact alias, case-insensitive; -1 if none. */
int vreg_find(const struct vreg *r, const char *name, size_t n);
/*
 * The vendor named in free text (an OUI organisation, a product string, a
 * certificate subject): aliases match whole words, the longest alias wins;
 * -1 if none.  Fast enough for the hot path (word hashing, no regex).
 */
int vreg_resolve(const struct vreg *r, const char *text, size_t n);
/* The vendor a private enterprise number was explicitly mapped to ("pen N" fields); -1 if none. */
int vreg_by_pen(const struct vreg *r, uint32_t pen);
/* The top of idx's corporate family on day (days since 1970-01-01; <0 = today). */
int vreg_family(const struct vreg *r, int idx, int64_t day);

/* Lists */
int vreg_list_count(const struct vreg *r);
const char *vreg_list_name(const struct vreg *r, int list);
int vreg_list_find(const struct vreg *r, const char *name);
/*
 * Does vendor idx (or its family on day) belong to list?  role limits the
 * answer for members listed only for some roles (NULL or "" = any role
 * counts).  day < 0 means today.
 */
bool vreg_in_list(const struct vreg *r, int list, int idx, const char *role, int64_t day);

#endif
