/*
 * pg_int.h - shared by the files of the PostgreSQL backend (libpq): the
 * handle, the statement ids (each prepared once per connection, again after
 * a reconnect), a parameter list that binds every value (binary integers and
 * doubles, text cut to its field and made valid UTF-8, bytea as is), readers
 * of binary result columns into bounded fields, and the batch buffer.
 *
 * Batches: inside a transaction, an observation added without asking for its
 * id, a run's progress and resume state, and a link, are not sent at once
 * but kept in the handle; at commit they go in one COPY (binary) with the
 * updates, the links and a batch token, in one transaction.  Such a transaction can be replayed whole when
 * the connection is lost or the server restarts (pg.c retries it, and after
 * a COMMIT whose answer was lost, looks the token up in tx_done first), so a
 * batch lands exactly once.  Any other statement sends what is kept first,
 * in order, and the transaction is then no longer replayable.
 * pg.c opens, migrates, retries and runs transactions; pg_obs.c keeps runs,
 * observations and sites; pg_asset.c assets, evidence and links; pg_bulk.c
 * a rebuild's assets and evidence by COPY.
 */
#ifndef TM_STORE_PG_INT_H
#define TM_STORE_PG_INT_H

#include <libpq-fe.h>
#include <string.h>

#include "core/buf.h"
#include "store_int.h"

enum pg_id {
	PQ_RUN_START,
	PQ_RUN_FINISH,
	PQ_RUN_ITER,
	PQ_RUN_SHARD,
	PQ_RUN_PROGRESS,
	PQ_OBS_ADD,
	PQ_OBS_PAGE,
	PQ_OBS_COUNT,
	PQ_SITE_PUT,
	PQ_SITE_GET,
	PQ_SITE_ITER,
	PQ_EV_CLEAR,
	PQ_ASSET_CLEAR,
	PQ_ASSET_PUT,
	PQ_EV_PUT,
	PQ_ASSET_BY_ID,
	PQ_ASSET_BY_KEY,
	PQ_EV_ITER,
	PQ_LINK_PUT,
	PQ_LINK_ITER,
	PQ_TOKEN_PUT,
	PQ_TOKEN_GET,
	PQ_ASSET_LOCK,
	PQ_RESUME_PUT,
	PQ_RESUME_GET,
	PQ_SITE_SCAN,
	PQ_ASSET_SCAN_PAGE,
	PQ_OBS_RUN_PAGE,
	PQ_ASSET_IDS,
	PQ_EV_CHECK,
	PQ_ASSET_PAGE, /* 8 variants follow: + (vendor ? 1 : 0) + (family ? 2 : 0) + (site ? 4 : 0) */
	PQ_COUNT = PQ_ASSET_PAGE + 8
};

#define PG_PAGE 4096  /* rows per page of the long iterations (observations, assets) */
#define PG_MAXP 24    /* parameters of the longest statement */
#define PG_MAXRUNS 8  /* runs whose progress one batch can carry */

struct pg_store {
	struct store base;    /* must stay first */
	PGconn *c;	      /* NULL while disconnected */
	char *url;	      /* as given, password included: only for reconnecting; owned */
	char where[160];      /* the URL without its password, for every message */
	int depth;	      /* open levels: 1 = BEGIN, more = savepoints */
	int began;	      /* BEGIN was sent for the open transaction */
	int replayable;	      /* the open transaction holds only kept rows and progress */
	int busy_ms;	      /* lock_timeout, milliseconds */
	long retry_ms;	      /* how long to wait for the server to come back */
	int warned;	      /* the "waiting for the server" line was printed */
	struct buf copy;      /* kept observations: COPY binary tuples */
	long ncopy;
	int nprog;	      /* kept progress, one per run */
	int64_t prog_run[PG_MAXRUNS], prog_done[PG_MAXRUNS];
	int64_t resume_run;   /* kept resume state of this run (0 none) */
	char *resume;	      /* owned */
	struct link_rec *links; /* kept links (sniff's, at its commits), owned */
	int nlinks, caplinks;
	uint64_t token_seq;   /* batch tokens: pid, start time, this counter */
	struct pg_bulk *bulk; /* a rebuild's kept assets and evidence (pg_bulk.c); NULL when not keeping */
	int ev_unchecked;     /* kept evidence names an observation not in seen: obs_ids checked at commit */
	struct pg_seen {      /* ids of observations this handle has read: increasing, disjoint [lo, hi] */
		int64_t (*iv)[2];
		size_t n, cap;
	} seen;
};

