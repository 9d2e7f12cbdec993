/*
 * pg.c - the PostgreSQL backend of the store (libpq), chosen by a
 * "postgresql://" or "postgres://" URL: connecting (the password comes from
 * the URL, PGPASSWORD or ~/.pgpass as libpq finds it, and never appears in a
 * message: every message names the URL without it), refusing a schema that
 * is not ours or newer than ours, migrating under an advisory lock
 * (pg_schema.h), statements prepared once per connection, transactions
 * (BEGIN sent lazily, savepoints inside), the batch of kept observations
 * sent by COPY at commit, and waiting for a server that went away: a batch
 * is replayed whole after a reconnect, looked up by its token when the
 * COMMIT's answer was lost, so it lands exactly once (pg_int.h).  A
 * rebuild's assets and evidence are kept and sent by COPY too (pg_bulk.c):
 * this file sends them before any other statement and at commit.
 */
#include "pg_int.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/str.h"
#include "pg_schema.h"

#define PG_BUSY_MS 5000
#define PG_RETRY_S 300	      /* default wait for the server (TRUSTMAP_DB_RETRY overrides) */
#define PG_LOCK_KEY 1414357360 /* 'TMap': the advisory lock held while migrating */

#define PG_ASSET_SEL                                                                     \
	"SELECT id, key, mac, addr, scope, ref, site, vendor, family, product, model, "  \
	"version, role, conf, flags, declared_vendor, component_vendor, hint_vendor, "   \
	"first_seen, last_seen, n_obs FROM assets "
#define PG_AI_V " AND vendor = $2"
#define PG_AI_F " AND family = $3"
#define PG_AI_S " AND site = $4"
/* $4 is always used (so the types of all five are known): "$4::text IS NULL OR" when not filtering */
#define PG_AI(cond) PG_ASSET_SEL "WHERE conf >= $1::float8 AND id > $5::int8" cond " ORDER BY id LIMIT $6::int8"

