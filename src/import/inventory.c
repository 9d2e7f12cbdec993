/*
 * inventory.c - an operator's inventory as CSV (RFC 4180; the separator may
 * also be ';' or a tab, guessed from the header).  The header row names the
 * columns, in any order and any case; asset_id is required.  Each row gives
 * the asset's declared vendor, model and role (OBS_INVENTORY_*), its MAC
 * (OBS_MAC), once per distinct site id, the site with its coordinates, and
 * (uplink column) a link to the asset it connects up to.
 * docs/import.md lists the columns and their aliases.
 */
#include "table.h"

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <string.h>
#include <sys/random.h>

enum col {
	C_ASSET,
	C_SITE,
	C_SITE_NAME,
	C_LAT,
	C_LON,
	C_OPERATOR,
	C_REGION,
	C_VENDOR,
	C_MODEL,
	C_ROLE,
	C_ADDR,
	C_MAC,
	C_SERIAL,
	C_SCOPE,
	C_TAGS,
	C_UPLINK,
	C_COUNT
};

/* Column names and aliases, matched case-insensitively. */
static const struct imp_colname colnames[] = {
    {C_ASSET, "asset_id"},  {C_SITE, "site_id"},
    {C_SITE, "site"},	    {C_SITE_NAME, "site_name"},
    {C_LAT, "latitude"},    {C_LAT, "lat"},
    {C_LON, "longitude"},   {C_LON, "lon"},
    {C_LON, "lng"},	    {C_OPERATOR, "operator"},
    {C_REGION, "region"},   {C_VENDOR, "vendor"},
    {C_MODEL, "model"},	    {C_ROLE, "role"},
    {C_ADDR, "address"},    {C_ADDR, "ip"},
    {C_ADDR, "ip_address"}, {C_MAC, "mac"},
    {C_MAC, "mac_address"}, {C_SERIAL, "serial"},
    {C_SCOPE, "scope"},	    {C_TAGS, "tags"},
    {C_TAGS, "site_tags"},  {C_UPLINK, "uplink"},
};

#define SITES_MAX 1000000

static const int required[] = {C_ASSET};

struct inv {
	struct imp_table t; /* the header's columns; t.ctx is this */
	struct imp_run *r;
	/* distinct site ids seen: open addressing over strings in an arena */
	struct arena *names;
	const char **set;
	size_t cap, used;
	uint64_t seed;
};

/* The trimmed text of column c in rec ("" when the column is absent). */
static const char *get(const struct inv *v, const struct csv_rec *rec, enum col c, size_t *n)
{
	return imp_table_get(&v->t, rec, c, n);
}

static unsigned long colno(const struct inv *v, const struct csv_rec *rec, enum col c)
{
	return imp_table_colno(&v->t, rec, c);
}

static unsigned long lineof(const struct inv *v, const struct csv_rec *rec, enum col c)
{
	return imp_table_lineof(&v->t, rec, c);
}

