/*
 * geoq.c - a small front end to src/geo/ for tests and benchmarks (built as
 * build/tools/geoq; not installed, not a trustmap subcommand):
 *   geoq dist                       lines "lat1 lon1 lat2 lon2" -> geodesic metres
 *   geoq check [-n P] [-s P] FILE   loads GeoJSON zones: "ok N zones V vertices" or the error
 *   geoq cover [-g FILE]... [-c FILE] [-n P] [-s P] [--near M]
 *                                   lines "id lat lon" -> one line "id zone" per covering zone
 * Circle files hold lines "name sensitivity lat lon radius_m".  With --near M,
 * cover also prints "id zone near" for every circle whose edge lies within M
 * metres of the point (covered or not), so a comparison can leave those out.
 * Exit status 0, or 2 on error with the message on standard error.
 */
#include "core/err.h"
#include "core/file.h"
#include "core/str.h"
#include "geo/geo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits line into at most max white-space separated fields. */
static int fields(const char *line, size_t len, const char **f, size_t *fl, int max)
{
	int n = 0;
	size_t i = 0;

	while (i < len && n < max) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= len)
			break;
		f[n] = line + i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		fl[n] = (size_t)(line + i - f[n]);
		n++;
	}
	return n;
}

static int numbers(const char **f, const size_t *fl, int n, double *out)
{
	for (int i = 0; i < n; i++)
		if (!str_to_double(f[i], fl[i], &out[i]))
			return 0;
	return 1;
}

static int cmd_dist(void)
{
	char eb[TM_ERRLEN];
	struct lr l;
	const char *line, *f[4];
	size_t len, fl[4];
	double v[4];
	int rc;

	if (lr_open(&l, "-", 4096, eb, sizeof(eb)))
		return fprintf(stderr, "geoq: %s\n", eb), 2;
	while ((rc = lr_next(&l, &line, &len)) == 1) {
		if (fields(line, len, f, fl, 4) != 4 || !numbers(f, fl, 4, v)) {
			fprintf(stderr, "geoq: stdin:%lu: expected lat1 lon1 lat2 lon2\n",
				l.lineno);
			lr_close(&l);
			return 2;
		}
		printf("%.9f\n", geo_distance(v[0], v[1], v[2], v[3]));
	}
	lr_close(&l);
	return rc < 0 ? 2 : 0;
}

static int load_circles(struct geo_zones *zs, const char *path)
{
	char eb[TM_ERRLEN], name[GEO_NAME_MAX];
	struct lr l;
	const char *line, *f[5];
	size_t len, fl[5];
	double v[4];
	int rc;

	if (lr_open(&l, path, 4096, eb, sizeof(eb)))
		return fprintf(stderr, "geoq: %s\n", eb), 2;
	while ((rc = lr_next(&l, &line, &len)) == 1) {
		if (!len || line[0] == '#')
			continue;
		if (fields(line, len, f, fl, 5) != 5 || !numbers(f + 1, fl + 1, 4, v)) {
			fprintf(stderr, "geoq: %s:%lu: expected name sensitivity lat lon radius\n",
				path, l.lineno);
			rc = -1;
			break;
		}
		str_copy(name, sizeof(name), f[0], fl[0]);
		if (geo_zones_add_circle(zs, name, (int)v[0], v[1], v[2], v[3], eb, sizeof(eb))) {
			fprintf(stderr, "geoq: %s:%lu: %s\n", path, l.lineno, eb);
			rc = -1;
			break;
		}
	}
	lr_close(&l);
	return rc < 0 ? 2 : 0;
}

struct out {
	const struct geo_zones *zs;
	const char *id;
	size_t idlen;
};

static int print_hit(void *ctx, size_t point, size_t zone)
{
	const struct out *o = ctx;

	(void)point;
	printf("%.*s %s\n", (int)o->idlen, o->id, o->zs->z[zone].name);
	return 0;
}

static int cmd_cover(struct geo_zones *zs, double near)
{
	char eb[TM_ERRLEN];
	struct geo_index *ix;
	struct lr l;
	const char *line, *f[3];
	size_t len, fl[3];
	double v[2];
	int rc;

	if (geo_index_build(zs, &ix, eb, sizeof(eb)))
		return fprintf(stderr, "geoq: %s\n", eb), 2;
	if (lr_open(&l, "-", 4096, eb, sizeof(eb))) {
		geo_index_free(ix);
		return fprintf(stderr, "geoq: %s\n", eb), 2;
	}
	while ((rc = lr_next(&l, &line, &len)) == 1) {
		struct out o = {zs, NULL, 0};

		if (fields(line, len, f, fl, 3) != 3 || !numbers(f + 1, fl + 1, 2, v)) {
			fprintf(stderr, "geoq: stdin:%lu: expected id lat lon\n", l.lineno);
			rc = -1;
			break;
		}
		o.id = f[0];
		o.idlen = fl[0];
		geo_index_query(ix, v[0], v[1], 0, print_hit, &o);
		for (size_t z = 0; near > 0 && z < zs->n; z++) {
			const struct geo_zone *c = &zs->z[z];

			if (c->kind == GEO_CIRCLE &&
			    fabs(geo_distance(c->lat, c->lon, v[0], v[1]) - c->rad) <= near)
				printf("%.*s %s near\n", (int)o.idlen, o.id, c->name);
		}
	}
	lr_close(&l);
	geo_index_free(ix);
	return rc < 0 ? 2 : 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: geoq dist | geoq check [-n PROP] [-s PROP] FILE |\n"
		"       geoq cover [-g GEOJSON]... [-c CIRCLES] [-n PROP] [-s PROP] [--near M]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct geo_geojson_opt opt = {0};
	struct geo_zones *zs;
	char eb[TM_ERRLEN];
	double near = 0;
	int rc = 0, check;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "dist"))
		return cmd_dist();
	check = !strcmp(argv[1], "check");
	if (!check && strcmp(argv[1], "cover"))
		return usage();
	zs = geo_zones_new();
	if (!zs)
		return 2;
	for (int i = 2; i < argc && !rc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-n") && v) {
			opt.name_prop = v;
			i++;
		} else if (!strcmp(a, "-s") && v) {
			opt.sens_prop = v;
			i++;
		} else if (!strcmp(a, "--near") && v) {
			near = strtod(v, NULL);
			i++;
		} else if (!strcmp(a, "-c") && v && !check) {
			rc = load_circles(zs, v);
			i++;
		} else if ((!strcmp(a, "-g") && v) || (check && a[0] != '-')) {
			const char *p = check && a[0] != '-' ? a : v;

			if (geo_geojson_load(zs, p, &opt, eb, sizeof(eb))) {
				fprintf(stderr, "geoq: %s\n", eb);
				rc = 2;
			}
			if (p == v)
				i++;
		} else {
			rc = usage();
		}
	}
	if (!rc && check)
		printf("ok %zu zones %llu vertices\n", zs->n, (unsigned long long)zs->nvert);
	else if (!rc)
		rc = cmd_cover(zs, near);
	geo_zones_free(zs);
	return rc;
}
