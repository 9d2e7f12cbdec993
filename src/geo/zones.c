/*
 * zones.c - the zone container and the checks a zone passes before it is
 * kept: positions in range, rings closed with at least four positions and
 * three distinct ones, no edge jumping more than 180 degrees of longitude
 * (an antimeridian crossing, which RFC 7946 3.1.9 says to cut in two: we
 * refuse it rather than guess), no self-intersection (exact predicates over
 * latitude slabs).  Circles get a bounding box that provably holds them.
 */
#include "geo_int.h"

#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <math.h>
#include <string.h>

struct geo_zones *geo_zones_new(void)
{
	struct geo_zones *zs = mem_calloc(1, sizeof(*zs));

	if (zs) {
		zs->max = GEO_ZONES_MAX;
		zs->max_vert = GEO_VERT_MAX;
	}
	return zs;
}

void geo_zone_fini(struct geo_zone *z)
{
	for (uint32_t i = 0; i < z->np; i++) {
		for (uint32_t j = 0; j < z->p[i].nr; j++) {
			geo_ring_unindex(&z->p[i].r[j]);
			mem_free(z->p[i].r[j].v);
		}
		mem_free(z->p[i].r);
	}
	mem_free(z->p);
	z->p = NULL;
	z->np = 0;
}

void geo_zones_truncate(struct geo_zones *zs, size_t n)
{
	while (zs->n > n) {
		struct geo_zone *z = &zs->z[--zs->n];

		zs->nvert -= z->nvert;
		geo_zone_fini(z);
	}
}

void geo_zones_free(struct geo_zones *zs)
{
	if (!zs)
		return;
	geo_zones_truncate(zs, 0);
	mem_free(zs->z);
	mem_free(zs);
}

int geo_zones_push(struct geo_zones *zs, struct geo_zone *z, char *eb, size_t el)
{
	if (zs->n >= zs->max)
		return err_set(eb, el, TM_ELIMIT, "more than %zu zones", zs->max);
	if (zs->nvert + z->nvert > zs->max_vert)
		return err_set(eb, el, TM_ELIMIT, "more than %llu vertices over all zones",
			       (unsigned long long)zs->max_vert);
	if (zs->n == zs->cap) {
		size_t cap = zs->cap ? zs->cap * 2 : 16;
		struct geo_zone *nz = mem_realloc(zs->z, cap * sizeof(*nz));

		if (!nz)
			return err_set(eb, el, TM_ENOMEM, "out of memory for zones");
		zs->z = nz;
		zs->cap = cap;
	}
	zs->z[zs->n++] = *z;
	zs->nvert += z->nvert;
	memset(z, 0, sizeof(*z));
	return 0;
}

/* --- circles ------------------------------------------------------------------- */

int geo_zone_make_circle(struct geo_zone *z, double lat, double lon, double rad, char *eb,
			 size_t el)
{
	/* a(1 - e^2) is the least meridional radius of curvature, a the least prime-vertical one */
	const double e2 = GEO_WGS84_F * (2 - GEO_WGS84_F), mmin = GEO_WGS84_A * (1 - e2);
	double dlat, dlon, far;

	if (!(lat >= -90 && lat <= 90))
		return err_set(eb, el, TM_EINVAL, "circle latitude %g outside [-90, 90]", lat);
	if (!(lon >= -180 && lon <= 180))
		return err_set(eb, el, TM_EINVAL, "circle longitude %g outside [-180, 180]", lon);
	if (!(rad > 0 && rad <= 20000000))
		return err_set(eb, el, TM_EINVAL, "circle radius %g m outside (0, 20000 km]", rad);
	z->kind = GEO_CIRCLE;
	z->lat = lat;
	z->lon = lon;
	z->rad = rad;
	/* along a geodesic of length <= rad: |dlat| <= rad / mmin, |dlon| <= rad / (a cos(lat)) */
	dlat = rad / mmin * (180 / M_PI) * (1 + 1e-9) + 1e-9;
	z->bb[1] = fmax(-90, lat - dlat);
	z->bb[3] = fmin(90, lat + dlat);
	far = fmax(fabs(z->bb[1]), fabs(z->bb[3]));
	dlon = far >= 89.999 ? 360 : rad / (GEO_WGS84_A * cos(far * M_PI / 180)) * (180 / M_PI);
	dlon = dlon * (1 + 1e-9) + 1e-9;
	if (lon - dlon < -180 || lon + dlon > 180) {
		z->bb[0] = -180; /* wraps the antimeridian or reaches a pole: every longitude */
		z->bb[2] = 180;
	} else {
		z->bb[0] = lon - dlon;
		z->bb[2] = lon + dlon;
	}
	return 0;
}