/* Constant text only: every value is a parameter. */
static const char *const sql[PQ_COUNT] = {
	[PQ_RUN_START] = "INSERT INTO runs(kind, args, started, kb) VALUES ($1, $2, $3, $4) RETURNING id",
	[PQ_RUN_FINISH] = "UPDATE runs SET finished = $2, n_obs = $3, n_skipped = $4, status = $5 WHERE id = $1",
	[PQ_RUN_ITER] = "SELECT id, kind, args, started, finished, n_obs, n_skipped, status, kb, "
			"scan, shard, nshards, pairs_total, pairs_done FROM runs ORDER BY id",
	[PQ_RUN_SHARD] = "UPDATE runs SET scan = $2, shard = $3, nshards = $4, pairs_total = $5 WHERE id = $1",
	[PQ_RUN_PROGRESS] = "UPDATE runs SET pairs_done = $2 WHERE id = $1",
	[PQ_OBS_ADD] = "INSERT INTO observations(run_id, time, source, addr, scope, mac, ref, site, "
		       "port, proto, kind, probe, value, flags) "
		       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
	[PQ_OBS_PAGE] = "SELECT id, time, source, addr, scope, mac, ref, site, port, proto, kind, "
			"probe, value, flags FROM observations WHERE id > $1::int8 ORDER BY id LIMIT $2::int8",
	[PQ_OBS_RUN_PAGE] = "SELECT id, time, source, addr, scope, mac, ref, site, port, proto, kind, "
			    "probe, value, flags FROM observations WHERE run_id = $1::int8 AND id > $2::int8 "
			    "ORDER BY id LIMIT $3::int8",
	[PQ_OBS_COUNT] = "SELECT count(*) FROM observations",
	[PQ_SITE_PUT] = "INSERT INTO sites(id, name, lat, lon, operator, region, tags) "
			"VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET "
			"name = excluded.name, lat = excluded.lat, lon = excluded.lon, "
			"operator = excluded.operator, region = excluded.region, tags = excluded.tags",
	[PQ_SITE_GET] = "SELECT id, name, lat, lon, operator, region, tags FROM sites WHERE id = $1",
	[PQ_SITE_ITER] = "SELECT id, name, lat, lon, operator, region, tags FROM sites ORDER BY id COLLATE \"C\"",
	[PQ_EV_CLEAR] = "DELETE FROM evidence",
	[PQ_ASSET_CLEAR] = "DELETE FROM assets",
	[PQ_ASSET_PUT] = "INSERT INTO assets(key, mac, addr, scope, ref, site, vendor, family, "
			 "product, model, version, role, conf, flags, declared_vendor, "
			 "component_vendor, hint_vendor, first_seen, last_seen, n_obs) VALUES "
			 "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
			 "$17, $18, $19, $20) RETURNING id",
	/* evidence has no foreign keys (schema version 7): the references are checked here */
	[PQ_EV_PUT] = "INSERT INTO evidence(asset_id, obs_id, kind, vendor, vendor_raw, product, "
		      "version, rule, strength, conf, conflict) "
		      "SELECT $1::int8, $2::int8, $3::text, $4::text, $5::text, $6::text, $7::text, "
		      "$8::text, $9::int8, $10::float8, $11::int8 "
		      "WHERE EXISTS (SELECT 1 FROM assets WHERE id = $1::int8) AND ($2::int8 IS NULL OR "
		      "EXISTS (SELECT 1 FROM observations WHERE id = $2::int8))",
	[PQ_EV_CHECK] = "SELECT e.obs_id FROM evidence e WHERE e.obs_id IS NOT NULL AND NOT EXISTS "
			"(SELECT 1 FROM observations o WHERE o.id = e.obs_id) LIMIT 1",
	[PQ_ASSET_BY_ID] = PG_ASSET_SEL "WHERE id = $1::int8",
	[PQ_ASSET_BY_KEY] = PG_ASSET_SEL "WHERE key = $1",
	[PQ_EV_ITER] = "SELECT e.asset_id, e.obs_id, e.kind, e.vendor, e.vendor_raw, e.product, "
		       "e.version, e.rule, e.strength, e.conf, e.conflict, o.value "
		       "FROM evidence e LEFT JOIN observations o ON o.id = e.obs_id "
		       "WHERE e.asset_id = $1::int8 ORDER BY e.strength DESC, e.conf DESC, e.id",
	[PQ_LINK_PUT] = "INSERT INTO links AS l(run_id, a_key, a_port, b_key, b_port, source, first_seen, last_seen) "
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
			"ON CONFLICT (a_key, a_port, b_key, b_port) DO UPDATE SET "
			"run_id = coalesce(least(l.run_id, excluded.run_id), l.run_id, excluded.run_id), "
			"first_seen = least(l.first_seen, excluded.first_seen), "
			"last_seen = greatest(l.last_seen, excluded.last_seen)",
	[PQ_LINK_ITER] = "SELECT id, run_id, a_key, a_port, b_key, b_port, source, first_seen, last_seen "
			 "FROM links ORDER BY a_key COLLATE \"C\", a_port COLLATE \"C\", b_key COLLATE \"C\", "
			 "b_port COLLATE \"C\"",
	[PQ_TOKEN_PUT] = "INSERT INTO tx_done(token, at) VALUES ($1, $2)",
	[PQ_TOKEN_GET] = "SELECT count(*) FROM tx_done WHERE token = $1",
	/* one rebuild of the assets at a time (shards finishing together), however long the other takes */
	[PQ_RESUME_PUT] = "UPDATE runs SET resume = $2 WHERE id = $1",
	/* ids for assets a rebuild writes by COPY (pg_bulk.c): n at once, increasing */
	[PQ_ASSET_IDS] = "SELECT nextval(pg_get_serial_sequence('assets', 'id')) FROM generate_series(1, $1::int8)",
	[PQ_RESUME_GET] = "SELECT resume FROM runs WHERE id = $1::int8",
	/* the lean scans: no sort for sites, only the columns they return */
	[PQ_SITE_SCAN] = "SELECT id, lat, lon, operator, region, tags FROM sites",
	[PQ_ASSET_SCAN_PAGE] = "SELECT id, key, addr, ref, site, vendor, product, model, role, component_vendor, "
			       "hint_vendor, conf, flags FROM assets WHERE id > $1::int8 ORDER BY id LIMIT $2::int8",
	[PQ_ASSET_LOCK] = "SELECT set_config('lock_timeout', '0', true), pg_advisory_xact_lock(1414357361)",
	[PQ_ASSET_PAGE + 0] = PG_AI(" AND ($2::text IS NULL OR TRUE) AND ($3::text IS NULL OR TRUE) "
				    "AND ($4::text IS NULL OR TRUE)"),
	[PQ_ASSET_PAGE + 1] = PG_AI(PG_AI_V " AND ($3::text IS NULL OR TRUE) AND ($4::text IS NULL OR TRUE)"),
	[PQ_ASSET_PAGE + 2] = PG_AI(PG_AI_F " AND ($2::text IS NULL OR TRUE) AND ($4::text IS NULL OR TRUE)"),
	[PQ_ASSET_PAGE + 3] = PG_AI(PG_AI_V PG_AI_F " AND ($4::text IS NULL OR TRUE)"),
	[PQ_ASSET_PAGE + 4] = PG_AI(PG_AI_S " AND ($2::text IS NULL OR TRUE) AND ($3::text IS NULL OR TRUE)"),
	[PQ_ASSET_PAGE + 5] = PG_AI(PG_AI_V PG_AI_S " AND ($3::text IS NULL OR TRUE)"),
	[PQ_ASSET_PAGE + 6] = PG_AI(PG_AI_F PG_AI_S " AND ($2::text IS NULL OR TRUE)"),
	[PQ_ASSET_PAGE + 7] = PG_AI(PG_AI_V PG_AI_F PG_AI_S),
};

/* Statements that may be sent again after a lost connection (reads, and writes that set fixed values). */
static int idempotent(enum pg_id id)
{
	switch (id) {
	case PQ_RUN_START:
	case PQ_OBS_ADD:
	case PQ_ASSET_PUT:
	case PQ_EV_PUT:
	case PQ_TOKEN_PUT:
	case PQ_EV_CLEAR:
	case PQ_ASSET_CLEAR:
		return 0;
	default:
		return 1;
	}
}

