/*
 * geo.c - the exact polygon predicates: the sign of an orientation
 * determinant on doubles, computed exactly (a floating-point filter with
 * Shewchuk's error bound, then an exact expansion sum when the filter cannot
 * decide), and point-in-ring by ray crossing on top of it, so that "on an
 * edge" is decided exactly, not within a tolerance.  Rings with many
 * vertices carry y-slabs (edges bucketed by latitude band) so a test reads
 * only the edges whose latitude range holds the point.  docs/geo.md has the
 * argument.
 */
#include "geo_int.h"

#include "../core/err.h"
#include "../core/mem.h"

#include <math.h>
#include <stdlib.h>

/* y-slabs: slab s holds the edges (index of their first vertex) whose latitude range meets it */
struct geo_slabs {
	double y0, inv_h; /* slab of y: floor((y - y0) * inv_h), clamped */
	uint32_t k;	  /* slabs */
	uint32_t *start;  /* k + 1 offsets into edge */
	uint32_t *edge;
};

/* --- exact orientation ---------------------------------------------------- */

/* x + y == a + b exactly (Knuth's TwoSum). */
static inline void two_sum(double a, double b, double *x, double *y)
{
	double s = a + b, bv = s - a, av = s - bv;

	*x = s;
	*y = (a - av) + (b - bv);
}

/* x + y == a - b exactly. */
static inline void two_diff(double a, double b, double *x, double *y)
{
	double s = a - b, bv = a - s, av = s + bv;

	*x = s;
	*y = (a - av) + (bv - b);
}

/* x + y == a * b exactly (fma is exact in glibc, in hardware or not). */
static inline void two_prod(double a, double b, double *x, double *y)
{
	double p = a * b;

	*x = p;
	*y = fma(a, b, -p);
}

/*
 * Adds b to the non-overlapping expansion e[0..n) (increasing magnitude),
 * giving n + 1 components in e (Shewchuk's GROW-EXPANSION).
 */
static int grow(double *e, int n, double b)
{
	double q = b, h;

	for (int i = 0; i < n; i++) {
		two_sum(q, e[i], &q, &h);
		e[i] = h;
	}
	e[n] = q;
	return n + 1;
}

/* The sign of (bx-ax)(cy-ay) - (by-ay)(cx-ax) in exact arithmetic. */
static int orient_exact(struct geo_pt a, struct geo_pt b, struct geo_pt c)
{
	double d[4][2], t[16], e[17];
	int n = 0, k = 0;

	two_diff(b.x, a.x, &d[0][0], &d[0][1]);
	two_diff(c.y, a.y, &d[1][0], &d[1][1]);
	two_diff(b.y, a.y, &d[2][0], &d[2][1]);
	two_diff(c.x, a.x, &d[3][0], &d[3][1]);
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			two_prod(d[0][i], d[1][j], &t[k], &t[k + 1]);
			k += 2;
			two_prod(-d[2][i], d[3][j], &t[k], &t[k + 1]);
			k += 2;
		}
	for (int i = 0; i < 16; i++)
		n = grow(e, n, t[i]);
	for (int i = n - 1; i >= 0; i--)
		if (e[i] != 0)
			return e[i] > 0 ? 1 : -1;
	return 0;
}

int geo_orient(struct geo_pt a, struct geo_pt b, struct geo_pt c)
{
	/* Shewchuk's ccwerrboundA, (3 + 16 eps) eps with eps = 2^-53 */
	static const double bound = (3.0 + 16.0 * 0x1p-53) * 0x1p-53;
	double l = (b.x - a.x) * (c.y - a.y), r = (b.y - a.y) * (c.x - a.x), det = l - r;
	double err = bound * (fabs(l) + fabs(r));

	if (det > err)
		return 1;
	if (-det > err)
		return -1;
	if (l == 0 && r == 0)
		return 0; /* both products exact zeros: a factor was an exact zero difference */
	return orient_exact(a, b, c);
}

/* --- point in ring ---------------------------------------------------------- */

/*
 * One edge of the ray-crossing test (ray from p towards +x).  Returns 1 when
 * p lies on the edge; otherwise counts a crossing into *cross.  Half-open in
 * latitude, so a vertex on the ray is counted once.
 */
static inline int edge_step(struct geo_pt a, struct geo_pt b, struct geo_pt p, unsigned *cross)
{
	if (a.x < p.x && b.x < p.x)
		return 0;
	if (a.x == p.x && a.y == p.y)
		return 1;
	if (a.y == p.y && b.y == p.y) {
		double lo = a.x < b.x ? a.x : b.x, hi = a.x < b.x ? b.x : a.x;

		return p.x >= lo && p.x <= hi;
	}
	if ((a.y > p.y && b.y <= p.y) || (b.y > p.y && a.y <= p.y)) {
		int o = geo_orient(a, b, p);

		if (o == 0)
			return 1;
		if (b.y < a.y)
			o = -o;
		if (o > 0)
			(*cross)++;
	}
	return 0;
}

