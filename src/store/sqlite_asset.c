/*
 * sqlite_asset.c - assets and evidence in the SQLite backend, written by
 * attribution (clear, then put each asset and its evidence) and read by
 * reports and the audit through filtered iteration.  The vendor, family and
 * site filters pick one of eight constant queries, each using its index; the
 * families set and the limit that follows it are applied here in C.
 */
#include "sqlite_int.h"

#include "core/buf.h"
#include "core/esc.h"
#include "core/mem.h"
#include "core/str.h"

/* The old rows one by one (the DELETEs of the schema's first version), when the tables cannot be dropped. */
static int clear_rows(struct sq_store *q)
{
	sqlite3_stmt *s;
	int rc;

	if (!(rc = sq_get(q, SQ_EV_CLEAR, &s))) {
		rc = sq_step_done(q, s, "clearing evidence");
		sq_put(q, SQ_EV_CLEAR, s);
	}
	if (!rc && !(rc = sq_get(q, SQ_ASSET_CLEAR, &s))) {
		rc = sq_step_done(q, s, "clearing assets");
		sq_put(q, SQ_ASSET_CLEAR, s);
	}
	return rc;
}

#define SQ_CLEAR_DDL                                                                               \
	"SELECT type, tbl_name, sql FROM sqlite_schema WHERE tbl_name IN ('assets', 'evidence') " \
	"AND sql IS NOT NULL ORDER BY type <> 'table', tbl_name, rowid"

/*
 * Both tables dropped and created again from their own text in the schema
 * (whatever migration wrote it), their indexes and triggers left for the
 * commit (sq_defer_ddl): with foreign keys on, SQLite deletes the rows of a
 * table that is the child or the parent of a key one by one, each checked;
 * a table nothing references (evidence, then assets once evidence is gone)
 * is dropped page by page.  The new rows then go into bare tables and each
 * index is built once by a sort over them, not kept up row by row: random
 * inserts into evidence_asset and the vendor indexes.  Ids start at 1 again,
 * as after the DELETEs (no AUTOINCREMENT).  The key's UNIQUE constraint
 * belongs to the table and stays: a duplicate key is still refused at once.
 */
static int clear_drop(struct sq_store *q)
{
	struct buf tab[2], idx;
	sqlite3_stmt *s = NULL;
	int rc, seen = 0;

	buf_init(&tab[0], 1 << 16);
	buf_init(&tab[1], 1 << 16);
	buf_init(&idx, 1 << 16);
	if ((rc = sqlite3_prepare_v2(q->db, SQ_CLEAR_DDL, -1, &s, NULL)) != SQLITE_OK) {
		rc = sq_fail(q, rc, "reading the assets' schema");
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(s, 0);
		const char *tbl = (const char *)sqlite3_column_text(s, 1);
		const char *sql = (const char *)sqlite3_column_text(s, 2);
		int t = tbl && !strcmp(tbl, "evidence");
		struct buf *b = type && !strcmp(type, "table") ? &tab[t] : &idx;

		if (!type || !tbl || !sql) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (b != &idx)
			seen |= 1 << t;
		if (buf_adds(b, sql) || buf_adds(b, ";\n")) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		rc = sq_fail(q, rc, "reading the assets' schema");
		goto out;
	}
	if (seen != 3) {
		rc = sq_err(q, TM_EDB, "%s: no assets or evidence table", q->path);
		goto out;
	}
	if ((rc = sq_script(q, "DROP TABLE evidence; DROP TABLE assets", "clearing assets")) ||
	    (rc = sq_script(q, buf_str(&tab[0]), "clearing assets")) ||
	    (rc = sq_script(q, buf_str(&tab[1]), "clearing evidence")))
		goto out;
	if (idx.len) {
		char *ddl = buf_take(&idx);

		if (!ddl) {
			rc = sq_err(q, TM_ENOMEM, "%s: out of memory", q->path);
			goto out;
		}
		sq_defer_ddl(q, ddl);
	}
out:
	buf_fini(&tab[0]);
	buf_fini(&tab[1]);
	buf_fini(&idx);
	return rc;
}

