/*
 * cyclic.h - a pseudo-random permutation of [0, N) that costs O(1) memory:
 * walk the multiplicative group modulo a prime p > N from a start element
 * with a generator both chosen from the seed, skipping values >= N (the
 * approach of zmap's cyclic groups).  A shard I/N (and a thread's slice)
 * takes every N-th element of the one permutation, so shards of the same
 * seed are disjoint and together cover everything.
 */
#ifndef TM_SCAN_CYCLIC_H
#define TM_SCAN_CYCLIC_H

#include <stdint.h>

struct scan_cyc {
	uint64_t n;	 /* size of the permuted range */
	uint64_t p, g;	 /* prime > n, generator of (Z/p)* */
	uint64_t first;	 /* group element where the walk starts */
	uint64_t cur;	 /* current group element */
	uint64_t pos;	 /* position in the permutation of the next value */
	uint64_t stride; /* take positions pos % stride == off */
	uint64_t off;
	int started, done;
};

/*
 * Prepares the permutation of [0, n) for seed, restricted to positions k
 * with k % stride == off (stride >= 1, off < stride).  n == 0 gives an empty
 * sequence.  n must be <= 2^40.  Returns 0 or TM_EINVAL.
 */
int scan_cyc_init(struct scan_cyc *c, uint64_t n, uint64_t seed, uint64_t stride, uint64_t off);
/* The next value in *out: 1, or 0 at the end. */
int scan_cyc_next(struct scan_cyc *c, uint64_t *out);

#endif
