/*
 * test_geojson.c - the streaming GeoJSON reader (src/geo/geojson.c, yajl)
 * against the former DOM reader (geojson_dom.c, jansson) on every test and
 * corpus file, on hand-made texts whose members come in unusual orders, and
 * on thousands of mutants of them (cut short, a byte dropped, a byte
 * replaced by JSON punctuation): the same return code always, the same zones
 * (names, sensitivities, every vertex, boxes) on success, and the same
 * message whenever the error is not a syntax error (yajl words those
 * differently: there only file:line:column is checked to be present; a
 * syntax error is what jansson itself refuses).  Then
 * the things jansson refused that yajl alone would not: duplicate keys deep
 * down, \u0000, integers beyond 64 bits, nesting deeper than 2048.
 */
#include "check.h"

#include "core/err.h"
#include "core/file.h"
#include "core/mem.h"
#include "geo/geo.h"
#include "geo/geo_int.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t n_ok, n_err, n_msg;

static int same_zone(const struct geo_zone *a, const struct geo_zone *b)
{
	if (strcmp(a->name, b->name) || a->sensitivity != b->sensitivity ||
	    a->kind != b->kind || a->np != b->np || a->nvert != b->nvert ||
	    memcmp(a->bb, b->bb, sizeof(a->bb)))
		return 0;
	for (uint32_t p = 0; p < a->np; p++) {
		if (a->p[p].nr != b->p[p].nr)
			return 0;
		for (uint32_t r = 0; r < a->p[p].nr; r++) {
			const struct geo_ring *x = &a->p[p].r[r], *y = &b->p[p].r[r];

			if (x->n != y->n || memcmp(x->v, y->v, x->n * sizeof(*x->v)) ||
			    memcmp(x->bb, y->bb, sizeof(x->bb)))
				return 0;
		}
	}
	return 1;
}

/* Whether jansson refuses the text as JSON: yajl words those errors its own way. */
static int syntax_error(const char *text, size_t len)
{
	json_error_t je;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);

	json_decref(j);
	return !j;
}

/* Both readers on one text: 1 when they agree. */
static int compare(const char *text, size_t len, const struct geo_geojson_opt *opt)
{
	struct geo_zones *a = geo_zones_new(), *b = geo_zones_new();
	char ea[TM_ERRLEN] = "", eb[TM_ERRLEN] = "";
	int ra, rb, same;

	if (!a || !b)
		return 0;
	ra = geo_geojson_parse(a, "f", text, len, opt, ea, sizeof(ea));
	if (memchr(text, 0, len)) { /* no JSON; jansson's reader skipped NUL bytes as if absent */
		same = ra == TM_EPROTO && !a->n;
		if (!same)
			fprintf(stderr, "a NUL byte not refused: %d [%s]\n", ra, ea);
		n_err++;
		geo_zones_free(a);
		geo_zones_free(b);
		return same;
	}
	rb = geo_geojson_parse_dom(b, "f", text, len, opt, eb, sizeof(eb));
	same = ra == rb && a->n == b->n && a->nvert == b->nvert;
	for (size_t z = 0; same && z < a->n; z++)
		same = same_zone(&a->z[z], &b->z[z]);
	if (same && ra) {
		if (!syntax_error(text, len)) {
			same = !strcmp(ea, eb);
			n_msg++;
		} else {
			same = !strncmp(ea, "f:", 2) && strchr(ea + 2, ':');
		}
	}
	if (!same)
		fprintf(stderr, "differ on %.*s\n  stream %d [%s]\n  dom    %d [%s]\n",
			(int)(len < 300 ? len : 300), text, ra, ea, rb, eb);
	if (ra)
		n_err++;
	else
		n_ok++;
	geo_zones_free(a);
	geo_zones_free(b);
	return same;
}

static const char PUNCT[] = "[]{},:\"0-.e ";

/* The text itself, then mutants: cut at every step, a byte dropped, a byte replaced. */
static int mutants(const char *t, size_t len, size_t step)
{
	char *m = malloc(len + 1);
	int bad = 0;

	bad += !compare(t, len, NULL);
	bad += !compare(t, len, &(struct geo_geojson_opt){"n", "s", 4, 0});
	for (size_t i = 0; i < len; i += step) {
		bad += !compare(t, i, NULL);
		memcpy(m, t, i);
		memcpy(m + i, t + i + 1, len - i - 1);
		bad += !compare(m, len - 1, NULL);
		memcpy(m, t, len);
		m[i] = PUNCT[(i / step) % (sizeof(PUNCT) - 1)];
		bad += !compare(m, len, NULL);
	}
	free(m);
	return bad;
}