static uint64_t hash(const struct inv *v, const char *s)
{
	uint64_t h = 14695981039346656037ULL ^ v->seed;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* 1 when id is new (and now remembered), 0 when seen, or a TM_E* code. */
static int site_new(struct inv *v, const char *id)
{
	size_t i;

	if (v->used * 2 >= v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 1024;
		const char **nset;

		if (v->used >= SITES_MAX)
			return TM_ELIMIT;
		nset = mem_calloc(ncap, sizeof(*nset));
		if (!nset)
			return TM_ENOMEM;
		for (size_t k = 0; k < v->cap; k++) {
			if (!v->set[k])
				continue;
			for (i = hash(v, v->set[k]) & (ncap - 1); nset[i]; i = (i + 1) & (ncap - 1))
				;
			nset[i] = v->set[k];
		}
		mem_free(v->set);
		v->set = nset;
		v->cap = ncap;
	}
	for (i = hash(v, id) & (v->cap - 1); v->set[i]; i = (i + 1) & (v->cap - 1))
		if (!strcmp(v->set[i], id))
			return 0;
	v->set[i] = arena_strdup(v->names, id);
	if (!v->set[i])
		return TM_ENOMEM;
	v->used++;
	return 1;
}

/* A text column into dst (of size cap); bad when longer. */
static int text(struct inv *v, const struct csv_rec *rec, enum col c, const char *what, char *dst,
		size_t cap)
{
	size_t n;
	const char *p = get(v, rec, c, &n);

	if (n >= cap)
		return imp_bad(v->r, lineof(v, rec, c), colno(v, rec, c),
			       "%s longer than %zu bytes", what, cap - 1);
	str_copy(dst, cap, p, n);
	return 0;
}

static int coord(struct inv *v, const struct csv_rec *rec, enum col c, double lim, double *out)
{
	const char *what = c == C_LAT ? "latitude" : "longitude";
	size_t n;
	const char *p = get(v, rec, c, &n);
	char shown[40];

	str_copy(shown, sizeof(shown), p, n);
	if (!str_to_double(p, n, out))
		return imp_bad(v->r, lineof(v, rec, c), colno(v, rec, c), "bad %s \"%s\"", what,
			       shown);
	if (*out < -lim || *out > lim)
		return imp_bad(v->r, lineof(v, rec, c), colno(v, rec, c),
			       "%s %s out of range [%g, %g]", what, shown, -lim, lim);
	return 0;
}

/* "a, b||c " -> "a;b;c": words split on ; , or |, blanks around them and empty words dropped. */
static void norm_tags(char *t)
{
	char *w = t;

	for (const char *r = t; *r;) {
		const char *e = r + strcspn(r, ";,|"), *b = r, *z = e;

		while (b < z && *b == ' ')
			b++;
		while (z > b && z[-1] == ' ')
			z--;
		if (z > b) {
			if (w > t)
				*w++ = ';';
			memmove(w, b, (size_t)(z - b));
			w += z - b;
		}
		r = *e ? e + 1 : e;
	}
	*w = 0;
}

/* Reads the site columns of rec into s; s->id is "" when the row names no site. */
static int site_cols(struct inv *v, const struct csv_rec *rec, struct imp_site *s)
{
	size_t nlat, nlon;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = text(v, rec, C_SITE, "site_id", s->id, sizeof(s->id))) ||
	    (rc = text(v, rec, C_SITE_NAME, "site_name", s->name, sizeof(s->name))) ||
	    (rc = text(v, rec, C_OPERATOR, "operator", s->operator_, sizeof(s->operator_))) ||
	    (rc = text(v, rec, C_REGION, "region", s->region, sizeof(s->region))) ||
	    (rc = text(v, rec, C_TAGS, "tags", s->tags, sizeof(s->tags))))
		return rc;
	norm_tags(s->tags);
	get(v, rec, C_LAT, &nlat);
	get(v, rec, C_LON, &nlon);
	if (!nlat != !nlon)
		return imp_bad(v->r, rec->lineno, colno(v, rec, nlat ? C_LAT : C_LON),
			       "%s given without %s", nlat ? "latitude" : "longitude",
			       nlat ? "longitude" : "latitude");
	if (!nlat)
		return 0;
	if ((rc = coord(v, rec, C_LAT, 90, &s->lat)) || (rc = coord(v, rec, C_LON, 180, &s->lon)))
		return rc;
	if (!s->id[0])
		return imp_bad(v->r, rec->lineno, colno(v, rec, C_LAT),
			       "coordinates given without a site_id");
	s->has_coords = 1;
	return 0;
}

/* Reads the asset columns of rec into the common part of o. */
static int asset_cols(struct inv *v, const struct csv_rec *rec, const struct imp_site *s,
		      struct obs *o)
{
	size_t n;
	const char *p;
	char shown[48];
	int rc;

	imp_obs_init(o, "inventory");
	if ((rc = text(v, rec, C_ASSET, "asset_id", o->ref, sizeof(o->ref))) ||
	    (rc = text(v, rec, C_SCOPE, "scope", o->scope, sizeof(o->scope))))
		return rc;
	if (!o->ref[0])
		return imp_bad(v->r, lineof(v, rec, C_ASSET), colno(v, rec, C_ASSET),
			       "empty asset_id");
	str_set(o->site, sizeof(o->site), s->id);
	p = get(v, rec, C_ADDR, &n);
	str_copy(shown, sizeof(shown), p, n);
	if (n && !imp_addr(p, n, o->addr))
		return imp_bad(v->r, lineof(v, rec, C_ADDR), colno(v, rec, C_ADDR),
			       "bad address \"%s\"", shown);
	p = get(v, rec, C_MAC, &n);
	str_copy(shown, sizeof(shown), p, n);
	if (n && !imp_mac(p, n, o->mac))
		return imp_bad(v->r, lineof(v, rec, C_MAC), colno(v, rec, C_MAC),
			       "bad MAC address \"%s\"", shown);
	return 0;
}