int sq_assets_clear(struct store *st)
{
	struct sq_store *q = sq(st);
	int rc;

	if ((rc = sq_begin(st)))
		return rc;
	if ((rc = clear_drop(q))) {
		/* a statement still reading them (SQLITE_LOCKED), a schema not ours: row by row */
		sq_rollback(st);
		if ((rc = sq_begin(st)))
			return rc;
		rc = clear_rows(q);
	}
	if (rc) {
		sq_rollback(st);
		return rc;
	}
	return sq_commit(st);
}

/* The message for a duplicate key, with the key escaped for a terminal. */
static int dup_key(struct sq_store *q, const struct asset_rec *a)
{
	struct buf b;
	int rc;

	buf_init(&b, 256);
	esc_term(&b, a->key, strnlen(a->key, sizeof(a->key)));
	rc = sq_err(q, TM_EINVAL, "%s: asset key \"%s\" is already present", q->path, buf_str(&b));
	buf_fini(&b);
	return rc;
}

int sq_asset_put(struct store *st, struct asset_rec *a)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, SQ_ASSET_PUT, &s)))
		return rc;
	SQ_BIND_FIELD(s, 1, a->key);
	SQ_BIND_FIELD(s, 2, a->mac);
	SQ_BIND_FIELD(s, 3, a->addr);
	SQ_BIND_FIELD(s, 4, a->scope);
	SQ_BIND_FIELD(s, 5, a->ref);
	SQ_BIND_FIELD(s, 6, a->site);
	SQ_BIND_FIELD(s, 7, a->vendor);
	SQ_BIND_FIELD(s, 8, a->family);
	SQ_BIND_FIELD(s, 9, a->product);
	SQ_BIND_FIELD(s, 10, a->model);
	SQ_BIND_FIELD(s, 11, a->version);
	SQ_BIND_FIELD(s, 12, a->role);
	sqlite3_bind_double(s, 13, a->conf);
	sqlite3_bind_int64(s, 14, a->flags);
	SQ_BIND_FIELD(s, 15, a->declared_vendor);
	SQ_BIND_FIELD(s, 16, a->component_vendor);
	SQ_BIND_FIELD(s, 17, a->hint_vendor);
	sqlite3_bind_int64(s, 18, a->first_seen);
	sqlite3_bind_int64(s, 19, a->last_seen);
	sqlite3_bind_int(s, 20, a->n_obs);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		a->id = sqlite3_last_insert_rowid(q->db);
		rc = 0;
	} else if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		rc = dup_key(q, a);
	} else {
		rc = sq_fail(q, rc, "storing an asset");
	}
	sq_put(q, SQ_ASSET_PUT, s);
	return rc;
}

/* Binds e to parameters at + 1 .. at + SQ_EV_COLS (the column order of SQ_EV_PUT in sqlite.c). */
static void ev_bind(sqlite3_stmt *s, int at, const struct ev_rec *e)
{
	sqlite3_bind_int64(s, at + 1, e->asset_id);
	if (e->obs_id > 0)
		sqlite3_bind_int64(s, at + 2, e->obs_id);
	else
		sqlite3_bind_null(s, at + 2);
	SQ_BIND_FIELD(s, at + 3, e->kind);
	SQ_BIND_FIELD(s, at + 4, e->vendor);
	SQ_BIND_FIELD(s, at + 5, e->vendor_raw);
	SQ_BIND_FIELD(s, at + 6, e->product);
	SQ_BIND_FIELD(s, at + 7, e->version);
	SQ_BIND_FIELD(s, at + 8, e->rule);
	sqlite3_bind_int(s, at + 9, e->strength);
	sqlite3_bind_double(s, at + 10, e->conf);
	sqlite3_bind_int(s, at + 11, e->conflict);
}

int sq_evidence_put(struct store *st, const struct ev_rec *e)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, SQ_EV_PUT, &s)))
		return rc;
	ev_bind(s, 0, e);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		rc = 0;
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		rc = sq_err(q, TM_EINVAL, "%s: evidence names an unknown asset (%lld) or observation (%lld)",
			    q->path, (long long)e->asset_id, (long long)e->obs_id);
	else
		rc = sq_fail(q, rc, "storing evidence");
	sq_put(q, SQ_EV_PUT, s);
	return rc;
}

