/*
 * index.c - the spatial index over zones: a uniform grid over the union of
 * the zones' bounding boxes, each cell listing (in zone order) the zones
 * whose box meets it, in one compressed array.  Cells are about the size of
 * the median zone, so a site reads a handful of candidates; a zone whose box
 * would fill too many cells goes to a short "big" list read for every site
 * instead.  The cell of a coordinate is a monotone function of it, so a
 * point inside a zone's box always lands in one of the zone's cells.  The
 * batch join sorts sites by cell (counting sort) so neighbouring sites reuse
 * the same zones from the cache.
 */
#include "geo_int.h"

#include "../core/err.h"
#include "../core/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRID_MAX_SIDE  2048
#define GRID_MAX_CELLS (1u << 20)

struct geo_index {
	const struct geo_zones *zs;
	double x0, y0, ix, iy; /* cell of (x, y): floor((x - x0) * ix), floor((y - y0) * iy) */
	uint32_t gx, gy;
	uint32_t *start; /* gx * gy + 1 offsets into ent */
	uint32_t *ent;	 /* zone ids */
	uint32_t *big;	 /* zones not in the grid */
	uint32_t nbig;
	uint64_t nent;
};

static inline uint32_t cell1(double v, double v0, double inv, uint32_t n)
{
	double t = (v - v0) * inv;

	if (!(t > 0))
		return 0;
	if (t >= (double)n)
		return n - 1;
	return (uint32_t)t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of the zones' box sizes along one axis (0 = x, 1 = y); 0 when unknown. */
static double median_size(const struct geo_zones *zs, int axis)
{
	double *v = mem_alloc(zs->n * sizeof(*v)), m;

	if (!v)
		return 0;
	for (size_t i = 0; i < zs->n; i++)
		v[i] = zs->z[i].bb[2 + axis] - zs->z[i].bb[axis];
	qsort(v, zs->n, sizeof(*v), cmp_double);
	m = v[zs->n / 2];
	mem_free(v);
	return m;
}

/* Chooses the grid: the extent of all boxes, cells near the median zone size. */
static void grid_shape(struct geo_index *ix)
{
	const struct geo_zones *zs = ix->zs;
	double bb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY}, w, h, mw, mh;
	double nx, ny;

	for (size_t i = 0; i < zs->n; i++) {
		bb[0] = fmin(bb[0], zs->z[i].bb[0]);
		bb[1] = fmin(bb[1], zs->z[i].bb[1]);
		bb[2] = fmax(bb[2], zs->z[i].bb[2]);
		bb[3] = fmax(bb[3], zs->z[i].bb[3]);
	}
	w = bb[2] - bb[0];
	h = bb[3] - bb[1];
	mw = median_size(zs, 0);
	mh = median_size(zs, 1);
	nx = mw > 0 && w > 0 ? ceil(w / mw) : 1;
	ny = mh > 0 && h > 0 ? ceil(h / mh) : 1;
	nx = fmin(fmax(nx, 1), GRID_MAX_SIDE);
	ny = fmin(fmax(ny, 1), GRID_MAX_SIDE);
	while (nx * ny > GRID_MAX_CELLS) {
		if (nx > ny)
			nx = ceil(nx / 2);
		else
			ny = ceil(ny / 2);
	}
	ix->gx = (uint32_t)nx;
	ix->gy = (uint32_t)ny;
	ix->x0 = bb[0];
	ix->y0 = bb[1];
	ix->ix = w > 0 ? nx / w : 0;
	ix->iy = h > 0 ? ny / h : 0;
}

/* Cells of zone z: [c[0], c[2]] x [c[1], c[3]] */
static uint64_t zone_cells(const struct geo_index *ix, const struct geo_zone *z, uint32_t c[4])
{
	c[0] = cell1(z->bb[0], ix->x0, ix->ix, ix->gx);
	c[2] = cell1(z->bb[2], ix->x0, ix->ix, ix->gx);
	c[1] = cell1(z->bb[1], ix->y0, ix->iy, ix->gy);
	c[3] = cell1(z->bb[3], ix->y0, ix->iy, ix->gy);
	return (uint64_t)(c[2] - c[0] + 1) * (c[3] - c[1] + 1);
}

