/*
 * sqlite.c - the SQLite backend of the store: opening a file (refusing one
 * that is not a trustmap database, or whose schema is newer than ours),
 * WAL mode, busy timeout, foreign keys, schema migrations (schema.h), the
 * table of statements prepared once per handle, and transactions (BEGIN
 * IMMEDIATE outside, savepoints inside).  The records themselves are kept by
 * sqlite_obs.c and sqlite_asset.c.
 */
#include "sqlite_int.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/mem.h"
#include "core/str.h"
#include "schema.h"

#define SQ_BUSY_MS 5000

#define SQ_ASSET_SEL                                                                     \
	"SELECT id, key, mac, addr, scope, ref, site, vendor, family, product, model, "  \
	"version, role, conf, flags, declared_vendor, component_vendor, hint_vendor, "   \
	"first_seen, last_seen, n_obs FROM assets "
#define SQ_AI_V " AND vendor = ?2"
#define SQ_AI_F " AND family = ?3"
#define SQ_AI_S " AND site = ?4"
#define SQ_AI(cond) SQ_ASSET_SEL "WHERE conf >= ?1" cond " ORDER BY id LIMIT ?5"
/* SQ_ROWS (32) copies of a row's text, comma-separated, at compile time */
#define SQ_R2(r) r "," r
#define SQ_R4(r) SQ_R2(r) "," SQ_R2(r)
#define SQ_R8(r) SQ_R4(r) "," SQ_R4(r)
#define SQ_R16(r) SQ_R8(r) "," SQ_R8(r)
#define SQ_R32(r) SQ_R16(r) "," SQ_R16(r)
_Static_assert(SQ_ROWS == 32, "SQ_R32 writes SQ_ROWS rows");

