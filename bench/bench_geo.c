/*
 * bench_geo.c - the spatial join of bench/geo: N sites (default 1,000,000)
 * against Z zones (default 10,000: star polygons, half of them with a hole,
 * multipolygons of 2-4 parts, 20 polygons of 1,000-5,000 vertices, and
 * geodesic circles of 100 m - 15 km) over a 300 x 330 km region, sites
 * partly uniform, partly clustered round 20 towns.  Deterministic (fixed
 * seed).  With -w DIR it first writes the same input for PostGIS:
 * DIR/zones.geojson (polygons, loaded back by our GeoJSON loader, so its
 * time is measured too), DIR/polys.tsv (id, GeoJSON geometry),
 * DIR/circles.tsv (id, lat, lon, radius) and DIR/sites.tsv (id, lat, lon).
 * Prints "key value" lines: pairs, checksum (sum of site_id * 10007 +
 * zone_id over all pairs, ids from 1), CPU seconds of each step (the
 * machine is shared, so wall time says little) and peak RSS.
 */
#include "core/err.h"
#include "geo/geo.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static double uni(void) /* xorshift64*, [0, 1) */
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (double)((rng * 2685821657736338717ULL) >> 11) * 0x1p-53;
}

/* CPU seconds of this process: the machine is shared, wall time is noisy */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#define X0 9.8
#define X1 14.2
#define Y0 50.0
#define Y1 53.0

/* A star-shaped ring of n vertices round (cx, cy): radius in [r0, r1], closed; clockwise if cw. */
static void star(FILE *f, double cx, double cy, double r0, double r1, int n, int cw)
{
	double xs = 1 / cos(cy * M_PI / 180); /* keep shapes round on the ground */

	fputc('[', f);
	for (int i = 0; i < n; i++) {
		int k = cw ? n - 1 - i : i;
		double a = 2 * M_PI * (k + 0.4 * uni()) / n, r = r0 + (r1 - r0) * uni();

		fprintf(f, "%s[%.17g,%.17g]", i ? "," : "", cx + r * cos(a) * xs, cy + r * sin(a));
	}
	fputc(']', f);
}

/* Writes the polygons of zone id as GeoJSON geometry text into f. */
static void polygon_zone(FILE *f, int id, int big)
{
	double cx = X0 + 0.3 + (X1 - X0 - 0.6) * uni(), cy = Y0 + 0.3 + (Y1 - Y0 - 0.6) * uni();
	int parts = big ? 1 : (id % 4 == 0 ? 2 + (int)(uni() * 3) : 1);
	double size = big ? 0.1 + 0.15 * uni() : 0.005 + 0.045 * uni();

	fprintf(f, parts > 1 ? "{\"type\":\"MultiPolygon\",\"coordinates\":["
			     : "{\"type\":\"Polygon\",\"coordinates\":");
	for (int p = 0; p < parts; p++) {
		int n = big ? 1000 + (int)(uni() * 4000) : 6 + (int)(uni() * 35),
		    hole = uni() < 0.5;
		double px = cx + p * 2.5 * size / cos(cy * M_PI / 180), rmin = size * 0.6;

		if (p)
			fputc(',', f);
		fputc('[', f);
		/* a ring written by hand: positions, then the first again */
		{
			char *buf = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&buf, &len);
			char *first, *end;

			star(m, px, cy, rmin, size, n, 0);
			fclose(m);
			/* close it: append the first position before the final ']' */
			first = strchr(buf + 1, ']');
			end = buf + len - 1;
			fwrite(buf, 1, (size_t)(end - buf), f);
			fprintf(f, ",%.*s]", (int)(first - buf), buf + 1);
			free(buf);
		}
		if (hole) {
			char *buf = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&buf, &len);
			char *first, *end;

			star(m, px, cy, rmin * 0.2, rmin * 0.5, 5 + (int)(uni() * 8), 1);
			fclose(m);
			first = strchr(buf + 1, ']');
			end = buf + len - 1;
			fputc(',', f);
			fwrite(buf, 1, (size_t)(end - buf), f);
			fprintf(f, ",%.*s]", (int)(first - buf), buf + 1);
			free(buf);
		}
		fputc(']', f);
	}
	fprintf(f, parts > 1 ? "]}" : "}");
}

struct acc {
	uint64_t pairs, sum;
};

static int hit(void *ctx, size_t point, size_t zone)
{
	struct acc *a = ctx;

	a->pairs++;
	a->sum += (uint64_t)(point + 1) * 10007 + zone + 1;
	return 0;
}

