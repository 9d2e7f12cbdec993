/*
 * cyclic.c - permutations from cyclic groups: next prime, factoring p-1 by
 * trial division (p <= 2^40 + small, so sqrt is about 2^20), picking a
 * generator from the seed, and walking the cycle.
 */
#include "cyclic.h"

#include "../core/err.h"

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
	return (uint64_t)((unsigned __int128)a * b % m);
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
	uint64_t r = 1 % m;

	for (b %= m; e; e >>= 1, b = mulmod(b, b, m))
		if (e & 1)
			r = mulmod(r, b, m);
	return r;
}

static int is_prime(uint64_t n)
{
	if (n < 2)
		return 0;
	for (uint64_t d = 2; d * d <= n; d++)
		if (n % d == 0)
			return 0;
	return 1;
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Whether g generates (Z/p)*, given the distinct prime factors q[0..nq) of p-1. */
static int is_gen(uint64_t g, uint64_t p, const uint64_t *q, int nq)
{
	for (int i = 0; i < nq; i++)
		if (powmod(g, (p - 1) / q[i], p) == 1)
			return 0;
	return 1;
}

int scan_cyc_init(struct scan_cyc *c, uint64_t n, uint64_t seed, uint64_t stride, uint64_t off)
{
	uint64_t q[64], m, s = seed;
	int nq = 0;

	if (stride == 0 || off >= stride || n > ((uint64_t)1 << 40))
		return TM_EINVAL;
	c->n = n;
	c->stride = stride;
	c->off = off;
	c->pos = 0;
	c->started = 0;
	c->done = n == 0;
	c->p = n + 1;
	while (!is_prime(c->p))
		c->p++;
	m = c->p - 1;
	for (uint64_t d = 2; d * d <= m; d++)
		if (m % d == 0) {
			q[nq++] = d;
			while (m % d == 0)
				m /= d;
		}
	if (m > 1)
		q[nq++] = m;
	c->g = 1;
	if (c->p > 2) {
		do
			c->g = 2 + splitmix(&s) % (c->p - 2); /* in [2, p-1] */
		while (!is_gen(c->g, c->p, q, nq));
	}
	c->first = 1 + splitmix(&s) % (c->p - 1);
	c->cur = c->first;
	return 0;
}

/* The next value of the whole permutation; 0 at the end. */
static int step(struct scan_cyc *c, uint64_t *out)
{
	for (;;) {
		if (c->started && c->cur == c->first) {
			c->done = 1;
			return 0;
		}
		uint64_t v = c->cur - 1;
		c->started = 1;
		c->cur = mulmod(c->cur, c->g, c->p);
		if (v < c->n) {
			*out = v;
			return 1;
		}
	}
}

int scan_cyc_next(struct scan_cyc *c, uint64_t *out)
{
	uint64_t v;

	while (!c->done && step(c, &v)) {
		if (c->pos++ % c->stride == c->off) {
			*out = v;
			return 1;
		}
	}
	return 0;
}
