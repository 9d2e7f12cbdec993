/*
 * rules.h - trustmap's own fingerprint rules (the .rules files of rules/): what nmap's
 * probe file lacks, such as SNMP sysDescr texts, per-model sysObjectID
 * subtrees, certificate subjects, HTTP titles and realms of device web UIs,
 * UPnP fields, LLDP/CDP descriptions and DHCP vendor classes.  Each rule is a
 * stanza (stanza.h) naming the observation kinds it reads, a PCRE2 pattern
 * (or an OID prefix), the vendor id and templates for product, model,
 * version, role and os ($1..$9, ${nn} from the pattern's groups).  Every rule
 * carries examples with their expected result and negatives, which
 * rules_selftest() runs.  The format is described in docs/rules.md.
 */
#ifndef TM_RULES_H
#define TM_RULES_H

#include "../attr/cand.h"
#include "../core/obs.h"

#include <stddef.h>

/* Bytes of an observation's value the patterns see; the rest is ignored. */
#define RULES_SUBJECT_MAX 4096

struct rules;
struct vreg;

/*
 * An empty rule set.  vr (the vendor registry, may be NULL) is borrowed and
 * must outlive the set: with it every rule's vendor id must be known, and
 * candidates carry its index; without it candidates carry vendor = -1 and
 * the id in vendor_raw.  Free with rules_free().
 */
int rules_new(struct rules **out, const struct vreg *vr);

/*
 * Adds the rules of one file's text (data, len; file is named in messages).
 * Returns 0, or TM_EPROTO/TM_ELIMIT/TM_ENOMEM with "file:line: message" in
 * eb; the rules read before the bad one stay in rs.
 */
int rules_parse(struct rules *rs, const char *file, const char *data, size_t len, char *eb,
		size_t el);

/*
 * Loads every *.rules file of dir, in name order, into a new set.  On
 * failure *out is NULL, nothing is kept and eb names file:line.
 */
int rules_load_dir(struct rules **out, const char *dir, const struct vreg *vr, char *eb,
		   size_t el);

/* Frees the set; NULL is a no-op. */
void rules_free(struct rules *rs);

size_t rules_count(const struct rules *rs);

/*
 * The candidates one observation yields: every matching pattern rule of its
 * kind, and for a sysObjectID the oid rule with the longest prefix.  Fills
 * out[] (at most max, the strongest kept, strongest first) and returns the
 * count (never negative: when memory runs out the search stops and returns
 * what it found).  Reads only the first RULES_SUBJECT_MAX bytes of the
 * value.  Safe to call from several threads on one set.
 */
int rules_match(const struct rules *rs, const struct obs *o, struct cand *out, int max);

/*
 * Runs every example and negative of every rule against the whole set: an
 * example must yield its expected fields from its own rule, and no rule of
 * another vendor may match it at equal or higher strength (a component rule
 * does not compete with a device rule); a negative must not match its rule.
 * Each is run once per kind of its rule.  report(ctx, msg) gets one message
 * per failure naming file:line.  Returns the failures; *checked (may be NULL)
 * gets the runs made.
 */
int rules_selftest(const struct rules *rs, void (*report)(void *ctx, const char *msg), void *ctx,
		   int *checked);

#endif