static const char *const TEXTS[] = {
    /* the root's members in every order that matters */
    "{\"features\":[{\"geometry\":{\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]],\"type\":"
    "\"Polygon\"},\"properties\":{\"sensitivity\":2,\"name\":\"a\"},\"type\":\"Feature\"}],"
    "\"type\":\"FeatureCollection\"}",
    "{\"features\":[{\"type\":\"Feature\",\"geometry\":null}],\"type\":\"Feature\","
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]},"
    "\"properties\":{\"name\":\"root\"}}",
    "{\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]],\"bbox\":[0,"
    "0,6,6],\"type\":\"MultiPolygon\"}",
    "{\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"x\"},\"geometry\":{"
    "\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}},{\"type\":\"Feature\","
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}],\"type\":\"Topology\"}",
    "{\"type\":\"FeatureCollection\",\"features\":{\"a\":1}}",
    "{\"type\":\"FeatureCollection\",\"features\":[1,\"x\",null,[]]}",
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":[1],"
    "\"geometry\":{}}]}",
    "{\"type\":\"FeatureCollection\",\"x\":{\"features\":[{\"y\":[true,false,null]}]},"
    "\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":12345678901234,\"k\":{\"n\":"
    "1}},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0,9],[1e0,0.0,-1],[1,1],[0,"
    "0]],[[0.2,0.2],[0.3,0.2],[0.3,0.3],[0.2,0.2]]],\"extra\":\"\\u00e9\\\"\"}}]}",
    "{\"type\":7}",
    "{\"type\":\"Feature\"}",
    "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]],\"properties\":{"
    "\"name\":\"ignored\"}}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\\u00e9t\\u00e9\",\"sensitivity\":"
    "1000000},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[]}}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"a\",\"sensitivity\":-1},\"geometry\":"
    "null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":true},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"sensitivity\":1.5},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":null,\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]],\"x\"]}}",
    " \n{\"type\":\"FeatureCollection\",\"features\":[]}\n ",
    /* strings and numbers at the edges of JSON */
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\\ud800\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\\udc00x\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\\ud83d\\ude00\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\\ud800\\u0041\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\xc3\x28\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\xe2\x82\xac\xff\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\xc0\xaf\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\xed\xa0\x80\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"a\x01b\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"na\\u0000me\":1},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":-0,\"sensitivity\":-0},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"sensitivity\":1e-400},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"sensitivity\":1E400},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"sensitivity\":1e99999999999999999999},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"sensitivity\":00},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"sensitivity\":-},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"sensitivity\":.5},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"sensitivity\":1.},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"sensitivity\":[1,]},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"a\":1,},\"geometry\":null}",
    "{\"type\":\"Feature\",/*c*/\"properties\":{},\"geometry\":null}",
    "\xef\xbb\xbf{\"type\":\"Feature\",\"geometry\":null}",
    "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"name\":\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"}}",
    "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"name\":\"\\x\"}}",
    "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"name\":\"\\u12\"}}",
    "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"name\":TRUE}}",
    "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"name\":nul}}",
    "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"name\":\"\t\"}}",
    "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"name\":Infinity}}",
    "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"name\":NaN}}",
    "{\"type\":\"Featre\",\v\"geometry\":null}",
    "{\"type\":\"Featre\",\f\"geometry\":null}",
    "{\"type\":\"Featre\",\"geometry\":\"\v\"}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"ab\xe2\x82\"},\"geometry\":null}",
};

static int files_in(const char *dir, int *nfiles)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int bad = 0;

	if (!d)
		return 1;
	while ((de = readdir(d))) {
		char path[512], eb[TM_ERRLEN], *data;
		size_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (file_read(path, 1 << 24, &data, &len, eb, sizeof(eb)))
			continue;
		++*nfiles;
		bad += mutants(data, len, len / 150 + 1);
		mem_free(data);
	}
	closedir(d);
	return bad;
}

static void test_differential(void)
{
	int bad = 0, nfiles = 0;

	for (size_t i = 0; i < sizeof(TEXTS) / sizeof(TEXTS[0]); i++)
		bad += mutants(TEXTS[i], strlen(TEXTS[i]), 1);
	bad += files_in("tests/fuzz/corpus/geojson", &nfiles);
	bad += files_in("tests/data/audit", &nfiles);
	CHECK_INT(bad, 0);
	CHECK(nfiles >= 7);
	CHECK(n_ok > 100);
	CHECK(n_err > 1000);
	CHECK(n_msg > 500);
	fprintf(stderr, "test_geojson: %zu texts loaded alike, %zu refused alike (%zu with the same "
			"message), %d files\n",
		n_ok, n_err, n_msg, nfiles);
}

static void expect(const char *text, size_t len, int rc, const char *msg)
{
	struct geo_zones *zs = geo_zones_new();
	char eb[TM_ERRLEN] = "";

	CHECK_INT(geo_geojson_parse(zs, "f", text, len, NULL, eb, sizeof(eb)), rc);
	CHECK_STR(eb, msg);
	CHECK_INT(zs->n, 0);
	geo_zones_free(zs);
}

/* Texts jansson refused in words we repeat: the message must be its, to the column. */
static const char *const JANSSON_WORDS[] = {
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\xc0\xaf\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\xed\xa0\x80\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"x\\ud800\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\\ud800\\u0041\"},\"geometry\":null}",
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"\\udfff\"},\"geometry\":null}",
    "{\"a\\u0000\":1}",
    "{\"a\":\"\\u0000\"}",
    "{\"a\":1,\n \"a\":2}",
    "{\"a\":[1,2,-123456789012345678901]}",
    "{\"a\":[1,2,\n123456789012345678901234567890]}",
    "{\"a\":[1,2,-1.5e309]}",
};

