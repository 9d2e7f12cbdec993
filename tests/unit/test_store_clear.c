/*
 * test_store_clear.c - store_assets_clear on SQLite drops and re-creates the
 * assets and evidence tables and leaves their indexes for the outermost
 * commit: after a commit the schema is the one before, text for text; a
 * rollback of the clear's level or of one around it brings back the old
 * rows and the indexes; a later savepoint's rollback does not lose them;
 * a clear outside a transaction indexes at once; a duplicate key is still
 * refused after a clear; a clear from inside an asset iteration (the tables
 * cannot be dropped then) falls back to deleting the rows.  A rebuild's
 * transaction (store_begin_rebuild) checks the evidence's references at its
 * commit, not row by row: a row naming no observation fails the commit, and
 * row-by-row checking is back after it; inside a transaction it is a savepoint
 * with checking as before.
 */
#include "check.h"

#include "core/err.h"
#include "core/str.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];
static char want_schema[4096];

/* The schema's text (every entry, by name) and the row counts of a closed or open file. */
static void schema_of(const char *path, char *out, size_t n)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	size_t l = 0;

	out[0] = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return;
	if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY name",
			       -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW && l < n)
			l += (size_t)snprintf(out + l, n - l, "%s %s %s %s\n", sqlite3_column_text(s, 0),
					      sqlite3_column_text(s, 1), sqlite3_column_text(s, 2),
					      sqlite3_column_text(s, 3));
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

static long count(const char *path, const char *table)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	char q[64];
	long n = -1;

	snprintf(q, sizeof(q), "SELECT count(*) FROM %s", table);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, q, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return n;
}

static int64_t obs_id;

/* Puts n assets named base.0 .. and two evidence rows each; the first asset's id in *first. */
static int put(struct store *st, const char *base, int n, int64_t *first)
{
	for (int i = 0; i < n; i++) {
		struct asset_rec a;
		struct ev_rec e[2];
		int rc;

		memset(&a, 0, sizeof(a));
		snprintf(a.key, sizeof(a.key), "ip:/%s.%d", base, i);
		str_set(a.vendor, sizeof(a.vendor), i % 2 ? "huawei" : "zte");
		if ((rc = store_asset_put(st, &a)))
			return rc;
		if (first && !i)
			*first = a.id;
		memset(e, 0, sizeof(e));
		for (int j = 0; j < 2; j++) {
			e[j].asset_id = a.id;
			e[j].obs_id = j ? obs_id : 0;
			str_set(e[j].kind, sizeof(e[j].kind), "mac");
			str_set(e[j].rule, sizeof(e[j].rule), "-");
		}
		if ((rc = store_evidence_put_many(st, e, 2)))
			return rc;
	}
	return 0;
}

static struct store *fixture(const char *name, char *path, size_t pl)
{
	char eb[TM_ERRLEN] = "";
	struct store *st = NULL;
	struct obs o;
	int64_t run;

	snprintf(path, pl, "%s/%s.db", dir, name);
	if (store_open(&st, path, eb, sizeof(eb))) {
		fprintf(stderr, "store_open(%s): %s\n", path, eb);
		return NULL;
	}
	memset(&o, 0, sizeof(o));
	str_set(o.source, sizeof(o.source), "sniff");
	str_set(o.addr, sizeof(o.addr), "10.0.0.1");
	o.kind = OBS_MAC;
	o.value = (const uint8_t *)"00:e0:fc:01:02:03";
	o.len = 17;
	if (store_run_start(st, "sniff", "", &run) || store_obs_add(st, run, &o, &obs_id) ||
	    store_begin(st) || put(st, "old", 3, NULL) || store_commit(st)) {
		fprintf(stderr, "fixture %s: %s\n", name, store_errmsg(st));
		store_close(st);
		return NULL;
	}
	return st;
}

static void check_schema(const char *path, const char *where)
{
	char s[4096];

	schema_of(path, s, sizeof(s));
	if (strcmp(s, want_schema))
		fprintf(stderr, "%s: schema differs:\n%s\n--- want:\n%s\n", where, s, want_schema);
	CHECK_STR(s, want_schema);
}

/* The schema as it was, and the rows of each table (evidence -1: not counted), after the step named where. */
static void expect(const char *path, const char *where, int assets, int evidence)
{
	int na, ne = -1;

	check_schema(path, where);
	na = count(path, "assets");
	if (evidence >= 0)
		ne = count(path, "evidence");
	if (na != assets || ne != evidence)
		fprintf(stderr, "%s: %d assets and %d evidence rows, expected %d and %d\n", where, na, ne, assets,
			evidence);
	CHECK_INT(na, assets);
	if (evidence >= 0)
		CHECK_INT(ne, evidence);
}

/* One evidence row of asset 1 naming observation obs: store_evidence_put_many's answer. */
static int put_ev(struct store *st, int64_t asset, int64_t obs)
{
	struct ev_rec e;

	memset(&e, 0, sizeof(e));
	e.asset_id = asset;
	e.obs_id = obs;
	str_set(e.kind, sizeof(e.kind), "mac");
	str_set(e.rule, sizeof(e.rule), "-");
	return store_evidence_put_many(st, &e, 1);
}

static int clear_inside(void *ctx, const struct asset_rec *a)
{
	(void)a;
	return store_assets_clear(ctx) ? -1 : 1; /* stop after the first */
}

