/*
 * geo.h - geographic zones and the questions asked of them: "which zones
 * cover this site?" for one site or for a million.  A zone is a polygon or
 * multipolygon (GeoJSON, RFC 7946: edges are straight lines in longitude /
 * latitude, as PostGIS geometry in EPSG:4326) or a circle (centre + radius
 * in metres, geodesic on the WGS84 ellipsoid).  "Cover" includes the
 * boundary: a site on an edge, on a vertex or on a hole's boundary is in.
 * The polygon predicates are exact (exact orientation signs), the circle
 * test is accurate to well under a millimetre (our own inverse geodesic);
 * docs/geo.md gives the precision argument.
 *
 * Life cycle: geo_zones_new, add zones (geo_zones_add_circle, or
 * geo_geojson_load / geo_geojson_parse for GeoJSON), geo_index_build, then
 * geo_index_query / geo_join as often as wanted; the index borrows the
 * zones, so free the index first.
 */
#ifndef TM_GEO_H
#define TM_GEO_H

#include <stddef.h>
#include <stdint.h>

#define GEO_NAME_MAX 64 /* bytes of a zone name, NUL included */

/* WGS84 */
#define GEO_WGS84_A 6378137.0
#define GEO_WGS84_F (1 / 298.257223563)

enum geo_kind {
	GEO_POLYGON = 1, /* one or more polygons with holes */
	GEO_CIRCLE = 2,	 /* geodesic circle */
};

struct geo_pt {
	double x, y; /* longitude, latitude in degrees */
};

struct geo_slabs; /* per-ring edge index (geo.c) */

struct geo_ring {
	struct geo_pt *v;     /* n vertices, closed: v[n-1] == v[0], no repeated neighbours */
	uint32_t n;	      /* at least 4 */
	double bb[4];	      /* min lon, min lat, max lon, max lat */
	struct geo_slabs *sl; /* NULL for small rings */
};

struct geo_poly {
	struct geo_ring *r; /* r[0] the shell, r[1..] holes */
	uint32_t nr;
};

struct geo_zone {
	char name[GEO_NAME_MAX];
	int sensitivity;
	enum geo_kind kind;
	double bb[4];	    /* conservative bounding box: min lon, min lat, max lon, max lat */
	struct geo_poly *p; /* GEO_POLYGON: np polygons */
	uint32_t np;
	double lat, lon, rad; /* GEO_CIRCLE: centre (degrees) and radius (metres) */
	uint32_t nvert;	      /* vertices over all rings (statistics, limits) */
};

/* The container: zones appended in order; a zone's index is its id. */
struct geo_zones {
	struct geo_zone *z;
	size_t n, cap;
	size_t max;	   /* ceiling on zones (GEO_ZONES_MAX unless changed) */
	uint64_t nvert;	   /* vertices over all zones */
	uint64_t max_vert; /* ceiling on vertices (GEO_VERT_MAX unless changed) */
};

#define GEO_ZONES_MAX 1000000
#define GEO_VERT_MAX  50000000ULL

struct geo_zones *geo_zones_new(void);
/* Frees the zones and everything they own; NULL is a no-op. */
void geo_zones_free(struct geo_zones *zs);
/* Drops zones [n, zs->n) (undo of a partial load). */
void geo_zones_truncate(struct geo_zones *zs, size_t n);

/*
 * Appends a geodesic circle.  lat in [-90, 90], lon in [-180, 180], radius in
 * (0, 20,000 km].  Returns 0, TM_EINVAL (message names the bad value) or
 * TM_ENOMEM / TM_ELIMIT; zs is unchanged on failure.
 */
int geo_zones_add_circle(struct geo_zones *zs, const char *name, int sensitivity, double lat,
			 double lon, double radius_m, char *eb, size_t el);

/* GeoJSON loading (geojson.c) */
struct geo_geojson_opt {
	const char *name_prop; /* property naming a zone; NULL = "name" */
	const char *sens_prop; /* property giving its sensitivity; NULL = "sensitivity" */
	int sens_default;      /* when the property is absent */
	size_t max_bytes;      /* file size ceiling; 0 = GEO_GEOJSON_MAX */
};

