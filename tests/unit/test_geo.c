/*
 * test_geo.c - src/geo/: the exact orientation sign on a grid where naive
 * doubles get it wrong, points on edges, vertices and hole boundaries of
 * polygons in both orientations, multipolygons, a long ring read through
 * its slabs against a plain scan, rings the loader must refuse (with the
 * exact file:line:column), all-or-nothing loads, the size ceiling, circles
 * near their edge (expected answers from GeographicLib, written down
 * below), distances, the index and batch join against brute force, and a
 * failing allocation at every step of a load.
 */
#include "check.h"

#include "core/err.h"
#include "core/mem.h"
#include "geo/geo.h"
#include "geo/geo_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct geo_pt P(double x, double y) {
	return (struct geo_pt){x, y};
}

/* Kettner et al.'s classroom example: p near the line y = x through q and r. */
static void
test_orient_exact(void)
{
	const double u = 0x1p-53;
	int wrong_naive = 0, bad = 0;

	for (int i = 0; i < 64; i++)
		for (int j = 0; j < 64; j++) {
			struct geo_pt p = P(0.5 + i * u, 0.5 + j * u), q = P(12, 12), r = P(24, 24);
			int want = (j > i) - (j < i);
			double naive = (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);

			/* p left of q->r when above y = x; the same sign seen from p first */
			if (geo_orient(q, r, p) != want || geo_orient(p, q, r) != want ||
			    geo_orient(r, p, q) != want || geo_orient(q, p, r) != -want)
				bad++;
			if (((naive > 0) - (naive < 0)) != want)
				wrong_naive++;
		}
	CHECK_INT(bad, 0);
	CHECK(wrong_naive > 100); /* the case the exact stage exists for */
	CHECK_INT(geo_orient(P(0, 0), P(1, 0), P(0.5, 1e-300)), 1);
	CHECK_INT(geo_orient(P(0, 0), P(1, 1), P(0.3, 0.3)), 0);
	CHECK_INT(geo_orient(P(0.1, 0.1), P(0.3, 0.3), P(0.2, 0.2)), 0);
}

static const uint32_t ONE = 1;

/* Adds a one-ring polygon zone from x0 y0 x1 y1 ... (closing position included). */
static int add_ring(struct geo_zones *zs, const char *name, const double *xy, uint32_t n)
{
	struct geo_pt pts[64];
	char eb[TM_ERRLEN];

	for (uint32_t i = 0; i < n; i++)
		pts[i] = P(xy[2 * i], xy[2 * i + 1]);
	return geo_zones_add_polygon(zs, name, 1, pts, &n, &ONE, 1, eb, sizeof(eb));
}

static void test_polygons(void)
{
	struct geo_zones *zs = geo_zones_new();
	const double ccw[] = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0};
	const double cw[] = {0, 0, 0, 10, 10, 10, 10, 0, 0, 0};
	const double tri[] = {0, 0, 3, 1, 1, 3, 0, 0};
	/* (lat, lon) and the answer for each orientation */
	static const struct {
		double lat, lon;
		int in;
	} sq[] = {
	    {5, 5, 1},
	    {0, 5, 1},
	    {10, 5, 1},
	    {5, 0, 1},
	    {5, 10, 1}, /* centre, edges */
	    {0, 0, 1},
	    {10, 10, 1},
	    {0, 10, 1},
	    {10, 0, 1}, /* vertices */
	    {-1e-300, 5, 1} /* below GEO_TINY: taken as 0 */,
	    {-1e-90, 5, 0},
	    {5, 10.000000000000002, 0},
	    {10, 10.000000000000002, 0},
	    {11, 5, 0},
	    {5, -1, 0},
	    {0, 11, 0}, /* on an edge's line, off it */
	};

	CHECK_INT(add_ring(zs, "ccw", ccw, 5), 0);
	CHECK_INT(add_ring(zs, "cw", cw, 5), 0);
	CHECK_INT(add_ring(zs, "tri", tri, 4), 0);
	for (size_t i = 0; i < sizeof(sq) / sizeof(sq[0]); i++) {
		CHECK_INT(geo_zone_covers(&zs->z[0], sq[i].lat, sq[i].lon), sq[i].in);
		CHECK_INT(geo_zone_covers(&zs->z[1], sq[i].lat, sq[i].lon), sq[i].in);
	}
	/* the diagonal edge (3,1)-(1,3): x + y = 4 */
	CHECK_INT(geo_zone_covers(&zs->z[2], 2, 2), 1);
	CHECK_INT(geo_zone_covers(&zs->z[2], 2.5, 1.5), 1);
	CHECK_INT(geo_zone_covers(&zs->z[2], 2.0000000000000004, 2), 0);
	CHECK_INT(geo_zone_covers(&zs->z[2], 1.9999999999999998, 2), 1);
	CHECK_INT(geo_zone_covers(&zs->z[2], 1, 1), 1);
	CHECK_INT(geo_zone_covers(&zs->z[2], 0.5, 1), 1);
	CHECK_INT(geo_zone_covers(&zs->z[2], 1, 3), 1); /* vertex (lon 3, lat 1) */
	CHECK_INT(geo_zone_covers(&zs->z[2], 3, 0.9), 0);
	CHECK_STR(zs->z[2].name, "tri");
	geo_zones_free(zs);
}