static inline struct pg_store *pg(struct store *st)
{
	return (struct pg_store *)st;
}

/* Parameters of one statement: pointers into the caller's fields or into num/tmp. */
struct pg_args {
	int n;
	const char *v[PG_MAXP];
	int len[PG_MAXP];
	int fmt[PG_MAXP];
	char num[PG_MAXP][8];
	char *tmp[PG_MAXP]; /* owned copies of text made valid UTF-8 */
};

void pa_init(struct pg_args *a);
void pa_fini(struct pg_args *a);
void pa_null(struct pg_args *a);
void pa_i64(struct pg_args *a, int64_t v);
void pa_f64(struct pg_args *a, double v);
/* Text up to its NUL or max bytes; invalid UTF-8 bytes become '?' (PostgreSQL refuses them). */
void pa_text(struct pg_args *a, const char *s, size_t max);
#define PA_FIELD(a, field) pa_text((a), (field), sizeof(field))
void pa_bytea(struct pg_args *a, const void *p, size_t n);

/*
 * Runs statement id with a's values (results in binary): 0 with *res set
 * (PQclear it; NULL allowed when not wanted) or a TM_E* code with the
 * message set.  Sends the kept batch first.  A read, or an idempotent write
 * outside a transaction, is retried after a lost connection for up to
 * retry_ms; other statements report the loss (TM_EIO) and never guess.
 */
