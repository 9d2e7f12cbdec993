/*
 * fuzz_geojson.c - the GeoJSON zone loader (geo_geojson_parse, the streaming
 * yajl reader) on arbitrary bytes, compared with the former jansson DOM
 * reader (geo_geojson_parse_dom) while both exist: the same return code and
 * the same zones, vertex for vertex (messages and codes differ only for
 * syntax errors, which each parser words its own way and finds at its own
 * time; texts holding a NUL byte are
 * left out: jansson's reader skips NUL bytes as if absent, the streaming one
 * refuses them as JSON does); whatever it keeps is indexed and queried at its own vertices, edge
 * midpoints and box corners (index answers must equal a scan of every
 * zone), and the geodesic distance runs on doubles taken from the input
 * (finite, >= 0, at most half a meridian's length plus a margin, symmetric).
 */
#include "core/err.h"
#include "geo/geo.h"
#include "geo/geo_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int count(void *ctx, size_t point, size_t zone)
{
	(void)point;
	(void)zone;
	++*(size_t *)ctx;
	return 0;
}

static void probe(const struct geo_zones *zs, const struct geo_index *ix, double lat, double lon)
{
	size_t n = 0, scan = 0;

	geo_index_query(ix, lat, lon, 0, count, &n);
	for (size_t z = 0; z < zs->n; z++)
		scan += (size_t)geo_zone_covers(&zs->z[z], lat, lon);
	if (n != scan)
		abort();
}

/* The streaming reader's zones against the DOM reader's; aborts on any difference. */
static void differential(const uint8_t *data, size_t size, const struct geo_geojson_opt *opt)
{
	struct geo_zones *a = geo_zones_new(), *b = geo_zones_new();
	char ea[TM_ERRLEN], eb[TM_ERRLEN];
	int ra, rb;

	if (a && b && !memchr(data, 0, size)) {
		ra = geo_geojson_parse(a, "fuzz", (const char *)data, size, opt, ea, sizeof(ea));
		rb = geo_geojson_parse_dom(b, "fuzz", (const char *)data, size, opt, eb,
					   sizeof(eb));
		/*
		 * Both accept or both refuse.  Refused, the codes are equal unless
		 * one is a syntax error: the streaming reader can meet a bad member
		 * before a syntax error further on, which the DOM reader, parsing
		 * all the text first, reports instead ({"type":"\":}"... with an
		 * unterminated string at the end: TM_EUNSUP against TM_EPROTO).
		 */
		if ((ra == 0) != (rb == 0) || (ra != rb && ra != TM_EPROTO && rb != TM_EPROTO) ||
		    a->n != b->n || a->nvert != b->nvert)
			abort();
		for (size_t z = 0; z < a->n; z++) {
			const struct geo_zone *x = &a->z[z], *y = &b->z[z];

			if (strcmp(x->name, y->name) || x->sensitivity != y->sensitivity ||
			    x->np != y->np || memcmp(x->bb, y->bb, sizeof(x->bb)))
				abort();
			for (uint32_t p = 0; p < x->np; p++) {
				if (x->p[p].nr != y->p[p].nr)
					abort();
				for (uint32_t r = 0; r < x->p[p].nr; r++)
					if (x->p[p].r[r].n != y->p[p].r[r].n ||
					    memcmp(x->p[p].r[r].v, y->p[p].r[r].v,
						   x->p[p].r[r].n * sizeof(struct geo_pt)))
						abort();
			}
		}
	}
	geo_zones_free(a);
	geo_zones_free(b);
}

static void zones(const uint8_t *data, size_t size)
{
	struct geo_geojson_opt opt = {.name_prop = "n", .sens_prop = "s", .sens_default = 1};
	struct geo_zones *zs = geo_zones_new();
	struct geo_index *ix = NULL;
	char eb[TM_ERRLEN];
	size_t probes = 0;

	differential(data, size, size & 1 ? &opt : NULL);
	if (!zs)
		return;
	if (geo_geojson_parse(zs, "fuzz", (const char *)data, size, size & 1 ? &opt : NULL, eb,
			      sizeof(eb)) == 0 &&
	    geo_index_build(zs, &ix, eb, sizeof(eb)) == 0) {
		for (size_t z = 0; z < zs->n && probes < 2000; z++) {
			const struct geo_zone *g = &zs->z[z];

			probe(zs, ix, g->bb[1], g->bb[0]);
			probe(zs, ix, g->bb[3], g->bb[2]);
			for (uint32_t p = 0; p < g->np; p++)
				for (uint32_t r = 0; r < g->p[p].nr; r++)
					for (uint32_t v = 0;
					     v + 1 < g->p[p].r[r].n && probes < 2000;
					     v++, probes++) {
						struct geo_pt a = g->p[p].r[r].v[v],
							      b = g->p[p].r[r].v[v + 1];

						probe(zs, ix, a.y, a.x);
						probe(zs, ix, (a.y + b.y) / 2, (a.x + b.x) / 2);
					}
		}
	}
	geo_index_free(ix);
	geo_zones_free(zs);
}

static void distance(const uint8_t *data, size_t size)
{
	double v[4], d, e;

	if (size < sizeof(v))
		return;
	memcpy(v, data, sizeof(v));
	for (int i = 0; i < 4; i++)
		if (!isfinite(v[i]))
			return;
	v[0] = fmod(v[0], 90);
	v[2] = fmod(v[2], 90);
	v[1] = fmod(v[1], 180);
	v[3] = fmod(v[3], 180);
	d = geo_distance(v[0], v[1], v[2], v[3]);
	e = geo_distance(v[2], v[3], v[0], v[1]);
	if (!(d >= 0 && d <= 20003932) || fabs(d - e) > 1e-6)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zones(data, size);
	distance(data, size);
	return 0;
}
