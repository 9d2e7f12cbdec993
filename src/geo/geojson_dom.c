/*
 * geojson_dom.c - the former GeoJSON zone reader through jansson's DOM, kept
 * only as the reference that tests/unit/test_geojson.c and fuzz_geojson
 * compare the streaming reader (geojson.c) with.  Zones from GeoJSON
 * (RFC 7946): a FeatureCollection, a
 * Feature, or a bare Polygon / MultiPolygon.  Each Feature becomes one zone,
 * named and ranked by two properties the caller chooses (default "name" and
 * "sensitivity").  jansson parses the text (duplicate keys refused) and
 * reports syntax errors by line and column; for the errors found later
 * (an unclosed ring, a position out of range, a self-intersection) we walk
 * the raw text along the JSON path of the offending value to name its line
 * and column too.  Files over a ceiling (32 MiB by default: jansson's tree
 * takes up to about 20 times the text when coordinates are short) are
 * refused before parsing.  A file is appended whole or not at all.
 */
#include "geo_int.h"

#include "../core/err.h"
#include "../core/file.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PATH_MAX_DEPTH 8

struct step {
	const char *key; /* member name, or NULL for an array index */
	size_t idx;
};

struct gj {
	struct geo_zones *zs;
	const char *name; /* file name for messages */
	const char *text;
	size_t len;
	const struct geo_geojson_opt *opt;
	struct step path[PATH_MAX_DEPTH];
	int depth;
	size_t nfeat; /* zones made so far, for default names */
	char *eb;
	size_t el;
	/* positions of the geometry being read */
	struct geo_pt *pts;
	size_t npts, cappts;
	uint32_t *rlen, *pnr;
	size_t nr, caprl, np, capnp;
};

/* --- where a value sits in the text ------------------------------------------------ */

