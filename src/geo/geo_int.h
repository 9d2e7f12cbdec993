/*
 * geo_int.h - what the files of src/geo/ share beyond geo.h: building a
 * polygon zone from raw rings with a precise place for each error (the
 * GeoJSON loader turns it into file:line:column), and pushing a finished
 * zone into the container.
 */
#ifndef TM_GEO_INT_H
#define TM_GEO_INT_H

#include "geo.h"

/* Where a polygon is wrong: polygon, ring and position (index as given, before de-duplication). */
struct geo_where {
	uint32_t poly, ring, pos;
	int has_pos; /* pos is meaningful */
};

/*
 * Fills z (kind, bbox, polygons) from the rings, validating them; name and
 * sensitivity are left to the caller.  On failure z owns nothing, eb says
 * what is wrong and *w where.
 */
int geo_zone_make_poly(struct geo_zone *z, const struct geo_pt *pts, const uint32_t *ring_len,
		       const uint32_t *poly_nrings, uint32_t npoly, struct geo_where *w, char *eb,
		       size_t el);
/* Makes z a circle (bounding box included); 0 or TM_EINVAL. */
int geo_zone_make_circle(struct geo_zone *z, double lat, double lon, double rad, char *eb,
			 size_t el);
/* Frees what z owns. */
void geo_zone_fini(struct geo_zone *z);
/* Appends z, taking what it owns (z is zeroed).  TM_ENOMEM / TM_ELIMIT leave z with the caller. */
int geo_zones_push(struct geo_zones *zs, struct geo_zone *z, char *eb, size_t el);

/* Builds / drops a ring's y-slabs (geo.c); building may fail with TM_ENOMEM. */
int geo_ring_index(struct geo_ring *r);
void geo_ring_unindex(struct geo_ring *r);
/*
 * Whether the ring is simple: 0 yes; 1 no, edges *e1 < *e2 (index of their
 * first vertex) meet; TM_ELIMIT when more than 64 million edge pairs share a
 * latitude band and overlap in longitude (cost O(n log n + pairs), see
 * docs/geo.md); TM_ENOMEM.  Needs geo_ring_index first.
 */
int geo_ring_simple(const struct geo_ring *r, uint32_t *e1, uint32_t *e2);

/*
 * The former jansson (DOM) GeoJSON reader (geojson_dom.c), the reference the
 * streaming one is compared with in tests and fuzzing; same contract as
 * geo_geojson_parse.
 */
int geo_geojson_parse_dom(struct geo_zones *zs, const char *name, const char *data, size_t len,
			  const struct geo_geojson_opt *opt, char *eb, size_t el);

/* Positions this close to zero are taken as zero (keeps the exact predicates out of underflow). */
#define GEO_TINY 1e-100

#endif