int main(void)
{
	char path[128];
	struct store *st;
	struct asset_filter f = {0};
	int64_t first = 0;

	str_set(dir, sizeof(dir), "/tmp/tm-clear-XXXXXX");
	if (!mkdtemp(dir))
		return 2;

	/* clear, new rows, commit: the same schema, only the new rows, ids from 1 */
	if (!(st = fixture("commit", path, sizeof(path))))
		return 2;
	schema_of(path, want_schema, sizeof(want_schema));
	CHECK(strstr(want_schema, "index evidence_asset evidence CREATE INDEX") != NULL);
	CHECK(strstr(want_schema, "evidence_obs") == NULL); /* schema version 7 dropped it */
	CHECK(strstr(want_schema, "index assets_vendor assets CREATE INDEX") != NULL);
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_assets_clear(st), 0);
	CHECK_INT(put(st, "new", 5, &first), 0);
	CHECK_INT(first, 1);
	CHECK_INT(store_commit(st), 0);
	expect(path, "commit", 5, 10);
	CHECK_INT(store_check(st), 0);
	/* a duplicate key is refused right after a clear */
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_assets_clear(st), 0);
	CHECK_INT(put(st, "dup", 2, NULL), 0);
	CHECK_INT(put(st, "dup", 1, NULL), TM_EINVAL);
	CHECK(strstr(store_errmsg(st), "already present") != NULL);
	CHECK_INT(store_rollback(st), 0);
	expect(path, "duplicate", 5, -1);
	store_close(st);

	/* clear, new rows, rollback: the old rows and indexes */
	if (!(st = fixture("rollback", path, sizeof(path))))
		return 2;
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_assets_clear(st), 0);
	CHECK_INT(put(st, "new", 4, NULL), 0);
	CHECK_INT(store_rollback(st), 0);
	expect(path, "rollback", 3, 6);
	/* the same transaction again, committed: the deferred indexes were forgotten with the rollback */
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_commit(st), 0);
	check_schema(path, "rollback, then an empty commit");
	store_close(st);

	/* the clear in a savepoint whose enclosing savepoint is rolled back; then the outer commit */
	if (!(st = fixture("nested", path, sizeof(path))))
		return 2;
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_assets_clear(st), 0);
	CHECK_INT(put(st, "new", 2, NULL), 0);
	CHECK_INT(store_rollback(st), 0);
	CHECK_INT(store_commit(st), 0);
	expect(path, "nested rollback", 3, -1);
	/* a later savepoint rolled back keeps the clear and its indexes */
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_assets_clear(st), 0);
	CHECK_INT(put(st, "new", 2, NULL), 0);
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(put(st, "later", 3, NULL), 0);
	CHECK_INT(store_rollback(st), 0);
	CHECK_INT(store_commit(st), 0);
	expect(path, "later savepoint", 2, 4);
	/* a clear outside a transaction indexes at once */
	CHECK_INT(store_assets_clear(st), 0);
	expect(path, "own transaction", 0, 0);
	store_close(st);

	/* a clear from inside an iteration over the assets: deleted row by row */
	if (!(st = fixture("iter", path, sizeof(path))))
		return 2;
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_asset_iter(st, &f, clear_inside, st), 1);
	CHECK_INT(store_commit(st), 0);
	expect(path, "inside an iteration", 0, 0);
	store_close(st);

	/* a rebuild's transaction: references checked at its commit */
	if (!(st = fixture("rebuild", path, sizeof(path))))
		return 2;
	CHECK_INT(store_begin_rebuild(st), 0);
	CHECK_INT(store_assets_clear(st), 0);
	CHECK_INT(put(st, "new", 3, &first), 0);
	CHECK_INT(put_ev(st, first, obs_id + 1000), 0); /* not refused yet */
	CHECK_INT(store_commit(st), TM_EINVAL);
	CHECK(strstr(store_errmsg(st), "names an unknown observation") != NULL);
	CHECK_INT(store_rollback(st), 0);
	expect(path, "rebuild refused", 3, 6);
	/* checking row by row again after it */
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(put_ev(st, 1, obs_id + 1000), TM_EINVAL);
	CHECK_INT(store_rollback(st), 0);
	/* a good rebuild commits, and row-by-row checking is back */
	CHECK_INT(store_begin_rebuild(st), 0);
	CHECK_INT(store_assets_clear(st), 0);
	CHECK_INT(put(st, "new", 3, &first), 0);
	CHECK_INT(store_commit(st), 0);
	expect(path, "rebuild", 3, 6);
	CHECK_INT(put_ev(st, first, obs_id + 1000), TM_EINVAL);
	CHECK_INT(put_ev(st, first + 1000, obs_id), TM_EINVAL);
	/* inside a transaction: a savepoint, rows checked as they come */
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_begin_rebuild(st), 0);
	CHECK_INT(store_assets_clear(st), 0);
	CHECK_INT(put(st, "in", 2, &first), 0);
	CHECK_INT(put_ev(st, first, obs_id + 1000), TM_EINVAL);
	CHECK_INT(store_commit(st), 0);
	CHECK_INT(store_commit(st), 0);
	expect(path, "rebuild inside a transaction", 2, -1);
	CHECK_INT(store_check(st), 0);
	store_close(st);

	if (!getenv("TM_KEEP")) {
		char cmd[96];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		(void)!system(cmd);
	}
	return check_done("test_store_clear");
}