static inline uint32_t slab_of(const struct geo_slabs *s, double y)
{
	double t = (y - s->y0) * s->inv_h;

	if (!(t > 0))
		return 0;
	if (t >= (double)s->k)
		return s->k - 1;
	return (uint32_t)t;
}

int geo_ring_locate(const struct geo_ring *r, struct geo_pt p)
{
	unsigned cross = 0;

	if (p.x < r->bb[0] || p.x > r->bb[2] || p.y < r->bb[1] || p.y > r->bb[3])
		return -1;
	if (r->sl) {
		const struct geo_slabs *s = r->sl;
		uint32_t k = slab_of(s, p.y);

		for (uint32_t i = s->start[k]; i < s->start[k + 1]; i++) {
			uint32_t e = s->edge[i];

			if (edge_step(r->v[e], r->v[e + 1], p, &cross))
				return 0;
		}
	} else {
		for (uint32_t e = 0; e + 1 < r->n; e++)
			if (edge_step(r->v[e], r->v[e + 1], p, &cross))
				return 0;
	}
	return (cross & 1) ? 1 : -1;
}

/* Slabs for rings longer than this; shorter ones are read whole. */
#define SLAB_MIN_EDGES 48

/* Entries of every slab for k slabs; fills start[] when it is not NULL. */
static uint64_t slab_fill(const struct geo_ring *r, struct geo_slabs *s, uint32_t *start,
			  uint32_t *edge)
{
	uint64_t tot = 0;

	for (uint32_t e = 0; e + 1 < r->n; e++) {
		double ya = r->v[e].y, yb = r->v[e + 1].y;
		uint32_t lo = slab_of(s, ya < yb ? ya : yb), hi = slab_of(s, ya < yb ? yb : ya);

		for (uint32_t k = lo; k <= hi; k++) {
			if (edge)
				edge[start[k]++] = e;
			else if (start)
				start[k + 1]++;
		}
		tot += hi - lo + 1;
	}
	return tot;
}

/* Builds r->sl when the ring is long.  0 or TM_ENOMEM (the ring stays usable without). */
int geo_ring_index(struct geo_ring *r)
{
	uint32_t ne = r->n - 1;
	struct geo_slabs *s;
	uint64_t tot;

	if (ne < SLAB_MIN_EDGES || r->bb[3] <= r->bb[1])
		return 0;
	s = mem_calloc(1, sizeof(*s));
	if (!s)
		return TM_ENOMEM;
	s->k = ne / 4 < 65536 ? ne / 4 : 65536;
	s->y0 = r->bb[1];
	for (;;) {
		s->inv_h = (double)s->k / (r->bb[3] - r->bb[1]);
		tot = slab_fill(r, s, NULL, NULL);
		if (tot <= (uint64_t)ne * 8 || s->k == 1)
			break;
		s->k /= 2;
	}
	s->start = mem_calloc((size_t)s->k + 1, sizeof(uint32_t));
	s->edge = tot < UINT32_MAX ? mem_alloc((size_t)tot * sizeof(uint32_t)) : NULL;
	if (!s->start || !s->edge) {
		mem_free(s->start);
		mem_free(s->edge);
		mem_free(s);
		return TM_ENOMEM;
	}
	slab_fill(r, s, s->start, NULL);
	for (uint32_t k = 0; k < s->k; k++)
		s->start[k + 1] += s->start[k];
	slab_fill(r, s, s->start, s->edge); /* advances start[k] to the end of slab k ... */
	for (uint32_t k = s->k; k > 0; k--) /* ... so shift back by one */
		s->start[k] = s->start[k - 1];
	s->start[0] = 0;
	r->sl = s;
	return 0;
}

void geo_ring_unindex(struct geo_ring *r)
{
	if (!r->sl)
		return;
	mem_free(r->sl->start);
	mem_free(r->sl->edge);
	mem_free(r->sl);
	r->sl = NULL;
}

/* --- zones -------------------------------------------------------------------- */

static int poly_covers(const struct geo_poly *p, struct geo_pt q)
{
	if (geo_ring_locate(&p->r[0], q) < 0)
		return 0;
	for (uint32_t i = 1; i < p->nr; i++)
		if (geo_ring_locate(&p->r[i], q) > 0)
			return 0; /* strictly inside a hole; its boundary still counts */
	return 1;
}

int geo_zone_covers(const struct geo_zone *z, double lat, double lon)
{
	struct geo_pt q = {fabs(lon) < GEO_TINY ? 0 : lon, fabs(lat) < GEO_TINY ? 0 : lat};

	if (!(q.x >= z->bb[0] && q.x <= z->bb[2] && q.y >= z->bb[1] && q.y <= z->bb[3]))
		return 0;
	if (z->kind == GEO_CIRCLE)
		return geo_circle_covers(z, lat, lon);
	for (uint32_t i = 0; i < z->np; i++)
		if (poly_covers(&z->p[i], q))
			return 1;
	return 0;
}

/* --- simple rings ------------------------------------------------------------- */

/* min and max without fmin's NaN rules (positions are finite), so they inline */
static inline double lo2(double a, double b)
{
	return a < b ? a : b;
}

