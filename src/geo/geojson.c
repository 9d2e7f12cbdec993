/*
 * geojson.c - zones from GeoJSON (RFC 7946): a FeatureCollection, a
 * Feature, or a bare Polygon / MultiPolygon.  Each Feature becomes one zone,
 * named and ranked by two properties the caller chooses (default "name" and
 * "sensitivity").
 *
 * The text is read by yajl, a streaming (SAX) parser: no tree of the whole
 * file is built (jansson's DOM of an 11 MB file of 10,000 zones took most of
 * a second).  Only the members that matter are kept, one feature at a time,
 * in a flat node array reused from feature to feature (the root's "type",
 * "properties", "geometry" and "coordinates", for a file that is one
 * Feature or geometry); each feature is checked and made a zone as soon as
 * it closes, the same checks in the same order as the former DOM reader
 * (geojson_dom.c, kept as the tests' reference), so the zones and the
 * messages are the same.  What jansson refused, we refuse in the same words:
 * duplicate keys (in every object), \u0000, integers beyond 64 bits, reals
 * that overflow, nesting deeper than 2048; yajl's own syntax errors get the
 * file:line:column of its offset.  For the errors found later (an unclosed
 * ring, a position out of range, a self-intersection) we walk the raw text
 * along the JSON path of the offending value to name its line and column.
 * Files over a ceiling (32 MiB by default) are refused before parsing.  A
 * file is appended whole or not at all.
 */
#include "geo_int.h"

#include "../core/err.h"
#include "../core/file.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#define PATH_MAX_DEPTH 8
#define NEST_MAX 2048 /* jansson's JSON_PARSER_MAX_DEPTH: same limit, same message */
#define NONE UINT32_MAX
#define KEYS_LINEAR 16 /* objects with more keys get a hash table for the duplicate check */

struct step {
	const char *key; /* member name, or NULL for an array index */
	size_t idx;
};

/* A kept JSON value: containers link their children (first, next), in order. */
enum { N_OBJ, N_ARR, N_STR, N_INT, N_REAL, N_TRUE, N_FALSE, N_NULL };

struct nd {
	uint32_t first, next; /* first child; next sibling */
	uint32_t n;	      /* children; string length */
	uint32_t key, klen;   /* member name (in sa) when the parent is an object */
	uint8_t kind;
	union {
		double d;
		long long i;
		uint32_t s; /* string offset in sa */
	} v;
};

/* Where the members of an open container go. */
enum { R_SKIP, R_ROOT, R_FEATURES, R_KEEP };
/* What a member of the root object is. */
enum { M_SKIP, M_KEEP, M_FEATURES };

struct frame {
	uint32_t node, last; /* kept container and its last child, or NONE */
	uint32_t kbase;	     /* its first key (duplicate check) */
	uint32_t kabase;     /* its keys' bytes in ka */
	uint32_t *tab;	     /* hash of its keys when it has many; tcap slots */
	uint32_t tcap;
	uint8_t map, role, feature; /* object; R_*; the element of "features" itself */
};

