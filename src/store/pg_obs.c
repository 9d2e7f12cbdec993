/*
 * pg_obs.c - runs, observations and sites in the PostgreSQL backend, with
 * the same results as sqlite_obs.c.  Inside a transaction, an observation
 * whose id nobody asks for, and a run's progress and resume state, are kept
 * for the batch (pg_int.h); everything else is one prepared statement.
 * Observations (all, or one run's) are read back in pages of PG_PAGE rows by
 * id, so a callback may call back into the store and memory stays bounded
 * whatever the table's size.
 */
#include "pg_int.h"

#include <time.h>

#include "core/mem.h"
#include "core/str.h"

int pg_run_start(struct store *st, const char *kind, const char *args, int64_t *run_id)
{
	struct pg_store *q = pg(st);
	struct pg_args a;
	PGresult *r;
	int rc;

	pa_init(&a);
	pa_text(&a, kind, 4096);
	pa_text(&a, args, 65536);
	pa_i64(&a, (int64_t)time(NULL));
	pa_text(&a, st->kb, sizeof(st->kb));
	rc = pg_run(q, PQ_RUN_START, &a, &r, "starting a run");
	pa_fini(&a);
	if (!rc && run_id)
		*run_id = pg_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

/* Runs an UPDATE of one run; TM_ENOTFOUND when no row matched. */
static int run_update(struct pg_store *q, enum pg_id id, struct pg_args *a, int64_t run_id, const char *what)
{
	PGresult *r;
	int rc = pg_run(q, id, a, &r, what);

	pa_fini(a);
	if (!rc && !strcmp(PQcmdTuples(r), "0"))
		rc = pg_err(q, TM_ENOTFOUND, "%s: no run %lld", q->where, (long long)run_id);
	PQclear(r);
	return rc;
}

int pg_run_finish(struct store *st, int64_t run_id, long n_obs, long n_skipped, const char *status)
{
	struct pg_args a;

	pa_init(&a);
	pa_i64(&a, run_id);
	pa_i64(&a, (int64_t)time(NULL));
	pa_i64(&a, n_obs);
	pa_i64(&a, n_skipped);
	pa_text(&a, status, 4096);
	return run_update(pg(st), PQ_RUN_FINISH, &a, run_id, "finishing a run");
}

int pg_run_shard(struct store *st, int64_t run_id, const char *scan, int shard, int nshards, int64_t total)
{
	struct pg_args a;

	pa_init(&a);
	pa_i64(&a, run_id);
	pa_text(&a, scan, 63);
	pa_i64(&a, shard);
	pa_i64(&a, nshards);
	pa_i64(&a, total);
	return run_update(pg(st), PQ_RUN_SHARD, &a, run_id, "naming a scan");
}

int pg_run_progress(struct store *st, int64_t run_id, int64_t done)
{
	struct pg_store *q = pg(st);
	struct pg_args a;
	int i;

	if (q->depth && q->replayable && !q->began) { /* kept for the batch */
		for (i = 0; i < q->nprog && q->prog_run[i] != run_id; i++)
			;
		if (i < PG_MAXRUNS) {
			q->prog_run[i] = run_id;
			q->prog_done[i] = done;
			if (i == q->nprog)
				q->nprog++;
			return 0;
		}
	}
	pa_init(&a);
	pa_i64(&a, run_id);
	pa_i64(&a, done);
	return run_update(q, PQ_RUN_PROGRESS, &a, run_id, "recording progress");
}

int pg_run_resume_put(struct store *st, int64_t run_id, const char *state)
{
	struct pg_store *q = pg(st);
	struct pg_args a;
	char *copy;

	if (q->depth && q->replayable && !q->began && (!q->resume_run || q->resume_run == run_id)) {
		if (!(copy = mem_strdup(state)))
			return pg_err(q, TM_ENOMEM, "%s: out of memory keeping a resume state", q->where);
		mem_free(q->resume);
		q->resume = copy; /* kept for the batch, like progress */
		q->resume_run = run_id;
		return 0;
	}
	pa_init(&a);
	pa_i64(&a, run_id);
	pa_text(&a, state, strlen(state));
	return run_update(q, PQ_RESUME_PUT, &a, run_id, "recording the resume state");
}

int pg_run_resume_get(struct store *st, int64_t run_id, char **state)
{
	struct pg_store *q = pg(st);
	struct pg_args a;
	PGresult *r;
	int rc;

	pa_init(&a);
	pa_i64(&a, run_id);
	if ((rc = pg_run(q, PQ_RESUME_GET, &a, &r, "reading the resume state")))
		return rc;
	if (PQntuples(r) != 1)
		rc = pg_err(q, TM_ENOTFOUND, "%s: no run %lld", q->where, (long long)run_id);
	else if (!(*state = mem_strndup(PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0))))
		rc = pg_err(q, TM_ENOMEM, "%s: out of memory reading the resume state", q->where);
	PQclear(r);
	return rc;
}