/*
 * Many evidence rows, SQ_ROWS to an INSERT (the cached SQ_EV_PUT_ROWS):
 * each statement's fixed cost (its start, the foreign-key bookkeeping and
 * the statement journal at its end) was about a quarter of the rebuild's
 * evidence writes, one row a statement (bench/sniff's mix: 650M -> 480M
 * instructions for 33,151 rows); the rest of a call in one more
 * (sq_prepare_rows).  A batch that fails is undone whole by SQLite, and its
 * rows are then written one at a time, so the rows before the failing one
 * are stored and its message is sq_evidence_put's, as with one call a row.
 */
int sq_evidence_put_many(struct store *st, const struct ev_rec *e, int n)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s = NULL;
	int i = 0, rc = SQLITE_DONE;

	if (n >= SQ_ROWS && sq_get(q, SQ_EV_PUT_ROWS, &s))
		s = NULL; /* one at a time below, with its own messages */
	for (; s && i + SQ_ROWS <= n; i += SQ_ROWS) {
		for (int j = 0; j < SQ_ROWS; j++)
			ev_bind(s, j * SQ_EV_COLS, &e[i + j]);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			break;
	}
	sq_put(q, SQ_EV_PUT_ROWS, s);
	if (rc == SQLITE_DONE && n - i > 1 && (s = sq_prepare_rows(q, SQ_EV_HEAD, SQ_EV_ROW, n - i))) {
		for (int j = 0; j < n - i; j++)
			ev_bind(s, j * SQ_EV_COLS, &e[i + j]);
		if (sqlite3_step(s) == SQLITE_DONE)
			i = n;
		sqlite3_finalize(s);
	}
	for (rc = 0; !rc && i < n; i++)
		rc = sq_evidence_put(st, &e[i]);
	return rc;
}

/* Fills a from a row of the asset queries (column order of SQ_ASSET_SEL in sqlite.c). */
static void asset_row(sqlite3_stmt *s, struct asset_rec *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(s, 0);
	SQ_COL_FIELD(s, 1, a->key);
	SQ_COL_FIELD(s, 2, a->mac);
	SQ_COL_FIELD(s, 3, a->addr);
	SQ_COL_FIELD(s, 4, a->scope);
	SQ_COL_FIELD(s, 5, a->ref);
	SQ_COL_FIELD(s, 6, a->site);
	SQ_COL_FIELD(s, 7, a->vendor);
	SQ_COL_FIELD(s, 8, a->family);
	SQ_COL_FIELD(s, 9, a->product);
	SQ_COL_FIELD(s, 10, a->model);
	SQ_COL_FIELD(s, 11, a->version);
	SQ_COL_FIELD(s, 12, a->role);
	a->conf = sqlite3_column_double(s, 13);
	a->flags = (unsigned)sqlite3_column_int64(s, 14);
	SQ_COL_FIELD(s, 15, a->declared_vendor);
	SQ_COL_FIELD(s, 16, a->component_vendor);
	SQ_COL_FIELD(s, 17, a->hint_vendor);
	a->first_seen = sqlite3_column_int64(s, 18);
	a->last_seen = sqlite3_column_int64(s, 19);
	a->n_obs = sqlite3_column_int(s, 20);
}