/* Constant text only: every value is bound. */
static const char *const sql[SQ_COUNT] = {
	[SQ_BEGIN] = "BEGIN IMMEDIATE",
	[SQ_COMMIT] = "COMMIT",
	[SQ_ROLLBACK] = "ROLLBACK",
	[SQ_SAVEPOINT] = "SAVEPOINT tm",
	[SQ_RELEASE] = "RELEASE tm",
	[SQ_ROLLBACK_TO] = "ROLLBACK TO tm",
	[SQ_CHECK] = "PRAGMA integrity_check(1)",
	[SQ_RUN_START] = "INSERT INTO runs(kind, args, started, kb) VALUES (?1, ?2, ?3, ?4)",
	[SQ_RUN_FINISH] = "UPDATE runs SET finished = ?2, n_obs = ?3, n_skipped = ?4, status = ?5 "
			  "WHERE id = ?1",
	[SQ_RUN_ITER] = "SELECT id, kind, args, started, finished, n_obs, n_skipped, status, kb, "
			"scan, shard, nshards, pairs_total, pairs_done FROM runs ORDER BY id",
	[SQ_RUN_SHARD] = "UPDATE runs SET scan = ?2, shard = ?3, nshards = ?4, pairs_total = ?5 WHERE id = ?1",
	[SQ_RUN_PROGRESS] = "UPDATE runs SET pairs_done = ?2 WHERE id = ?1",
	[SQ_RUN_RESUME_PUT] = "UPDATE runs SET resume = ?2 WHERE id = ?1",
	[SQ_RUN_RESUME_GET] = "SELECT resume FROM runs WHERE id = ?1",
	[SQ_OBS_ADD] = "INSERT INTO observations(run_id, time, source, addr, scope, mac, ref, site, "
		       "port, proto, kind, probe, value, flags) "
		       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[SQ_OBS_ITER] = "SELECT id, time, source, addr, scope, mac, ref, site, port, proto, kind, "
			"probe, value, flags FROM observations ORDER BY id",
	[SQ_OBS_ITER_RUN] = "SELECT id, time, source, addr, scope, mac, ref, site, port, proto, kind, "
			    "probe, value, flags FROM observations WHERE run_id = ?1 ORDER BY id",
	[SQ_OBS_COUNT] = "SELECT count(*) FROM observations",
	[SQ_SITE_PUT] = "INSERT INTO sites(id, name, lat, lon, operator, region, tags) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET "
			"name = excluded.name, lat = excluded.lat, lon = excluded.lon, "
			"operator = excluded.operator, region = excluded.region, tags = excluded.tags",
	[SQ_SITE_GET] = "SELECT id, name, lat, lon, operator, region, tags FROM sites WHERE id = ?1",
	[SQ_SITE_ITER] = "SELECT id, name, lat, lon, operator, region, tags FROM sites ORDER BY id",
	[SQ_EV_CLEAR] = "DELETE FROM evidence",
	[SQ_ASSET_CLEAR] = "DELETE FROM assets",
	[SQ_ASSET_PUT] = "INSERT INTO assets(key, mac, addr, scope, ref, site, vendor, family, "
			 "product, model, version, role, conf, flags, declared_vendor, "
			 "component_vendor, hint_vendor, first_seen, last_seen, n_obs) VALUES "
			 "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
			 "?17, ?18, ?19, ?20)",
	[SQ_EV_PUT] = "INSERT INTO evidence(asset_id, obs_id, kind, vendor, vendor_raw, product, "
		      "version, rule, strength, conf, conflict) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[SQ_ASSET_BY_ID] = SQ_ASSET_SEL "WHERE id = ?1",
	[SQ_ASSET_BY_KEY] = SQ_ASSET_SEL "WHERE key = ?1",
	[SQ_EV_ITER] = "SELECT e.asset_id, e.obs_id, e.kind, e.vendor, e.vendor_raw, e.product, "
		       "e.version, e.rule, e.strength, e.conf, e.conflict, o.value "
		       "FROM evidence e LEFT JOIN observations o ON o.id = e.obs_id "
		       "WHERE e.asset_id = ?1 ORDER BY e.strength DESC, e.conf DESC, e.id",
	/* the older run id stays; first/last seen widen */
	[SQ_LINK_PUT] = "INSERT INTO links(run_id, a_key, a_port, b_key, b_port, source, first_seen, last_seen) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
			"ON CONFLICT (a_key, a_port, b_key, b_port) DO UPDATE SET "
			"run_id = coalesce(min(run_id, excluded.run_id), run_id, excluded.run_id), "
			"first_seen = min(first_seen, excluded.first_seen), "
			"last_seen = max(last_seen, excluded.last_seen)",
	[SQ_LINK_ITER] = "SELECT id, run_id, a_key, a_port, b_key, b_port, source, first_seen, last_seen "
			 "FROM links ORDER BY a_key, a_port, b_key, b_port",
	/* the lean scans: rowid order for sites (no index walk), only the columns they return */
	[SQ_SITE_SCAN] = "SELECT id, lat, lon, operator, region, tags FROM sites",
	[SQ_ASSET_SCAN] = "SELECT id, key, addr, ref, site, vendor, product, model, role, component_vendor, "
			  "hint_vendor, conf, flags FROM assets ORDER BY id",
	[SQ_OBS_ADD_ROWS] = SQ_OBS_HEAD SQ_R32(SQ_OBS_ROW),
	[SQ_EV_PUT_ROWS] = SQ_EV_HEAD SQ_R32(SQ_EV_ROW),
	[SQ_ASSET_ITER + 0] = SQ_AI(""),
	[SQ_ASSET_ITER + 1] = SQ_AI(SQ_AI_V),
	[SQ_ASSET_ITER + 2] = SQ_AI(SQ_AI_F),
	[SQ_ASSET_ITER + 3] = SQ_AI(SQ_AI_V SQ_AI_F),
	[SQ_ASSET_ITER + 4] = SQ_AI(SQ_AI_S),
	[SQ_ASSET_ITER + 5] = SQ_AI(SQ_AI_V SQ_AI_S),
	[SQ_ASSET_ITER + 6] = SQ_AI(SQ_AI_F SQ_AI_S),
	[SQ_ASSET_ITER + 7] = SQ_AI(SQ_AI_V SQ_AI_F SQ_AI_S),
};