static void run_row(const PGresult *r, int i, struct run_rec *x)
{
	memset(x, 0, sizeof(*x));
	x->id = pg_i64(r, i, 0);
	PG_COL_FIELD(r, i, 1, x->kind);
	PG_COL_FIELD(r, i, 2, x->args);
	x->started = pg_i64(r, i, 3);
	x->finished = pg_i64(r, i, 4); /* NULL reads as 0 */
	x->n_obs = (long)pg_i64(r, i, 5);
	x->n_skipped = (long)pg_i64(r, i, 6);
	PG_COL_FIELD(r, i, 7, x->status);
	PG_COL_FIELD(r, i, 8, x->kb);
	PG_COL_FIELD(r, i, 9, x->scan);
	x->shard = (int)pg_i64(r, i, 10);
	x->nshards = (int)pg_i64(r, i, 11);
	x->pairs_total = pg_i64(r, i, 12);
	x->pairs_done = pg_i64(r, i, 13);
}

int pg_run_iter(struct store *st, store_run_fn fn, void *ctx)
{
	struct run_rec x;
	PGresult *r;
	int rc, stop = 0;

	if ((rc = pg_run(pg(st), PQ_RUN_ITER, NULL, &r, "reading runs")))
		return rc;
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		run_row(r, i, &x);
		stop = fn(ctx, &x);
	}
	PQclear(r);
	return stop;
}

