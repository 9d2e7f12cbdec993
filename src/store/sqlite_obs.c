/*
 * sqlite_obs.c - runs, observations and sites in the SQLite backend.
 * Observation values go in and come out as BLOBs, byte for byte; every
 * string field is bound up to its array's end and read back cut to fit, so
 * a database edited by hand cannot overflow a record.
 */
#include "sqlite_int.h"

#include <string.h>
#include <time.h>

#include "core/mem.h"
#include "core/str.h"

int sq_run_start(struct store *st, const char *kind, const char *args, int64_t *run_id)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, SQ_RUN_START, &s)))
		return rc;
	sq_bind_str(s, 1, kind);
	sq_bind_str(s, 2, args);
	sqlite3_bind_int64(s, 3, (int64_t)time(NULL));
	sq_bind_str(s, 4, st->kb);
	rc = sq_step_done(q, s, "starting a run");
	if (!rc && run_id)
		*run_id = sqlite3_last_insert_rowid(q->db);
	sq_put(q, SQ_RUN_START, s);
	return rc;
}

int sq_run_finish(struct store *st, int64_t run_id, long n_obs, long n_skipped, const char *status)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, SQ_RUN_FINISH, &s)))
		return rc;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_int64(s, 2, (int64_t)time(NULL));
	sqlite3_bind_int64(s, 3, n_obs);
	sqlite3_bind_int64(s, 4, n_skipped);
	sq_bind_str(s, 5, status);
	rc = sq_step_done(q, s, "finishing a run");
	if (!rc && sqlite3_changes(q->db) == 0)
		rc = sq_err(q, TM_ENOTFOUND, "%s: no run %lld", q->path, (long long)run_id);
	sq_put(q, SQ_RUN_FINISH, s);
	return rc;
}

int sq_run_shard(struct store *st, int64_t run_id, const char *scan, int shard, int nshards, int64_t total)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, SQ_RUN_SHARD, &s)))
		return rc;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_text(s, 2, scan, (int)strnlen(scan, 63), SQLITE_STATIC);
	sqlite3_bind_int(s, 3, shard);
	sqlite3_bind_int(s, 4, nshards);
	sqlite3_bind_int64(s, 5, total);
	rc = sq_step_done(q, s, "naming a scan");
	if (!rc && sqlite3_changes(q->db) == 0)
		rc = sq_err(q, TM_ENOTFOUND, "%s: no run %lld", q->path, (long long)run_id);
	sq_put(q, SQ_RUN_SHARD, s);
	return rc;
}

int sq_run_progress(struct store *st, int64_t run_id, int64_t done)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, SQ_RUN_PROGRESS, &s)))
		return rc;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_int64(s, 2, done);
	rc = sq_step_done(q, s, "recording progress");
	if (!rc && sqlite3_changes(q->db) == 0)
		rc = sq_err(q, TM_ENOTFOUND, "%s: no run %lld", q->path, (long long)run_id);
	sq_put(q, SQ_RUN_PROGRESS, s);
	return rc;
}

int sq_run_resume_put(struct store *st, int64_t run_id, const char *state)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, SQ_RUN_RESUME_PUT, &s)))
		return rc;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
	rc = sq_step_done(q, s, "recording a scan's resume state");
	if (!rc && sqlite3_changes(q->db) == 0)
		rc = sq_err(q, TM_ENOTFOUND, "%s: no run %lld", q->path, (long long)run_id);
	sq_put(q, SQ_RUN_RESUME_PUT, s);
	return rc;
}

int sq_run_resume_get(struct store *st, int64_t run_id, char **state)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	const unsigned char *t;
	int rc, n;

	if ((rc = sq_get(q, SQ_RUN_RESUME_GET, &s)))
		return rc;
	sqlite3_bind_int64(s, 1, run_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		t = sqlite3_column_text(s, 0);
		n = sqlite3_column_bytes(s, 0);
		if (!(*state = mem_alloc((size_t)n + 1)))
			rc = sq_err(q, TM_ENOMEM, "out of memory");
		else {
			if (n)
				memcpy(*state, t, (size_t)n);
			(*state)[n] = 0;
			rc = 0;
		}
	} else if (rc == SQLITE_DONE)
		rc = sq_err(q, TM_ENOTFOUND, "%s: no run %lld", q->path, (long long)run_id);
	else
		rc = sq_fail(q, rc, "reading a scan's resume state");
	sq_put(q, SQ_RUN_RESUME_GET, s);
	return rc;
}