static size_t ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* Index just past the JSON value starting at i (the text is known to parse). */
static size_t skip_value(const char *s, size_t n, size_t i)
{
	int depth = 0;

	do {
		if (i >= n)
			return n;
		if (s[i] == '"') {
			for (i++; i < n && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
		} else if (s[i] == '{' || s[i] == '[') {
			depth++;
			i++;
		} else if (s[i] == '}' || s[i] == ']') {
			depth--;
			i++;
		} else if (depth > 0) {
			i++;
		} else {
			while (i < n && !strchr(",]} \t\r\n", s[i]))
				i++;
		}
	} while (depth > 0);
	return i;
}

/* Offset of the value at path[0..depth) in the text; as far as it gets when a step is missing. */
static size_t locate(const struct gj *g, int depth)
{
	const char *s = g->text;
	size_t n = g->len, i = ws(s, n, 0);

	for (int d = 0; d < depth; d++) {
		const struct step *st = &g->path[d];
		size_t k = 0, j;

		if (i >= n || s[i] != (st->key ? '{' : '['))
			return i;
		j = ws(s, n, i + 1);
		while (j < n && s[j] != '}' && s[j] != ']') {
			int hit;

			if (st->key) { /* "key" : value */
				size_t e = skip_value(s, n, j), kl = strlen(st->key);

				hit = e - j == kl + 2 && !memcmp(s + j + 1, st->key, kl);
				j = ws(s, n, e);
				if (j < n && s[j] == ':')
					j = ws(s, n, j + 1);
			} else {
				hit = k++ == st->idx;
			}
			if (hit)
				break;
			j = ws(s, n, skip_value(s, n, j));
			if (j < n && s[j] == ',')
				j = ws(s, n, j + 1);
		}
		if (j >= n || s[j] == '}' || s[j] == ']')
			return i;
		i = j;
	}
	return i;
}

/* Formats the message with file:line:column of the value at the current path. */
static int bad(struct gj *g, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(struct gj *g, int rc, const char *fmt, ...)
{
	char m[TM_ERRLEN], where[160] = "";
	size_t off = locate(g, g->depth < PATH_MAX_DEPTH ? g->depth : PATH_MAX_DEPTH), line = 1,
	       col = 1, w = 0;
	va_list ap;

	for (size_t i = 0; i < off && i < g->len; i++) {
		if (g->text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	for (int d = 0; d < g->depth && d < PATH_MAX_DEPTH && w < sizeof(where) - 32; d++) {
		if (g->path[d].key)
			w += (size_t)snprintf(where + w, sizeof(where) - w, ".%.20s",
					      g->path[d].key);
		else
			w +=
			    (size_t)snprintf(where + w, sizeof(where) - w, "[%zu]", g->path[d].idx);
	}
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	return err_set(g->eb, g->el, rc, "%s:%zu:%zu: %s%s%s", g->name, line, col, m,
		       g->depth ? " at " : "", g->depth ? where : "");
}

static void push_key(struct gj *g, const char *key)
{
	if (g->depth < PATH_MAX_DEPTH)
		g->path[g->depth] = (struct step){key, 0};
	g->depth++;
}

static void push_idx(struct gj *g, size_t idx)
{
	if (g->depth < PATH_MAX_DEPTH)
		g->path[g->depth] = (struct step){NULL, idx};
	g->depth++;
}

static void pop(struct gj *g, int n)
{
	g->depth -= n;
}

/* --- geometry ---------------------------------------------------------------------- */

static int grow(struct gj *g, void **p, size_t *cap, size_t need, size_t sz)
{
	size_t c = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	np = mem_realloc(*p, c * sz);
	if (!np)
		return bad(g, TM_ENOMEM, "out of memory");
	*p = np;
	*cap = c;
	return 0;
}

/* One position [lon, lat] or [lon, lat, alt]. */
static int position(struct gj *g, json_t *v)
{
	size_t n = json_is_array(v) ? json_array_size(v) : 0;
	double c[2];
	int rc;

	if (n < 2 || n > 3)
		return bad(g, TM_EPROTO, "a position is an array of 2 or 3 numbers");
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(v, i);

		if (!json_is_number(e)) {
			push_idx(g, i);
			rc = bad(g, TM_EPROTO, "a coordinate must be a number");
			pop(g, 1);
			return rc;
		}
		if (i < 2)
			c[i] = json_number_value(e);
	}
	rc = grow(g, (void **)&g->pts, &g->cappts, g->npts + 1, sizeof(*g->pts));
	if (rc)
		return rc;
	g->pts[g->npts++] = (struct geo_pt){c[0], c[1]};
	return 0;
}

static int ring(struct gj *g, json_t *v)
{
	size_t n;
	int rc;

	if (!json_is_array(v))
		return bad(g, TM_EPROTO, "a linear ring is an array of positions");
	n = json_array_size(v);
	if (n < 4)
		return bad(g, TM_EPROTO, "ring has %zu positions, at least 4 are needed", n);
	if (n > UINT32_MAX / 2)
		return bad(g, TM_ELIMIT, "ring too long");
	for (size_t i = 0; i < n; i++) {
		push_idx(g, i);
		rc = position(g, json_array_get(v, i));
		pop(g, 1);
		if (rc)
			return rc;
	}
	rc = grow(g, (void **)&g->rlen, &g->caprl, g->nr + 1, sizeof(*g->rlen));
	if (rc)
		return rc;
	g->rlen[g->nr++] = (uint32_t)n;
	return 0;
}

/* The rings of one polygon: the shell, then holes. */
static int polygon(struct gj *g, json_t *v)
{
	size_t n;
	int rc;

	if (!json_is_array(v) || !(n = json_array_size(v)))
		return bad(g, TM_EPROTO, "a polygon is a non-empty array of linear rings");
	for (size_t i = 0; i < n; i++) {
		push_idx(g, i);
		rc = ring(g, json_array_get(v, i));
		pop(g, 1);
		if (rc)
			return rc;
	}
	rc = grow(g, (void **)&g->pnr, &g->capnp, g->np + 1, sizeof(*g->pnr));
	if (rc)
		return rc;
	g->pnr[g->np++] = (uint32_t)n;
	return 0;
}

static int type_is(json_t *o, const char *t)
{
	json_t *v = json_object_get(o, "type");

	return json_is_string(v) && !strcmp(json_string_value(v), t);
}

/* A Polygon or MultiPolygon object into z (at the current path). */
static int geometry(struct gj *g, json_t *o, struct geo_zone *z)
{
	json_t *c = json_object_get(o, "coordinates"), *t = json_object_get(o, "type");
	struct geo_where w;
	char m[TM_ERRLEN];
	int multi, rc;

	if (!json_is_object(o))
		return bad(g, TM_EPROTO, "a geometry must be an object");
	if (!json_is_string(t)) {
		push_key(g, "type");
		rc = bad(g, TM_EPROTO, "geometry without a \"type\" string");
		pop(g, 1);
		return rc;
	}
	multi = type_is(o, "MultiPolygon");
	if (!multi && !type_is(o, "Polygon")) {
		push_key(g, "type");
		rc = bad(g, TM_EUNSUP, "geometry type \"%.40s\": zones are Polygon or MultiPolygon",
			 json_string_value(t));
		pop(g, 1);
		return rc;
	}
	g->npts = g->nr = g->np = 0;
	push_key(g, "coordinates");
	if (!c) {
		rc = bad(g, TM_EPROTO, "geometry without \"coordinates\"");
	} else if (!multi) {
		rc = polygon(g, c);
	} else if (!json_is_array(c) || !json_array_size(c)) {
		rc = bad(g, TM_EPROTO,
			 "a MultiPolygon's coordinates are a non-empty array of polygons");
	} else {
		rc = 0;
		for (size_t i = 0; !rc && i < json_array_size(c); i++) {
			push_idx(g, i);
			rc = polygon(g, json_array_get(c, i));
			pop(g, 1);
		}
	}
	if (rc) {
		pop(g, 1);
		return rc;
	}
	if (g->np > UINT32_MAX / 2)
		rc = bad(g, TM_ELIMIT, "too many polygons");
	else
		rc = geo_zone_make_poly(z, g->pts, g->rlen, g->pnr, (uint32_t)g->np, &w, m,
					sizeof(m));
	if (rc && rc != TM_ENOMEM && g->np) {
		int d = 0;

		if (multi) {
			push_idx(g, w.poly);
			d++;
		}
		push_idx(g, w.ring);
		d++;
		if (w.has_pos) {
			push_idx(g, w.pos);
			d++;
		}
		rc = bad(g, rc, "%s", m);
		pop(g, d);
	} else if (rc == TM_ENOMEM) {
		rc = bad(g, rc, "%s", m);
	}
	pop(g, 1);
	return rc;
}

/* --- features ---------------------------------------------------------------------- */

static int props(struct gj *g, json_t *p, struct geo_zone *z)
{
	const char *np = g->opt && g->opt->name_prop ? g->opt->name_prop : "name";
	const char *sp = g->opt && g->opt->sens_prop ? g->opt->sens_prop : "sensitivity";
	json_t *nv = json_is_object(p) ? json_object_get(p, np) : NULL;
	json_t *sv = json_is_object(p) ? json_object_get(p, sp) : NULL;
	const char *base = strrchr(g->name, '/') ? strrchr(g->name, '/') + 1 : g->name;
	int rc = 0;

	if (p && !json_is_object(p) && !json_is_null(p))
		return bad(g, TM_EPROTO, "\"properties\" must be an object or null");
	push_key(g, "properties");
	if (nv && json_is_string(nv)) {
		if (json_string_length(nv) >= GEO_NAME_MAX ||
		    memchr(json_string_value(nv), 0, json_string_length(nv))) {
			push_key(g, np);
			rc = bad(g, TM_EPROTO, "zone name longer than %d bytes or holding NUL",
				 GEO_NAME_MAX - 1);
			pop(g, 1);
		} else {
			str_set(z->name, sizeof(z->name), json_string_value(nv));
		}
	} else if (nv && json_is_integer(nv)) {
		snprintf(z->name, sizeof(z->name), "%lld", (long long)json_integer_value(nv));
	} else if (nv && !json_is_null(nv)) {
		push_key(g, np);
		rc = bad(g, TM_EPROTO, "property \"%.40s\" (the zone name) must be a string", np);
		pop(g, 1);
	} else {
		snprintf(z->name, sizeof(z->name), "%.40s#%zu", base, g->nfeat + 1);
	}
	z->sensitivity = g->opt ? g->opt->sens_default : 0;
	if (!rc && sv && !json_is_null(sv)) {
		if (!json_is_integer(sv) || json_integer_value(sv) < 0 ||
		    json_integer_value(sv) > 1000000) {
			push_key(g, sp);
			rc = bad(g, TM_EPROTO,
				 "property \"%.40s\" (the sensitivity) must be an integer in [0, "
				 "1000000]",
				 sp);
			pop(g, 1);
		} else {
			z->sensitivity = (int)json_integer_value(sv);
		}
	}
	pop(g, 1);
	return rc;
}

/* A Feature, or a bare geometry when feature is 0, at the current path: one zone. */
static int zone(struct gj *g, json_t *o, int feature)
{
	struct geo_zone z = {0};
	json_t *geom = feature ? json_object_get(o, "geometry") : o;
	int rc;

	if (feature && !type_is(o, "Feature"))
		return bad(g, TM_EPROTO, "expected an object with \"type\": \"Feature\"");
	rc = props(g, feature ? json_object_get(o, "properties") : NULL, &z);
	if (rc)
		return rc;
	if (feature && (!geom || json_is_null(geom)))
		return bad(g, TM_EPROTO, "feature \"%s\" has no geometry", z.name);
	if (feature)
		push_key(g, "geometry");
	rc = geometry(g, geom, &z);
	if (feature)
		pop(g, 1);
	if (rc)
		return rc;
	rc = geo_zones_push(g->zs, &z, g->eb, g->el);
	if (rc) {
		geo_zone_fini(&z);
		return bad(g, rc, "%s", "too many zones or vertices");
	}
	g->nfeat++;
	return 0;
}

static int document(struct gj *g, json_t *root)
{
	json_t *t = json_object_get(root, "type"), *f;
	int rc = 0;

	if (!json_is_object(root))
		return bad(g, TM_EPROTO, "a GeoJSON text is an object");
	if (!json_is_string(t))
		return bad(g, TM_EPROTO, "no \"type\" member: not GeoJSON");
	if (type_is(root, "Feature"))
		return zone(g, root, 1);
	if (type_is(root, "Polygon") || type_is(root, "MultiPolygon"))
		return zone(g, root, 0);
	if (!type_is(root, "FeatureCollection")) {
		push_key(g, "type");
		rc = bad(
		    g, TM_EUNSUP,
		    "type \"%.40s\": expected FeatureCollection, Feature, Polygon or MultiPolygon",
		    json_string_value(t));
		pop(g, 1);
		return rc;
	}
	f = json_object_get(root, "features");
	push_key(g, "features");
	if (!json_is_array(f))
		rc = bad(g, TM_EPROTO, "a FeatureCollection needs a \"features\" array");
	for (size_t i = 0; !rc && i < json_array_size(f); i++) {
		push_idx(g, i);
		rc = zone(g, json_array_get(f, i), 1);
		pop(g, 1);
	}
	pop(g, 1);
	return rc;
}

int geo_geojson_parse_dom(struct geo_zones *zs, const char *name, const char *data, size_t len,
		      const struct geo_geojson_opt *opt, char *eb, size_t el)
{
	struct gj g = {
	    .zs = zs, .name = name, .text = data, .len = len, .opt = opt, .eb = eb, .el = el};
	size_t max = opt && opt->max_bytes ? opt->max_bytes : GEO_GEOJSON_MAX, n0 = zs->n;
	json_error_t je;
	json_t *root;
	int rc;

	if (len > max)
		return err_set(eb, el, TM_ELIMIT,
			       "%s: %zu bytes, over the %zu-byte ceiling for a GeoJSON file "
			       "(split the zones over several files)",
			       name, len, max);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return err_set(eb, el, TM_EPROTO, "%s:%d:%d: %s", name, je.line, je.column,
			       je.text);
	rc = document(&g, root);
	json_decref(root);
	mem_free(g.pts);
	mem_free(g.rlen);
	mem_free(g.pnr);
	if (rc)
		geo_zones_truncate(zs, n0);
	return rc;
}
