/*
 * oid.h - object identifiers as text and as arcs.  SNMP sysObjectIDs arrive
 * from scans, captures and imports in several spellings ("1.3.6.1.4.1.2011.2",
 * ".1.3.6.1...", net-snmp's "iso.3.6.1..." and "SNMPv2-SMI::enterprises.2011");
 * oid_parse() turns all of them into an array of 32-bit arcs, oid_format()
 * writes the canonical dotted form, and oid_pen() pulls out the private
 * enterprise number (RFC 2578 section 2: enterprises = 1.3.6.1.4.1).
 * Product-agnostic: knows no trustmap types.
 */
#ifndef TM_OID_H
#define TM_OID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OID_MAX_ARCS 128

/*
 * Parses a dotted OID of n bytes (need not be NUL-terminated): digits with or
 * without a leading '.', optionally led by a module qualifier "MODULE::" and
 * by one well-known name as first component (iso, org, dod, internet,
 * private, enterprises, mib-2, ccitt, joint-iso-ccitt, ...).  White space at
 * either end is ignored.  Writes at most max arcs into arcs.  Returns the arc
 * count (> 0), or TM_EPROTO for an empty string, a non-digit, an empty arc,
 * an arc above 2^32-1 or more than max arcs; TM_EINVAL when max <= 0.  arcs
 * may be partly written on failure.
 */
int oid_parse(const char *s, size_t n, uint32_t *arcs, int max);

/* Does a (n arcs) start with prefix (pn arcs)?  An empty prefix always matches. */
bool oid_has_prefix(const uint32_t *a, int n, const uint32_t *prefix, int pn);

/*
 * Writes "1.3.6.1..." (no leading dot) into out.  Returns 0, or TM_ELIMIT
 * when out is too small (out then holds "" if outlen > 0).  n == 0 gives "".
 */
int oid_format(const uint32_t *arcs, int n, char *out, size_t outlen);

/*
 * The private enterprise number of an OID under 1.3.6.1.4.1 (the arc right
 * after it): returns 0 and sets *pen, or TM_ENOTFOUND when the OID is not
 * below enterprises (1.3.6.1.4.1 itself has no PEN).
 */
int oid_pen(const uint32_t *arcs, int n, uint32_t *pen);

#endif