/* ---- parameters ---- */

void pa_init(struct pg_args *a)
{
	memset(a, 0, sizeof(*a));
}

void pa_fini(struct pg_args *a)
{
	for (int i = 0; i < a->n; i++)
		mem_free(a->tmp[i]);
	a->n = 0;
}

void pa_null(struct pg_args *a)
{
	a->v[a->n] = NULL;
	a->len[a->n] = 0;
	a->fmt[a->n++] = 1;
}

static void be64(char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (char)(v & 0xff);
}

void pa_i64(struct pg_args *a, int64_t v)
{
	be64(a->num[a->n], (uint64_t)v);
	a->v[a->n] = a->num[a->n];
	a->len[a->n] = 8;
	a->fmt[a->n++] = 1;
}

void pa_f64(struct pg_args *a, double v)
{
	uint64_t u;

	memcpy(&u, &v, 8);
	be64(a->num[a->n], u);
	a->v[a->n] = a->num[a->n];
	a->len[a->n] = 8;
	a->fmt[a->n++] = 1;
}

/* Length of the valid UTF-8 sequence at p (of n bytes), 0 when invalid (no overlongs, surrogates or > U+10FFFF). */
static size_t utf8_len(const uint8_t *p, size_t n)
{
	size_t k;
	uint32_t c;

	if (p[0] < 0x80)
		return p[0] ? 1 : 0;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4, c = p[0] & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((k == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) || (k == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return k;
}

/* Copies s[n] with every byte that is not part of valid UTF-8 made '?'; NULL when out of memory. */
static char *utf8_fix(const char *s, size_t n)
{
	char *d = mem_alloc(n + 1);

	if (!d)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len((const uint8_t *)s + i, n - i);

		if (!k) {
			d[i++] = '?';
			continue;
		}
		memcpy(d + i, s + i, k);
		i += k;
	}
	d[n] = 0;
	return d;
}

static int utf8_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len((const uint8_t *)s + i, n - i);

		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

void pa_text(struct pg_args *a, const char *s, size_t max)
{
	size_t n = s ? strnlen(s, max) : 0;

	a->v[a->n] = n ? s : "";
	if (n && !utf8_ok(s, n) && (a->tmp[a->n] = utf8_fix(s, n)))
		a->v[a->n] = a->tmp[a->n];
	a->len[a->n] = (int)n;
	a->fmt[a->n++] = 1;
}

void pa_bytea(struct pg_args *a, const void *p, size_t n)
{
	a->v[a->n] = n ? p : "";
	a->len[a->n] = (int)n;
	a->fmt[a->n++] = 1;
}

/* ---- results ---- */

int64_t pg_i64(const PGresult *r, int row, int col)
{
	const uint8_t *p = (const uint8_t *)PQgetvalue(r, row, col);
	int n = PQgetlength(r, row, col);
	uint64_t v = 0;

	if (PQgetisnull(r, row, col) || (n != 8 && n != 4 && n != 2))
		return 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)v;
	if (n == 2)
		return (int16_t)(uint16_t)v;
	return (int64_t)v;
}

double pg_f64(const PGresult *r, int row, int col)
{
	const uint8_t *p = (const uint8_t *)PQgetvalue(r, row, col);
	uint64_t v = 0;
	double d;

	if (PQgetisnull(r, row, col) || PQgetlength(r, row, col) != 8)
		return 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	memcpy(&d, &v, 8);
	return d;
}

void pg_str(const PGresult *r, int row, int col, char *dst, size_t dstlen)
{
	int n = PQgetlength(r, row, col);

	str_copy(dst, dstlen, PQgetvalue(r, row, col), PQgetisnull(r, row, col) || n < 0 ? 0 : (size_t)n);
}

int pg_isnull(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col);
}

/* ---- messages ---- */

int pg_err(struct pg_store *q, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->base.err, sizeof(q->base.err), fmt, ap);
	va_end(ap);
	return rc;
}

/* The first line of a libpq message, without "ERROR:  " and the trailing newline. */
static void first_line(const char *m, char *out, size_t n)
{
	if (!m || !*m)
		m = "no message";
	if (!strncmp(m, "ERROR:  ", 8))
		m += 8;
	str_copy(out, n, m, strcspn(m, "\n"));
}

const char *pg_state(const PGresult *r)
{
	const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	return s ? s : "";
}

/*
 * Whether the connection is gone.  When idle, reads what the server may have
 * sent meanwhile, so a connection it closed (a restart) is noticed before a
 * statement is sent on it, not after.
 */
static int lost(struct pg_store *q)
{
	if (!q->c || PQstatus(q->c) != CONNECTION_OK)
		return 1;
	if (PQtransactionStatus(q->c) == PQTRANS_IDLE && !PQisBusy(q->c) && !PQconsumeInput(q->c))
		return 1;
	return PQstatus(q->c) != CONNECTION_OK;
}