static void same_words(const char *text)
{
	struct geo_zones *a = geo_zones_new(), *b = geo_zones_new();
	char ea[TM_ERRLEN] = "", eb[TM_ERRLEN] = "";

	CHECK_INT(geo_geojson_parse(a, "f", text, strlen(text), NULL, ea, sizeof(ea)), TM_EPROTO);
	CHECK_INT(geo_geojson_parse_dom(b, "f", text, strlen(text), NULL, eb, sizeof(eb)),
		  TM_EPROTO);
	CHECK_STR(ea, eb);
	geo_zones_free(a);
	geo_zones_free(b);
}

/* What jansson refused and yajl alone would accept: refused alike, in jansson's words. */
static void test_refused(void)
{
	static const char nul[] = "{\"type\":\"Feature\",\"properties\":{\"name\":\"a\\u0000b\"}}";
	size_t n = 2100, l = 0;
	char *deep = malloc(2 * n + 8);

	expect("{\"type\":\"FeatureCollection\",\"features\":[{\"a\":{\"b\":1,\"c\":2,\"b\":3}}]}",
	       strlen("{\"type\":\"FeatureCollection\",\"features\":[{\"a\":{\"b\":1,\"c\":2,\"b\":"
		      "3}}]}"),
	       TM_EPROTO, "f:1:61: duplicate object key near '\"b\"'");
	expect(nul, sizeof(nul) - 1, TM_EPROTO,
	       "f:1:49: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"a\\u0000b\"'");
	expect("{\"type\":9223372036854775808}", 28, TM_EPROTO,
	       "f:1:27: too big integer near '9223372036854775808'");
	expect("{\"type\":-9223372036854775809}", 29, TM_EPROTO,
	       "f:1:28: too big negative integer near '-9223372036854775809'");
	for (size_t i = 0; i < sizeof(JANSSON_WORDS) / sizeof(JANSSON_WORDS[0]); i++)
		same_words(JANSSON_WORDS[i]);
	/* a NUL byte is no JSON (jansson's reader skipped it as if absent: not copied) */
	expect("{\"type\":\"Polygon\",\0\"coordinates\":[]}", 35, TM_EPROTO,
	       "f:1:19: lexical error: invalid char in json text.");
	expect("  7", 3, TM_EPROTO, "f:1:2: '[' or '{' expected");
	expect("{\"type\":\"Polygon\"} x", 20, TM_EPROTO, "f:1:20: parse error: trailing garbage");
	/* an unterminated string after the value: yajl alone would take it (fuzz_geojson) */
	expect("{\"type\":\"FeatureCollection\",\"features\":[]} \"", 44, TM_EPROTO,
	       "f:1:44: parse error: trailing garbage");
	expect("{\"type\":\"FeatureCollection\",\"features\":[]}\n\t\"ab", 46, TM_EPROTO,
	       "f:2:2: parse error: trailing garbage");
	CHECK(compare("{\"type\":\"FeatureCollection\",\"features\":[]} \"", 44, NULL));
	expect("{\"type\":\n\"Polygon\"", 18, TM_EPROTO, "f:2:9: parse error: premature EOF");
	for (size_t i = 0; i < n; i++)
		deep[l++] = '[';
	for (size_t i = 0; i < n; i++)
		deep[l++] = ']';
	expect(deep, l, TM_EPROTO, "f:1:2049: maximum parsing depth reached near '['");
	CHECK(compare(deep, l, NULL));
	memmove(deep + 2048, deep + n + (n - 2048), 2048); /* 2048 deep: allowed */
	expect(deep, 2 * 2048, TM_EPROTO, "f:1:1: a GeoJSON text is an object");
	CHECK(compare(deep, 2 * 2048, NULL));
	free(deep);
}

/* An object of many keys (the hash table's side of the duplicate check). */
static void test_many_keys(void)
{
	size_t cap = 1 << 20, l = 0;
	char *t = malloc(cap);

	l += (size_t)snprintf(t + l, cap - l,
			      "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{");
	for (int i = 0; i < 5000; i++)
		l += (size_t)snprintf(t + l, cap - l, "\"k%d\":%d,", i, i);
	l += (size_t)snprintf(t + l, cap - l, "\"name\":\"z\"}}");
	expect(t, l, TM_EPROTO, "f:1:1: feature \"z\" has no geometry");
	CHECK(compare(t, l, NULL));
	memcpy(t + l - 12, "\"k4321\":1}}", 11); /* the same key again */
	l -= 1;
	expect(t, l, TM_EPROTO, "f:1:62835: duplicate object key near '\"k4321\"'");
	CHECK(compare(t, l, NULL));
	free(t);
}

int main(void)
{
	test_differential();
	test_refused();
	test_many_keys();
	return check_done("test_geojson");
}