static void test_holes_multi(void)
{
	/* polygon 0: square 0..10 with a clockwise hole 2..4; polygon 1: square 20..30 with a ccw
	 * hole */
	const struct geo_pt pts[] = {
	    P(0, 0),   P(10, 0),  P(10, 10), P(0, 10),	P(0, 0),   P(2, 2),   P(2, 4),
	    P(4, 4),   P(4, 2),	  P(2, 2),   P(20, 20), P(20, 30), P(30, 30), P(30, 20),
	    P(20, 20), P(22, 22), P(24, 22), P(24, 24), P(22, 24), P(22, 22),
	};
	const uint32_t rl[] = {5, 5, 5, 5}, pr[] = {2, 2};
	struct geo_zones *zs = geo_zones_new();
	char eb[TM_ERRLEN];
	const struct geo_zone *z;

	CHECK_INT(geo_zones_add_polygon(zs, "mp", 4, pts, rl, pr, 2, eb, sizeof(eb)), 0);
	z = &zs->z[0];
	CHECK_INT(z->np, 2);
	CHECK_INT(z->sensitivity, 4);
	CHECK_INT(geo_zone_covers(z, 3, 3), 0);	  /* in hole 1 */
	CHECK_INT(geo_zone_covers(z, 2, 3), 1);	  /* on hole 1's boundary */
	CHECK_INT(geo_zone_covers(z, 4, 4), 1);	  /* hole vertex */
	CHECK_INT(geo_zone_covers(z, 3, 4.5), 1); /* between hole and shell */
	CHECK_INT(geo_zone_covers(z, 23, 23), 0); /* in hole 2 */
	CHECK_INT(geo_zone_covers(z, 22, 23), 1); /* on hole 2's boundary */
	CHECK_INT(geo_zone_covers(z, 25, 25), 1);
	CHECK_INT(geo_zone_covers(z, 15, 15), 0); /* between the parts */
	CHECK_INT(geo_zone_covers(z, 30, 20), 1);
	CHECK_INT(z->bb[0] == 0 && z->bb[1] == 0 && z->bb[2] == 30 && z->bb[3] == 30, 1);
	geo_zones_free(zs);
}