static void run_row(sqlite3_stmt *s, struct run_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	SQ_COL_FIELD(s, 1, r->kind);
	SQ_COL_FIELD(s, 2, r->args);
	r->started = sqlite3_column_int64(s, 3);
	r->finished = sqlite3_column_int64(s, 4); /* NULL reads as 0 */
	r->n_obs = (long)sqlite3_column_int64(s, 5);
	r->n_skipped = (long)sqlite3_column_int64(s, 6);
	SQ_COL_FIELD(s, 7, r->status);
	SQ_COL_FIELD(s, 8, r->kb);
	SQ_COL_FIELD(s, 9, r->scan);
	r->shard = (int)sqlite3_column_int64(s, 10);
	r->nshards = (int)sqlite3_column_int64(s, 11);
	r->pairs_total = sqlite3_column_int64(s, 12);
	r->pairs_done = sqlite3_column_int64(s, 13);
}

int sq_run_iter(struct store *st, store_run_fn fn, void *ctx)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	struct run_rec r;
	int rc = 0, stop = 0;

	if ((rc = sq_get(q, SQ_RUN_ITER, &s)))
		return rc;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		run_row(s, &r);
		stop = fn(ctx, &r);
	}
	rc = stop ? stop : rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "reading runs");
	sq_put(q, SQ_RUN_ITER, s);
	return rc;
}

/* Binds o to parameters at + 1 .. at + SQ_OBS_COLS (the column order of SQ_OBS_ADD in sqlite.c). */
static void obs_bind(sqlite3_stmt *s, int at, int64_t run_id, const struct obs *o)
{
	size_t len = o->len;
	unsigned flags = o->flags;

	if (len > OBS_VALUE_MAX) {
		len = OBS_VALUE_MAX;
		flags |= OBS_TRUNCATED;
	}
	if (run_id > 0)
		sqlite3_bind_int64(s, at + 1, run_id);
	else
		sqlite3_bind_null(s, at + 1);
	sqlite3_bind_int64(s, at + 2, o->time);
	SQ_BIND_FIELD(s, at + 3, o->source);
	SQ_BIND_FIELD(s, at + 4, o->addr);
	SQ_BIND_FIELD(s, at + 5, o->scope);
	SQ_BIND_FIELD(s, at + 6, o->mac);
	SQ_BIND_FIELD(s, at + 7, o->ref);
	SQ_BIND_FIELD(s, at + 8, o->site);
	sqlite3_bind_int(s, at + 9, o->port);
	sqlite3_bind_int(s, at + 10, o->proto);
	sq_bind_str(s, at + 11, obs_kind_name(o->kind));
	SQ_BIND_FIELD(s, at + 12, o->probe);
	/* a non-NULL pointer even for 0 bytes, so the value is an empty BLOB, not NULL */
	sqlite3_bind_blob(s, at + 13, len ? (const void *)o->value : "", (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(s, at + 14, flags);
}

int sq_obs_add(struct store *st, int64_t run_id, const struct obs *o, int64_t *obs_id)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, SQ_OBS_ADD, &s)))
		return rc;
	obs_bind(s, 0, run_id, o);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		rc = 0;
		if (obs_id)
			*obs_id = sqlite3_last_insert_rowid(q->db);
	} else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		rc = sq_err(q, TM_EINVAL, "%s: observation names an unknown run (%lld)", q->path, (long long)run_id);
	} else {
		rc = sq_fail(q, rc, "adding an observation");
	}
	sq_put(q, SQ_OBS_ADD, s);
	return rc;
}

/*
 * Many observations, SQ_ROWS to an INSERT (the cached SQ_OBS_ADD_ROWS) and
 * the rest in one more (sq_prepare_rows): each statement's fixed cost (its
 * run through the VDBE, the step, the reset) paid once per batch instead
 * of once a row.  Rows keep their order, so their ids are those one call a
 * row would give.  A statement that fails adds none of its rows (SQLite's
 * statement rollback); *done says how many went in before it, and store.c
 * adds the rest one by one, each error with its own message.
 */