/* ---- helpers shared by the backend's files ---- */

int sq_err(struct sq_store *q, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->base.err, sizeof(q->base.err), fmt, ap);
	va_end(ap);
	return rc;
}

int sq_fail(struct sq_store *q, int src, const char *what)
{
	const char *msg = q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(src);
	int errno_;

	switch (src & 0xff) {
	case SQLITE_NOMEM:
		return sq_err(q, TM_ENOMEM, "%s: %s: %s", q->path, what, msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return sq_err(q, TM_ETIMEOUT, "%s: %s: %s (another process is writing; waited %d ms)",
			      q->path, what, msg, q->busy_ms);
	case SQLITE_CONSTRAINT:
		return sq_err(q, TM_EINVAL, "%s: %s: %s", q->path, what, msg);
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		errno_ = q->db ? sqlite3_system_errno(q->db) : 0;
		return sq_err(q, TM_EIO, "%s: %s: %s%s%s%s", q->path, what, msg, errno_ ? " (" : "",
			      errno_ ? strerror(errno_) : "", errno_ ? ")" : "");
	case SQLITE_NOTADB:
		return sq_err(q, TM_EDB, "%s: %s: not a trustmap database (%s)", q->path, what, msg);
	}
	return sq_err(q, TM_EDB, "%s: %s: %s", q->path, what, msg);
}

int sq_get(struct sq_store *q, enum sq_id id, sqlite3_stmt **out)
{
	int rc;

	*out = q->stmt[id];
	if (*out && !sqlite3_stmt_busy(*out))
		return 0;
	rc = sqlite3_prepare_v2(q->db, sql[id], -1, out, NULL);
	return rc == SQLITE_OK ? 0 : sq_fail(q, rc, "preparing a statement");
}

void sq_put(struct sq_store *q, enum sq_id id, sqlite3_stmt *s)
{
	if (!s)
		return;
	if (s != q->stmt[id]) {
		sqlite3_finalize(s);
		return;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

sqlite3_stmt *sq_prepare_rows(struct sq_store *q, const char *head, const char *row, int rows)
{
	size_t hl = strlen(head), rl = strlen(row), l = hl;
	sqlite3_stmt *s = NULL;
	char *text;

	if (rows < 1 || rows > SQ_ROWS || !(text = mem_alloc(hl + (size_t)rows * (rl + 1))))
		return NULL;
	memcpy(text, head, hl);
	for (int j = 0; j < rows; j++, l += rl + 1) {
		memcpy(text + l, row, rl);
		text[l + rl] = ',';
	}
	text[l - 1] = '\0'; /* the last row's comma */
	if (sqlite3_prepare_v2(q->db, text, (int)(l - 1), &s, NULL) != SQLITE_OK)
		s = NULL;
	mem_free(text);
	return s;
}

int sq_step_done(struct sq_store *q, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return sq_fail(q, rc, what);
}

int sq_bind_str(sqlite3_stmt *s, int i, const char *v)
{
	return sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

void sq_col_str(sqlite3_stmt *s, int i, char *dst, size_t dstlen)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	int n = sqlite3_column_bytes(s, i);

	str_copy(dst, dstlen, t, t && n > 0 ? (size_t)n : 0);
}

/* ---- opening ---- */

int sq_script(struct sq_store *q, const char *text, const char *what)
{
	while (text && *text) {
		sqlite3_stmt *s = NULL;
		const char *tail = NULL;
		int rc = sqlite3_prepare_v2(q->db, text, -1, &s, &tail);

		if (rc != SQLITE_OK)
			return sq_fail(q, rc, what);
		if (s) {
			while ((rc = sqlite3_step(s)) == SQLITE_ROW)
				;
			sqlite3_finalize(s);
			if (rc != SQLITE_DONE)
				return sq_fail(q, rc, what);
		}
		text = tail;
	}
	return 0;
}

/* Runs a one-row constant query and returns its first column as an integer. */
static int sq_scalar(struct sq_store *q, const char *text, int64_t *v, const char *what)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(q->db, text, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return sq_fail(q, rc, what);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(s, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : sq_fail(q, rc, what);
}

/* Refuses a file that is not a database, or another program's SQLite database. */
static int sq_identify(struct sq_store *q)
{
	int64_t app = 0, tables = 0;
	int rc;

	/* One read transaction for both: another process may create the schema (and mark the file)
	 * between two separate reads, and a zero id next to its tables is not a foreign file. */
	if ((rc = sq_script(q, "BEGIN", "reading the header")))
		return rc;
	if ((rc = sq_scalar(q, "PRAGMA application_id", &app, "reading the header")) ||
	    (rc = sq_scalar(q, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite^_%' ESCAPE '^'",
			    &tables, "reading the schema"))) {
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	if ((rc = sq_script(q, "COMMIT", "reading the header")))
		return rc;
	if (app != STORE_SQLITE_APP_ID && (app != 0 || tables > 0))
		return sq_err(q, TM_EDB, "%s: an SQLite database, but not trustmap's (application id %#llx, %lld tables)",
			      q->path, (unsigned long long)app, (long long)tables);
	return 0;
}

/* The schema version recorded in meta, 0 for a new database. */
static int sq_version(struct sq_store *q, int64_t *v)
{
	sqlite3_stmt *s = NULL;
	int64_t has_meta = 0;
	const char *t;
	int rc;

	*v = 0;
	if ((rc = sq_scalar(q, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'",
			    &has_meta, "reading the schema")) || !has_meta)
		return rc;
	rc = sqlite3_prepare_v2(q->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(q, rc, "reading the schema version");
	rc = sqlite3_step(s);
	t = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	if (rc == SQLITE_ROW && t && str_to_i64(t, strlen(t), v) && *v >= 0)
		rc = 0;
	else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = sq_err(q, TM_EDB, "%s: meta table without a valid schema_version", q->path);
	else
		rc = sq_fail(q, rc, "reading the schema version");
	sqlite3_finalize(s);
	return rc;
}

static int sq_too_new(struct sq_store *q, int64_t v)
{
	return sq_err(q, TM_EUNSUP, "%s: schema version %lld is newer than this trustmap knows (%d); use a newer trustmap",
		      q->path, (long long)v, STORE_SQLITE_VERSION);
}

/* Applies one migration from version v in its own transaction (re-checking v under the lock). */
static int sq_migrate_one(struct sq_store *q, int64_t *v)
{
	char num[24];
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = sq_script(q, "BEGIN IMMEDIATE", "starting a migration")))
		return rc;
	if ((rc = sq_version(q, v)) || *v >= STORE_SQLITE_VERSION)
		goto out_rollback; /* someone else migrated meanwhile, or it is too new */
	if ((rc = sq_script(q, store_sqlite_migrations[*v], "migrating")))
		goto out_rollback;
	if (*v == 0 && (rc = sq_script(q, STORE_SQLITE_SET_APP_ID, "marking the file")))
		goto out_rollback;
	rc = sqlite3_prepare_v2(q->db, "UPDATE meta SET value = ?1 WHERE key = 'schema_version'", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = sq_fail(q, rc, "migrating");
		goto out_rollback;
	}
	snprintf(num, sizeof(num), "%lld", (long long)*v + 1);
	sqlite3_bind_text(s, 1, num, -1, SQLITE_STATIC);
	rc = sq_step_done(q, s, "migrating");
	sqlite3_finalize(s);
	if (rc || (rc = sq_script(q, "COMMIT", "committing a migration")))
		goto out_rollback;
	(*v)++;
	return 0;
out_rollback:
	sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int sq_migrate(struct sq_store *q)
{
	int64_t v;
	int rc;

	if ((rc = sq_version(q, &v)))
		return rc;
	while (v < STORE_SQLITE_VERSION)
		if ((rc = sq_migrate_one(q, &v)))
			return rc;
	return v > STORE_SQLITE_VERSION ? sq_too_new(q, v) : 0;
}

/* WAL (unless in memory), foreign keys, safe-but-fast syncing, no trust in the file's schema. */
static int sq_settings(struct sq_store *q)
{
	sqlite3_stmt *s = NULL;
	const char *mode;
	int rc;

	sqlite3_db_config(q->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(q->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	rc = sqlite3_prepare_v2(q->db, "PRAGMA journal_mode = WAL", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(q, rc, "setting WAL mode");
	rc = sqlite3_step(s);
	mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	if (rc != SQLITE_ROW)
		rc = sq_fail(q, rc, "setting WAL mode");
	else if (!mode || (strcmp(mode, "wal") && strcmp(mode, "memory")))
		rc = sq_err(q, TM_EDB, "%s: cannot use WAL mode (journal mode is %s)", q->path, mode ? mode : "?");
	else
		rc = 0;
	sqlite3_finalize(s);
	if (rc)
		return rc;
	return sq_script(q, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL", "setting options");
}

static int sq_prepare_all(struct sq_store *q)
{
	for (int i = 0; i < SQ_COUNT; i++) {
		int rc = sqlite3_prepare_v3(q->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &q->stmt[i], NULL);

		if (rc != SQLITE_OK)
			return sq_fail(q, rc, "preparing statements");
	}
	return 0;
}

static void sq_close(struct store *st)
{
	struct sq_store *q = sq(st);

	for (int i = 0; i < SQ_COUNT; i++)
		sqlite3_finalize(q->stmt[i]);
	sqlite3_close_v2(q->db); /* rolls back an open transaction */
	mem_free(q->ddl);
	mem_free(q->path);
	mem_free(q);
}

/*
 * Opens path; *out owns the handle (free with store_close).  Steps in an
 * order that never writes to a file before knowing it is ours.
 */
static int sq_open(struct store **out, const char *path, char *eb, size_t el)
{
	struct sq_store *q = mem_calloc(1, sizeof(*q));
	int64_t v = 0;
	int rc;

	if (!q || !(q->path = mem_strdup(path))) {
		mem_free(q);
		return err_set(eb, el, TM_ENOMEM, "%s: out of memory opening the store", path);
	}
	q->base.ops = &store_sqlite_ops;
	q->busy_ms = SQ_BUSY_MS;
	rc = sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = sq_fail(q, rc, "opening");
		goto out_close;
	}
	sqlite3_extended_result_codes(q->db, 1);
	sqlite3_busy_timeout(q->db, q->busy_ms);
	if ((rc = sq_identify(q)) || (rc = sq_version(q, &v)))
		goto out_close;
	if (v > STORE_SQLITE_VERSION) {
		rc = sq_too_new(q, v);
		goto out_close;
	}
	if ((rc = sq_settings(q)) || (rc = sq_migrate(q)) || (rc = sq_prepare_all(q)))
		goto out_close;
	*out = &q->base;
	return 0;
out_close:
	err_set(eb, el, rc, "%s", q->base.err);
	sq_close(&q->base);
	return rc;
}

/* ---- transactions ---- */

/* Runs one cached transaction statement. */
static int sq_tx(struct sq_store *q, enum sq_id id, const char *what)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, id, &s)))
		return rc;
	rc = sq_step_done(q, s, what);
	sq_put(q, id, s);
	return rc;
}

/* The deferred DDL is gone with the levels that held the drop (a rollback, or SQLite's own). */
static void sq_ddl_drop(struct sq_store *q)
{
	mem_free(q->ddl);
	q->ddl = NULL;
}

void sq_defer_ddl(struct sq_store *q, char *ddl)
{
	sq_ddl_drop(q);
	q->ddl = ddl;
	q->ddl_depth = q->depth;
}

/*
 * Foreign keys back on once a rebuild's transaction is over (the pragma is
 * a no-op inside one).  Its failure is not the caller's: the handle's
 * message is kept, and the next rebuild tries again.
 */
static void sq_fk_restore(struct sq_store *q)
{
	char keep[sizeof(q->base.err)];

	if (!q->fk_off || !sqlite3_get_autocommit(q->db))
		return;
	memcpy(keep, q->base.err, sizeof(keep));
	if (!sq_script(q, "PRAGMA foreign_keys = ON", "turning foreign keys on"))
		q->fk_off = 0;
	memcpy(q->base.err, keep, sizeof(keep));
}

/*
 * The rebuild's references, checked once before its commit: an evidence row
 * naming an asset or observation that is not there.  Row by row, each
 * evidence insert looked both up (2.4M rows of a 262,144-asset store: 11.8 s
 * of inserts against 1.9 s, and 2.9 s for this check).
 */
static int sq_fk_check(struct sq_store *q)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sqlite3_prepare_v2(q->db,
				     "SELECT rowid, parent FROM pragma_foreign_key_check('evidence') LIMIT 1", -1,
				     &s, NULL)) != SQLITE_OK)
		return sq_fail(q, rc, "checking the evidence's references");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		rc = sq_err(q, TM_EINVAL, "%s: evidence %lld names an unknown %s", q->path,
			    (long long)sqlite3_column_int64(s, 0),
			    !strcmp((const char *)sqlite3_column_text(s, 1), "assets") ? "asset" : "observation");
	else
		rc = rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "checking the evidence's references");
	sqlite3_finalize(s);
	return rc;
}