/* A ring of n vertices on a dyadic grid (a wobbly circle), read with and without slabs. */
static void test_slabs(void)
{
	enum { N = 1001 };
	struct geo_pt *v = malloc(N * sizeof(*v));
	struct geo_zones *zs = geo_zones_new();
	char eb[TM_ERRLEN];
	uint32_t n = N;
	struct geo_ring *r;
	struct geo_slabs *sl;
	int diff = 0, on = 0;

	for (int i = 0; i < N - 1; i++) {
		double a = 2 * M_PI * i / (N - 1), rad = 1 + 0.2 * sin(7 * a);

		v[i] = P(round(rad * cos(a) * 4096) / 4096, round(rad * sin(a) * 4096) / 4096);
	}
	v[N - 1] = v[0];
	CHECK_INT(geo_zones_add_polygon(zs, "wobble", 1, v, &n, &ONE, 1, eb, sizeof(eb)), 0);
	r = &zs->z[0].p[0].r[0];
	CHECK(r->sl != NULL);
	sl = r->sl;
	srand(7);
	for (int i = 0; i < 30000; i++) {
		struct geo_pt q;
		int a, b;

		if (i < 3 * (N - 1)) { /* vertices, edge midpoints (exact), and just beside them */
			struct geo_pt s = r->v[i / 3 % (r->n - 1)],
				      t = r->v[i / 3 % (r->n - 1) + 1];

			q = i % 3 == 0	 ? s
			    : i % 3 == 1 ? P((s.x + t.x) / 2, (s.y + t.y) / 2)
					 : P((s.x + t.x) / 2 + 1e-12, (s.y + t.y) / 2);
		} else {
			q = P(-1.3 + 2.6 * rand() / RAND_MAX, -1.3 + 2.6 * rand() / RAND_MAX);
		}
		a = geo_ring_locate(r, q);
		r->sl = NULL;
		b = geo_ring_locate(r, q);
		r->sl = sl;
		diff += a != b;
		on += a == 0;
	}
	CHECK_INT(diff, 0);
	CHECK(on >= 2 * (N - 1));
	geo_zones_free(zs);
	free(v);
}

/* Ring shapes the polygon checks refuse, each with the expected message. */
static void test_bad_rings(void)
{
	static const struct {
		double xy[20];
		uint32_t n;
		const char *msg;
	} cases[] = {
	    {{0, 0, 2, 2, 2, 0, 0, 2, 0, 0},
	     5,
	     "polygon 0, ring 0, position 2: ring intersects itself: edge from position 0 [0, 0] "
	     "meets edge from position 2 [2, 0]"},
	    {{0, 0, 4, 0, 2, 0, 2, 2, 0, 0},
	     5,
	     "polygon 0, ring 0, position 1: ring intersects itself"},
	    {{0, 0, 4, 0, 4, 4, 2, 0, 0, 4, 0, 0},
	     6,
	     "polygon 0, ring 0, position 2: ring intersects itself: edge from position 0 [0, 0] "
	     "meets edge from position 2 [4, 4]"},
	    {{0, 0, 1, 0, 1, 1, 0, 0.5}, 4, "polygon 0, ring 0, position 3: ring is not closed"},
	    {{0, 0, 1, 0, 0, 0}, 3, "polygon 0, ring 0: ring has 3 positions, at least 4"},
	    {{0, 0, 1, 0, 1, 0, 0, 0}, 4, "polygon 0, ring 0: ring has 2 distinct positions"},
	    {{0, 0, 1, 0, 1, 91, 0, 0},
	     4,
	     "polygon 0, ring 0, position 2: position [1, 91] out of range"},
	    {{170, 0, -170, 0, -170, 1, 170, 0},
	     4,
	     "polygon 0, ring 0, position 1: edge from longitude 170 to -170 spans more than 180"},
	    {{0, 0, NAN, 0, 1, 1, 0, 0},
	     4,
	     "polygon 0, ring 0, position 1: position [nan, 0] out of range"},
	};
	char eb[TM_ERRLEN];

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct geo_zones *zs = geo_zones_new();
		struct geo_pt pts[10];
		uint32_t n = cases[c].n;
		int rc;

		for (uint32_t i = 0; i < n; i++)
			pts[i] = P(cases[c].xy[2 * i], cases[c].xy[2 * i + 1]);
		rc = geo_zones_add_polygon(zs, "x", 1, pts, &n, &ONE, 1, eb, sizeof(eb));
		CHECK(rc < 0);
		CHECK_INT(zs->n, 0);
		if (strncmp(eb, cases[c].msg, strlen(cases[c].msg)))
			fprintf(stderr, "case %zu: got \"%s\"\n", c, eb);
		CHECK(!strncmp(eb, cases[c].msg, strlen(cases[c].msg)));
		geo_zones_free(zs);
	}
}