static inline double hi2(double a, double b)
{
	return a < b ? b : a;
}

static inline int on_seg(struct geo_pt a, struct geo_pt b, struct geo_pt p)
{
	return p.x >= lo2(a.x, b.x) && p.x <= hi2(a.x, b.x) && p.y >= lo2(a.y, b.y) &&
	       p.y <= hi2(a.y, b.y);
}

/* Edges p->q and q->r, sharing q: do they overlap beyond it (a spike)? */
static int adj_overlap(struct geo_pt p, struct geo_pt q, struct geo_pt r)
{
	return geo_orient(p, q, r) == 0 && (on_seg(p, q, r) || on_seg(q, r, p));
}

/* Whether edges i < j of the ring meet anywhere but at the vertex adjacent edges share. */
static int edges_meet(const struct geo_ring *r, uint32_t i, uint32_t j)
{
	struct geo_pt a = r->v[i], b = r->v[i + 1], c = r->v[j], d = r->v[j + 1];
	int o1, o2, o3, o4;

	if (hi2(a.x, b.x) < lo2(c.x, d.x) || hi2(c.x, d.x) < lo2(a.x, b.x) ||
	    hi2(a.y, b.y) < lo2(c.y, d.y) || hi2(c.y, d.y) < lo2(a.y, b.y))
		return 0;
	if (j == i + 1)
		return adj_overlap(a, b, d);
	if (i == 0 && j == r->n - 2)
		return adj_overlap(c, a, b);
	o1 = geo_orient(a, b, c);
	o2 = geo_orient(a, b, d);
	if (o1 * o2 > 0)
		return 0;
	o3 = geo_orient(c, d, a);
	o4 = geo_orient(c, d, b);
	if (o3 * o4 > 0)
		return 0;
	return 1; /* crossing, touching, or collinear with overlapping boxes */
}

#define SIMPLE_MAX_PAIRS 64000000ULL

/* an edge of a slab, for the sweep along x */
struct sweep {
	double x0, x1; /* longitude range */
	uint32_t e;
};

static int cmp_sweep(const void *a, const void *b)
{
	const struct sweep *p = a, *q = b;

	return (p->x0 > q->x0) - (p->x0 < q->x0);
}

/*
 * Pairs of one slab whose longitude ranges overlap (a sweep over edges
 * sorted by their west end), each tested once: in the first slab both
 * edges are in.  1 with *e1 < *e2 when two meet, 0, or TM_ELIMIT.
 */
static int slab_pairs(const struct geo_ring *r, uint32_t k, struct sweep *sw, uint64_t *pairs,
		      uint32_t *e1, uint32_t *e2)
{
	const struct geo_slabs *sl = r->sl;
	uint32_t m = sl->start[k + 1] - sl->start[k];

	for (uint32_t a = 0; a < m; a++) {
		uint32_t e = sl->edge[sl->start[k] + a];

		sw[a] =
		    (struct sweep){lo2(r->v[e].x, r->v[e + 1].x), hi2(r->v[e].x, r->v[e + 1].x), e};
	}
	qsort(sw, m, sizeof(*sw), cmp_sweep);
	for (uint32_t a = 0; a < m; a++) {
		uint32_t i = sw[a].e, ki = slab_of(sl, lo2(r->v[i].y, r->v[i + 1].y));

		for (uint32_t b = a + 1; b < m && sw[b].x0 <= sw[a].x1; b++) {
			uint32_t j = sw[b].e, kj = slab_of(sl, lo2(r->v[j].y, r->v[j + 1].y));
			uint32_t lo = i < j ? i : j, hi = i < j ? j : i;

			if (++*pairs > SIMPLE_MAX_PAIRS)
				return TM_ELIMIT;
			if ((ki > kj ? ki : kj) != k)
				continue;
			if (edges_meet(r, lo, hi)) {
				*e1 = lo;
				*e2 = hi;
				return 1;
			}
		}
	}
	return 0;
}

int geo_ring_simple(const struct geo_ring *r, uint32_t *e1, uint32_t *e2)
{
	uint32_t ne = r->n - 1, maxm = 0;
	uint64_t pairs = 0;
	struct sweep *sw;
	int rc = 0;

	if (!r->sl) {
		for (uint32_t i = 0; i < ne; i++)
			for (uint32_t j = i + 1; j < ne; j++)
				if (edges_meet(r, i, j)) {
					*e1 = i;
					*e2 = j;
					return 1;
				}
		return 0;
	}
	/* two edges that meet share a latitude, hence a slab, and overlap in longitude */
	for (uint32_t k = 0; k < r->sl->k; k++)
		if (r->sl->start[k + 1] - r->sl->start[k] > maxm)
			maxm = r->sl->start[k + 1] - r->sl->start[k];
	sw = mem_alloc((size_t)maxm * sizeof(*sw));
	if (!sw)
		return TM_ENOMEM;
	for (uint32_t k = 0; k < r->sl->k && !rc; k++)
		rc = slab_pairs(r, k, sw, &pairs, e1, e2);
	mem_free(sw);
	return rc;
}