int geo_index_build(const struct geo_zones *zs, struct geo_index **out, char *eb, size_t el)
{
	struct geo_index *ix = mem_calloc(1, sizeof(*ix));
	uint64_t ncell, limit;
	uint32_t c[4];

	*out = NULL;
	if (!ix)
		return err_set(eb, el, TM_ENOMEM, "out of memory for the spatial index");
	ix->zs = zs;
	if (zs->n)
		grid_shape(ix);
	else
		ix->gx = ix->gy = 1;
	ncell = (uint64_t)ix->gx * ix->gy;
	limit = zs->n ? 16 * ncell / zs->n : ncell;
	limit = limit < 256 ? 256 : limit;
	ix->start = mem_calloc(ncell + 1, sizeof(uint32_t));
	ix->big = mem_alloc((zs->n ? zs->n : 1) * sizeof(uint32_t));
	if (!ix->start || !ix->big)
		goto nomem;
	for (size_t i = 0; i < zs->n; i++) {
		uint64_t k = zone_cells(ix, &zs->z[i], c);

		if (k > limit) {
			ix->big[ix->nbig++] = (uint32_t)i;
			continue;
		}
		for (uint32_t y = c[1]; y <= c[3]; y++)
			for (uint32_t x = c[0]; x <= c[2]; x++)
				ix->start[(uint64_t)y * ix->gx + x + 1]++;
		ix->nent += k;
	}
	if (ix->nent >= UINT32_MAX)
		goto nomem;
	for (uint64_t k = 0; k < ncell; k++)
		ix->start[k + 1] += ix->start[k];
	ix->ent = mem_alloc((ix->nent ? ix->nent : 1) * sizeof(uint32_t));
	if (!ix->ent)
		goto nomem;
	for (size_t i = 0, b = 0; i < zs->n; i++) {
		if (b < ix->nbig && ix->big[b] == i) {
			b++;
			continue;
		}
		zone_cells(ix, &zs->z[i], c);
		for (uint32_t y = c[1]; y <= c[3]; y++)
			for (uint32_t x = c[0]; x <= c[2]; x++)
				ix->ent[ix->start[(uint64_t)y * ix->gx + x]++] = (uint32_t)i;
	}
	for (uint64_t k = ncell; k > 0; k--) /* filling advanced each start to its end */
		ix->start[k] = ix->start[k - 1];
	ix->start[0] = 0;
	*out = ix;
	return 0;
nomem:
	geo_index_free(ix);
	return err_set(eb, el, TM_ENOMEM, "out of memory for the spatial index of %zu zones",
		       zs->n);
}

void geo_index_free(struct geo_index *ix)
{
	if (!ix)
		return;
	mem_free(ix->start);
	mem_free(ix->ent);
	mem_free(ix->big);
	mem_free(ix);
}

static inline uint32_t cell_of(const struct geo_index *ix, double lat, double lon)
{
	return cell1(lat, ix->y0, ix->iy, ix->gy) * ix->gx + cell1(lon, ix->x0, ix->ix, ix->gx);
}

/* Zones of one cell merged with the big list, in zone order. */
static size_t query_cell(const struct geo_index *ix, uint32_t cell, double lat, double lon,
			 size_t point, geo_hit_fn fn, void *ctx)
{
	const uint32_t *a = ix->ent + ix->start[cell], *ae = ix->ent + ix->start[cell + 1];
	const uint32_t *b = ix->big, *be = ix->big + ix->nbig;
	size_t hits = 0;

	while (a < ae || b < be) {
		uint32_t z = (b == be || (a < ae && *a < *b)) ? *a++ : *b++;

		if (geo_zone_covers(&ix->zs->z[z], lat, lon)) {
			hits++;
			if (fn && fn(ctx, point, z))
				break;
		}
	}
	return hits;
}

size_t geo_index_query(const struct geo_index *ix, double lat, double lon, size_t point,
		       geo_hit_fn fn, void *ctx)
{
	return query_cell(ix, cell_of(ix, lat, lon), lat, lon, point, fn, ctx);
}

int64_t geo_join(const struct geo_index *ix, const double *lat, const double *lon, size_t n,
		 geo_hit_fn fn, void *ctx)
{
	uint64_t ncell = (uint64_t)ix->gx * ix->gy;
	uint32_t *cnt, *order, *cellv;
	int64_t pairs = 0;

	if (n >= UINT32_MAX)
		return TM_ELIMIT;
	cnt = mem_calloc(ncell + 1, sizeof(*cnt));
	order = mem_alloc((n ? n : 1) * sizeof(*order));
	cellv = mem_alloc((n ? n : 1) * sizeof(*cellv));
	if (!cnt || !order || !cellv) {
		mem_free(cnt);
		mem_free(order);
		mem_free(cellv);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		cellv[i] = cell_of(ix, lat[i], lon[i]);
		cnt[cellv[i] + 1]++;
	}
	for (uint64_t k = 0; k < ncell; k++)
		cnt[k + 1] += cnt[k];
	for (size_t i = 0; i < n; i++)
		order[cnt[cellv[i]]++] = (uint32_t)i;
	for (size_t j = 0; j < n; j++) {
		uint32_t i = order[j];

		pairs += (int64_t)query_cell(ix, cellv[i], lat[i], lon[i], i, fn, ctx);
	}
	mem_free(cnt);
	mem_free(order);
	mem_free(cellv);
	return pairs;
}

void geo_index_stats(const struct geo_index *ix, struct geo_index_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->gx = ix->gx;
	st->gy = ix->gy;
	st->entries = ix->nent;
	st->nbig = ix->nbig;
	st->bytes = sizeof(*ix) + ((size_t)ix->gx * ix->gy + 1 + ix->nent + ix->zs->n) * 4;
}