/* A long zigzag ring whose last edge crosses the first ones: found through the slabs. */
static void test_bad_long_ring(void)
{
	enum { N = 402 };
	struct geo_pt v[N];
	struct geo_zones *zs = geo_zones_new();
	char eb[TM_ERRLEN];
	uint32_t n = N;
	int i = 0;

	for (; i < 200; i++)
		v[i] = P(i * 0.01, i % 2 ? 0.5 : 0);
	v[i++] = P(1.99, 2);
	v[i++] = P(-0.5, 2);
	for (int k = 0; i < N - 1; k++)
		v[i++] = P(-0.5, 2 - 0.01 * (k + 1));
	v[N - 1] = v[0];
	/* now (-0.5, ...) down to (-0.5, 0.01) then back to (0, 0): simple */
	CHECK_INT(geo_zones_add_polygon(zs, "zig", 1, v, &n, &ONE, 1, eb, sizeof(eb)), 0);
	v[N - 2] = P(1.0, 0.25); /* drag the last vertex into the zigzag */
	CHECK_INT(geo_zones_add_polygon(zs, "zig2", 1, v, &n, &ONE, 1, eb, sizeof(eb)), TM_EPROTO);
	CHECK(strstr(eb, "intersects itself") != NULL);
	CHECK_INT(zs->n, 1);
	geo_zones_free(zs);
}

/* 300 edges along one parallel: the sweep keeps it linear; a step back along it is a spike. */
static void test_long_parallel(void)
{
	enum { N = 304 };
	struct geo_pt v[N];
	struct geo_zones *zs = geo_zones_new();
	char eb[TM_ERRLEN];
	uint32_t n = N;

	for (int i = 0; i <= 300; i++)
		v[i] = P(i / 128.0, 0);
	v[301] = P(300 / 128.0, 1);
	v[302] = P(0, 1);
	v[303] = v[0];
	CHECK_INT(geo_zones_add_polygon(zs, "run", 1, v, &n, &ONE, 1, eb, sizeof(eb)), 0);
	CHECK(zs->z[0].p[0].r[0].sl != NULL);
	CHECK_INT(geo_zone_covers(&zs->z[0], 0, 1.5), 1);
	CHECK_INT(geo_zone_covers(&zs->z[0], -1e-9, 1.5), 0);
	v[150] = P(148.5 / 128, 0); /* goes back over edge 148-149 */
	CHECK_INT(geo_zones_add_polygon(zs, "spike", 1, v, &n, &ONE, 1, eb, sizeof(eb)), TM_EPROTO);
	CHECK(strstr(eb, "ring intersects itself") != NULL);
	CHECK_INT(zs->n, 1);
	geo_zones_free(zs);
}

static const char GJ[] =
    "{\"type\": \"FeatureCollection\", \"features\": [\n"
    "  {\"type\": \"Feature\", \"properties\": {\"name\": \"base\", \"sensitivity\": 3},\n"
    "   \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
    "[[[0,0],[10,0],[10,10],[0,10],[0,0]],\n"
    "     [[2,2],[2,4],[4,4],[4,2],[2,2]]]}},\n"
    "  {\"type\": \"Feature\", \"properties\": {\"zone\": \"two\", \"level\": 5, \"name\": 7},\n"
    "   \"geometry\": {\"type\": \"MultiPolygon\", \"coordinates\": "
    "[[[[20,20],[30,20],[30,30],[20,20]]],\n"
    "     [[[40,40],[41,40],[41,41],[40,40]]]]}},\n"
    "  {\"type\": \"Feature\", \"properties\": null,\n"
    "   \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
    "[[[50,50],[51,50],[51,51],[50,50]]]}}\n"
    "]}\n";

