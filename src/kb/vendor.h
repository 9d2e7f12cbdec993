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
	VENDOR_SERVICE,	      /* sells services (carriers), listed for what it operates */
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
/* Loads one more list file (users' own lists); same format as lists.tm, and may define vendors too.
 */
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
 * counts).  day < 0 means today.  Nothing is on a list before its date (or
 * a member's own "from"); membership covers owned vendors, never owners.
 */
bool vreg_in_list(const struct vreg *r, int list, int idx, const char *role, int64_t day);

/*
 * Additions (docs/vendors.md describes the file format and the rules of
 * matching, families and lists).
 */

/* Which record types vreg_parse() accepts. */
#define VREG_VENDORS 1u /* "vendor ID" records */
#define VREG_LISTS   2u /* "list ID" records */

/* An empty registry, to be filled by vreg_parse(); free with vreg_free().  NULL when out of memory.
 */
struct vreg *vreg_new(void);
/*
 * Parses (data, len), read from file (named in messages), into r.  allow is
 * a mask of VREG_VENDORS and VREG_LISTS.  A parent must be defined in this
 * or an earlier call; a list member must already be defined.  Stops at the
 * first error (TM_EPROTO, TM_ELIMIT, TM_ENOMEM, "file:line: ..." in eb);
 * records parsed before it are kept (a bad record is left out whole), so r
 * stays usable.  Pointers from vreg_get() may move when vendors are added.
 */
int vreg_parse(struct vreg *r, const char *file, const char *data, size_t len, unsigned allow,
	       char *eb, size_t el);
/* "equipment", "component", "software", "service". */
const char *vreg_kind_name(enum vendor_kind k);
/* By CPE vendor part ("hikvision", "tp-link", "igor_sysoev"), exact, case-insensitive; -1 if none.
 */
int vreg_by_cpe(const struct vreg *r, const char *cpe_vendor, size_t n);
/*
 * All vendors named in text, each once, in order of first appearance, by
 * the same word matching as vreg_resolve(); writes at most max of them to
 * out and returns how many it wrote, or max + 1 when there were more.
 */
int vreg_resolve_all(const struct vreg *r, const char *text, size_t n, int *out, int max);
/* idx's direct parent on day (<0 = today); -1 if none. */
int vreg_parent(const struct vreg *r, int idx, int64_t day);
/* The list's display title ("" if none) and its source (law, URL; "" if none). */
const char *vreg_list_title(const struct vreg *r, int list);
const char *vreg_list_source(const struct vreg *r, int list);
/* The day the list took effect (days since 1970-01-01); INT64_MIN if it has no date. */
int64_t vreg_list_date(const struct vreg *r, int list);
/*
 * Like vreg_in_list(), but says why: the index of the listed vendor that
 * matched (idx itself or the ancestor whose membership covers it), or -1.
 */
int vreg_list_match(const struct vreg *r, int list, int idx, const char *role, int64_t day);

#endif