struct kent {
	uint64_t h;
	uint32_t off, len;
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
	/* the stream */
	yajl_handle yh;
	int rc;		     /* first error (its message in eb) */
	size_t top_end;	     /* just past the top-level value, once it has closed */
	int ferr;	     /* a feature's error, reported when the root is a FeatureCollection */
	int root;	     /* -1 none yet, else N_OBJ or N_ARR */
	int features;	     /* kind of the root's "features": -1 absent */
	int member;	     /* M_* of the root member whose value comes next */
	size_t fidx;	     /* elements of "features" seen */
	uint32_t fmark;	     /* nodes below a feature's */
	uint32_t fsa;	     /* sa below a feature's */
	struct nd *nd;	     /* kept values; nd[0] is the root object */
	uint32_t nn, capnn;
	char *sa;	     /* kept strings and member names */
	uint32_t nsa, capsa;
	uint32_t pkey, pklen; /* member name for the next kept value */
	struct frame *fr;
	uint32_t nfr, capfr;
	struct kent *ke; /* keys of the open objects, innermost last */
	uint32_t nke, capke;
	char *ka; /* their bytes */
	uint32_t nka, capka;
	char *num; /* a long number, NUL-terminated */
	size_t capnum;
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

/* --- kept values ------------------------------------------------------------------- */

static int is_num(const struct gj *g, uint32_t v)
{
	return v != NONE && (g->nd[v].kind == N_INT || g->nd[v].kind == N_REAL);
}

static int is_kind(const struct gj *g, uint32_t v, int kind)
{
	return v != NONE && g->nd[v].kind == kind;
}

static double num_value(const struct gj *g, uint32_t v)
{
	return g->nd[v].kind == N_INT ? (double)g->nd[v].v.i : g->nd[v].v.d;
}

/* Member key of object o, or NONE (also when o is not an object). */
static uint32_t get(const struct gj *g, uint32_t o, const char *key)
{
	size_t kl = strlen(key);

	if (!is_kind(g, o, N_OBJ))
		return NONE;
	for (uint32_t c = g->nd[o].first; c != NONE; c = g->nd[c].next)
		if (g->nd[c].klen == kl && !memcmp(g->sa + g->nd[c].key, key, kl))
			return c;
	return NONE;
}

static int str_is(const struct gj *g, uint32_t v, const char *s)
{
	size_t l = strlen(s);

	return is_kind(g, v, N_STR) && g->nd[v].n == l && !memcmp(g->sa + g->nd[v].v.s, s, l);
}

static int type_is(const struct gj *g, uint32_t o, const char *t)
{
	return str_is(g, get(g, o, "type"), t);
}

/* Length of array v (0 when it is no array). */
static size_t arr_len(const struct gj *g, uint32_t v)
{
	return is_kind(g, v, N_ARR) ? g->nd[v].n : 0;
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
static int position(struct gj *g, uint32_t v)
{
	size_t n = arr_len(g, v), i = 0;
	double c[2] = {0, 0};
	int rc;

	if (n < 2 || n > 3)
		return bad(g, TM_EPROTO, "a position is an array of 2 or 3 numbers");
	for (uint32_t e = g->nd[v].first; e != NONE; e = g->nd[e].next, i++) {
		if (!is_num(g, e)) {
			push_idx(g, i);
			rc = bad(g, TM_EPROTO, "a coordinate must be a number");
			pop(g, 1);
			return rc;
		}
		if (i < 2)
			c[i] = num_value(g, e);
	}
	rc = grow(g, (void **)&g->pts, &g->cappts, g->npts + 1, sizeof(*g->pts));
	if (rc)
		return rc;
	g->pts[g->npts++] = (struct geo_pt){c[0], c[1]};
	return 0;
}

static int ring(struct gj *g, uint32_t v)
{
	size_t n, i = 0;
	int rc;

	if (!is_kind(g, v, N_ARR))
		return bad(g, TM_EPROTO, "a linear ring is an array of positions");
	n = g->nd[v].n;
	if (n < 4)
		return bad(g, TM_EPROTO, "ring has %zu positions, at least 4 are needed", n);
	if (n > UINT32_MAX / 2)
		return bad(g, TM_ELIMIT, "ring too long");
	rc = grow(g, (void **)&g->pts, &g->cappts, g->npts + n, sizeof(*g->pts));
	for (uint32_t e = g->nd[v].first; !rc && e != NONE; e = g->nd[e].next, i++) {
		push_idx(g, i);
		rc = position(g, e);
		pop(g, 1);
	}
	if (rc)
		return rc;
	rc = grow(g, (void **)&g->rlen, &g->caprl, g->nr + 1, sizeof(*g->rlen));
	if (rc)
		return rc;
	g->rlen[g->nr++] = (uint32_t)n;
	return 0;
}

/* The rings of one polygon: the shell, then holes. */
static int polygon(struct gj *g, uint32_t v)
{
	size_t n = arr_len(g, v), i = 0;
	int rc;

	if (!n)
		return bad(g, TM_EPROTO, "a polygon is a non-empty array of linear rings");
	for (uint32_t e = g->nd[v].first; e != NONE; e = g->nd[e].next, i++) {
		push_idx(g, i);
		rc = ring(g, e);
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

/* A Polygon or MultiPolygon object into z (at the current path). */
static int geometry(struct gj *g, uint32_t o, struct geo_zone *z)
{
	uint32_t c = get(g, o, "coordinates"), t = get(g, o, "type");
	struct geo_where w;
	char m[TM_ERRLEN];
	int multi, rc;

	if (!is_kind(g, o, N_OBJ))
		return bad(g, TM_EPROTO, "a geometry must be an object");
	if (!is_kind(g, t, N_STR)) {
		push_key(g, "type");
		rc = bad(g, TM_EPROTO, "geometry without a \"type\" string");
		pop(g, 1);
		return rc;
	}
	multi = type_is(g, o, "MultiPolygon");
	if (!multi && !type_is(g, o, "Polygon")) {
		push_key(g, "type");
		rc = bad(g, TM_EUNSUP, "geometry type \"%.*s\": zones are Polygon or MultiPolygon",
			 (int)(g->nd[t].n < 40 ? g->nd[t].n : 40), g->sa + g->nd[t].v.s);
		pop(g, 1);
		return rc;
	}
	g->npts = g->nr = g->np = 0;
	push_key(g, "coordinates");
	if (c == NONE) {
		rc = bad(g, TM_EPROTO, "geometry without \"coordinates\"");
	} else if (!multi) {
		rc = polygon(g, c);
	} else if (!arr_len(g, c)) {
		rc = bad(g, TM_EPROTO,
			 "a MultiPolygon's coordinates are a non-empty array of polygons");
	} else {
		size_t i = 0;

		rc = 0;
		for (uint32_t e = g->nd[c].first; !rc && e != NONE; e = g->nd[e].next, i++) {
			push_idx(g, i);
			rc = polygon(g, e);
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

static int props(struct gj *g, uint32_t p, struct geo_zone *z)
{
	const char *np = g->opt && g->opt->name_prop ? g->opt->name_prop : "name";
	const char *sp = g->opt && g->opt->sens_prop ? g->opt->sens_prop : "sensitivity";
	uint32_t nv = get(g, p, np), sv = get(g, p, sp);
	const char *base = strrchr(g->name, '/') ? strrchr(g->name, '/') + 1 : g->name;
	int rc = 0;

	if (p != NONE && !is_kind(g, p, N_OBJ) && !is_kind(g, p, N_NULL))
		return bad(g, TM_EPROTO, "\"properties\" must be an object or null");
	push_key(g, "properties");
	if (is_kind(g, nv, N_STR)) {
		const char *s = g->sa + g->nd[nv].v.s;
		size_t l = g->nd[nv].n;

		if (l >= GEO_NAME_MAX || memchr(s, 0, l)) {
			push_key(g, np);
			rc = bad(g, TM_EPROTO, "zone name longer than %d bytes or holding NUL",
				 GEO_NAME_MAX - 1);
			pop(g, 1);
		} else {
			memcpy(z->name, s, l);
			z->name[l] = 0;
		}
	} else if (is_kind(g, nv, N_INT)) {
		snprintf(z->name, sizeof(z->name), "%lld", g->nd[nv].v.i);
	} else if (nv != NONE && !is_kind(g, nv, N_NULL)) {
		push_key(g, np);
		rc = bad(g, TM_EPROTO, "property \"%.40s\" (the zone name) must be a string", np);
		pop(g, 1);
	} else {
		snprintf(z->name, sizeof(z->name), "%.40s#%zu", base, g->nfeat + 1);
	}
	z->sensitivity = g->opt ? g->opt->sens_default : 0;
	if (!rc && sv != NONE && !is_kind(g, sv, N_NULL)) {
		if (!is_kind(g, sv, N_INT) || g->nd[sv].v.i < 0 || g->nd[sv].v.i > 1000000) {
			push_key(g, sp);
			rc = bad(g, TM_EPROTO,
				 "property \"%.40s\" (the sensitivity) must be an integer in [0, "
				 "1000000]",
				 sp);
			pop(g, 1);
		} else {
			z->sensitivity = (int)g->nd[sv].v.i;
		}
	}
	pop(g, 1);
	return rc;
}

/* A Feature, or a bare geometry when feature is 0, at the current path: one zone. */
static int zone(struct gj *g, uint32_t o, int feature)
{
	struct geo_zone z = {0};
	uint32_t geom = feature ? get(g, o, "geometry") : o;
	int rc;

	if (feature && !type_is(g, o, "Feature"))
		return bad(g, TM_EPROTO, "expected an object with \"type\": \"Feature\"");
	rc = props(g, feature ? get(g, o, "properties") : NONE, &z);
	if (rc)
		return rc;
	if (feature && (geom == NONE || is_kind(g, geom, N_NULL)))
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

/* The root's checks, once the whole text has parsed; features were made as they came. */
static int document(struct gj *g, size_t n0)
{
	uint32_t t;
	int rc = 0;

	if (g->root != N_OBJ)
		return bad(g, TM_EPROTO, "a GeoJSON text is an object");
	t = get(g, 0, "type");
	if (!is_kind(g, t, N_STR))
		return bad(g, TM_EPROTO, "no \"type\" member: not GeoJSON");
	if (type_is(g, 0, "Feature") || type_is(g, 0, "Polygon") ||
	    type_is(g, 0, "MultiPolygon")) {
		geo_zones_truncate(g->zs, n0); /* a "features" member means nothing here */
		g->nfeat = 0;
		return zone(g, 0, type_is(g, 0, "Feature"));
	}
	if (!type_is(g, 0, "FeatureCollection")) {
		push_key(g, "type");
		rc = bad(
		    g, TM_EUNSUP,
		    "type \"%.*s\": expected FeatureCollection, Feature, Polygon or MultiPolygon",
		    (int)(g->nd[t].n < 40 ? g->nd[t].n : 40), g->sa + g->nd[t].v.s);
		pop(g, 1);
		return rc;
	}
	if (g->features != N_ARR) {
		push_key(g, "features");
		rc = bad(g, TM_EPROTO, "a FeatureCollection needs a \"features\" array");
		pop(g, 1);
		return rc;
	}
	return g->ferr; /* its message is still in eb: nothing was written after it */
}

/* --- the stream -------------------------------------------------------------------- */

/* Line and column (in characters, as jansson counts) of the byte before off. */
static void line_col(const struct gj *g, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 0;
	for (size_t i = 0; i < off && i < g->len; i++) {
		unsigned char c = (unsigned char)g->text[i];

		if (c == '\n') {
			++*line;
			*col = 0;
		} else if ((c & 0xc0) != 0x80) {
			++*col;
		}
	}
}

/*
 * An error at the token text[start, end): file:line:col of its last character
 * and, when it is short, the token itself, as jansson words it.
 */
static int tok_err(struct gj *g, int rc, size_t start, size_t end, const char *msg)
{
	size_t line, col;

	line_col(g, end, &line, &col);
	if (end > start && end - start <= 20)
		err_set(g->eb, g->el, rc, "%s:%zu:%zu: %s near '%.*s'", g->name, line, col, msg,
			(int)(end - start), g->text + start);
	else
		err_set(g->eb, g->el, rc, "%s:%zu:%zu: %s", g->name, line, col, msg);
	g->rc = rc;
	return 0; /* cancels the parse */
}

static int oom(struct gj *g)
{
	g->rc = err_set(g->eb, g->el, TM_ENOMEM, "%s: out of memory", g->name);
	return 0;
}

/* End of the token the callback is for (yajl has consumed it). */
static size_t tok_end(const struct gj *g)
{
	size_t e = yajl_get_bytes_consumed(g->yh);

	return e && e <= g->len ? e : g->len;
}

/* Start of the string token ending (closing quote included) at end. */
static size_t str_start(const struct gj *g, size_t end)
{
	for (size_t i = end >= 2 ? end - 2 : 0; i > 0; i--) {
		size_t b = 0;

		if (g->text[i] != '"')
			continue;
		while (b < i && g->text[i - 1 - b] == '\\')
			b++;
		if (!(b & 1))
			return i;
	}
	return 0;
}

static int grow_arr(void **p, uint32_t *cap, size_t need, size_t sz)
{
	size_t c = *cap ? *cap : 256;
	void *np;

	if (need <= *cap)
		return 0;
	if (need > UINT32_MAX / 2)
		return TM_ELIMIT;
	while (c < need)
		c *= 2;
	np = mem_realloc(*p, c * sz);
	if (!np)
		return TM_ENOMEM;
	*p = np;
	*cap = (uint32_t)c;
	return 0;
}

/* Copies bytes into sa; their offset in *off. */
static int sa_put(struct gj *g, const void *s, size_t l, uint32_t *off)
{
	if (grow_arr((void **)&g->sa, &g->capsa, (size_t)g->nsa + l + 1, 1))
		return -1;
	memcpy(g->sa + g->nsa, s, l);
	*off = g->nsa;
	g->nsa += (uint32_t)l;
	return 0;
}

static uint32_t node_new(struct gj *g, int kind)
{
	struct nd *n;

	if (grow_arr((void **)&g->nd, &g->capnn, (size_t)g->nn + 1, sizeof(*g->nd)))
		return NONE;
	n = &g->nd[g->nn];
	n->first = n->next = NONE;
	n->n = 0;
	n->key = n->klen = 0;
	n->kind = (uint8_t)kind;
	n->v.i = 0;
	return g->nn++;
}

/* Links the new node v as the last child of frame f's node (with the pending member name). */
static void link_child(struct gj *g, struct frame *f, uint32_t v)
{
	if (f->map) {
		g->nd[v].key = g->pkey;
		g->nd[v].klen = g->pklen;
	}
	if (f->last == NONE)
		g->nd[f->node].first = v;
	else
		g->nd[f->last].next = v;
	f->last = v;
	g->nd[f->node].n++;
}

/*
 * A value begins (kind N_*): where it goes.  *v is its node when it is kept
 * (NONE otherwise), *role what its members become if it is a container,
 * *feature whether it is an element of "features".  Returns 0 to go on,
 * -1 on an error already set.
 */
static int place(struct gj *g, int kind, uint32_t *v, int *role, int *feature)
{
	struct frame *f;

	*v = NONE;
	*role = R_SKIP;
	*feature = 0;
	if (!g->nfr) { /* the top level */
		if (g->root >= 0)
			return 0;
		if (kind != N_OBJ && kind != N_ARR) {
			size_t s = 0;

			while (s < g->len && strchr(" \t\r\n", g->text[s]))
				s++;
			tok_err(g, TM_EPROTO, s, s, "'[' or '{' expected");
			return -1;
		}
		g->root = kind;
		if (kind == N_OBJ) {
			if ((*v = node_new(g, N_OBJ)) == NONE)
				return oom(g), -1;
			*role = R_ROOT;
		}
		return 0;
	}
	f = &g->fr[g->nfr - 1];
	switch (f->role) {
	case R_ROOT:
		if (g->member == M_FEATURES) {
			g->features = kind;
			*role = kind == N_ARR ? R_FEATURES : R_SKIP;
			return 0;
		}
		if (g->member != M_KEEP)
			return 0;
		break;
	case R_FEATURES:
		g->fidx++;
		if (g->ferr)
			return 0;
		*feature = 1;
		g->fmark = g->nn;
		g->fsa = g->nsa;
		break;
	case R_KEEP:
		break;
	default:
		return 0;
	}
	if ((*v = node_new(g, kind)) == NONE)
		return oom(g), -1;
	if (f->role != R_FEATURES)
		link_child(g, f, *v);
	*role = R_KEEP;
	return 0;
}

/* An element of "features" is complete: make its zone, then forget its nodes. */
static int feature_done(struct gj *g, uint32_t v)
{
	push_key(g, "features");
	push_idx(g, g->fidx - 1);
	g->ferr = zone(g, v, 1);
	pop(g, 2);
	g->nn = g->fmark;
	g->nsa = g->fsa;
	if (g->ferr == TM_ENOMEM) { /* no use going on */
		g->rc = g->ferr;
		return 0;
	}
	return 1;
}

/* A scalar value of kind whose node (if kept) gets filled by the caller. */
static int scalar(struct gj *g, int kind, uint32_t *v)
{
	int role, feature;

	if (place(g, kind, v, &role, &feature))
		return 0;
	return 1 + feature; /* 2: fill, then feature_done */
}

static int after_scalar(struct gj *g, int r, uint32_t v)
{
	return r == 2 ? feature_done(g, v) : r;
}

static int cb_null(void *ctx)
{
	struct gj *g = ctx;
	uint32_t v;
	int r = scalar(g, N_NULL, &v);

	return after_scalar(g, r, v);
}

static int cb_bool(void *ctx, int b)
{
	struct gj *g = ctx;
	uint32_t v;
	int r = scalar(g, b ? N_TRUE : N_FALSE, &v);

	return after_scalar(g, r, v);
}

static int cb_number(void *ctx, const char *s, size_t l)
{
	struct gj *g = ctx;
	int real = memchr(s, '.', l) || memchr(s, 'e', l) || memchr(s, 'E', l), r;
	size_t end = tok_end(g);
	char sbuf[64], *b = sbuf;
	long long iv = 0;
	double dv = 0;
	uint32_t v;

	if (l >= sizeof(sbuf)) {
		if (l + 1 > g->capnum) {
			char *nb = mem_realloc(g->num, l + 1);

			if (!nb)
				return oom(g);
			g->num = nb;
			g->capnum = l + 1;
		}
		b = g->num;
	}
	memcpy(b, s, l);
	b[l] = 0;
	errno = 0;
	if (real) {
		dv = strtod(b, NULL);
		if ((dv == HUGE_VAL || dv == -HUGE_VAL) && errno == ERANGE)
			return tok_err(g, TM_EPROTO, end - l, end, "real number overflow");
	} else {
		iv = strtoll(b, NULL, 10);
		if (errno == ERANGE)
			return tok_err(g, TM_EPROTO, end - l, end,
				       iv < 0 ? "too big negative integer" : "too big integer");
	}
	r = scalar(g, real ? N_REAL : N_INT, &v);
	if (r && v != NONE) {
		if (real)
			g->nd[v].v.d = dv;
		else
			g->nd[v].v.i = iv;
	}
	return after_scalar(g, r, v);
}

static unsigned hex4(const char *p)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++)
		v = v * 16 + (unsigned)(p[i] <= '9' ? p[i] - '0' : (p[i] | 0x20) - 'a' + 10);
	return v;
}

/*
 * The \u escapes of the string token just read, as jansson checks them: a
 * high surrogate needs a low one after it, a low one alone is refused.
 * yajl passes a string without escapes straight from the text: nothing to do.
 */
static int escapes_ok(struct gj *g, const unsigned char *s)
{
	size_t end, start;
	char m[64];

	if ((const char *)s >= g->text && (const char *)s < g->text + g->len)
		return 1;
	end = tok_end(g);
	start = str_start(g, end);
	for (size_t i = start + 1; i + 1 < end; i++) {
		unsigned v, w;

		if (g->text[i] != '\\')
			continue;
		if (g->text[i + 1] != 'u' || i + 6 > end) {
			i++;
			continue;
		}
		v = hex4(g->text + i + 2);
		i += 5;
		if (v >= 0xd800 && v <= 0xdbff) {
			if (i + 7 <= end && g->text[i + 1] == '\\' && g->text[i + 2] == 'u') {
				w = hex4(g->text + i + 3);
				i += 6;
				if (w >= 0xdc00 && w <= 0xdfff)
					continue;
				snprintf(m, sizeof(m), "invalid Unicode '\\u%04X\\u%04X'", v, w);
			} else {
				snprintf(m, sizeof(m), "invalid Unicode '\\u%04X'", v);
			}
			return tok_err(g, TM_EPROTO, start, end, m);
		}
		if (v >= 0xdc00 && v <= 0xdfff) {
			snprintf(m, sizeof(m), "invalid Unicode '\\u%04X'", v);
			return tok_err(g, TM_EPROTO, start, end, m);
		}
	}
	return 1;
}

/* Length of the valid UTF-8 character at p (n bytes left), as jansson accepts it; 0 if none. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t k = p[0] < 0x80 ? 1 : p[0] < 0xc2 ? 0 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : p[0] < 0xf5 ? 4 : 0;
	uint32_t v;

	if (k <= 1)
		return k;
	if (k > n)
		return 0;
	v = p[0] & (0x7f >> k);
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if ((k == 3 && v < 0x800) || (k == 4 && v < 0x10000) || v > 0x10ffff ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	return k;
}

/*
 * The string token just read (s is yajl's copy, or the text itself when it
 * had no escapes), checked as jansson did: strict UTF-8 (no overlong forms,
 * no surrogates), then its \u escapes.
 */
static int string_ok(struct gj *g, const unsigned char *s, size_t l)
{
	int inside = (const char *)s >= g->text && (const char *)s < g->text + g->len;
	size_t end = inside ? (size_t)((const char *)s - g->text) + l + 1 : tok_end(g);
	size_t start = inside ? end - l - 2 : str_start(g, end);

	for (size_t i = start + 1; i + 1 < end;) {
		const unsigned char *p = (const unsigned char *)g->text + i;
		size_t k;

		if (*p < 0x80) {
			i++;
			continue;
		}
		k = utf8_len(p, end - 1 - i);
		if (!k) {
			char m[40];

			snprintf(m, sizeof(m), "unable to decode byte 0x%x", *p);
			return tok_err(g, TM_EPROTO, start, i, m);
		}
		i += k;
	}
	return escapes_ok(g, s);
}

static int cb_string(void *ctx, const unsigned char *s, size_t l)
{
	struct gj *g = ctx;
	uint32_t v, off;
	int r;

	if (!string_ok(g, s, l))
		return 0;
	if (memchr(s, 0, l)) {
		size_t end = tok_end(g);

		return tok_err(g, TM_EPROTO, str_start(g, end), end,
			       "\\u0000 is not allowed without JSON_ALLOW_NUL");
	}
	r = scalar(g, N_STR, &v);
	if (r && v != NONE) {
		if (sa_put(g, s, l, &off))
			return oom(g);
		g->nd[v].v.s = off;
		g->nd[v].n = (uint32_t)l;
	}
	return after_scalar(g, r, v);
}

static uint64_t fnv(const unsigned char *s, size_t l)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < l; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}

static int key_eq(const struct gj *g, uint32_t k, uint64_t h, const unsigned char *s, size_t l)
{
	const struct kent *e = &g->ke[k];

	return e->h == h && e->len == l && !memcmp(g->ka + e->off, s, l);
}

/* Puts key k of frame f into its hash table (which has room). */
static void tab_put(struct gj *g, struct frame *f, uint32_t k)
{
	uint32_t m = f->tcap - 1, i = (uint32_t)g->ke[k].h & m;

	while (f->tab[i] != NONE)
		i = (i + 1) & m;
	f->tab[i] = k;
}

/* Whether the object of frame f already has the key; records it if not.  -1 out of memory. */
static int key_seen(struct gj *g, struct frame *f, const unsigned char *s, size_t l)
{
	uint64_t h = fnv(s, l);
	uint32_t nk = g->nke - f->kbase, k;

	if (!f->tab) {
		for (k = f->kbase; k < g->nke; k++)
			if (key_eq(g, k, h, s, l))
				return 1;
	} else {
		uint32_t m = f->tcap - 1;

		for (uint32_t i = (uint32_t)h & m; f->tab[i] != NONE; i = (i + 1) & m)
			if (key_eq(g, f->tab[i], h, s, l))
				return 1;
	}
	if (grow_arr((void **)&g->ke, &g->capke, (size_t)g->nke + 1, sizeof(*g->ke)) ||
	    grow_arr((void **)&g->ka, &g->capka, (size_t)g->nka + l + 1, 1))
		return -1;
	memcpy(g->ka + g->nka, s, l);
	g->ke[g->nke] = (struct kent){h, g->nka, (uint32_t)l};
	g->nka += (uint32_t)l;
	k = g->nke++;
	nk++;
	if (nk > KEYS_LINEAR && nk * 2 > f->tcap) { /* (re)build the table */
		uint32_t c = f->tcap ? f->tcap * 2 : 64, *t = mem_alloc((size_t)c * sizeof(*t));

		if (!t)
			return -1;
		mem_free(f->tab);
		f->tab = t;
		f->tcap = c;
		memset(t, 0xff, (size_t)c * sizeof(*t));
		for (uint32_t j = f->kbase; j < g->nke; j++)
			tab_put(g, f, j);
	} else if (f->tab) {
		tab_put(g, f, k);
	}
	return 0;
}

static int cb_key(void *ctx, const unsigned char *s, size_t l)
{
	struct gj *g = ctx;
	struct frame *f = &g->fr[g->nfr - 1];
	int seen;

	if (!string_ok(g, s, l))
		return 0;
	if (memchr(s, 0, l)) {
		size_t end = tok_end(g);

		return tok_err(g, TM_EPROTO, str_start(g, end), end,
			       "NUL byte in object key not supported");
	}
	seen = key_seen(g, f, s, l);
	if (seen < 0)
		return oom(g);
	if (seen) {
		size_t end = tok_end(g);

		return tok_err(g, TM_EPROTO, str_start(g, end), end, "duplicate object key");
	}
	if (f->role == R_ROOT) {
		if (l == 8 && !memcmp(s, "features", 8))
			g->member = M_FEATURES;
		else if ((l == 4 && !memcmp(s, "type", 4)) ||
			 (l == 10 && !memcmp(s, "properties", 10)) ||
			 (l == 8 && !memcmp(s, "geometry", 8)) ||
			 (l == 11 && !memcmp(s, "coordinates", 11)))
			g->member = M_KEEP;
		else
			g->member = M_SKIP;
	}
	if (f->role == R_ROOT || f->role == R_KEEP) {
		if (sa_put(g, s, l, &g->pkey))
			return oom(g);
		g->pklen = (uint32_t)l;
	}
	return 1;
}

static int open_frame(struct gj *g, int map)
{
	size_t end = tok_end(g);
	int role, feature;
	struct frame *f;
	uint32_t v;

	if (g->nfr >= NEST_MAX)
		return tok_err(g, TM_EPROTO, end - 1, end, "maximum parsing depth reached");
	if (place(g, map ? N_OBJ : N_ARR, &v, &role, &feature))
		return 0;
	if (grow_arr((void **)&g->fr, &g->capfr, (size_t)g->nfr + 1, sizeof(*g->fr)))
		return oom(g);
	f = &g->fr[g->nfr++];
	*f = (struct frame){.node = v,
			    .last = NONE,
			    .kbase = g->nke,
			    .kabase = g->nka,
			    .map = (uint8_t)map,
			    .role = (uint8_t)role,
			    .feature = (uint8_t)feature};
	return 1;
}

static int close_frame(struct gj *g)
{
	struct frame *f = &g->fr[--g->nfr];

	mem_free(f->tab);
	if (!g->nfr)
		g->top_end = tok_end(g);
	g->nke = f->kbase;
	g->nka = f->kabase;
	return f->feature ? feature_done(g, f->node) : 1;
}

static int cb_start_map(void *ctx)
{
	return open_frame(ctx, 1);
}

static int cb_start_array(void *ctx)
{
	return open_frame(ctx, 0);
}

static int cb_end(void *ctx)
{
	return close_frame(ctx);
}

static const yajl_callbacks callbacks = {
    cb_null, cb_bool, NULL, NULL, cb_number, cb_string, cb_start_map, cb_key, cb_end,
    cb_start_array, cb_end,
};

/* yajl's own complaint, at file:line:col of the offset it stopped at. */
static int syntax(struct gj *g, size_t off)
{
	unsigned char *e = yajl_get_error(g->yh, 0, (const unsigned char *)g->text, g->len);
	size_t line, col, l = e ? strlen((char *)e) : 0;

	while (l && (e[l - 1] == '\n' || e[l - 1] == ' '))
		l--;
	line_col(g, off, &line, &col);
	g->rc = err_set(g->eb, g->el, TM_EPROTO, "%s:%zu:%zu: %.*s", g->name, line, col, (int)l,
			e ? (char *)e : "JSON syntax error");
	if (e)
		yajl_free_error(g->yh, e);
	return g->rc;
}

/* Parses the text with yajl, making the features' zones on the way; 0 or the error. */
static int stream(struct gj *g)
{
	yajl_status st;

	g->yh = yajl_alloc(&callbacks, NULL, g);
	if (!g->yh)
		return err_set(g->eb, g->el, TM_ENOMEM, "%s: out of memory", g->name);
	/* yajl takes \v and \f for white space, JSON (and jansson) nowhere: the text stops there */
	const char *vt = memchr(g->text, '\v', g->len), *ff = memchr(g->text, '\f', g->len);
	size_t cut = (size_t)((vt && (!ff || vt < ff) ? vt : ff ? ff : g->text + g->len) - g->text);

	st = yajl_parse(g->yh, (const unsigned char *)g->text, cut);
	if (st == yajl_status_error)
		syntax(g, yajl_get_bytes_consumed(g->yh));
	else if (st == yajl_status_ok && cut < g->len)
		tok_err(g, TM_EPROTO, cut, cut + 1, "invalid token");
	else if (st == yajl_status_ok && (st = yajl_complete_parse(g->yh)) == yajl_status_error &&
		 !g->rc)
		syntax(g, g->len);
	/* yajl, done with the top-level value, waits for the end of a string it began after
	 * it and then says ok: only white space may follow the value */
	if (!g->rc && st == yajl_status_ok && g->top_end) {
		size_t i = ws(g->text, g->len, g->top_end);

		if (i < g->len)
			tok_err(g, TM_EPROTO, i + 1, i + 1, "parse error: trailing garbage");
	}
	yajl_free(g->yh);
	g->yh = NULL;
	if (!g->rc && st != yajl_status_ok)
		g->rc = err_set(g->eb, g->el, TM_EPROTO, "%s: JSON syntax error", g->name);
	return g->rc;
}

int geo_geojson_parse(struct geo_zones *zs, const char *name, const char *data, size_t len,
		      const struct geo_geojson_opt *opt, char *eb, size_t el)
{
	struct gj g = {.zs = zs,
		       .name = name,
		       .text = data,
		       .len = len,
		       .opt = opt,
		       .eb = eb,
		       .el = el,
		       .root = -1,
		       .features = -1};
	size_t max = opt && opt->max_bytes ? opt->max_bytes : GEO_GEOJSON_MAX, n0 = zs->n;
	int rc;

	if (len > max)
		return err_set(eb, el, TM_ELIMIT,
			       "%s: %zu bytes, over the %zu-byte ceiling for a GeoJSON file "
			       "(split the zones over several files)",
			       name, len, max);
	rc = stream(&g);
	if (!rc)
		rc = document(&g, n0);
	while (g.nfr)
		mem_free(g.fr[--g.nfr].tab);
	mem_free(g.fr);
	mem_free(g.nd);
	mem_free(g.sa);
	mem_free(g.ke);
	mem_free(g.ka);
	mem_free(g.num);
	mem_free(g.pts);
	mem_free(g.rlen);
	mem_free(g.pnr);
	if (rc)
		geo_zones_truncate(zs, n0);
	return rc;
}

int geo_geojson_load(struct geo_zones *zs, const char *path, const struct geo_geojson_opt *opt,
		     char *eb, size_t el)
{
	size_t max = opt && opt->max_bytes ? opt->max_bytes : GEO_GEOJSON_MAX, len;
	char *data;
	int rc = file_read(path, max, &data, &len, eb, el);

	if (rc == TM_ELIMIT)
		return err_set(eb, el, rc,
			       "%s: larger than the %zu-byte ceiling for a GeoJSON file (split the "
			       "zones over several files)",
			       path, max);
	if (rc)
		return rc;
	rc = geo_geojson_parse(zs, path, data, len, opt, eb, el);
	mem_free(data);
	return rc;
}