static void test_geojson(void)
{
	struct geo_zones *zs = geo_zones_new();
	struct geo_geojson_opt opt = {.name_prop = "zone", .sens_prop = "level", .sens_default = 9};
	char eb[TM_ERRLEN];

	CHECK_INT(geo_geojson_parse(zs, "z.geojson", GJ, sizeof(GJ) - 1, NULL, eb, sizeof(eb)), 0);
	CHECK_INT(zs->n, 3);
	CHECK_STR(zs->z[0].name, "base");
	CHECK_INT(zs->z[0].sensitivity, 3);
	CHECK_STR(zs->z[1].name, "7");
	CHECK_INT(zs->z[1].np, 2);
	CHECK_STR(zs->z[2].name, "z.geojson#3");
	CHECK_INT(zs->z[2].sensitivity, 0);
	CHECK_INT(geo_zone_covers(&zs->z[0], 3, 3), 0);
	CHECK_INT(geo_zone_covers(&zs->z[0], 3, 2), 1);
	CHECK_INT(geo_zone_covers(&zs->z[1], 40.5, 41), 1);
	CHECK_INT(geo_zone_covers(&zs->z[1], 25, 25), 1);
	geo_zones_truncate(zs, 0);
	CHECK_INT(geo_geojson_parse(zs, "z.geojson", GJ, sizeof(GJ) - 1, &opt, eb, sizeof(eb)), 0);
	CHECK_STR(zs->z[0].name, "z.geojson#1");
	CHECK_INT(zs->z[0].sensitivity, 9);
	CHECK_STR(zs->z[1].name, "two");
	CHECK_INT(zs->z[1].sensitivity, 5);
	CHECK_INT(zs->nvert, 10 + 8 + 4);
	geo_zones_free(zs);
}

static void test_geojson_errors(void)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}",
	     "f:1:53: ring is not closed: first position [0, 0], last [0, 1] at "
	     ".coordinates[0][3]"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}",
	     "f:1:34: ring has 3 positions, at least 4 are needed at .coordinates[0]"},
	    {"{\"type\":\"Polygon\",\n\"coordinates\":[[[0,0],[1,0],\n [1,-90.5],[0,0]]]}",
	     "f:3:2: position [1, -90.5] out of range (longitude in [-180, 180], latitude in [-90, "
	     "90]) at .coordinates[0][2]"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}",
	     "f:1:47: ring intersects itself: edge from position 0 [0, 0] meets edge from position "
	     "2 [2, 0] at .coordinates[0][2]"},
	    {"{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],[[[179,0],[-"
	     "179,0],[-179,1],[179,0]]]]}",
	     "f:1:77: edge from longitude 179 to -179 spans more than 180 degrees: a polygon "
	     "crossing the antimeridian must be cut in two along it (RFC 7946, 3.1.9) at "
	     ".coordinates[1][0][1]"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,\"x\"],[0,0]]]}",
	     "f:1:50: a coordinate must be a number at .coordinates[0][2][1]"},
	    {"{\"type\":\"Point\",\"coordinates\":[0,0]}",
	     "f:1:9: type \"Point\": expected FeatureCollection, Feature, Polygon or MultiPolygon "
	     "at .type"},
	    {"{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\","
	     "\"coordinates\":[]}}",
	     "f:1:54: geometry type \"LineString\": zones are Polygon or MultiPolygon at "
	     ".geometry.type"},
	    {"{\"type\":\"Polygon\",\"type\":\"Polygon\"}",
	     "f:1:24: duplicate object key near '\"type\"'"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1e999],[0,0]]]}",
	     "f:1:54: real number overflow near '1e999'"},
	    {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{"
	     "\"sensitivity\":\"high\"},\"geometry\":null}]}",
	     "f:1:87: property \"sensitivity\" (the sensitivity) must be an integer in [0, "
	     "1000000] at .features[0].properties.sensitivity"},
	    {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{"
	     "\"name\":\"n\"},\"geometry\":null}]}",
	     "f:1:41: feature \"n\" has no geometry at .features[0]"},
	    {"[1,2]", "f:1:1: a GeoJSON text is an object"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0,0,0]]]}",
	     "f:1:53: a position is an array of 2 or 3 numbers at .coordinates[0][3]"},
	};
	char eb[TM_ERRLEN];

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct geo_zones *zs = geo_zones_new();

		CHECK(geo_geojson_parse(zs, "f", cases[c].text, strlen(cases[c].text), NULL, eb,
					sizeof(eb)) < 0);
		CHECK_STR(eb, cases[c].msg);
		CHECK_INT(zs->n, 0);
		geo_zones_free(zs);
	}
}

