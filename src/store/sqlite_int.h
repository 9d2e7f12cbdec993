/*
 * sqlite_int.h - shared by the files of the SQLite backend: the handle, the
 * table of prepared statements (each prepared once per handle at open and
 * reused), and helpers to bind bounded string fields and read columns back
 * into bounded arrays.  sqlite.c opens, migrates and runs transactions;
 * sqlite_obs.c keeps runs, observations and sites; sqlite_asset.c assets
 * and evidence; sqlite_link.c topology links.
 */
#ifndef TM_STORE_SQLITE_INT_H
#define TM_STORE_SQLITE_INT_H

#include <sqlite3.h>
#include <string.h>

#include "store_int.h"

/* Every statement the backend runs after open; the SQL is in sqlite.c. */
enum sq_id {
	SQ_BEGIN,
	SQ_COMMIT,
	SQ_ROLLBACK,
	SQ_SAVEPOINT,
	SQ_RELEASE,
	SQ_ROLLBACK_TO,
	SQ_CHECK,
	SQ_RUN_START,
	SQ_RUN_FINISH,
	SQ_RUN_ITER,
	SQ_RUN_SHARD,
	SQ_RUN_PROGRESS,
	SQ_RUN_RESUME_PUT,
	SQ_RUN_RESUME_GET,
	SQ_OBS_ADD,
	SQ_OBS_ITER,
	SQ_OBS_ITER_RUN,
	SQ_OBS_COUNT,
	SQ_SITE_PUT,
	SQ_SITE_GET,
	SQ_SITE_ITER,
	SQ_EV_CLEAR,
	SQ_ASSET_CLEAR,
	SQ_ASSET_PUT,
	SQ_EV_PUT,
	SQ_ASSET_BY_ID,
	SQ_ASSET_BY_KEY,
	SQ_EV_ITER,
	SQ_LINK_PUT,
	SQ_LINK_ITER,
	SQ_SITE_SCAN,
	SQ_ASSET_SCAN,
	SQ_OBS_ADD_ROWS, /* SQ_ROWS rows an INSERT (sq_obs_add_many) */
	SQ_EV_PUT_ROWS,	 /* SQ_ROWS rows an INSERT (sq_evidence_put_many) */
	SQ_ASSET_ITER, /* 8 variants follow: + (vendor ? 1 : 0) + (family ? 2 : 0) + (site ? 4 : 0) */
	SQ_COUNT = SQ_ASSET_ITER + 8
};

/*
 * The multi-row INSERTs: a statement's fixed cost (its start, the foreign-key
 * bookkeeping, the statement journal at its end) paid once for SQ_ROWS rows.
 * The heads and rows of their text, shared by the cached full-batch
 * statements (sqlite.c) and sq_prepare_rows() for a shorter rest.
 */
#define SQ_ROWS 32
#define SQ_OBS_HEAD                                                                    \
	"INSERT INTO observations(run_id, time, source, addr, scope, mac, ref, site, " \
	"port, proto, kind, probe, value, flags) VALUES "
#define SQ_OBS_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define SQ_OBS_COLS 14
#define SQ_EV_HEAD                                                                             \
	"INSERT INTO evidence(asset_id, obs_id, kind, vendor, vendor_raw, product, version, " \
	"rule, strength, conf, conflict) VALUES "
#define SQ_EV_ROW "(?,?,?,?,?,?,?,?,?,?,?)"
#define SQ_EV_COLS 11

struct sq_store {
	struct store base;	     /* must stay first */
	sqlite3 *db;
	char *path;		     /* for messages; owned */
	int depth;		     /* open transaction levels (1 = BEGIN, more = savepoints) */
	int busy_ms;		     /* busy timeout, for messages */
	sqlite3_stmt *stmt[SQ_COUNT]; /* prepared at open, reset after each use */
	char *ddl;		     /* indexes to create before the outermost commit (sq_defer_ddl); owned */
	int ddl_depth;		     /* the innermost level whose rollback undoes the drop ddl repairs */
	int fk_off;		     /* a rebuild's transaction: foreign keys checked at its commit */
};

static inline struct sq_store *sq(struct store *st)
{
	return (struct sq_store *)st;
}

/*
 * Sets *out to the cached statement id or, when that one is in use by an
 * iteration further up the stack (a callback calling back into the store),
 * to a fresh copy.  Returns 0 or a TM_E* code with the message set.  Hand
 * the statement back with sq_put().
 */
int sq_get(struct sq_store *q, enum sq_id id, sqlite3_stmt **out);
/* Resets the cached statement for reuse, or finalizes a fresh copy. */
void sq_put(struct sq_store *q, enum sq_id id, sqlite3_stmt *s);
/*
 * Prepares head followed by rows copies of row, comma-separated (1 <= rows
 * <= SQ_ROWS): a multi-row INSERT for a batch's rest, finalized by the
 * caller.  NULL when SQLite refuses it (the caller then goes a row at a
 * time, with each row's own message).
 */