int geo_zones_add_circle(struct geo_zones *zs, const char *name, int sensitivity, double lat,
			 double lon, double radius_m, char *eb, size_t el)
{
	struct geo_zone z = {0};
	int rc = geo_zone_make_circle(&z, lat, lon, radius_m, eb, el);

	if (rc)
		return rc;
	str_set(z.name, sizeof(z.name), name ? name : "");
	z.sensitivity = sensitivity;
	return geo_zones_push(zs, &z, eb, el);
}

/* --- polygons ------------------------------------------------------------------ */

static int bad(struct geo_where *w, uint32_t poly, uint32_t ring, uint32_t pos, int has_pos)
{
	w->poly = poly;
	w->ring = ring;
	w->pos = pos;
	w->has_pos = has_pos;
	return TM_EPROTO;
}

/*
 * Checks one ring of n positions and copies it into r without repeated
 * neighbours; orig[i] keeps the given index of kept vertex i (for messages).
 */
static int ring_make(struct geo_ring *r, const struct geo_pt *in, uint32_t n, uint32_t *orig,
		     uint32_t pi, uint32_t ri, struct geo_where *w, char *eb, size_t el)
{
	uint32_t m = 0, e1, e2;
	int rc;

	if (n < 4) {
		err_set(eb, el, TM_EPROTO, "ring has %u positions, at least 4 are needed", n);
		return bad(w, pi, ri, 0, 0);
	}
	for (uint32_t i = 0; i < n; i++) {
		struct geo_pt p = in[i];

		if (!isfinite(p.x) || !isfinite(p.y) || p.x < -180 || p.x > 180 || p.y < -90 ||
		    p.y > 90) {
			err_set(eb, el, TM_EPROTO,
				"position [%.17g, %.17g] out of range (longitude in [-180, 180], "
				"latitude in [-90, 90])",
				p.x, p.y);
			return bad(w, pi, ri, i, 1);
		}
	}
	if (in[0].x != in[n - 1].x || in[0].y != in[n - 1].y) {
		err_set(eb, el, TM_EPROTO,
			"ring is not closed: first position [%.17g, %.17g], last [%.17g, %.17g]",
			in[0].x, in[0].y, in[n - 1].x, in[n - 1].y);
		return bad(w, pi, ri, n - 1, 1);
	}
	r->v = mem_alloc((size_t)n * sizeof(*r->v));
	if (!r->v)
		return err_set(eb, el, TM_ENOMEM, "out of memory for a ring of %u positions", n);
	r->bb[0] = r->bb[1] = INFINITY;
	r->bb[2] = r->bb[3] = -INFINITY;
	for (uint32_t i = 0; i < n; i++) {
		struct geo_pt p = {fabs(in[i].x) < GEO_TINY ? 0 : in[i].x,
				   fabs(in[i].y) < GEO_TINY ? 0 : in[i].y};

		if (m && p.x == r->v[m - 1].x && p.y == r->v[m - 1].y)
			continue;
		if (m && fabs(p.x - r->v[m - 1].x) > 180) {
			err_set(eb, el, TM_EPROTO,
				"edge from longitude %.17g to %.17g spans more than 180 degrees: a "
				"polygon crossing the antimeridian must be cut in two along it "
				"(RFC 7946, 3.1.9)",
				r->v[m - 1].x, p.x);
			return bad(w, pi, ri, i, 1);
		}
		orig[m] = i;
		r->v[m++] = p;
		r->bb[0] = fmin(r->bb[0], p.x);
		r->bb[1] = fmin(r->bb[1], p.y);
		r->bb[2] = fmax(r->bb[2], p.x);
		r->bb[3] = fmax(r->bb[3], p.y);
	}
	r->n = m;
	if (m < 4) {
		err_set(eb, el, TM_EPROTO, "ring has %u distinct positions, at least 3 are needed",
			m - 1);
		return bad(w, pi, ri, 0, 0);
	}
	if (geo_ring_index(r))
		return err_set(eb, el, TM_ENOMEM, "out of memory for the edge index of a ring");
	rc = geo_ring_simple(r, &e1, &e2);
	if (rc == TM_ENOMEM)
		return err_set(eb, el, rc, "out of memory checking a ring of %u positions", n);
	if (rc == TM_ELIMIT) {
		err_set(
		    eb, el, TM_ELIMIT,
		    "ring of %u positions too intricate to check for self-intersection "
		    "(over 64 million edge pairs share a latitude band and overlap in longitude)",
		    n);
		bad(w, pi, ri, 0, 0);
		return TM_ELIMIT;
	}
	if (rc) {
		err_set(eb, el, TM_EPROTO,
			"ring intersects itself: edge from position %u [%.17g, %.17g] meets edge "
			"from position %u [%.17g, %.17g]",
			orig[e1], r->v[e1].x, r->v[e1].y, orig[e2], r->v[e2].x, r->v[e2].y);
		return bad(w, pi, ri, orig[e2], 1);
	}
	return 0;
}