static int emit(struct inv *v, const struct csv_rec *rec, struct obs *o, enum obs_kind k,
		const char *p, size_t n)
{
	if (!n)
		return 0;
	o->kind = k;
	o->flags = 0;
	obs_set_value(o, p, n);
	return imp_emit(v->r, rec->lineno, o);
}

static int row(struct imp_table *t, const struct csv_rec *rec)
{
	struct inv *v = t->ctx;
	struct imp_site s;
	struct obs o;
	size_t n;
	const char *p;
	int rc;

	if ((rc = site_cols(v, rec, &s)) || (rc = asset_cols(v, rec, &s, &o)))
		return rc;
	struct imp_link up;
	memset(&up, 0, sizeof(up));
	p = get(v, rec, C_UPLINK, &n);
	if (n) {
		str_set(up.kind, sizeof(up.kind), "uplink");
		snprintf(up.a, sizeof(up.a), "ref:%s", o.ref);
		if (!imp_link_key(p, n, up.b))
			return imp_bad(v->r, lineof(v, rec, C_UPLINK), colno(v, rec, C_UPLINK),
				       "uplink is not an asset id or key");
		if (!strcmp(up.a, up.b))
			return imp_bad(v->r, lineof(v, rec, C_UPLINK), colno(v, rec, C_UPLINK),
				       "uplink names the asset itself");
	}
	if (s.id[0]) {
		rc = site_new(v, s.id);
		if (rc < 0)
			return err_set(
			    v->r->eb, v->r->el, rc, "%s:%lu: %s", v->r->file, rec->lineno,
			    rc == TM_ELIMIT ? "more than 1000000 distinct sites" : "out of memory");
		if (rc == 1 && (rc = imp_emit_site(v->r, rec->lineno, &s)) != 0)
			return rc;
	}
	p = get(v, rec, C_VENDOR, &n);
	if ((rc = emit(v, rec, &o, OBS_INVENTORY_VENDOR, p, n)) != 0)
		return rc;
	p = get(v, rec, C_MODEL, &n);
	if ((rc = emit(v, rec, &o, OBS_INVENTORY_MODEL, p, n)) != 0)
		return rc;
	p = get(v, rec, C_ROLE, &n);
	if ((rc = emit(v, rec, &o, OBS_INVENTORY_ROLE, p, n)) != 0)
		return rc;
	p = get(v, rec, C_SERIAL, &n);
	if ((rc = emit(v, rec, &o, OBS_INVENTORY_SERIAL, p, n)) != 0)
		return rc;
	if ((rc = emit(v, rec, &o, OBS_MAC, o.mac, strlen(o.mac))) != 0)
		return rc;
	/* a row that declares nothing else still says the asset is there, where, at which address */
	if (o.kind == OBS_NONE && (rc = emit(v, rec, &o, OBS_INVENTORY_ASSET, o.ref, strlen(o.ref))) != 0)
		return rc;
	return up.a[0] ? imp_emit_link(v->r, rec->lineno, &up) : 0;
}

_Static_assert(C_COUNT <= IMP_TABLE_COLS, "more columns than table.h holds");

static const struct imp_table inv_table = {
    .names = colnames,
    .nnames = sizeof(colnames) / sizeof(colnames[0]),
    .ncols = C_COUNT,
    .required = required,
    .nrequired = sizeof(required) / sizeof(required[0]),
    .row = row,
};

static int run(struct imp_run *r, struct imp_chunks *ch)
{
	struct inv v = {.t = inv_table, .r = r};
	int rc;

	v.t.r = r, v.t.ctx = &v;
	if (!(v.names = arena_new(0)))
		return err_set(r->eb, r->el, TM_ENOMEM, "%s: out of memory", r->file);
	if (getrandom(&v.seed, sizeof(v.seed), GRND_NONBLOCK) != sizeof(v.seed))
		v.seed = (uint64_t)(uintptr_t)&v;
	rc = imp_table_run(&v.t, ch);
	mem_free(v.set);
	arena_free(v.names);
	return rc;
}

int imp_inventory_csv(const char *path, const struct imp_sink *k, int skip_bad,
		      struct imp_stats *st, char *eb, size_t el)
{
	return imp_drive_chunks(path, 0, NULL, 0, run, k, skip_bad, st, eb, el);
}

int imp_inventory_csv_mem(const char *file, const char *data, size_t len, const struct imp_sink *k,
			  int skip_bad, struct imp_stats *st, char *eb, size_t el)
{
	return imp_drive_chunks(file, 1, data, len, run, k, skip_bad, st, eb, el);
}