/* A new level: BEGIN IMMEDIATE outside a transaction, a savepoint inside. */
static int sq_level(struct sq_store *q)
{
	int rc;

	if (q->depth && sqlite3_get_autocommit(q->db)) {
		q->depth = 0; /* SQLite rolled back on its own after an error */
		sq_ddl_drop(q);
	}
	rc = sq_tx(q, q->depth ? SQ_SAVEPOINT : SQ_BEGIN, "starting a transaction");
	if (!rc)
		q->depth++;
	return rc;
}

int sq_begin(struct store *st)
{
	struct sq_store *q = sq(st);

	sq_fk_restore(q);
	return sq_level(q);
}

int sq_commit(struct store *st)
{
	struct sq_store *q = sq(st);
	int rc;

	if (!q->depth || sqlite3_get_autocommit(q->db)) {
		q->depth = 0;
		sq_ddl_drop(q);
		sq_fk_restore(q);
		return sq_err(q, TM_EINVAL, "%s: commit without an open transaction", q->path);
	}
	if (q->depth == 1 && q->fk_off && (rc = sq_fk_check(q)))
		return rc; /* the transaction stays open: the caller rolls back */
	if (q->depth == 1 && q->ddl) { /* the indexes a clear dropped, over the new rows */
		if ((rc = sq_script(q, q->ddl, "indexing the assets")))
			return rc; /* the transaction stays open: the caller rolls back */
		sq_ddl_drop(q);
	}
	rc = sq_tx(q, q->depth > 1 ? SQ_RELEASE : SQ_COMMIT, "committing");
	if (sqlite3_get_autocommit(q->db)) {
		q->depth = 0;
		sq_ddl_drop(q);
	} else if (!rc) {
		if (q->ddl && q->ddl_depth == q->depth)
			q->ddl_depth--; /* the drop now belongs to the enclosing level */
		q->depth--;
	}
	sq_fk_restore(q);
	return rc;
}