int sq_obs_add_many(struct store *st, int64_t run_id, const struct obs *o, int n, int *done)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s = NULL;
	int i = 0, rc = SQLITE_DONE;

	*done = 0;
	if (n >= SQ_ROWS && sq_get(q, SQ_OBS_ADD_ROWS, &s))
		s = NULL; /* one at a time (store.c), with its own messages */
	for (; s && i + SQ_ROWS <= n; i += SQ_ROWS) {
		for (int j = 0; j < SQ_ROWS; j++)
			obs_bind(s, j * SQ_OBS_COLS, run_id, &o[i + j]);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			break;
	}
	sq_put(q, SQ_OBS_ADD_ROWS, s);
	if (rc == SQLITE_DONE && n - i > 1 && (s = sq_prepare_rows(q, SQ_OBS_HEAD, SQ_OBS_ROW, n - i))) {
		for (int j = 0; j < n - i; j++)
			obs_bind(s, j * SQ_OBS_COLS, run_id, &o[i + j]);
		if ((rc = sqlite3_step(s)) == SQLITE_DONE)
			i = n;
		sqlite3_finalize(s);
	} else if (rc == SQLITE_DONE && n - i == 1 && !sq_obs_add(st, run_id, &o[i], NULL)) {
		i = n;
	}
	*done = i;
	return i == n ? 0 : TM_EDB; /* the rest one by one (store.c), with their own messages */
}

/* An integer column forced into [0, max] (0 when outside: the file was edited). */
static unsigned col_bounded(sqlite3_stmt *s, int i, int64_t max)
{
	int64_t v = sqlite3_column_int64(s, i);

	return v >= 0 && v <= max ? (unsigned)v : 0;
}

/* Fills o from a row of SQ_OBS_ITER; o->value points into the row. */
static void obs_row(sqlite3_stmt *s, struct obs *o)
{
	const char *kind;
	int n;

	memset(o, 0, sizeof(*o));
	o->time = sqlite3_column_int64(s, 1);
	SQ_COL_FIELD(s, 2, o->source);
	SQ_COL_FIELD(s, 3, o->addr);
	SQ_COL_FIELD(s, 4, o->scope);
	SQ_COL_FIELD(s, 5, o->mac);
	SQ_COL_FIELD(s, 6, o->ref);
	SQ_COL_FIELD(s, 7, o->site);
	o->port = (uint16_t)col_bounded(s, 8, 65535);
	o->proto = (uint8_t)col_bounded(s, 9, 255);
	kind = (const char *)sqlite3_column_text(s, 10);
	n = sqlite3_column_bytes(s, 10);
	o->kind = kind ? obs_kind_from_name(kind, (size_t)n) : OBS_NONE;
	SQ_COL_FIELD(s, 11, o->probe);
	o->flags = (unsigned)sqlite3_column_int64(s, 13);
	o->value = sqlite3_column_blob(s, 12);
	n = sqlite3_column_bytes(s, 12);
	o->len = o->value && n > 0 ? (size_t)n : 0;
	if (!o->len)
		o->value = (const uint8_t *)"";
	if (o->len > OBS_VALUE_MAX) {
		o->len = OBS_VALUE_MAX;
		o->flags |= OBS_TRUNCATED;
	}
}

int sq_obs_iter(struct store *st, store_obs_fn fn, void *ctx)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	struct obs o;
	int rc = 0, stop = 0;

	if ((rc = sq_get(q, SQ_OBS_ITER, &s)))
		return rc;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		obs_row(s, &o);
		stop = fn(ctx, sqlite3_column_int64(s, 0), &o);
	}
	rc = stop ? stop : rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "reading observations");
	sq_put(q, SQ_OBS_ITER, s);
	return rc;
}

int sq_obs_iter_run(struct store *st, int64_t run_id, store_obs_fn fn, void *ctx)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	struct obs o;
	int rc = 0, stop = 0;

	if ((rc = sq_get(q, SQ_OBS_ITER_RUN, &s)))
		return rc;
	sqlite3_bind_int64(s, 1, run_id);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		obs_row(s, &o);
		stop = fn(ctx, sqlite3_column_int64(s, 0), &o);
	}
	rc = stop ? stop : rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "reading a run's observations");
	sq_put(q, SQ_OBS_ITER_RUN, s);
	return rc;
}