sqlite3_stmt *sq_prepare_rows(struct sq_store *q, const char *head, const char *row, int rows);
/*
 * Sets the handle's message "path: what: sqlite's message" and returns the
 * TM_E* code for SQLite result code src (busy -> TM_ETIMEOUT, constraint ->
 * TM_EINVAL, out of memory -> TM_ENOMEM, I/O -> TM_EIO, others TM_EDB).
 */
int sq_fail(struct sq_store *q, int src, const char *what);
/* Sets the handle's message and returns rc (for errors found by us, not SQLite). */
int sq_err(struct sq_store *q, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Runs constant SQL text (one or more statements, no values) to its end. */
int sq_script(struct sq_store *q, const char *text, const char *what);
/*
 * Called inside the level (a savepoint or the transaction) that dropped
 * indexes: ddl (owned from here) is run just before the outermost COMMIT,
 * and forgotten when a rollback undoes that level or one around it.
 */
void sq_defer_ddl(struct sq_store *q, char *ddl);
/* Steps a write statement once: 0 or the mapped error. */
int sq_step_done(struct sq_store *q, sqlite3_stmt *s, const char *what);

/* Binds a bounded char array field (stops at its end even without a NUL); SQLITE_STATIC. */
#define SQ_BIND_FIELD(s, i, field) \
	sqlite3_bind_text((s), (i), (field), (int)strnlen((field), sizeof(field)), SQLITE_STATIC)
/* Binds a C string (NULL as ""). */
int sq_bind_str(sqlite3_stmt *s, int i, const char *v);
/* Copies text column i into dst[dstlen], cut to fit, "" for NULL. */
void sq_col_str(sqlite3_stmt *s, int i, char *dst, size_t dstlen);
#define SQ_COL_FIELD(s, i, field) sq_col_str((s), (i), (field), sizeof(field))

/* sqlite_obs.c */
int sq_run_start(struct store *st, const char *kind, const char *args, int64_t *run_id);
int sq_run_finish(struct store *st, int64_t run_id, long n_obs, long n_skipped, const char *status);
int sq_run_iter(struct store *st, store_run_fn fn, void *ctx);
int sq_run_shard(struct store *st, int64_t run_id, const char *scan, int shard, int nshards, int64_t total);
int sq_run_progress(struct store *st, int64_t run_id, int64_t done);
int sq_run_resume_put(struct store *st, int64_t run_id, const char *state);
int sq_run_resume_get(struct store *st, int64_t run_id, char **state);
int sq_obs_add(struct store *st, int64_t run_id, const struct obs *o, int64_t *obs_id);
int sq_obs_add_many(struct store *st, int64_t run_id, const struct obs *o, int n, int *done);
int sq_obs_iter(struct store *st, store_obs_fn fn, void *ctx);
int sq_obs_iter_run(struct store *st, int64_t run_id, store_obs_fn fn, void *ctx);
int64_t sq_obs_count(struct store *st);
int sq_site_put(struct store *st, const struct site_rec *s);
int sq_site_get(struct store *st, const char *id, struct site_rec *out);
int sq_site_iter(struct store *st, store_site_fn fn, void *ctx);
int sq_site_scan(struct store *st, store_site_view_fn fn, void *ctx);

/* sqlite_asset.c */
int sq_assets_clear(struct store *st);
int sq_asset_put(struct store *st, struct asset_rec *a);
int sq_evidence_put(struct store *st, const struct ev_rec *e);
int sq_evidence_put_many(struct store *st, const struct ev_rec *e, int n);
int sq_asset_iter(struct store *st, const struct asset_filter *f, store_asset_fn fn, void *ctx);
int sq_asset_scan(struct store *st, store_asset_view_fn fn, void *ctx);
int sq_asset_pick(struct store *st, store_vendor_pick_fn pick, store_asset_site_fn fn, void *ctx, long *n_assets,
		  long *n_sites);
int sq_asset_get(struct store *st, const char *id_or_key, struct asset_rec *out);
int sq_evidence_iter(struct store *st, int64_t asset_id, store_ev_fn fn, void *ctx);

/* sqlite_link.c */
int sq_link_put(struct store *st, const struct link_rec *l);
int sq_link_iter(struct store *st, store_link_fn fn, void *ctx);

/* sqlite.c, used by sqlite_asset.c to make a clear atomic */
int sq_begin(struct store *st);
int sq_commit(struct store *st);
int sq_rollback(struct store *st);

#endif