int pg_fail(struct pg_store *q, const PGresult *r, const char *what)
{
	const char *st = pg_state(r);
	char m[300];

	first_line(r ? PQresultErrorMessage(r) : q->c ? PQerrorMessage(q->c) : "", m, sizeof(m));
	if (lost(q) || !strncmp(st, "08", 2) || !strncmp(st, "57P", 3))
		return pg_err(q, TM_EIO, "%s: %s: connection lost (%s)", q->where, what, m);
	if (!strncmp(st, "23", 2))
		return pg_err(q, TM_EINVAL, "%s: %s: %s", q->where, what, m);
	if (!strcmp(st, "55P03") || !strcmp(st, "57014"))
		return pg_err(q, TM_ETIMEOUT, "%s: %s: %s (waited %d ms for a lock)", q->where, what, m, q->busy_ms);
	if (!strncmp(st, "53", 2))
		return pg_err(q, TM_EIO, "%s: %s: %s", q->where, what, m);
	return pg_err(q, TM_EDB, "%s: %s: %s", q->where, what, m);
}

/* ---- connecting ---- */

/* Runs constant text (no values) and checks its status. */
static int pg_simple(struct pg_store *q, const char *text, const char *what)
{
	PGresult *r = PQexec(q->c, text);
	ExecStatusType s = PQresultStatus(r);
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : pg_fail(q, r, what);

	PQclear(r);
	return rc;
}