int64_t sq_obs_count(struct store *st)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int64_t n;
	int rc;

	if ((rc = sq_get(q, SQ_OBS_COUNT, &s)))
		return rc;
	rc = sqlite3_step(s);
	n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : sq_fail(q, rc, "counting observations");
	sq_put(q, SQ_OBS_COUNT, s);
	return n;
}

int sq_site_put(struct store *st, const struct site_rec *r)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, SQ_SITE_PUT, &s)))
		return rc;
	SQ_BIND_FIELD(s, 1, r->id);
	SQ_BIND_FIELD(s, 2, r->name);
	if (r->has_coords) {
		sqlite3_bind_double(s, 3, r->lat);
		sqlite3_bind_double(s, 4, r->lon);
	} else {
		sqlite3_bind_null(s, 3);
		sqlite3_bind_null(s, 4);
	}
	SQ_BIND_FIELD(s, 5, r->operator_);
	SQ_BIND_FIELD(s, 6, r->region);
	SQ_BIND_FIELD(s, 7, r->tags);
	rc = sq_step_done(q, s, "storing a site");
	sq_put(q, SQ_SITE_PUT, s);
	return rc;
}

static void site_row(sqlite3_stmt *s, struct site_rec *r)
{
	memset(r, 0, sizeof(*r));
	SQ_COL_FIELD(s, 0, r->id);
	SQ_COL_FIELD(s, 1, r->name);
	r->has_coords = sqlite3_column_type(s, 2) != SQLITE_NULL && sqlite3_column_type(s, 3) != SQLITE_NULL;
	if (r->has_coords) {
		r->lat = sqlite3_column_double(s, 2);
		r->lon = sqlite3_column_double(s, 3);
	}
	SQ_COL_FIELD(s, 4, r->operator_);
	SQ_COL_FIELD(s, 5, r->region);
	SQ_COL_FIELD(s, 6, r->tags);
}

int sq_site_get(struct store *st, const char *id, struct site_rec *out)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_get(q, SQ_SITE_GET, &s)))
		return rc;
	sq_bind_str(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		site_row(s, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sq_err(q, TM_ENOTFOUND, "%s: no such site", q->path);
	} else {
		rc = sq_fail(q, rc, "reading a site");
	}
	sq_put(q, SQ_SITE_GET, s);
	return rc;
}

int sq_site_iter(struct store *st, store_site_fn fn, void *ctx)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	struct site_rec r;
	int rc = 0, stop = 0;

	if ((rc = sq_get(q, SQ_SITE_ITER, &s)))
		return rc;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		site_row(s, &r);
		stop = fn(ctx, &r);
	}
	rc = stop ? stop : rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "reading sites");
	sq_put(q, SQ_SITE_ITER, s);
	return rc;
}

/* Text column i of the current row, "" for NULL (the views' strings are never NULL). */
static const char *col_text(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	return t ? t : "";
}

int sq_site_scan(struct store *st, store_site_view_fn fn, void *ctx)
{
	struct sq_store *q = sq(st);
	sqlite3_stmt *s;
	struct site_view v;
	int rc = 0, stop = 0;

	if ((rc = sq_get(q, SQ_SITE_SCAN, &s)))
		return rc;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		v.id = col_text(s, 0);
		v.has_coords = sqlite3_column_type(s, 1) != SQLITE_NULL && sqlite3_column_type(s, 2) != SQLITE_NULL;
		v.lat = v.has_coords ? sqlite3_column_double(s, 1) : 0;
		v.lon = v.has_coords ? sqlite3_column_double(s, 2) : 0;
		v.operator_ = col_text(s, 3);
		v.region = col_text(s, 4);
		v.tags = col_text(s, 5);
		stop = fn(ctx, &v);
	}
	rc = stop ? stop : rc == SQLITE_DONE ? 0 : sq_fail(q, rc, "reading sites");
	sq_put(q, SQ_SITE_SCAN, s);
	return rc;
}