int pg_obs_add(struct store *st, int64_t run_id, const struct obs *o, int64_t *obs_id)
{
	struct pg_store *q = pg(st);
	struct pg_args a;
	size_t len = o->len;
	unsigned flags = o->flags;
	PGresult *r;
	int rc;

	if (!obs_id && q->depth && (q->replayable || q->began))
		return pg_copy_add(q, run_id, o);
	if (len > OBS_VALUE_MAX) {
		len = OBS_VALUE_MAX;
		flags |= OBS_TRUNCATED;
	}
	pa_init(&a);
	if (run_id > 0)
		pa_i64(&a, run_id);
	else
		pa_null(&a);
	pa_i64(&a, o->time);
	PA_FIELD(&a, o->source);
	PA_FIELD(&a, o->addr);
	PA_FIELD(&a, o->scope);
	PA_FIELD(&a, o->mac);
	PA_FIELD(&a, o->ref);
	PA_FIELD(&a, o->site);
	pa_i64(&a, o->port);
	pa_i64(&a, o->proto);
	pa_text(&a, obs_kind_name(o->kind), 64);
	PA_FIELD(&a, o->probe);
	pa_bytea(&a, o->value, len);
	pa_i64(&a, flags);
	rc = pg_run(q, PQ_OBS_ADD, &a, &r, "adding an observation");
	pa_fini(&a);
	if (rc == TM_EINVAL) /* the only constraint an observation can break */
		rc = pg_err(q, TM_EINVAL, "%s: observation names an unknown run (%lld)", q->where, (long long)run_id);
	if (!rc && obs_id)
		*obs_id = pg_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

/* An integer column forced into [0, max] (0 when outside: the table was edited). */
static unsigned col_bounded(const PGresult *r, int i, int col, int64_t max)
{
	int64_t v = pg_i64(r, i, col);

	return v >= 0 && v <= max ? (unsigned)v : 0;
}

/* Fills o from row i of PQ_OBS_PAGE; o->value points into the result. */
static void obs_row(const PGresult *r, int i, struct obs *o)
{
	int n;

	memset(o, 0, sizeof(*o));
	o->time = pg_i64(r, i, 1);
	PG_COL_FIELD(r, i, 2, o->source);
	PG_COL_FIELD(r, i, 3, o->addr);
	PG_COL_FIELD(r, i, 4, o->scope);
	PG_COL_FIELD(r, i, 5, o->mac);
	PG_COL_FIELD(r, i, 6, o->ref);
	PG_COL_FIELD(r, i, 7, o->site);
	o->port = (uint16_t)col_bounded(r, i, 8, 65535);
	o->proto = (uint8_t)col_bounded(r, i, 9, 255);
	o->kind = obs_kind_from_name(PQgetvalue(r, i, 10), (size_t)PQgetlength(r, i, 10));
	PG_COL_FIELD(r, i, 11, o->probe);
	o->flags = (unsigned)pg_i64(r, i, 13);
	o->value = (const uint8_t *)PQgetvalue(r, i, 12);
	n = PQgetlength(r, i, 12);
	o->len = n > 0 ? (size_t)n : 0;
	if (!o->len)
		o->value = (const uint8_t *)"";
	if (o->len > OBS_VALUE_MAX) {
		o->len = OBS_VALUE_MAX;
		o->flags |= OBS_TRUNCATED;
	}
}

/*
 * Pages of PQ_OBS_PAGE (run_id 0: every observation) or PQ_OBS_RUN_PAGE
 * (run_id's), each from the id after the last one seen: no cursor stays
 * open, so fn may use the store, and a page lost with the connection is
 * asked for again (pg_run) from where the last one ended.
 */
static int obs_pages(struct pg_store *q, int64_t run_id, store_obs_fn fn, void *ctx, const char *what)
{
	int64_t last = 0;
	struct obs o;
	int rc, stop = 0, n;

	do {
		struct pg_args a;
		PGresult *r;

		pa_init(&a);
		if (run_id)
			pa_i64(&a, run_id);
		pa_i64(&a, last);
		pa_i64(&a, PG_PAGE);
		if ((rc = pg_run(q, run_id ? PQ_OBS_RUN_PAGE : PQ_OBS_PAGE, &a, &r, what)))
			return rc;
		n = PQntuples(r);
		for (int i = 0; !stop && i < n; i++) {
			obs_row(r, i, &o);
			last = pg_i64(r, i, 0);
			pg_seen_add(q, last);
			stop = fn(ctx, last, &o);
		}
		PQclear(r);
	} while (!stop && n == PG_PAGE);
	return stop;
}

int pg_obs_iter(struct store *st, store_obs_fn fn, void *ctx)
{
	return obs_pages(pg(st), 0, fn, ctx, "reading observations");
}

int pg_obs_iter_run(struct store *st, int64_t run_id, store_obs_fn fn, void *ctx)
{
	if (run_id < 1) /* no run has it (0 and below: observations without a run are not "a run's") */
		return 0;
	return obs_pages(pg(st), run_id, fn, ctx, "reading a run's observations");
}

int64_t pg_obs_count(struct store *st)
{
	PGresult *r;
	int64_t n;
	int rc;

	if ((rc = pg_run(pg(st), PQ_OBS_COUNT, NULL, &r, "counting observations")))
		return rc;
	n = pg_i64(r, 0, 0);
	PQclear(r);
	return n;
}

int pg_site_put(struct store *st, const struct site_rec *s)
{
	struct pg_args a;
	int rc;

	pa_init(&a);
	PA_FIELD(&a, s->id);
	PA_FIELD(&a, s->name);
	if (s->has_coords) {
		pa_f64(&a, s->lat);
		pa_f64(&a, s->lon);
	} else {
		pa_null(&a);
		pa_null(&a);
	}
	PA_FIELD(&a, s->operator_);
	PA_FIELD(&a, s->region);
	PA_FIELD(&a, s->tags);
	rc = pg_run(pg(st), PQ_SITE_PUT, &a, NULL, "storing a site");
	pa_fini(&a);
	return rc;
}

static void site_row(const PGresult *r, int i, struct site_rec *s)
{
	memset(s, 0, sizeof(*s));
	PG_COL_FIELD(r, i, 0, s->id);
	PG_COL_FIELD(r, i, 1, s->name);
	s->has_coords = !pg_isnull(r, i, 2) && !pg_isnull(r, i, 3);
	if (s->has_coords) {
		s->lat = pg_f64(r, i, 2);
		s->lon = pg_f64(r, i, 3);
	}
	PG_COL_FIELD(r, i, 4, s->operator_);
	PG_COL_FIELD(r, i, 5, s->region);
	PG_COL_FIELD(r, i, 6, s->tags);
}

int pg_site_get(struct store *st, const char *id, struct site_rec *out)
{
	struct pg_store *q = pg(st);
	struct pg_args a;
	PGresult *r;
	int rc;

	pa_init(&a);
	pa_text(&a, id, 4096);
	rc = pg_run(q, PQ_SITE_GET, &a, &r, "reading a site");
	pa_fini(&a);
	if (rc)
		return rc;
	if (PQntuples(r) == 1)
		site_row(r, 0, out);
	else
		rc = pg_err(q, TM_ENOTFOUND, "%s: no such site", q->where);
	PQclear(r);
	return rc;
}

int pg_site_iter(struct store *st, store_site_fn fn, void *ctx)
{
	struct site_rec s;
	PGresult *r;
	int rc, stop = 0;

	if ((rc = pg_run(pg(st), PQ_SITE_ITER, NULL, &r, "reading sites")))
		return rc;
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		site_row(r, i, &s);
		stop = fn(ctx, &s);
	}
	PQclear(r);
	return stop;
}

/* Text column c of row i ("" for NULL: libpq ends every value with a NUL, binary ones too). */
static const char *col_text(const PGresult *r, int i, int c)
{
	return PQgetisnull(r, i, c) ? "" : PQgetvalue(r, i, c);
}

int pg_site_scan(struct store *st, store_site_view_fn fn, void *ctx)
{
	struct site_view v;
	PGresult *r;
	int rc, stop = 0;

	if ((rc = pg_run(pg(st), PQ_SITE_SCAN, NULL, &r, "reading sites")))
		return rc;
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		v.id = col_text(r, i, 0);
		v.has_coords = !pg_isnull(r, i, 1) && !pg_isnull(r, i, 2);
		v.lat = v.has_coords ? pg_f64(r, i, 1) : 0;
		v.lon = v.has_coords ? pg_f64(r, i, 2) : 0;
		v.operator_ = col_text(r, i, 3);
		v.region = col_text(r, i, 4);
		v.tags = col_text(r, i, 5);
		stop = fn(ctx, &v);
	}
	PQclear(r);
	return stop;
}