#define GEO_GEOJSON_MAX ((size_t)32 << 20) /* read whole; one feature at a time is kept as nodes */

/*
 * Loads a GeoJSON file (Polygon, MultiPolygon, Feature, FeatureCollection)
 * and appends one zone per Feature (or one for a bare geometry).  Either the
 * whole file is appended or nothing: on failure zs is unchanged and eb names
 * file:line:column and what is wrong.  opt may be NULL.
 */
int geo_geojson_load(struct geo_zones *zs, const char *path, const struct geo_geojson_opt *opt,
		     char *eb, size_t el);
/* The same over a buffer; name is used in messages. */
int geo_geojson_parse(struct geo_zones *zs, const char *name, const char *data, size_t len,
		      const struct geo_geojson_opt *opt, char *eb, size_t el);

/*
 * Adds one polygon zone from rings already in memory (a shell and holes per
 * polygon): validates them as the GeoJSON loader does (closed, >= 4
 * positions, ranges, no self-intersection, no antimeridian jump) and copies
 * them.  ring_len[i] positions of ring i, rings laid out one after another in
 * pts; poly_nrings[j] rings belong to polygon j.  zs unchanged on failure.
 */
int geo_zones_add_polygon(struct geo_zones *zs, const char *name, int sensitivity,
			  const struct geo_pt *pts, const uint32_t *ring_len,
			  const uint32_t *poly_nrings, uint32_t npoly, char *eb, size_t el);

/* Predicates (geo.c, geodesic.c) */

/* Sign of the orientation of (a, b, c), exactly: 1 left turn, -1 right turn, 0 collinear. */
int geo_orient(struct geo_pt a, struct geo_pt b, struct geo_pt c);
/* Ring against point: 1 strictly inside, 0 on the boundary, -1 strictly outside.  Exact. */
int geo_ring_locate(const struct geo_ring *r, struct geo_pt p);
/* Whether zone z covers (lat, lon): 1 or 0. */
int geo_zone_covers(const struct geo_zone *z, double lat, double lon);

/*
 * Geodesic distance in metres between two points on WGS84 (the inverse
 * problem; error well under a micrometre against GeographicLib), also for
 * nearly antipodal points.  NaN when a coordinate is not finite.
 */
double geo_distance(double lat1, double lon1, double lat2, double lon2);
/* Whether the geodesic distance from the circle's centre is <= its radius; cheap far from the edge.
 */
int geo_circle_covers(const struct geo_zone *z, double lat, double lon);

/* Spatial index (index.c) */
struct geo_index;

/*
 * Builds a uniform grid over the zones' bounding boxes (zones too large for
 * it kept in a short list checked for every point).  Borrows zs, which must
 * not change while the index lives.  Returns 0 or TM_ENOMEM.
 */
int geo_index_build(const struct geo_zones *zs, struct geo_index **out, char *eb, size_t el);
void geo_index_free(struct geo_index *ix);

/* Called once per zone covering the point; return non-zero to stop. */
typedef int (*geo_hit_fn)(void *ctx, size_t point, size_t zone);

/*
 * Calls fn for every zone covering (lat, lon), in zone order, passing point
 * as given.  Returns the number of zones found (or stops early as fn asks).
 */
size_t geo_index_query(const struct geo_index *ix, double lat, double lon, size_t point,
		       geo_hit_fn fn, void *ctx);

/*
 * The batch join: every (point, zone) with zone covering point, lat[i],
 * lon[i] for i < n.  Points are visited in grid-cell order (for the cache),
 * so fn sees points out of order; per point, zones come in zone order.
 * Returns the number of pairs, or a negative TM_E* code (TM_ENOMEM).
 */
int64_t geo_join(const struct geo_index *ix, const double *lat, const double *lon, size_t n,
		 geo_hit_fn fn, void *ctx);

/* Statistics for logs and benchmarks. */
struct geo_index_stats {
	uint32_t gx, gy;  /* grid cells */
	uint64_t entries; /* (cell, zone) entries */
	uint32_t nbig;	  /* zones kept outside the grid */
	size_t bytes;	  /* memory of the index itself */
};
void geo_index_stats(const struct geo_index *ix, struct geo_index_stats *st);

#endif