int main(int argc, char **argv)
{
	size_t nsites = 1000000, nzones = 10000, npoly, ncirc;
	const char *dir = "/tmp";
	char path[4096], eb[TM_ERRLEN];
	double *lat, *lon, t0, t_load, t_index, t_join, *cl, *co, *cr;
	struct geo_zones *zs;
	struct geo_index *ix;
	struct geo_index_stats st;
	struct acc acc = {0};
	struct rusage ru;
	FILE *gj, *tsv;
	int64_t n;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-n"))
			nsites = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "-z"))
			nzones = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "-w"))
			dir = argv[i + 1];
	}
	npoly = nzones / 2;
	ncirc = nzones - npoly;
	/* polygons: GeoJSON for us, TSV for PostGIS, the same text */
	snprintf(path, sizeof(path), "%s/zones.geojson", dir);
	gj = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/polys.tsv", dir);
	tsv = fopen(path, "w");
	if (!gj || !tsv)
		return fprintf(stderr, "bench_geo: cannot write in %s\n", dir), 2;
	fprintf(gj, "{\"type\":\"FeatureCollection\",\"features\":[\n");
	for (size_t i = 0; i < npoly; i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		polygon_zone(m, (int)i + 1, i < 20);
		fclose(m);
		fprintf(
		    gj,
		    "%s{\"type\":\"Feature\",\"properties\":{\"name\":\"%zu\"},\"geometry\":%s}\n",
		    i ? "," : "", i + 1, buf);
		fprintf(tsv, "%zu\t%s\n", i + 1, buf);
		free(buf);
	}
	fprintf(gj, "]}\n");
	fclose(gj);
	fclose(tsv);
	cl = malloc(ncirc * sizeof(double));
	co = malloc(ncirc * sizeof(double));
	cr = malloc(ncirc * sizeof(double));
	lat = malloc(nsites * sizeof(double));
	lon = malloc(nsites * sizeof(double));
	if (!cl || !co || !cr || !lat || !lon)
		return 2;
	snprintf(path, sizeof(path), "%s/circles.tsv", dir);
	tsv = fopen(path, "w");
	for (size_t i = 0; i < ncirc && tsv; i++) {
		cl[i] = Y0 + 0.1 + (Y1 - Y0 - 0.2) * uni();
		co[i] = X0 + 0.1 + (X1 - X0 - 0.2) * uni();
		cr[i] = 100 * exp(log(150.0) * uni());
		fprintf(tsv, "%zu\t%.17g\t%.17g\t%.17g\n", npoly + i + 1, cl[i], co[i], cr[i]);
	}
	if (tsv)
		fclose(tsv);
	snprintf(path, sizeof(path), "%s/sites.tsv", dir);
	tsv = fopen(path, "w");
	for (size_t i = 0; i < nsites && tsv; i++) {
		if (i % 10 < 7) {
			lat[i] = Y0 + (Y1 - Y0) * uni();
			lon[i] = X0 + (X1 - X0) * uni();
		} else { /* round one of 20 towns (Box-Muller) */
			int t = (int)(uni() * 20);
			double u1 = uni() + 1e-12, u2 = uni(), g = sqrt(-2 * log(u1));
			uint64_t save = rng;

			rng = 0x1234567ULL * (t + 1); /* town centres from their own seed */
			lat[i] = Y0 + 0.3 + 2.4 * uni();
			lon[i] = X0 + 0.3 + 3.8 * uni();
			rng = save;
			lat[i] += 0.05 * g * cos(2 * M_PI * u2);
			lon[i] += 0.08 * g * sin(2 * M_PI * u2);
		}
		fprintf(tsv, "%zu\t%.17g\t%.17g\n", i + 1, lat[i], lon[i]);
	}
	if (tsv)
		fclose(tsv);

	/* ours: load, index, join */
	t0 = now();
	zs = geo_zones_new();
	snprintf(path, sizeof(path), "%s/zones.geojson", dir);
	if (!zs || geo_geojson_load(zs, path, NULL, eb, sizeof(eb)))
		return fprintf(stderr, "bench_geo: %s\n", eb), 2;
	for (size_t i = 0; i < ncirc; i++)
		if (geo_zones_add_circle(zs, "c", 1, cl[i], co[i], cr[i], eb, sizeof(eb)))
			return fprintf(stderr, "bench_geo: %s\n", eb), 2;
	t_load = now() - t0;
	t0 = now();
	if (geo_index_build(zs, &ix, eb, sizeof(eb)))
		return fprintf(stderr, "bench_geo: %s\n", eb), 2;
	t_index = now() - t0;
	t0 = now();
	n = geo_join(ix, lat, lon, nsites, hit, &acc);
	t_join = now() - t0;
	geo_index_stats(ix, &st);
	getrusage(RUSAGE_SELF, &ru);
	printf("sites %zu\nzones %zu\npolygon_zones %zu\ncircle_zones %zu\nvertices %llu\n", nsites,
	       zs->n, npoly, ncirc, (unsigned long long)zs->nvert);
	printf("pairs %lld\nchecksum %llu\n", (long long)n, (unsigned long long)acc.sum);
	printf("load_s %.3f\nindex_s %.3f\njoin_s %.3f\n", t_load, t_index, t_join);
	printf("grid %ux%u\ngrid_entries %llu\nbig_zones %u\nindex_bytes %zu\n", st.gx, st.gy,
	       (unsigned long long)st.entries, st.nbig, st.bytes);
	printf("peak_rss_mb %.1f\n", ru.ru_maxrss / 1024.0);
	geo_index_free(ix);
	geo_zones_free(zs);
	free(lat);
	free(lon);
	free(cl);
	free(co);
	free(cr);
	return n < 0 ? 2 : 0;
}