int sq_asset_iter(struct store *st, const struct asset_filter *f, store_asset_fn fn, void *ctx)
{
	struct sq_store *q = sq(st);
	enum sq_id id = SQ_ASSET_ITER + (f->vendor ? 1 : 0) + (f->family ? 2 : 0) + (f->site ? 4 : 0);
	sqlite3_stmt *s;
	struct asset_rec a;
	long left = f->limit > 0 ? f->limit : -1;
	int rc = 0, stop = 0;

	if ((rc = sq_get(q, id, &s)))
		return rc;
	sqlite3_bind_double(s, 1, f->min_conf);
	sq_bind_str(s, 2, f->vendor);
	sq_bind_str(s, 3, f->family);
	sq_bind_str(s, 4, f->site);
	sqlite3_bind_int64(s, 5, f->families ? -1 : left); /* with a set, the limit counts after it */
	while (!stop && left && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		asset_row(s, &a);
		if (!store_filter_families(f, &a))
			continue;
		stop = fn(ctx, &a);
		if (left > 0)
			left--;
	}
	if (stop)
		rc = stop;
	else
		rc = !left || rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "reading assets");
	sq_put(q, id, s);
	return rc;
}

int sq_asset_get(struct store *st, const char *id_or_key, struct asset_rec *out)
{
	struct sq_store *q = sq(st);
	enum sq_id which = SQ_ASSET_BY_KEY;
	sqlite3_stmt *s;
	int64_t id;
	int rc;

	if (str_to_i64(id_or_key, strlen(id_or_key), &id) && id > 0)
		which = SQ_ASSET_BY_ID;
	if ((rc = sq_get(q, which, &s)))
		return rc;
	if (which == SQ_ASSET_BY_ID)
		sqlite3_bind_int64(s, 1, id);
	else
		sq_bind_str(s, 1, id_or_key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		asset_row(s, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sq_err(q, TM_ENOTFOUND, "%s: no such asset", q->path);
	} else {
		rc = sq_fail(q, rc, "reading an asset");
	}
	sq_put(q, which, s);
	return rc;
}

/* Fills e from a row of SQ_EV_ITER; e->value points into the row. */
static void ev_row(sqlite3_stmt *s, struct ev_rec *e)
{
	int n;

	memset(e, 0, sizeof(*e));
	e->asset_id = sqlite3_column_int64(s, 0);
	e->obs_id = sqlite3_column_int64(s, 1);
	SQ_COL_FIELD(s, 2, e->kind);
	SQ_COL_FIELD(s, 3, e->vendor);
	SQ_COL_FIELD(s, 4, e->vendor_raw);
	SQ_COL_FIELD(s, 5, e->product);
	SQ_COL_FIELD(s, 6, e->version);
	SQ_COL_FIELD(s, 7, e->rule);
	e->strength = sqlite3_column_int(s, 8);
	e->conf = sqlite3_column_double(s, 9);
	e->conflict = sqlite3_column_int(s, 10);
	e->value = sqlite3_column_blob(s, 11);
	n = sqlite3_column_bytes(s, 11);
	e->len = e->value && n > 0 ? (size_t)n : 0;
	if (!e->len)
		e->value = (const uint8_t *)"";
	if (e->len > OBS_VALUE_MAX)
		e->len = OBS_VALUE_MAX;
}

int sq_evidence_iter(struct store *st, int64_t asset_id, store_ev_fn fn, void *ctx)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	struct ev_rec e;
	int rc = 0, stop = 0;

	if ((rc = sq_get(q, SQ_EV_ITER, &s)))
		return rc;
	sqlite3_bind_int64(s, 1, asset_id);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		ev_row(s, &e);
		stop = fn(ctx, &e);
	}
	rc = stop ? stop : rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "reading evidence");
	sq_put(q, SQ_EV_ITER, s);
	return rc;
}

/* Text column i of the current row, "" for NULL (the views' strings are never NULL). */
static const char *col_text(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	return t ? t : "";
}

/* The view's columns 0-12 of the current row (the asset scan's and the pick's, in the same order). */
static void view_row(sqlite3_stmt *s, struct asset_view *v)
{
	v->id = sqlite3_column_int64(s, 0);
	v->key = col_text(s, 1);
	v->addr = col_text(s, 2);
	v->ref = col_text(s, 3);
	v->site = col_text(s, 4);
	v->vendor = col_text(s, 5);
	v->product = col_text(s, 6);
	v->model = col_text(s, 7);
	v->role = col_text(s, 8);
	v->component_vendor = col_text(s, 9);
	v->hint_vendor = col_text(s, 10);
	v->conf = sqlite3_column_double(s, 11);
	v->flags = (unsigned)sqlite3_column_int64(s, 12);
}