/* The second feature is bad: nothing of the file stays, earlier zones do. */
static void test_all_or_nothing(void)
{
	static const char bad2[] =
	    "{\"type\":\"FeatureCollection\",\"features\":[\n"
	    "{\"type\":\"Feature\",\"properties\":{\"name\":\"a\"},\"geometry\":{\"type\":"
	    "\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}},\n"
	    "{\"type\":\"Feature\",\"properties\":{\"name\":\"b\"},\"geometry\":{\"type\":"
	    "\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0.5]]]}}]}\n";
	struct geo_zones *zs = geo_zones_new();
	char eb[TM_ERRLEN];

	CHECK_INT(geo_zones_add_circle(zs, "keep", 1, 10, 10, 100, eb, sizeof(eb)), 0);
	CHECK_INT(geo_geojson_parse(zs, "f", bad2, sizeof(bad2) - 1, NULL, eb, sizeof(eb)),
		  TM_EPROTO);
	CHECK_STR(eb, "f:3:108: ring is not closed: first position [0, 0], last [0, 0.5] at "
		      ".features[1].geometry.coordinates[0][3]");
	CHECK_INT(zs->n, 1);
	CHECK_INT(zs->nvert, 0);
	CHECK_STR(zs->z[0].name, "keep");
	geo_zones_free(zs);
}

/* A 100 MB file is refused before it is read whole or parsed. */
static void test_size_ceiling(void)
{
	char path[] = "/tmp/tm-geo-big.XXXXXX", eb[TM_ERRLEN], want[TM_ERRLEN];
	struct geo_geojson_opt opt = {.max_bytes = 100};
	struct geo_zones *zs = geo_zones_new();
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK_INT(ftruncate(fd, 100 << 20), 0);
	close(fd);
	CHECK_INT(geo_geojson_load(zs, path, NULL, eb, sizeof(eb)), TM_ELIMIT);
	snprintf(want, sizeof(want),
		 "%s: larger than the 33554432-byte ceiling for a GeoJSON file (split the zones "
		 "over several files)",
		 path);
	CHECK_STR(eb, want);
	unlink(path);
	CHECK_INT(geo_geojson_parse(zs, "g", GJ, sizeof(GJ) - 1, &opt, eb, sizeof(eb)), TM_ELIMIT);
	CHECK(strstr(eb, "over the 100-byte ceiling") != NULL);
	CHECK_INT(geo_geojson_load(zs, "/nonexistent/z.geojson", NULL, eb, sizeof(eb)),
		  TM_ENOTFOUND);
	CHECK_INT(zs->n, 0);
	geo_zones_free(zs);
}

/*
 * Circle of 10 km around (52.52, 13.405).  Points from GeographicLib's
 * Direct at azimuths 0, 90 and 200, 1 mm and 5 m inside and outside; the
 * haversine distances (R = 6371008.8 m) are up to 32 m short, so a sphere
 * would call the 5 m-outside points inside.
 */