/* store_begin_rebuild: outside a transaction, foreign keys off until it ends (checked at its commit). */
static int sq_begin_rebuild(struct store *st)
{
	struct sq_store *q = sq(st);
	int rc;

	sq_fk_restore(q);
	if (!q->fk_off && (!q->depth || sqlite3_get_autocommit(q->db)) &&
	    !sq_script(q, "PRAGMA foreign_keys = OFF", "turning foreign keys off"))
		q->fk_off = 1;
	if ((rc = sq_level(q)))
		sq_fk_restore(q);
	return rc;
}

/* Ends the innermost level; after an error that made SQLite roll back by itself, succeeds quietly. */
int sq_rollback(struct store *st)
{
	struct sq_store *q = sq(st);
	int rc;

	if (q->ddl && (q->depth <= q->ddl_depth || sqlite3_get_autocommit(q->db)))
		sq_ddl_drop(q); /* this level undoes the drop */
	if (!q->depth || sqlite3_get_autocommit(q->db)) {
		int had = q->depth;

		q->depth = 0;
		sq_fk_restore(q);
		return had ? 0 : sq_err(q, TM_EINVAL, "%s: rollback without an open transaction", q->path);
	}
	if (q->depth == 1)
		rc = sq_tx(q, SQ_ROLLBACK, "rolling back");
	else if (!(rc = sq_tx(q, SQ_ROLLBACK_TO, "rolling back")))
		rc = sq_tx(q, SQ_RELEASE, "rolling back");
	if (sqlite3_get_autocommit(q->db))
		q->depth = 0;
	else if (!rc)
		q->depth--;
	sq_fk_restore(q);
	return rc;
}

