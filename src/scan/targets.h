/*
 * targets.h - the host half of a scan's target space: addresses, CIDRs and
 * ranges (IPv4 and IPv6; IPv4 kept as ::ffff:a.b.c.d) given on the command
 * line or in files, minus the excluded ones, as a sorted list of disjoint
 * intervals.  Excludes are applied last and always, also inside ranges.
 * With the ports, the space is hosts x ports and index <-> (host, port) is
 * a binary search over the intervals, so nothing grows with the space.
 */
#ifndef TM_SCAN_TARGETS_H
#define TM_SCAN_TARGETS_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 scan_u128;

#define SCAN_SPACE_MAX ((uint64_t)1 << 40) /* refuse bigger target spaces */

struct scan_iv {
	scan_u128 lo, hi; /* inclusive */
};

struct scan_ivs {
	struct scan_iv *v;
	size_t n, cap;
};

struct scan_targets {
	struct scan_ivs inc, exc; /* as given */
	struct scan_iv *r;	  /* after scan_targets_finish: sorted, merged, minus excludes */
	uint64_t *cum;		  /* cum[i]: hosts in r[0..i) */
	size_t nr;
	uint64_t nhosts;
};

/* Zeroes t. */
void scan_targets_init(struct scan_targets *t);
void scan_targets_fini(struct scan_targets *t);
/*
 * Adds one target (exclude != 0: one exclusion): "a.b.c.d", "a.b.c.d/n",
 * "a.b.c.d-e.f.g.h", "a.b.c.d-N" (last octet), "x::y", "x::/n", "x::a-x::b".
 * Returns 0 or TM_EINVAL naming the text.
 */
int scan_targets_add(struct scan_targets *t, const char *spec, int exclude, char *eb, size_t el);
/* Adds every line of a file ('#' starts a comment; blank lines skipped).  Errors name file:line. */
int scan_targets_add_file(struct scan_targets *t, const char *path, int exclude, char *eb, size_t el);
/* Sorts, merges, subtracts excludes, counts.  TM_ELIMIT when hosts > SCAN_SPACE_MAX. */
int scan_targets_finish(struct scan_targets *t, char *eb, size_t el);
/* The i-th host (0 <= i < nhosts) in address order.  O(log intervals). */
scan_u128 scan_targets_host(const struct scan_targets *t, uint64_t i);
/* Whether a is a target after excludes.  O(log intervals). */
int scan_targets_has(const struct scan_targets *t, scan_u128 a);
/* Formats a (IPv4-mapped as dotted quad) into out[46]. */
void scan_addr_str(scan_u128 a, char out[46]);
/* Parses an address into *a; 0 or TM_EINVAL. */
int scan_addr_parse(const char *s, scan_u128 *a);

#endif