static void test_circles(void)
{
	static const struct {
		double lat, lon;
		int in;
	} pts[] = {
	    {52.609864964580126, 13.404999999999999, 1}, /* az 0, 9999.999 m */
	    {52.609864982552999, 13.404999999999999, 0}, /* 10000.001 m */
	    {52.609820041422566, 13.404999999999999, 1}, /* 9995 m */
	    {52.609909905710197, 13.404999999999999, 0}, /* 10005 m, haversine 9997.539 */
	    {52.519908317726696, 13.552319852523137, 1}, /* az 90, 9999.999 m */
	    {52.519908317690025, 13.55231988198703, 0},	 /* 10000.001 m */
	    {52.519908409367609, 13.552246207525751, 1}, /* 9995 m */
	    {52.51990822600326, 13.55239352698411, 0},	 /* 10005 m, haversine 9972.730 */
	    {52.435542604548637, 13.354709969870092, 1}, /* az 200, 9999.999 m */
	    {52.435542587654901, 13.354709959831323, 0}, /* 10000.001 m */
	    {52.435584830442103, 13.354735061800115, 1}, /* 9995 m */
	    {52.435500361755778, 13.354684867949276, 0}, /* 10005 m */
	    {52.52, 13.405, 1},
	    {52.0, 13.405, 0},
	    {-52.52, -166.595, 0},
	};
	struct geo_zones *zs = geo_zones_new();
	char eb[TM_ERRLEN];

	CHECK_INT(geo_zones_add_circle(zs, "berlin", 5, 52.52, 13.405, 10000, eb, sizeof(eb)), 0);
	for (size_t i = 0; i < sizeof(pts) / sizeof(pts[0]); i++)
		CHECK_INT(geo_zone_covers(&zs->z[0], pts[i].lat, pts[i].lon), pts[i].in);
	CHECK_NEAR(geo_distance(52.52, 13.405, 52.51990822600326, 13.55239352698411), 10005, 1e-6);
	/* circles reaching a pole or the antimeridian take every longitude */
	CHECK_INT(geo_zones_add_circle(zs, "pole", 1, 89.9, 0, 50000, eb, sizeof(eb)), 0);
	CHECK_INT(zs->z[1].bb[0] == -180 && zs->z[1].bb[2] == 180 && zs->z[1].bb[3] == 90, 1);
	CHECK_INT(geo_zone_covers(&zs->z[1], 89.9, 180), 1);
	CHECK_INT(geo_zones_add_circle(zs, "date", 1, 0, 179.99, 5000, eb, sizeof(eb)), 0);
	CHECK_INT(geo_zone_covers(&zs->z[2], 0, -179.99), 1); /* 2.2 km across the antimeridian */
	CHECK_INT(geo_zone_covers(&zs->z[2], 0, -179.94), 0);
	CHECK_INT(geo_zones_add_circle(zs, "x", 1, 91, 0, 5, eb, sizeof(eb)), TM_EINVAL);
	CHECK_STR(eb, "circle latitude 91 outside [-90, 90]");
	CHECK_INT(geo_zones_add_circle(zs, "x", 1, 0, 0, -5, eb, sizeof(eb)), TM_EINVAL);
	CHECK_INT(geo_zones_add_circle(zs, "x", 1, 0, 0, NAN, eb, sizeof(eb)), TM_EINVAL);
	CHECK_INT(zs->n, 3);
	geo_zones_free(zs);
}

/* Distances from GeographicLib's Inverse (WGS84), to the nanometre it prints. */
static void test_distance(void)
{
	CHECK_NEAR(geo_distance(0, 0, 0, 180), 20003931.458625447, 1e-6);
	CHECK_NEAR(geo_distance(0, 0, 0.5, 179.5), 19936288.578965314, 1e-6);
	CHECK_NEAR(geo_distance(52.52, 13.405, 48.8566, 2.3522), 879699.316129012, 1e-6);
	CHECK_NEAR(geo_distance(-33.8688, 151.2093, 51.5074, -0.1278), 16989295.770540450, 1e-6);
	CHECK_NEAR(geo_distance(90, 0, -90, 0), 20003931.458625447, 1e-6);
	CHECK_NEAR(geo_distance(10, 10, 10, 10), 0, 1e-9);
	CHECK_NEAR(geo_distance(0, 0, 0, 1), 111319.49079327357, 1e-6); /* along the equator */
	CHECK(isnan(geo_distance(NAN, 0, 0, 0)) && isnan(geo_distance(0, 0, 0, INFINITY)));
}

struct cnt {
	uint64_t pairs, sum;
};

static int count_hit(void *ctx, size_t point, size_t zone)
{
	struct cnt *c = ctx;

	c->pairs++;
	c->sum += point * 1000003 + zone;
	return 0;
}