int sq_asset_scan(struct store *st, store_asset_view_fn fn, void *ctx)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	struct asset_view v;
	int rc = 0, stop = 0;

	if ((rc = sq_get(q, SQ_ASSET_SCAN, &s)))
		return rc;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		view_row(s, &v);
		stop = fn(ctx, &v);
	}
	rc = stop ? stop : rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "reading assets");
	sq_put(q, SQ_ASSET_SCAN, s);
	return rc;
}

/*
 * The audit's read (store_asset_pick).  The distinct vendor texts come from
 * the vendor index by a loose scan (one seek per value, not a row per
 * asset); the picked ones are bound into one query that asks pick about
 * each of their rows' role (an SQL function, tm_pick_role) before it joins
 * the row with its site, so that neither the other assets nor the other
 * sites are decoded or looked up.  The component and hint terms have no index: with them in the
 * OR, SQLite scans the table once and tests each row's three columns
 * (EXPLAIN QUERY PLAN: SCAN a, SEARCH s USING INDEX sqlite_autoindex_sites_1).
 */
#define SQ_PICK_VENDORS                                                                            \
	"WITH RECURSIVE v(x) AS (SELECT min(vendor) FROM assets UNION ALL "                        \
	"SELECT (SELECT min(vendor) FROM assets WHERE vendor > v.x) FROM v WHERE v.x IS NOT NULL) " \
	"SELECT x FROM v WHERE x IS NOT NULL"
#define SQ_PICK                                                                                      \
	"SELECT a.id, a.key, a.addr, a.ref, a.site, a.vendor, a.product, a.model, a.role, "            \
	"a.component_vendor, a.hint_vendor, a.conf, a.flags, s.id, s.lat, s.lon, s.operator, s.region, " \
	"s.tags FROM assets a LEFT JOIN sites s ON s.id = a.site AND a.site <> '' "                    \
	"WHERE a.component_vendor <> '' OR a.hint_vendor <> ''"
#define SQ_PICK_ROLE " AND tm_pick_role(a.vendor, a.role))"
#define SQ_PICK_COUNTS "SELECT (SELECT count(*) FROM assets), (SELECT count(*) FROM sites)"

struct picked {
	char **v;
	int *len;
	int n, cap;
};

static void picked_free(struct picked *p)
{
	for (int i = 0; i < p->n; i++)
		mem_free(p->v[i]);
	mem_free(p->v);
	mem_free(p->len);
}

/* The vendor texts pick wants, into p; TM_EUNSUP past STORE_PICK_MAX. */
static int pick_vendors(struct sq_store *q, store_vendor_pick_fn pick, void *ctx, struct picked *p)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sqlite3_prepare_v2(q->db, SQ_PICK_VENDORS, -1, &s, NULL)) != SQLITE_OK)
		return sq_fail(q, rc, "listing the assets' vendors");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = col_text(s, 0);
		int n = sqlite3_column_bytes(s, 0);

		if (!pick(ctx, t, NULL))
			continue;
		if (p->n == STORE_PICK_MAX) {
			rc = sq_err(q, TM_EUNSUP, "%s: more than %d vendors to pick", q->path, STORE_PICK_MAX);
			goto out;
		}
		if (p->n == p->cap) {
			int c = p->cap ? p->cap * 2 : 16;
			char **v = mem_realloc(p->v, (size_t)c * sizeof(*v));
			int *l = v ? mem_realloc(p->len, (size_t)c * sizeof(*l)) : NULL;
			if (v)
				p->v = v;
			if (!v || !l) {
				rc = sq_err(q, TM_ENOMEM, "%s: out of memory", q->path);
				goto out;
			}
			p->len = l, p->cap = c;
		}
		if (!(p->v[p->n] = mem_alloc((size_t)n + 1))) {
			rc = sq_err(q, TM_ENOMEM, "%s: out of memory", q->path);
			goto out;
		}
		memcpy(p->v[p->n], sqlite3_column_blob(s, 0), (size_t)n);
		p->v[p->n][n] = 0;
		p->len[p->n++] = n;
	}
	rc = rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "listing the assets' vendors");