/* Runs text with text parameters (setup only: set_config, the version update). */
static int pg_params(struct pg_store *q, const char *text, int n, const char *const *v, PGresult **res,
		     const char *what)
{
	PGresult *r = PQexecParams(q->c, text, n, NULL, v, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(r);
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : pg_fail(q, r, what);

	if (!rc && res)
		*res = r;
	else
		PQclear(r);
	return rc;
}

static int pg_set_lock_timeout(struct pg_store *q)
{
	char ms[24];
	const char *v[1] = {ms};

	snprintf(ms, sizeof(ms), "%d", q->busy_ms);
	return pg_params(q, "SELECT set_config('lock_timeout', $1, false)", 1, v, NULL, "setting the lock timeout");
}

static int pg_prepare_all(struct pg_store *q)
{
	char name[16];

	for (int i = 0; i < PQ_COUNT; i++) {
		PGresult *r;
		int rc;

		snprintf(name, sizeof(name), "tm%d", i);
		r = PQprepare(q->c, name, sql[i], 0, NULL);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_fail(q, r, "preparing statements");
		PQclear(r);
		if (rc)
			return rc;
	}
	return 0;
}

/* One attempt: a new connection with our settings and statements; 0 or TM_EIO/TM_EDB. */
static int pg_connect(struct pg_store *q)
{
	char m[300];
	int rc;

	if (q->c)
		PQfinish(q->c);
	q->c = PQconnectdb(q->url);
	if (!q->c)
		return pg_err(q, TM_ENOMEM, "%s: out of memory connecting", q->where);
	if (PQstatus(q->c) != CONNECTION_OK) {
		first_line(PQerrorMessage(q->c), m, sizeof(m));
		PQfinish(q->c);
		q->c = NULL;
		return pg_err(q, TM_EIO, "%s: cannot connect: %s", q->where, m);
	}
	if ((rc = pg_simple(q, "SET client_min_messages = warning", "setting options")) ||
	    (rc = pg_set_lock_timeout(q)))
		return rc;
	return 0;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int given_up(const struct pg_store *q)
{
	return q->base.give_up && *q->base.give_up;
}

/* The last failure, said to be final because the caller gave up (store_set_give_up). */
static int pg_give_up(struct pg_store *q, int rc)
{
	char m[TM_ERRLEN];

	str_set(m, sizeof(m), q->base.err);
	return pg_err(q, rc, "%.400s; gave up waiting for the server (stopped)", m);
}

/* Sleeps s seconds in slices of 50 ms, ending early when the caller gives up. */
static void nap(const struct pg_store *q, double s)
{
	for (double end = now_s() + s; !given_up(q) && now_s() < end;)
		usleep(50000);
}

/*
 * Connects again, waiting for the server for up to retry_ms (backing off
 * from 0.1 s to 2 s between attempts), with a line on standard error when it
 * starts waiting and when it is back; at once when the caller gives up
 * (store_set_give_up: one attempt, no wait).  0, or the last failure.
 */
static int pg_reconnect(struct pg_store *q)
{
	double t0 = now_s(), wait = 0.1;
	int rc, attempt = 0;

	for (;;) {
		if (!(rc = pg_connect(q)) && !(rc = pg_prepare_all(q))) {
			if (q->warned)
				fprintf(stderr, "trustmap: store: %s is back after %.1f s\n", q->where, now_s() - t0);
			if (attempt && q->base.wait)
				q->base.wait(q->base.wait_ctx, 0);
			q->warned = 0;
			return 0;
		}
		if (rc == TM_EIO && given_up(q))
			return pg_give_up(q, rc);
		if (rc != TM_EIO || (now_s() - t0) * 1000 >= q->retry_ms)
			return rc;
		if (!q->warned)
			fprintf(stderr, "trustmap: store: %s; waiting up to %ld s for the server\n", q->base.err,
				q->retry_ms / 1000);
		q->warned = 1;
		if (q->base.wait)
			q->base.wait(q->base.wait_ctx, ++attempt);
		nap(q, wait);
		if (given_up(q))
			return pg_give_up(q, rc);
		wait = wait * 2 > 2 ? 2 : wait * 2;
	}
}

/* ---- the batch ---- */

int pg_put16(struct buf *b, int v)
{
	uint16_t n = htons((uint16_t)v);

	return buf_add(b, &n, 2);
}

int pg_put32(struct buf *b, int32_t v)
{
	uint32_t n = htonl((uint32_t)v);

	return buf_add(b, &n, 4);
}

int pg_put_i64(struct buf *b, int64_t v)
{
	char p[8];

	be64(p, (uint64_t)v);
	return pg_put32(b, 8) | buf_add(b, p, 8);
}

int pg_put_f64(struct buf *b, double v)
{
	uint64_t u;

	memcpy(&u, &v, 8);
	return pg_put_i64(b, (int64_t)u);
}

int pg_put_text(struct buf *b, const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *fix = NULL;
	int rc;

	if (n && !utf8_ok(s, n) && !(s = fix = utf8_fix(s, n)))
		return TM_ENOMEM;
	rc = pg_put32(b, (int32_t)n) | buf_add(b, s, n);
	mem_free(fix);
	return rc;
}

int pg_copy_add(struct pg_store *q, int64_t run_id, const struct obs *o)
{
	struct buf *b = &q->copy;
	size_t len = o->len, before = b->len;
	unsigned flags = o->flags;
	const char *kind = obs_kind_name(o->kind);
	int bad;

	if (len > OBS_VALUE_MAX) {
		len = OBS_VALUE_MAX;
		flags |= OBS_TRUNCATED;
	}
	bad = pg_put16(b, 14);
	bad |= run_id > 0 ? pg_put_i64(b, run_id) : pg_put32(b, -1);
	bad |= pg_put_i64(b, o->time);
	bad |= PG_PUT_FIELD(b, o->source);
	bad |= PG_PUT_FIELD(b, o->addr);
	bad |= PG_PUT_FIELD(b, o->scope);
	bad |= PG_PUT_FIELD(b, o->mac);
	bad |= PG_PUT_FIELD(b, o->ref);
	bad |= PG_PUT_FIELD(b, o->site);
	bad |= pg_put_i64(b, o->port);
	bad |= pg_put_i64(b, o->proto);
	bad |= pg_put_text(b, kind, strlen(kind));
	bad |= PG_PUT_FIELD(b, o->probe);
	bad |= pg_put32(b, (int32_t)len);
	bad |= buf_add(b, len ? (const void *)o->value : "", len);
	bad |= pg_put_i64(b, flags);
	if (bad) {
		b->len = before;
		return pg_err(q, TM_ENOMEM, "%s: out of memory keeping a batch", q->where);
	}
	q->ncopy++;
	return 0;
}

static int kept_any(const struct pg_store *q)
{
	return q->ncopy || q->nprog || q->resume_run || q->nlinks;
}

static void kept_drop(struct pg_store *q)
{
	q->nlinks = 0;
	buf_reset(&q->copy);
	q->ncopy = 0;
	q->nprog = 0;
	mem_free(q->resume);
	q->resume = NULL;
	q->resume_run = 0;
}

/*
 * What the outermost transaction kept on this side, gone with it (commit,
 * rollback, a lost connection, close): rows not sent yet, the rebuild's COPY
 * and its pending reference check (the flag is not pg_bulk_end's to clear: a
 * savepoint ends the COPY but its rows are still checked at the commit).
 */
static void tx_forget(struct pg_store *q)
{
	kept_drop(q);
	pg_bulk_end(q);
	q->ev_unchecked = 0;
}

PGresult *pg_exec(struct pg_store *q, enum pg_id id, const struct pg_args *a)
{
	char name[16];

	snprintf(name, sizeof(name), "tm%d", (int)id);
	return PQexecPrepared(q->c, name, a ? a->n : 0, a ? a->v : NULL, a ? a->len : NULL, a ? a->fmt : NULL, 1);
}

int pg_copy_send(struct pg_store *q, const char *copy, const struct buf *rows, const char *what)
{
	static const char head[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
	PGresult *r = PQexec(q->c, copy);
	size_t off, n;
	int rc = 0;

	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = pg_fail(q, r, what);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	if (PQputCopyData(q->c, head, sizeof(head)) != 1)
		rc = pg_fail(q, NULL, what);
	for (off = 0; !rc && off < rows->len; off += n) { /* PQputCopyData takes an int's worth at a time */
		n = rows->len - off < (1u << 30) ? rows->len - off : (1u << 30);
		if (PQputCopyData(q->c, rows->p + off, (int)n) != 1)
			rc = pg_fail(q, NULL, what);
	}
	if (!rc && (PQputCopyData(q->c, "\377\377", 2) != 1 || PQputCopyEnd(q->c, NULL) != 1))
		rc = pg_fail(q, NULL, what);
	while ((r = PQgetResult(q->c))) {
		if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pg_fail(q, r, what);
		PQclear(r);
	}
	return rc;
}

/* Sends the kept rows (observations by COPY, resume state, links, progress) inside the open transaction. */
static int kept_send(struct pg_store *q)
{
	PGresult *r;
	int rc = 0;

	if (q->ncopy &&
	    (rc = pg_copy_send(q,
			       "COPY observations(run_id, time, source, addr, scope, mac, ref, site, port, proto, "
			       "kind, probe, value, flags) FROM STDIN (FORMAT binary)",
			       &q->copy, "writing observations")))
		return rc;
	if (q->resume_run) {
		struct pg_args a;

		pa_init(&a);
		pa_i64(&a, q->resume_run);
		pa_text(&a, q->resume, strlen(q->resume));
		r = pg_exec(q, PQ_RESUME_PUT, &a);
		pa_fini(&a);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pg_fail(q, r, "recording the resume state");
		else if (!strcmp(PQcmdTuples(r), "0"))
			rc = pg_err(q, TM_ENOTFOUND, "%s: no run %lld", q->where, (long long)q->resume_run);
		PQclear(r);
		if (rc)
			return rc;
	}
	for (int i = 0; i < q->nlinks; i++) {
		struct pg_args a;

		pa_init(&a);
		pg_link_args(&a, &q->links[i]);
		r = pg_exec(q, PQ_LINK_PUT, &a);
		pa_fini(&a);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_fail(q, r, "storing a link");
		PQclear(r);
		if (rc)
			return rc;
	}
	for (int i = 0; i < q->nprog; i++) {
		struct pg_args a;

		pa_init(&a);
		pa_i64(&a, q->prog_run[i]);
		pa_i64(&a, q->prog_done[i]);
		r = pg_exec(q, PQ_RUN_PROGRESS, &a);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pg_fail(q, r, "recording progress");
		else if (!strcmp(PQcmdTuples(r), "0"))
			rc = pg_err(q, TM_ENOTFOUND, "%s: no run %lld", q->where, (long long)q->prog_run[i]);
		PQclear(r);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Makes the open transaction real before a statement that cannot be kept:
 * BEGIN (when not sent yet) and the kept batch.  From then on a lost
 * connection loses the transaction (TM_EIO), which is reported, not replayed.
 */
static int pg_materialize(struct pg_store *q)
{
	int rc;

	if (!q->depth)
		return 0;
	if (!q->began) { /* nothing of this transaction was sent yet: BEGIN can be tried again */
		if (lost(q) && (rc = pg_reconnect(q)))
			return rc;
		if ((rc = pg_simple(q, "BEGIN", "starting a transaction")) &&
		    (rc != TM_EIO || !lost(q) || (rc = pg_reconnect(q)) ||
		     (rc = pg_simple(q, "BEGIN", "starting a transaction"))))
			return rc;
		q->began = 1;
		q->replayable = 0;
	}
	if (kept_any(q)) {
		rc = kept_send(q);
		kept_drop(q);
		if (rc)
			return rc;
	}
	return pg_bulk_flush(q); /* a rebuild's kept assets and evidence, before anything reads them */
}

int pg_run(struct pg_store *q, enum pg_id id, const struct pg_args *a, PGresult **res, const char *what)
{
	int rc, tries = 0;

	if (res)
		*res = NULL;
	for (;;) {
		PGresult *r;
		ExecStatusType s;

		if (q->depth && q->began && lost(q))
			return pg_err(q, TM_EIO, "%s: %s: connection lost inside a transaction (rolled back by the server)",
				      q->where, what);
		if ((!q->depth || !q->began) && lost(q) && (rc = pg_reconnect(q)))
			return rc;
		if ((rc = pg_materialize(q)))
			return rc;
		r = pg_exec(q, id, a);
		s = PQresultStatus(r);
		if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
			if (res)
				*res = r;
			else
				PQclear(r);
			return 0;
		}
		rc = pg_fail(q, r, what);
		PQclear(r);
		if (rc != TM_EIO || !lost(q) || q->depth || !idempotent(id) || ++tries > 3)
			return rc;
	}
}

/* ---- opening ---- */

static int scalar(struct pg_store *q, const char *text, int64_t *v, const char *what)
{
	PGresult *r = NULL;
	int rc = pg_params(q, text, 0, NULL, &r, what);

	if (!rc) {
		const char *t = PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : NULL;

		if (!t || !str_to_i64(t, strlen(t), v))
			rc = pg_err(q, TM_EDB, "%s: %s: unexpected answer", q->where, what);
	}
	PQclear(r);
	return rc;
}

/* The schema version in meta (0 for an empty schema); refuses a schema holding other tables. */
static int pg_version(struct pg_store *q, int64_t *v)
{
	int64_t tables = 0, has_meta = 0;
	PGresult *r = NULL;
	const char *t;
	int rc;

	*v = 0;
	if ((rc = scalar(q, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", &tables,
			 "reading the schema")) ||
	    (rc = scalar(q, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'meta'",
			 &has_meta, "reading the schema")))
		return rc;
	if (!has_meta)
		return tables ? pg_err(q, TM_EDB, "%s: a PostgreSQL database, but not trustmap's (%lld tables, no meta)",
				       q->where, (long long)tables)
			      : 0;
	if ((rc = pg_params(q, "SELECT value FROM meta WHERE key = 'schema_version'", 0, NULL, &r,
			    "reading the schema version")))
		return rc;
	t = PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : NULL;
	if (!t || !str_to_i64(t, strlen(t), v) || *v < 0)
		rc = pg_err(q, TM_EDB, "%s: meta table without a valid schema_version", q->where);
	PQclear(r);
	return rc;
}

static int pg_too_new(struct pg_store *q, int64_t v)
{
	return pg_err(q, TM_EUNSUP, "%s: schema version %lld is newer than this trustmap knows (%d); use a newer trustmap",
		      q->where, (long long)v, STORE_PG_VERSION);
}

/* Applies the missing migrations, each in its own transaction, holding the advisory lock. */
static int pg_migrate(struct pg_store *q)
{
	char num[24];
	const char *v[1] = {num};
	int64_t ver;
	int rc;

	if ((rc = pg_version(q, &ver)))
		return rc;
	if (ver == STORE_PG_VERSION)
		return 0;
	if (ver > STORE_PG_VERSION)
		return pg_too_new(q, ver);
	if ((rc = pg_simple(q, "SELECT pg_advisory_lock(1414357360)", "waiting for another migration")))
		return rc;
	while (!(rc = pg_version(q, &ver)) && ver < STORE_PG_VERSION) { /* again, under the lock */
		if ((rc = pg_simple(q, "BEGIN", "starting a migration")))
			break;
		snprintf(num, sizeof(num), "%lld", (long long)ver + 1);
		if ((rc = pg_simple(q, store_pg_migrations[ver], "migrating")) ||
		    (rc = pg_params(q, "UPDATE meta SET value = $1 WHERE key = 'schema_version'", 1, v, NULL,
				    "migrating")) ||
		    (rc = pg_simple(q, "COMMIT", "committing a migration"))) {
			PQclear(PQexec(q->c, "ROLLBACK"));
			break;
		}
	}
	if (!rc && ver > STORE_PG_VERSION)
		rc = pg_too_new(q, ver);
	PQclear(PQexec(q->c, "SELECT pg_advisory_unlock(1414357360)"));
	return rc;
}

static void pg_close(struct store *st)
{
	struct pg_store *q = pg(st);

	if (q->c)
		PQfinish(q->c); /* the server rolls back an open transaction */
	if (q->url) {
		explicit_bzero(q->url, strlen(q->url));
		mem_free(q->url);
	}
	tx_forget(q);
	buf_fini(&q->copy);
	mem_free(q->links);
	mem_free(q->seen.iv);
	mem_free(q);
}

static int pg_open(struct store **out, const char *url, char *eb, size_t el)
{
	struct pg_store *q = mem_calloc(1, sizeof(*q));
	const char *env = getenv("TRUSTMAP_DB_RETRY");
	int64_t secs = PG_RETRY_S;
	int rc;

	if (!q || !(q->url = mem_strdup(url))) {
		mem_free(q);
		return err_set(eb, el, TM_ENOMEM, "store: out of memory opening a PostgreSQL store");
	}
	q->base.ops = &store_pg_ops;
	q->busy_ms = PG_BUSY_MS;
	if (env && *env && str_to_i64(env, strlen(env), &secs) && secs >= 0 && secs < 86400 * 7)
		q->retry_ms = (long)secs * 1000;
	else
		q->retry_ms = PG_RETRY_S * 1000L;
	q->token_seq = (uint64_t)time(NULL) << 20;
	buf_init(&q->copy, 0);
	store_url_redact(q->where, sizeof(q->where), url);
	if ((rc = pg_connect(q)) || (rc = pg_migrate(q)) || (rc = pg_prepare_all(q)))
		goto out_close;
	*out = &q->base;
	return 0;
out_close:
	err_set(eb, el, rc, "%s", q->base.err);
	pg_close(&q->base);
	return rc;
}

/* ---- transactions ---- */

int pg_begin(struct store *st)
{
	struct pg_store *q = pg(st);
	int rc;

	if (!q->depth) { /* BEGIN waits for the first statement that is not kept */
		q->depth = 1;
		q->began = 0;
		q->replayable = 1;
		kept_drop(q);
		return 0;
	}
	if ((rc = pg_materialize(q)) || (rc = pg_simple(q, "SAVEPOINT tm", "starting a savepoint")))
		return rc;
	pg_bulk_end(q); /* rows kept after a savepoint could not be rolled back to it: one by one from here */
	q->depth++;
	return 0;
}

/* Whether a batch with this token was committed (after a COMMIT whose answer was lost). */
static int token_done(struct pg_store *q, const char *token, int *done)
{
	struct pg_args a;
	PGresult *r = NULL;
	int rc;

	pa_init(&a);
	pa_text(&a, token, 64);
	rc = pg_run(q, PQ_TOKEN_GET, &a, &r, "looking up a batch");
	*done = !rc && PQntuples(r) == 1 && pg_i64(r, 0, 0) > 0;
	PQclear(r);
	return rc;
}

/*
 * Commits a transaction that holds only the kept batch: BEGIN, COPY,
 * progress, token, COMMIT, replayed whole after a lost connection (waiting
 * for the server) until it lands once, or fails for another reason.
 */
static int commit_batch(struct pg_store *q)
{
	char token[64];
	struct pg_args a;
	int rc, done;

	if (!kept_any(q))
		return 0;
	snprintf(token, sizeof(token), "%ld-%llu", (long)getpid(), (unsigned long long)++q->token_seq);
	for (int attempt = 0;; attempt++) {
		int sent_commit = 0;
		PGresult *r;

		if (lost(q) && (rc = pg_reconnect(q)))
			return rc;
		if (!(rc = pg_simple(q, "BEGIN", "starting a transaction")) && !(rc = kept_send(q))) {
			pa_init(&a);
			pa_text(&a, token, sizeof(token));
			pa_i64(&a, (int64_t)time(NULL));
			r = pg_exec(q, PQ_TOKEN_PUT, &a);
			rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_fail(q, r, "writing a batch token");
			PQclear(r);
			if (!rc) {
				sent_commit = 1;
				rc = pg_simple(q, "COMMIT", "committing");
			}
		}
		if (!rc)
			return 0;
		if (!lost(q)) { /* refused by the server: nothing landed */
			PQclear(PQexec(q->c, "ROLLBACK"));
			return rc;
		}
		if (attempt >= 1000)
			return rc;
		if (sent_commit) { /* did it land before the connection went? */
			if ((rc = pg_reconnect(q)) || (rc = token_done(q, token, &done)))
				return rc;
			if (done)
				return 0;
		}
	}
}

int pg_commit(struct store *st)
{
	struct pg_store *q = pg(st);
	int rc;

	if (!q->depth)
		return pg_err(q, TM_EINVAL, "%s: commit without an open transaction", q->where);
	if (q->depth > 1) {
		rc = pg_simple(q, "RELEASE tm", "committing");
		q->depth--;
		return rc;
	}
	q->depth = 0;
	if (q->replayable && !q->began) {
		rc = commit_batch(q);
		kept_drop(q);
		return rc;
	}
	if (lost(q)) {
		tx_forget(q);
		return pg_err(q, TM_EIO, "%s: committing: connection lost inside a transaction (rolled back by the server)",
			      q->where);
	}
	if ((kept_any(q) && (rc = kept_send(q))) || (rc = pg_bulk_flush(q)) || (rc = pg_bulk_check(q))) {
		tx_forget(q);
		PQclear(PQexec(q->c, "ROLLBACK"));
		return rc;
	}
	tx_forget(q);
	return pg_simple(q, "COMMIT", "committing");
}

int pg_rollback(struct store *st)
{
	struct pg_store *q = pg(st);
	int rc = 0;

	if (!q->depth)
		return pg_err(q, TM_EINVAL, "%s: rollback without an open transaction", q->where);
	kept_drop(q); /* kept rows are all younger than the innermost level (begin sends them) */
	if (q->depth > 1) {
		if (!(rc = pg_simple(q, "ROLLBACK TO tm", "rolling back")))
			rc = pg_simple(q, "RELEASE tm", "rolling back");
		q->depth--;
		return rc;
	}
	q->depth = 0;
	tx_forget(q);
	if (q->began && !lost(q))
		rc = pg_simple(q, "ROLLBACK", "rolling back");
	q->began = 0;
	return lost(q) ? 0 : rc;
}

static int pg_set_busy_timeout(struct store *st, int ms)
{
	struct pg_store *q = pg(st);

	q->busy_ms = ms;
	return lost(q) ? 0 : pg_set_lock_timeout(q);
}

static int pg_check(struct store *st)
{
	struct pg_store *q = pg(st);
	int64_t v = 0;
	int rc;

	if (lost(q) && (rc = pg_reconnect(q)))
		return rc;
	if ((rc = pg_version(q, &v)))
		return rc;
	if (v != STORE_PG_VERSION)
		return pg_err(q, TM_EDB, "%s: schema version %lld, expected %d", q->where, (long long)v, STORE_PG_VERSION);
	return 0;
}

const struct store_ops store_pg_ops = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.set_busy_timeout = pg_set_busy_timeout,
	.check = pg_check,
	.run_start = pg_run_start,
	.run_finish = pg_run_finish,
	.run_iter = pg_run_iter,
	.run_shard = pg_run_shard,
	.run_progress = pg_run_progress,
	.run_resume_put = pg_run_resume_put,
	.run_resume_get = pg_run_resume_get,
	.obs_add = pg_obs_add,
	.obs_iter = pg_obs_iter,
	.obs_iter_run = pg_obs_iter_run,
	.obs_count = pg_obs_count,
	.site_put = pg_site_put,
	.site_get = pg_site_get,
	.site_iter = pg_site_iter,
	.site_scan = pg_site_scan,
	.assets_clear = pg_bulk_assets_clear,
	.asset_put = pg_bulk_asset_put,
	.evidence_put = pg_bulk_evidence_put,
	.asset_iter = pg_asset_iter,
	.asset_scan = pg_asset_scan,
	.asset_get = pg_asset_get,
	.evidence_iter = pg_evidence_iter,
	.link_put = pg_link_put,
	.link_iter = pg_link_iter,
};