static int sq_set_busy_timeout(struct store *st, int ms)
{
	struct sq_store *q = sq(st);
	int rc = sqlite3_busy_timeout(q->db, ms);

	if (rc != SQLITE_OK)
		return sq_fail(q, rc, "setting the busy timeout");
	q->busy_ms = ms;
	return 0;
}

static int sq_check(struct store *st)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	const char *t;
	int rc;

	if ((rc = sq_get(q, SQ_CHECK, &s)))
		return rc;
	rc = sqlite3_step(s);
	t = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	if (rc != SQLITE_ROW)
		rc = sq_fail(q, rc, "checking");
	else if (!t || strcmp(t, "ok"))
		rc = sq_err(q, TM_EDB, "%s: integrity check: %.200s", q->path, t ? t : "no answer");
	else
		rc = 0;
	sq_put(q, SQ_CHECK, s);
	return rc;
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.begin = sq_begin,
	.begin_rebuild = sq_begin_rebuild,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.set_busy_timeout = sq_set_busy_timeout,
	.check = sq_check,
	.run_start = sq_run_start,
	.run_finish = sq_run_finish,
	.run_iter = sq_run_iter,
	.run_shard = sq_run_shard,
	.run_progress = sq_run_progress,
	.run_resume_put = sq_run_resume_put,
	.run_resume_get = sq_run_resume_get,
	.obs_add = sq_obs_add,
	.obs_add_many = sq_obs_add_many,
	.obs_iter = sq_obs_iter,
	.obs_iter_run = sq_obs_iter_run,
	.obs_count = sq_obs_count,
	.site_put = sq_site_put,
	.site_get = sq_site_get,
	.site_iter = sq_site_iter,
	.site_scan = sq_site_scan,
	.assets_clear = sq_assets_clear,
	.asset_put = sq_asset_put,
	.evidence_put = sq_evidence_put,
	.evidence_put_many = sq_evidence_put_many,
	.asset_iter = sq_asset_iter,
	.asset_scan = sq_asset_scan,
	.asset_pick = sq_asset_pick,
	.asset_get = sq_asset_get,
	.evidence_iter = sq_evidence_iter,
	.link_put = sq_link_put,
	.link_iter = sq_link_iter,
};