out:
	sqlite3_finalize(s);
	return rc;
}

static int pick_counts(struct sq_store *q, long *n_assets, long *n_sites)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sqlite3_prepare_v2(q->db, SQ_PICK_COUNTS, -1, &s, NULL)) != SQLITE_OK)
		return sq_fail(q, rc, "counting assets and sites");
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*n_assets = (long)sqlite3_column_int64(s, 0);
		*n_sites = (long)sqlite3_column_int64(s, 1);
		rc = 0;
	} else {
		rc = sq_fail(q, rc, "counting assets and sites");
	}
	sqlite3_finalize(s);
	return rc;
}

struct pick_role {
	store_vendor_pick_fn pick;
	void *ctx;
};

/* tm_pick_role(vendor, role): pick's answer for one row of a picked vendor. */
static void pick_role_fn(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	const struct pick_role *x = sqlite3_user_data(c);
	const char *v = (const char *)sqlite3_value_text(argv[0]);
	const char *r = (const char *)sqlite3_value_text(argv[1]);

	(void)argc;
	sqlite3_result_int(c, x->pick(x->ctx, v ? v : "", r ? r : "") != 0);
}

int sq_asset_pick(struct store *st, store_vendor_pick_fn pick, store_asset_site_fn fn, void *ctx, long *n_assets,
		  long *n_sites)
{
	struct sq_store *q = sq(st);
	struct picked p = {0};
	struct pick_role pr = {pick, ctx};
	struct buf sql;
	sqlite3_stmt *s = NULL;
	struct asset_view v;
	struct site_view w;
	int rc, stop = 0;

	buf_init(&sql, 16384);
	if ((rc = pick_counts(q, n_assets, n_sites)) || (rc = pick_vendors(q, pick, ctx, &p)))
		goto out;
	rc = buf_adds(&sql, SQ_PICK);
	for (int i = 0; i < p.n && !rc; i++)
		rc = buf_adds(&sql, i ? ", ?" : " OR (a.vendor IN (?");
	if (rc || (rc = buf_adds(&sql, p.n ? ")" SQ_PICK_ROLE : ""))) {
		rc = sq_err(q, TM_ENOMEM, "%s: out of memory", q->path);
		goto out;
	}
	/* the function lives as long as this connection; each call replaces its pick */
	if ((rc = sqlite3_create_function(q->db, "tm_pick_role", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, &pr,
					  pick_role_fn, NULL, NULL)) != SQLITE_OK) {
		rc = sq_fail(q, rc, "reading assets");
		goto out;
	}
	if ((rc = sqlite3_prepare_v2(q->db, buf_str(&sql), -1, &s, NULL)) != SQLITE_OK) {
		rc = sq_fail(q, rc, "reading assets");
		goto out;
	}
	for (int i = 0; i < p.n; i++)
		sqlite3_bind_text(s, i + 1, p.v[i], p.len[i], SQLITE_STATIC);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		view_row(s, &v);
		if (sqlite3_column_type(s, 13) == SQLITE_NULL) {
			stop = fn(ctx, &v, NULL);
			continue;
		}
		w.id = col_text(s, 13);
		w.has_coords = sqlite3_column_type(s, 14) != SQLITE_NULL && sqlite3_column_type(s, 15) != SQLITE_NULL;
		w.lat = w.has_coords ? sqlite3_column_double(s, 14) : 0;
		w.lon = w.has_coords ? sqlite3_column_double(s, 15) : 0;
		w.operator_ = col_text(s, 16);
		w.region = col_text(s, 17);
		w.tags = col_text(s, 18);
		stop = fn(ctx, &v, &w);
	}
	rc = stop ? stop : rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "reading assets");
out:
	sqlite3_finalize(s);
	/* pr is gone after this call: the function too */
	sqlite3_create_function(q->db, "tm_pick_role", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	picked_free(&p);
	buf_fini(&sql);
	return rc;
}