int geo_zone_make_poly(struct geo_zone *z, const struct geo_pt *pts, const uint32_t *ring_len,
		       const uint32_t *poly_nrings, uint32_t npoly, struct geo_where *w, char *eb,
		       size_t el)
{
	uint32_t *orig = NULL, maxlen = 0, nrings = 0;
	size_t off = 0;
	int rc = TM_ENOMEM;

	memset(w, 0, sizeof(*w));
	if (npoly == 0)
		return err_set(eb, el, TM_EPROTO, "no polygon");
	for (uint32_t j = 0; j < npoly; j++) {
		if (poly_nrings[j] == 0) {
			err_set(eb, el, TM_EPROTO, "polygon without rings");
			return bad(w, j, 0, 0, 0);
		}
		for (uint32_t i = 0; i < poly_nrings[j]; i++, nrings++)
			maxlen = ring_len[nrings] > maxlen ? ring_len[nrings] : maxlen;
	}
	z->kind = GEO_POLYGON;
	z->p = mem_calloc(npoly, sizeof(*z->p));
	orig = mem_alloc(((size_t)maxlen + 1) * sizeof(*orig));
	if (!z->p || !orig) {
		err_set(eb, el, TM_ENOMEM, "out of memory for a polygon");
		goto out;
	}
	z->np = npoly;
	z->bb[0] = z->bb[1] = INFINITY;
	z->bb[2] = z->bb[3] = -INFINITY;
	nrings = 0;
	for (uint32_t j = 0; j < npoly; j++) {
		struct geo_poly *p = &z->p[j];

		p->r = mem_calloc(poly_nrings[j], sizeof(*p->r));
		if (!p->r) {
			err_set(eb, el, TM_ENOMEM, "out of memory for a polygon");
			goto out;
		}
		p->nr = poly_nrings[j];
		for (uint32_t i = 0; i < p->nr; i++) {
			uint32_t n = ring_len[nrings++];

			rc = ring_make(&p->r[i], pts + off, n, orig, j, i, w, eb, el);
			if (rc)
				goto out;
			off += n;
			z->nvert += p->r[i].n;
		}
		z->bb[0] = fmin(z->bb[0], p->r[0].bb[0]);
		z->bb[1] = fmin(z->bb[1], p->r[0].bb[1]);
		z->bb[2] = fmax(z->bb[2], p->r[0].bb[2]);
		z->bb[3] = fmax(z->bb[3], p->r[0].bb[3]);
	}
	rc = 0;
out:
	mem_free(orig);
	if (rc)
		geo_zone_fini(z);
	return rc;
}

int geo_zones_add_polygon(struct geo_zones *zs, const char *name, int sensitivity,
			  const struct geo_pt *pts, const uint32_t *ring_len,
			  const uint32_t *poly_nrings, uint32_t npoly, char *eb, size_t el)
{
	struct geo_zone z = {0};
	struct geo_where w;
	char m[TM_ERRLEN];
	int rc = geo_zone_make_poly(&z, pts, ring_len, poly_nrings, npoly, &w, m, sizeof(m));

	if (rc) {
		if (w.has_pos)
			return err_set(eb, el, rc, "polygon %u, ring %u, position %u: %s", w.poly,
				       w.ring, w.pos, m);
		return err_set(eb, el, rc, "polygon %u, ring %u: %s", w.poly, w.ring, m);
	}
	str_set(z.name, sizeof(z.name), name ? name : "");
	z.sensitivity = sensitivity;
	rc = geo_zones_push(zs, &z, eb, el);
	if (rc)
		geo_zone_fini(&z);
	return rc;
}