int pg_run(struct pg_store *q, enum pg_id id, const struct pg_args *a, PGresult **res, const char *what);
/* Sets the handle's message and returns rc. */
int pg_err(struct pg_store *q, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The TM_E* code and message for a failed result (constraint -> TM_EINVAL, lock timeout -> TM_ETIMEOUT...). */
int pg_fail(struct pg_store *q, const PGresult *r, const char *what);
/* SQLSTATE of a failed result ("" when none). */
const char *pg_state(const PGresult *r);

int64_t pg_i64(const PGresult *r, int row, int col); /* NULL and odd widths read as 0 */
double pg_f64(const PGresult *r, int row, int col);
void pg_str(const PGresult *r, int row, int col, char *dst, size_t dstlen);
#define PG_COL_FIELD(r, row, col, field) pg_str((r), (row), (col), (field), sizeof(field))
int pg_isnull(const PGresult *r, int row, int col);

/* Runs prepared statement id once with a's values (NULL: none), results in binary; the raw result (check and clear it). */
PGresult *pg_exec(struct pg_store *q, enum pg_id id, const struct pg_args *a);

/* Fields of COPY's binary format appended to b: 0, or nonzero when out of memory. */
int pg_put16(struct buf *b, int v);
int pg_put32(struct buf *b, int32_t v); /* -1: a NULL field */
int pg_put_i64(struct buf *b, int64_t v);
int pg_put_f64(struct buf *b, double v);
/* Text up to its NUL or max bytes, made valid UTF-8 as pa_text does. */
int pg_put_text(struct buf *b, const char *s, size_t max);
#define PG_PUT_FIELD(b, field) pg_put_text((b), (field), sizeof(field))
/*
 * Runs copy ("COPY t(cols) FROM STDIN (FORMAT binary)") with rows (binary
 * tuples, without the header and trailer: added here) inside the open
 * transaction; 0, or the TM_E* code with the message set (what says what).
 */
int pg_copy_send(struct pg_store *q, const char *copy, const struct buf *rows, const char *what);

/* Keeps one observation for the batch (inside a transaction); 0 or TM_ENOMEM. */
int pg_copy_add(struct pg_store *q, int64_t run_id, const struct obs *o);
/* Whether the open transaction can still keep rows for its batch (nothing of it sent yet). */
static inline int pg_keeping(const struct pg_store *q)
{
	return q->depth && q->replayable && !q->began;
}
/* Binds l's values for PQ_LINK_PUT into a (pa_init'ed). */
void pg_link_args(struct pg_args *a, const struct link_rec *l);

/* pg_obs.c */
int pg_run_start(struct store *st, const char *kind, const char *args, int64_t *run_id);
int pg_run_finish(struct store *st, int64_t run_id, long n_obs, long n_skipped, const char *status);
int pg_run_iter(struct store *st, store_run_fn fn, void *ctx);
int pg_run_shard(struct store *st, int64_t run_id, const char *scan, int shard, int nshards, int64_t total);
int pg_run_progress(struct store *st, int64_t run_id, int64_t done);
int pg_run_resume_put(struct store *st, int64_t run_id, const char *state);
int pg_run_resume_get(struct store *st, int64_t run_id, char **state);
int pg_obs_add(struct store *st, int64_t run_id, const struct obs *o, int64_t *obs_id);
int pg_obs_iter(struct store *st, store_obs_fn fn, void *ctx);
int pg_obs_iter_run(struct store *st, int64_t run_id, store_obs_fn fn, void *ctx);
int64_t pg_obs_count(struct store *st);
int pg_site_put(struct store *st, const struct site_rec *s);
int pg_site_get(struct store *st, const char *id, struct site_rec *out);
int pg_site_iter(struct store *st, store_site_fn fn, void *ctx);
int pg_site_scan(struct store *st, store_site_view_fn fn, void *ctx);

/* pg_asset.c */
int pg_assets_clear(struct store *st);
int pg_asset_put(struct store *st, struct asset_rec *a);
int pg_evidence_put(struct store *st, const struct ev_rec *e);
int pg_asset_iter(struct store *st, const struct asset_filter *f, store_asset_fn fn, void *ctx);
int pg_asset_scan(struct store *st, store_asset_view_fn fn, void *ctx);
int pg_asset_get(struct store *st, const char *id_or_key, struct asset_rec *out);
int pg_evidence_iter(struct store *st, int64_t asset_id, store_ev_fn fn, void *ctx);
int pg_link_put(struct store *st, const struct link_rec *l);
int pg_link_iter(struct store *st, store_link_fn fn, void *ctx);

/*
 * pg_bulk.c: a rebuild's assets and evidence by COPY.  After
 * store_assets_clear() inside a transaction (attr_build's rebuild), assets
 * and evidence are kept in the handle and sent by COPY: before any other
 * statement, when a megabytes' bound is reached, and at commit.  Asset ids
 * come from the identity's sequence in blocks; duplicate keys and evidence
 * of an asset not put are refused at once, as row by row; evidence naming an
 * unknown observation at the commit (TM_EINVAL, pg_bulk_check: the schema
 * has no foreign keys on evidence since version 7).  A savepoint, the
 * commit or a rollback ends the keeping.
 */
int pg_bulk_assets_clear(struct store *st);
int pg_bulk_asset_put(struct store *st, struct asset_rec *a);
int pg_bulk_evidence_put(struct store *st, const struct ev_rec *e);
/* Sends the kept rows inside the open transaction (0 when none kept). */
int pg_bulk_flush(struct pg_store *q);
/* Drops what is kept and stops keeping; NULL bulk: nothing to do. */
void pg_bulk_end(struct pg_store *q);
/*
 * Before a commit, when kept evidence named an observation this handle has
 * not read: every obs_id of the evidence names an observation (else
 * TM_EINVAL), by one anti-join.  A rebuild names only observations it read,
 * which exist for good (trustmap deletes none), so it asks nothing.
 */
int pg_bulk_check(struct pg_store *q);
/* pg_seen_add records observation id as read (pg_obs.c's pages); pg_seen_has is 1 when it was. */
void pg_seen_add(struct pg_store *q, int64_t id);
int pg_seen_has(const struct pg_store *q, int64_t id);

/* pg.c */
int pg_begin(struct store *st);
int pg_commit(struct store *st);
int pg_rollback(struct store *st);

extern const struct store_ops store_pg_ops;

#endif