/* Random zones and points: the index and the batch join against testing every zone. */
static void test_index(void)
{
	enum { NP = 20000 };
	struct geo_zones *zs = geo_zones_new();
	struct geo_index *ix;
	struct geo_index_stats st;
	double *lat = malloc(NP * sizeof(double)), *lon = malloc(NP * sizeof(double));
	struct cnt brute = {0}, q = {0}, j = {0};
	char eb[TM_ERRLEN];
	int64_t n;

	srand(11);
	for (int i = 0; i < 300; i++) {
		double cx = 10 + 4.0 * rand() / RAND_MAX, cy = 50 + 3.0 * rand() / RAND_MAX;
		double s = 0.01 + 0.2 * rand() / RAND_MAX;

		if (i % 3 == 0) {
			geo_zones_add_circle(zs, "c", 1, cy, cx, s * 50000, eb, sizeof(eb));
		} else {
			double xy[] = {cx,     cy, cx + s,	 cy, cx + s,
				       cy + s, cx, cy + s * 1.5, cx, cy};

			CHECK_INT(add_ring(zs, "p", xy, 5), 0);
		}
	}
	geo_zones_add_circle(zs, "huge", 1, 51, 12, 2000000, eb, sizeof(eb));
	CHECK_INT(geo_index_build(zs, &ix, eb, sizeof(eb)), 0);
	geo_index_stats(ix, &st);
	CHECK(st.gx > 1 && st.gy > 1);
	CHECK_INT(st.nbig, 1);
	for (int i = 0; i < NP; i++) {
		lat[i] = 49.5 + 4.0 * rand() / RAND_MAX;
		lon[i] = 9.5 + 5.0 * rand() / RAND_MAX;
		if (i % 100 == 0) { /* exactly on a polygon's vertex */
			const struct geo_zone *z = &zs->z[1 + 3 * (i / 100 % 99)];

			lat[i] = z->p[0].r[0].v[2].y;
			lon[i] = z->p[0].r[0].v[2].x;
		}
		for (size_t z = 0; z < zs->n; z++)
			if (geo_zone_covers(&zs->z[z], lat[i], lon[i]))
				count_hit(&brute, (size_t)i, z);
		geo_index_query(ix, lat[i], lon[i], (size_t)i, count_hit, &q);
	}
	n = geo_join(ix, lat, lon, NP, count_hit, &j);
	CHECK(brute.pairs > NP); /* "huge" covers most */
	CHECK_INT(q.pairs, brute.pairs);
	CHECK_INT(q.sum, brute.sum);
	CHECK_INT(n, (int64_t)brute.pairs);
	CHECK_INT(j.pairs, brute.pairs);
	CHECK_INT(j.sum, brute.sum);
	geo_index_free(ix);
	geo_zones_free(zs);
	free(lat);
	free(lon);
}

/* Every allocation of a load fails in turn: an error, nothing kept, nothing leaked. */
static void test_alloc_failures(void)
{
	char eb[TM_ERRLEN];
	int ok_seen = 0, bad = 0;

	for (unsigned long k = 1; k < 400 && !ok_seen; k++) {
		struct geo_zones *zs = geo_zones_new();
		struct geo_index *ix = NULL;
		int rc;

		if (!zs)
			continue;
		geo_zones_add_circle(zs, "c", 1, 5, 5, 1000, eb, sizeof(eb));
		mem_fail_at(k);
		rc = geo_geojson_parse(zs, "f", GJ, sizeof(GJ) - 1, NULL, eb, sizeof(eb));
		if (rc == 0)
			rc = geo_index_build(zs, &ix, eb, sizeof(eb));
		mem_fail_at(0);
		if (rc == 0 && ix)
			ok_seen = 1;
		else if (rc != TM_ENOMEM || (zs->n != 1 && zs->n != 4))
			bad++;
		geo_index_free(ix);
		geo_zones_free(zs);
	}
	CHECK_INT(bad, 0);
	CHECK_INT(ok_seen, 1);
}

int main(void)
{
	test_orient_exact();
	test_polygons();
	test_holes_multi();
	test_slabs();
	test_bad_rings();
	test_bad_long_ring();
	test_long_parallel();
	test_geojson();
	test_geojson_errors();
	test_all_or_nothing();
	test_size_ceiling();
	test_circles();
	test_distance();
	test_index();
	test_alloc_failures();
	return check_done("test_geo");
}
