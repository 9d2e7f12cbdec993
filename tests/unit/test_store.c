/*
 * test_store.c - the store through its public interface on SQLite files in a
 * temporary directory: observations with binary values, sites, assets with
 * every filter, evidence order, transactions and savepoints, reopening, bad
 * files (not a database, another program's database, a newer schema), bulk
 * speed (printed, not asserted), and two handles on one file.
 * With TM_TEST_DB_URL=postgresql://... (tests/e2e/store_pg.sh starts a
 * server) the same tests run on PostgreSQL: each "file" is then a schema of
 * its own (search_path in the URL's options), dropped and made anew, and
 * the few things that differ by design are checked for what PostgreSQL does
 * (no file to corrupt; writers do not lock each other out).
 */
#include "check.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/obs.h"
#include "core/str.h"
#include "store/pg_schema.h"
#include "store/store.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[64];
static const char *pg_url; /* TM_TEST_DB_URL when it names a PostgreSQL server, else NULL */

/* Runs constant SQL on the server at url; 0 or -1 (printed). */
static int pg_exec(const char *url, const char *text)
{
	PGconn *c = PQconnectdb(url);
	PGresult *r;

	if (PQstatus(c) == CONNECTION_OK)
		PQclear(PQexec(c, "SET client_min_messages = warning"));
	r = PQstatus(c) == CONNECTION_OK ? PQexec(c, text) : NULL;
	int ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);

	if (!ok)
		fprintf(stderr, "pg_exec: %s", r ? PQresultErrorMessage(r) : PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : -1;
}

/* The schema standing for a file name: "obs.db" -> "t_obs". */
static void pg_schema(char *out, size_t n, const char *name)
{
	snprintf(out, n, "t_%.*s", (int)strcspn(name, "."), name);
}

/*
 * A store for name: a file in the temporary directory, or on PostgreSQL the
 * server's URL with its own schema, new and empty.
 */
static void path(char *out, size_t n, const char *name)
{
	char sch[64], sql[200];

	if (!pg_url) {
		snprintf(out, n, "%s/%s", dir, name);
		return;
	}
	pg_schema(sch, sizeof(sch), name);
	snprintf(out, n, "%s%coptions=-csearch_path%%3D%s", pg_url, strchr(pg_url, '?') ? '&' : '?', sch);
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", sch, sch);
	pg_exec(pg_url, sql);
}

static void unlink_db(const char *p)
{
	char b[256];

	if (pg_url) {
		const char *sch = strstr(p, "search_path%3D");

		if (sch) {
			snprintf(b, sizeof(b), "DROP SCHEMA IF EXISTS %s CASCADE", sch + 14);
			pg_exec(pg_url, b);
		}
		return;
	}
	unlink(p);
	snprintf(b, sizeof(b), "%s-wal", p);
	unlink(b);
	snprintf(b, sizeof(b), "%s-shm", p);
	unlink(b);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Runs constant SQL on a file (or schema) directly, as a user editing it by hand would. */
static int raw_sql(const char *file, const char *text)
{
	sqlite3 *db = NULL;
	int rc;

	if (pg_url)
		return pg_exec(file, text) ? SQLITE_ERROR : SQLITE_OK;
	rc = sqlite3_open(file, &db);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, text, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static struct store *open_ok(const char *url)
{
	char eb[TM_ERRLEN] = "";
	struct store *st = NULL;
	int rc = store_open(&st, url, eb, sizeof(eb));

	CHECK_INT(rc, 0);
	if (rc)
		fprintf(stderr, "store_open(%s): %s\n", url, eb);
	return st;
}

static void obs_fill(struct obs *o, enum obs_kind k, const char *addr, const void *v, size_t n)
{
	memset(o, 0, sizeof(*o));
	o->time = 1700000000;
	str_set(o->source, sizeof(o->source), "scan");
	str_set(o->addr, sizeof(o->addr), addr);
	o->kind = k;
	o->value = v;
	o->len = n;
}

/* ---- opening ---- */

/* What differs on PostgreSQL: another program's tables, a newer schema, allocation failures. */
static void test_open_errors_pg(void)
{
	char eb[TM_ERRLEN], p[512], want[100];
	struct store *st;

	path(p, sizeof(p), "foreign.db");
	CHECK_INT(raw_sql(p, "CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)"), SQLITE_OK);
	CHECK_INT(store_open(&st, p, eb, sizeof(eb)), TM_EDB);
	CHECK(strstr(eb, "not trustmap's") != NULL);
	unlink_db(p);

	path(p, sizeof(p), "newer.db");
	st = open_ok(p);
	store_close(st);
	CHECK_INT(raw_sql(p, "UPDATE meta SET value = '99' WHERE key = 'schema_version'"), SQLITE_OK);
	CHECK_INT(store_open(&st, p, eb, sizeof(eb)), TM_EUNSUP);
	CHECK(st == NULL);
	snprintf(want, sizeof(want), "schema version 99 is newer than this trustmap knows (%d)", STORE_PG_VERSION);
	CHECK(strstr(eb, want) != NULL);
	CHECK_INT(raw_sql(p, "UPDATE meta SET value = 'x' WHERE key = 'schema_version'"), SQLITE_OK);
	CHECK_INT(store_open(&st, p, eb, sizeof(eb)), TM_EDB);
	CHECK(strstr(eb, "schema_version") != NULL);
	unlink_db(p);

	path(p, sizeof(p), "alloc.db");
	for (unsigned long n = 1; n <= 2; n++) {
		mem_fail_at(n);
		CHECK_INT(store_open(&st, p, eb, sizeof(eb)), TM_ENOMEM);
		CHECK(st == NULL);
	}
	mem_fail_at(0);
	st = open_ok(p);
	CHECK(st != NULL);
	CHECK_INT(store_check(st), 0);
	store_close(st);
	unlink_db(p);
}

static void test_open_errors(void)
{
	static const char text[] = "this is a text file, not a database; it is long enough to have a header.\n";
	char eb[TM_ERRLEN], p[256], url[300], back[sizeof(text)];
	struct store *st = (struct store *)1;
	FILE *f;

	/* a server that is not there: a clear error naming the URL, never its password */
	CHECK_INT(store_open(&st, "postgresql://tm:s3cretpw@/trustmap?host=/nonexistent-dir&password=s3cretpw2",
			     eb, sizeof(eb)), TM_EIO);
	CHECK(st == NULL);
	CHECK(strstr(eb, "postgresql://tm@/trustmap?host=/nonexistent-dir: cannot connect") != NULL);
	CHECK(strstr(eb, "s3cretpw") == NULL);
	CHECK_INT(store_url_redact(url, sizeof(url), "postgres://a:b@h:5/d?password=x&sslmode=require"), 1);
	CHECK_STR(url, "postgres://a@h:5/d?sslmode=require");
	CHECK_INT(store_url_redact(url, sizeof(url), "postgresql:///d?sslmode=disable&password=x"), 1);
	CHECK_STR(url, "postgresql:///d?sslmode=disable");
	CHECK_INT(store_url_redact(url, sizeof(url), "postgresql://me@host/db"), 0);
	CHECK_STR(url, "postgresql://me@host/db");
	CHECK_INT(store_url_redact(url, sizeof(url), "/tmp/a:b@c.db"), 0);
	CHECK_STR(url, "/tmp/a:b@c.db");
	if (pg_url) {
		test_open_errors_pg();
		return;
	}

	path(p, sizeof(p), "text.db");
	f = fopen(p, "w");
	for (int i = 0; i < 20; i++)
		fputs(text, f);
	fclose(f);
	st = (struct store *)1;
	CHECK_INT(store_open(&st, p, eb, sizeof(eb)), TM_EDB);
	CHECK(st == NULL);
	CHECK(strstr(eb, "not a trustmap database") != NULL);
	CHECK(strstr(eb, p) != NULL);
	f = fopen(p, "r"); /* left as it was */
	CHECK(fread(back, 1, sizeof(text) - 1, f) == sizeof(text) - 1 && !memcmp(back, text, sizeof(text) - 1));
	fclose(f);
	unlink_db(p);

	path(p, sizeof(p), "short.db");
	f = fopen(p, "w");
	fputs("SQLite", f);
	fclose(f);
	CHECK_INT(store_open(&st, p, eb, sizeof(eb)), TM_EDB);
	CHECK(st == NULL);
	unlink_db(p);

	path(p, sizeof(p), "foreign.db");
	CHECK_INT(raw_sql(p, "CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)"), SQLITE_OK);
	CHECK_INT(store_open(&st, p, eb, sizeof(eb)), TM_EDB);
	CHECK(strstr(eb, "not trustmap's") != NULL);
	unlink_db(p);

	/* a schema newer than this build knows */
	path(p, sizeof(p), "newer.db");
	st = open_ok(p);
	store_close(st);
	CHECK_INT(raw_sql(p, "UPDATE meta SET value = '99' WHERE key = 'schema_version'"), SQLITE_OK);
	CHECK_INT(store_open(&st, p, eb, sizeof(eb)), TM_EUNSUP);
	CHECK(st == NULL);
	CHECK(strstr(eb, "schema version 99 is newer than this trustmap knows (7)") != NULL);
	CHECK_INT(raw_sql(p, "UPDATE meta SET value = 'x' WHERE key = 'schema_version'"), SQLITE_OK);
	CHECK_INT(store_open(&st, p, eb, sizeof(eb)), TM_EDB);
	CHECK(strstr(eb, "schema_version") != NULL);
	unlink_db(p);

	/* "sqlite:" prefix, and allocation failures on the way in */
	path(p, sizeof(p), "prefixed.db");
	snprintf(url, sizeof(url), "sqlite:%s", p);
	for (unsigned long n = 1; n <= 2; n++) {
		mem_fail_at(n);
		CHECK_INT(store_open(&st, url, eb, sizeof(eb)), TM_ENOMEM);
		CHECK(st == NULL);
	}
	mem_fail_at(0);
	st = open_ok(url);
	CHECK(st != NULL);
	CHECK_INT(store_check(st), 0);
	store_close(st);
	CHECK(access(p, F_OK) == 0);
	unlink_db(p);
	store_close(NULL);
}

/* ---- observations ---- */

struct seen {
	int n;
	int64_t ids[8];
	struct obs o[8];
	uint8_t v[8][OBS_VALUE_MAX];
	int stop_at; /* 1-based; 0 never */
};

static int collect_obs(void *ctx, int64_t id, const struct obs *o)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		s->ids[s->n] = id;
		s->o[s->n] = *o;
		memcpy(s->v[s->n], o->value, o->len);
		s->o[s->n].value = s->v[s->n];
	}
	s->n++;
	return s->n == s->stop_at ? 7 : 0;
}

struct runs {
	int n;
	struct run_rec r[4];
};

static int collect_run(void *ctx, const struct run_rec *r)
{
	struct runs *l = ctx;

	if (l->n < 4)
		l->r[l->n] = *r;
	l->n++;
	return 0;
}

static void test_obs(void)
{
	struct runs runs = {0};
	static const uint8_t nul[] = {'a', 0, 'b', 0, 0xff, 0};
	static uint8_t big[OBS_VALUE_MAX + 10];
	static struct seen s;
	struct store *st;
	struct obs o[4];
	int64_t run, id[4], bad;
	char p[512];

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 % 251); /* NULs included */
	path(p, sizeof(p), "obs.db");
	st = open_ok(p);
	CHECK_INT(store_run_start(st, "import:jsonl", "trustmap import x.jsonl", &run), 0);
	CHECK_INT(run, 1);
	obs_fill(&o[0], OBS_SSH_BANNER, "10.0.0.1", nul, sizeof(nul));
	o[0].port = 22, o[0].proto = 6;
	str_set(o[0].scope, sizeof(o[0].scope), "vrf-a");
	str_set(o[0].mac, sizeof(o[0].mac), "00:e0:fc:12:34:56");
	str_set(o[0].ref, sizeof(o[0].ref), "INV-1");
	str_set(o[0].site, sizeof(o[0].site), "S1");
	o[0].flags = OBS_MALFORMED;
	obs_fill(&o[1], OBS_SERVICE_RESPONSE, "10.0.0.2", big, OBS_VALUE_MAX);
	str_set(o[1].probe, sizeof(o[1].probe), "GetRequest");
	o[1].port = 161, o[1].proto = 17;
	obs_fill(&o[2], OBS_HTTP_TITLE, "::1", NULL, 0);
	obs_fill(&o[3], OBS_TLS_SUBJECT, "10.0.0.3", big, sizeof(big)); /* too long: cut and flagged */
	for (int i = 0; i < 4; i++)
		CHECK_INT(store_obs_add(st, run, &o[i], &id[i]), 0);
	CHECK_INT(id[0], 1);
	CHECK_INT(id[3], 4);
	CHECK_INT(store_obs_add(st, 999, &o[0], &bad), TM_EINVAL); /* no such run */
	CHECK_INT(store_obs_count(st), 4);
	CHECK_INT(store_obs_iter(st, collect_obs, &s), 0);
	CHECK_INT(s.n, 4);
	for (int i = 0; i < 3; i++) {
		CHECK_INT(s.ids[i], id[i]);
		CHECK_INT(s.o[i].len, o[i].len);
		CHECK(!memcmp(s.o[i].value, o[i].len ? o[i].value : (const uint8_t *)"", o[i].len));
		CHECK_INT(s.o[i].kind, o[i].kind);
		CHECK_STR(s.o[i].addr, o[i].addr);
		CHECK_INT(s.o[i].port, o[i].port);
		CHECK_INT(s.o[i].proto, o[i].proto);
		CHECK_INT(s.o[i].flags, o[i].flags);
		CHECK_INT(s.o[i].time, 1700000000);
		CHECK_STR(s.o[i].source, "scan");
		CHECK_STR(s.o[i].probe, o[i].probe);
	}
	CHECK_STR(s.o[0].scope, "vrf-a");
	CHECK_STR(s.o[0].mac, "00:e0:fc:12:34:56");
	CHECK_STR(s.o[0].ref, "INV-1");
	CHECK_STR(s.o[0].site, "S1");
	CHECK_INT(s.o[3].len, OBS_VALUE_MAX);
	CHECK_INT(s.o[3].flags, OBS_TRUNCATED);
	CHECK(!memcmp(s.o[3].value, big, OBS_VALUE_MAX));
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	CHECK_INT(store_obs_iter(st, collect_obs, &s), 7);
	CHECK_INT(s.n, 2);
	CHECK_INT(store_run_finish(st, run, 4, 1, "ok"), 0);
	CHECK_INT(store_run_finish(st, 42, 0, 0, "ok"), TM_ENOTFOUND);
	CHECK_INT(store_run_start(st, "identify", NULL, &run), 0);
	CHECK_INT(store_run_iter(st, collect_run, &runs), 0);
	CHECK_INT(runs.n, 2);
	CHECK_INT(runs.r[0].id, 1);
	CHECK_STR(runs.r[0].kind, "import:jsonl");
	CHECK_STR(runs.r[0].args, "trustmap import x.jsonl");
	CHECK_STR(runs.r[0].status, "ok");
	CHECK_INT(runs.r[0].n_obs, 4);
	CHECK_INT(runs.r[0].n_skipped, 1);
	CHECK(runs.r[0].started > 1700000000 && runs.r[0].finished >= runs.r[0].started);
	CHECK_STR(runs.r[1].status, "running");
	CHECK_INT(runs.r[1].finished, 0);
	store_close(st);

	/* a row edited by hand with out-of-range numbers, an unknown kind, long text and value */
	CHECK_INT(raw_sql(p, pg_url ? "INSERT INTO observations(run_id, time, source, addr, scope, mac, ref, site, port, "
				      "proto, kind, probe, value, flags) VALUES (NULL, 5, 'a-source-name-that-is-long', "
				      "'', '', '', '', '', 70000, -1, 'future_kind', '', decode(repeat('00', 20000), 'hex'), 0)"
				    : "INSERT INTO observations(run_id, time, source, addr, scope, mac, ref, site, port, "
				      "proto, kind, probe, value, flags) VALUES (NULL, 5, 'a-source-name-that-is-long', "
				      "'', '', '', '', '', 70000, -1, 'future_kind', '', zeroblob(20000), 0)"),
		  SQLITE_OK);
	st = open_ok(p);
	memset(&s, 0, sizeof(s));
	CHECK_INT(store_obs_iter(st, collect_obs, &s), 0);
	CHECK_INT(s.n, 5);
	CHECK_INT(s.o[4].port, 0);
	CHECK_INT(s.o[4].proto, 0);
	CHECK_INT(s.o[4].kind, OBS_NONE);
	CHECK_STR(s.o[4].source, "a-source-name-t");
	CHECK_INT(s.o[4].len, OBS_VALUE_MAX);
	CHECK_INT(s.o[4].flags, OBS_TRUNCATED);
	store_close(st);
	unlink_db(p);
}

/* ---- one run's observations (diff, sniff --resume) ---- */

#define RUN_OBS 9000 /* more than two pages of the PostgreSQL backend's (4,096) per run */

struct run_seen {
	int64_t run, last_id;
	long n, wrong, stop_at;
	struct store *st; /* when set: the callback writes nothing but reads the store */
	long inner;
};

/* Each observation of run r has addr "10.r.x.y" and value "r:i" with i its number within the run. */
static int run_obs(void *ctx, int64_t id, const struct obs *o)
{
	struct run_seen *s = ctx;
	char want[32];

	snprintf(want, sizeof(want), "%lld:%ld", (long long)s->run, s->n);
	s->wrong += id <= s->last_id || o->len != strlen(want) || memcmp(o->value, want, o->len) ||
		    o->kind != OBS_SSH_BANNER || o->port != 22;
	s->last_id = id;
	s->n++;
	if (s->st && s->n % 1000 == 1)
		s->inner += store_obs_count(s->st) > 0;
	return s->n == s->stop_at ? 5 : 0;
}

static void test_obs_run(void)
{
	struct run_seen s;
	struct store *st;
	struct obs o;
	int64_t run[3], id;
	long k[3] = {0};
	char p[512], v[32];
	int bad = 0;

	path(p, sizeof(p), "obsrun.db");
	st = open_ok(p);
	CHECK_INT(store_begin(st), 0);
	for (int r = 0; r < 3; r++)
		CHECK_INT(store_run_start(st, "sniff", "", &run[r]), 0);
	obs_fill(&o, OBS_SSH_BANNER, "", NULL, 0);
	o.port = 22, o.proto = 6;
	/* runs 1 and 2 interleaved (2 takes two of every three), a few without a run, run 3 none */
	for (long i = 0; i < 3 * RUN_OBS / 2; i++) {
		int r = i % 3 == 0 ? 0 : 1;

		snprintf(v, sizeof(v), "%lld:%ld", (long long)run[r], k[r]);
		snprintf(o.addr, sizeof(o.addr), "10.%d.%ld.%ld", r + 1, k[r] >> 8, k[r] & 255);
		o.value = (const uint8_t *)v;
		o.len = strlen(v);
		bad += store_obs_add(st, run[r], &o, NULL) != 0;
		k[r]++;
		if (i % 1000 == 0)
			bad += store_obs_add(st, 0, &o, NULL) != 0;
	}
	CHECK_INT(store_commit(st), 0);
	CHECK_INT(bad, 0);
	CHECK_INT(k[0], RUN_OBS / 2);
	CHECK_INT(k[1], RUN_OBS);
	CHECK_INT(store_obs_count(st), 3 * RUN_OBS / 2 + 14);

	for (int r = 0; r < 2; r++) {
		memset(&s, 0, sizeof(s));
		s.run = run[r];
		CHECK_INT(store_obs_iter_run(st, run[r], run_obs, &s), 0);
		CHECK_INT(s.n, k[r]);
		CHECK_INT(s.wrong, 0);
	}
	memset(&s, 0, sizeof(s));
	s.run = run[2];
	CHECK_INT(store_obs_iter_run(st, run[2], run_obs, &s), 0); /* a run without observations */
	CHECK_INT(s.n, 0);
	CHECK_INT(store_obs_iter_run(st, 999, run_obs, &s), 0);	/* no such run */
	CHECK_INT(store_obs_iter_run(st, 0, run_obs, &s), 0);	/* "no run" is not a run */
	CHECK_INT(s.n, 0);
	CHECK_INT(store_obs_iter_run(st, run[1], NULL, &s), TM_EINVAL);

	/* stopped by the callback on its second page: its value back, nothing more called */
	memset(&s, 0, sizeof(s));
	s.run = run[1];
	s.stop_at = 5000;
	CHECK_INT(store_obs_iter_run(st, run[1], run_obs, &s), 5);
	CHECK_INT(s.n, 5000);
	CHECK_INT(s.wrong, 0);

	/* the callback reads the store meanwhile (sniff --resume counts as it goes) */
	memset(&s, 0, sizeof(s));
	s.run = run[1];
	s.st = st;
	CHECK_INT(store_obs_iter_run(st, run[1], run_obs, &s), 0);
	CHECK_INT(s.n, RUN_OBS);
	CHECK_INT(s.inner, RUN_OBS / 1000);
	CHECK_INT(s.wrong, 0);

	/* inside a transaction, after rows kept for its batch: they are read too */
	CHECK_INT(store_begin(st), 0);
	snprintf(v, sizeof(v), "%lld:%ld", (long long)run[0], k[0]);
	o.value = (const uint8_t *)v;
	o.len = strlen(v);
	CHECK_INT(store_obs_add(st, run[0], &o, NULL), 0);
	memset(&s, 0, sizeof(s));
	s.run = run[0];
	CHECK_INT(store_obs_iter_run(st, run[0], run_obs, &s), 0);
	CHECK_INT(s.n, k[0] + 1);
	CHECK_INT(s.wrong, 0);
	CHECK_INT(store_rollback(st), 0);
	memset(&s, 0, sizeof(s));
	s.run = run[0];
	CHECK_INT(store_obs_iter_run(st, run[0], run_obs, &s), 0);
	CHECK_INT(s.n, k[0]);

	/* one added with its id asked for (sent at once, not kept for a batch): read back with that id */
	snprintf(v, sizeof(v), "%lld:0", (long long)run[2]);
	o.len = strlen(v);
	CHECK_INT(store_obs_add(st, run[2], &o, &id), 0);
	memset(&s, 0, sizeof(s));
	s.run = run[2];
	CHECK_INT(store_obs_iter_run(st, run[2], run_obs, &s), 0);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.last_id, id);
	CHECK_INT(s.wrong, 0);
	store_close(st);
	unlink_db(p);
}

/* ---- sites ---- */

struct site_list {
	int n;
	char ids[4][64];
};

static int collect_site(void *ctx, const struct site_rec *r)
{
	struct site_list *l = ctx;

	if (l->n < 4)
		str_set(l->ids[l->n], sizeof(l->ids[0]), r->id);
	l->n++;
	return 0;
}

static void test_sites(void)
{
	struct site_rec a = {.id = "S2", .name = "Harbour", .lat = 59.9, .lon = 10.7, .has_coords = 1,
			     .operator_ = "op1", .region = "north", .tags = "port;military"};
	struct site_rec b = {.id = "S1", .name = "Depot", .operator_ = "op2", .region = "south"};
	struct site_rec r;
	struct site_list l = {0};
	struct store *st;
	char p[512], sql[600], longname[301];

	path(p, sizeof(p), "sites.db");
	st = open_ok(p);
	CHECK_INT(store_site_put(st, &a), 0);
	CHECK_INT(store_site_put(st, &b), 0);
	str_set(a.name, sizeof(a.name), "Harbour North");
	CHECK_INT(store_site_put(st, &a), 0); /* upsert */
	CHECK_INT(store_site_get(st, "S2", &r), 0);
	CHECK_STR(r.name, "Harbour North");
	CHECK(r.has_coords);
	CHECK_NEAR(r.lat, 59.9, 1e-12);
	CHECK_NEAR(r.lon, 10.7, 1e-12);
	CHECK_STR(r.operator_, "op1");
	CHECK_STR(r.region, "north");
	CHECK_STR(r.tags, "port;military");
	CHECK_INT(store_site_get(st, "S1", &r), 0);
	CHECK(!r.has_coords);
	CHECK_STR(r.tags, "");
	CHECK_INT(store_site_get(st, "S9", &r), TM_ENOTFOUND);
	CHECK_STR(r.id, "S1"); /* untouched */
	CHECK_INT(store_site_iter(st, collect_site, &l), 0);
	CHECK_INT(l.n, 2);
	CHECK_STR(l.ids[0], "S1");
	CHECK_STR(l.ids[1], "S2");
	b.id[0] = 0;
	CHECK_INT(store_site_put(st, &b), TM_EINVAL);
	store_close(st);

	/* text longer than a record's array, written behind our back, comes back cut */
	memset(longname, 'x', 300);
	longname[300] = 0;
	snprintf(sql, sizeof(sql), "UPDATE sites SET name = '%s' WHERE id = 'S1'", longname);
	CHECK_INT(raw_sql(p, sql), SQLITE_OK);
	st = open_ok(p);
	CHECK_INT(store_site_get(st, "S1", &r), 0);
	CHECK_INT(strlen(r.name), sizeof(r.name) - 1);
	store_close(st);
	unlink_db(p);
}

/* ---- assets and evidence ---- */

struct id_list {
	int n;
	int64_t ids[16];
	struct store *st; /* for nested calls from the callback */
	int nested_ok;
};

static int collect_asset(void *ctx, const struct asset_rec *a)
{
	struct id_list *l = ctx;

	if (l->n < 16)
		l->ids[l->n] = a->id;
	l->n++;
	return 0;
}

/* Expects exactly the ids given (0-terminated) from a filter. */
#define CHECK_IDS(st, f, ...)                                                    \
	do {                                                                     \
		static const int64_t want_[] = {__VA_ARGS__, 0};                 \
		struct id_list l_ = {0};                                         \
		int n_ = 0;                                                      \
		CHECK_INT(store_asset_iter((st), (f), collect_asset, &l_), 0);  \
		while (want_[n_])                                                \
			n_++;                                                    \
		CHECK_INT(l_.n, n_);                                             \
		for (int i_ = 0; i_ < n_ && i_ < l_.n; i_++)                      \
			CHECK_INT(l_.ids[i_], want_[i_]);                        \
	} while (0)

static void asset_fill(struct asset_rec *a, const char *key, const char *vendor, const char *family,
		       const char *site, double conf)
{
	memset(a, 0, sizeof(*a));
	str_set(a->key, sizeof(a->key), key);
	str_set(a->vendor, sizeof(a->vendor), vendor);
	str_set(a->family, sizeof(a->family), family);
	str_set(a->site, sizeof(a->site), site);
	a->conf = conf;
	a->first_seen = 1700000000;
	a->last_seen = 1700000600;
	a->n_obs = 3;
}

struct ev_list {
	int n;
	int strength[8];
	int64_t obs_id[8];
	size_t len[8];
	uint8_t first[8];
	char rule[8][64];
};

static int collect_ev(void *ctx, const struct ev_rec *e)
{
	struct ev_list *l = ctx;

	if (l->n < 8) {
		l->strength[l->n] = e->strength;
		l->obs_id[l->n] = e->obs_id;
		l->len[l->n] = e->len;
		l->first[l->n] = e->len ? e->value[0] : 0;
		str_set(l->rule[l->n], sizeof(l->rule[0]), e->rule);
	}
	l->n++;
	return 0;
}

/* Calls back into the store from inside an iteration (same statements, nested). */
static int nested(void *ctx, const struct asset_rec *a)
{
	struct id_list *l = ctx;
	struct id_list inner = {0};
	struct ev_list ev = {0};
	struct asset_rec b;
	char num[24];

	snprintf(num, sizeof(num), "%lld", (long long)a->id);
	if (store_asset_get(l->st, num, &b) == 0 && b.id == a->id && !strcmp(b.key, a->key) &&
	    store_asset_iter(l->st, NULL, collect_asset, &inner) == 0 && inner.n == 6 &&
	    store_evidence_iter(l->st, a->id, collect_ev, &ev) == 0)
		l->nested_ok++;
	l->n++;
	return 0;
}

static void test_evidence(struct store *st, int64_t asset, int64_t obs_bin, int64_t obs_txt)
{
	struct ev_rec e = {.asset_id = asset, .kind = "mac", .vendor = "huawei", .vendor_raw = "HUAWEI TECHNOLOGIES",
			   .rule = "oui:MA-L:00E0FC", .strength = 2, .conf = 0.5};
	struct ev_list l = {0};

	e.obs_id = obs_txt;
	CHECK_INT(store_evidence_put(st, &e), 0);
	e.obs_id = obs_bin, e.strength = 4, e.conf = 0.9;
	str_set(e.rule, sizeof(e.rule), "pen:2011");
	CHECK_INT(store_evidence_put(st, &e), 0);
	e.obs_id = 0, e.strength = 4, e.conf = 0.7;
	str_set(e.rule, sizeof(e.rule), "rule:declared");
	CHECK_INT(store_evidence_put(st, &e), 0);
	e.obs_id = 0, e.strength = 1, e.conf = 0.2, e.conflict = 1;
	str_set(e.rule, sizeof(e.rule), "rule:hostname");
	CHECK_INT(store_evidence_put(st, &e), 0);
	e.asset_id = 999;
	CHECK_INT(store_evidence_put(st, &e), TM_EINVAL);
	e.asset_id = asset, e.obs_id = 12345;
	CHECK_INT(store_evidence_put(st, &e), TM_EINVAL);

	CHECK_INT(store_evidence_iter(st, asset, collect_ev, &l), 0);
	CHECK_INT(l.n, 4);
	CHECK_STR(l.rule[0], "pen:2011");
	CHECK_INT(l.obs_id[0], obs_bin);
	CHECK_INT(l.len[0], 6); /* the observation's bytes, NULs included */
	CHECK_INT(l.first[0], 'a');
	CHECK_STR(l.rule[1], "rule:declared");
	CHECK_INT(l.len[1], 0);
	CHECK_STR(l.rule[2], "oui:MA-L:00E0FC");
	CHECK_INT(l.len[2], 17);
	CHECK_STR(l.rule[3], "rule:hostname");
	CHECK_INT(l.strength[3], 1);
}

static void test_assets(void)
{
	static const uint8_t bin[] = {'a', 0, 'b', 0, 0xfe, 0};
	static const char *const hz[] = {"huawei", "zte", NULL};
	static const char *const none[] = {NULL};
	struct asset_rec a[6], r;
	struct store *st;
	struct obs o;
	int64_t ob, ot;
	char p[512];

	path(p, sizeof(p), "assets.db");
	st = open_ok(p);
	obs_fill(&o, OBS_SNMP_SYSOBJECTID, "10.0.0.1", bin, sizeof(bin));
	CHECK_INT(store_obs_add(st, 0, &o, &ob), 0);
	obs_fill(&o, OBS_MAC, "10.0.0.1", "00:e0:fc:12:34:56", 17);
	CHECK_INT(store_obs_add(st, 0, &o, &ot), 0);

	asset_fill(&a[0], "mac:00:e0:fc:12:34:56", "huawei", "huawei", "S1", 0.9);
	asset_fill(&a[1], "ip:/10.0.0.2", "zte", "zte", "S2", 0.8);
	asset_fill(&a[2], "ip:/10.0.0.3", "hikvision", "hikvision", "S1", 0.6);
	asset_fill(&a[3], "ref:INV-4", "honor", "huawei", "S2", 0.4);
	asset_fill(&a[4], "ip:vrf-a/10.0.0.5", "cisco", "cisco", "S1", 0.95);
	asset_fill(&a[5], "ip:/10.0.0.6", "", "", "", 0.0);
	str_set(a[0].product, sizeof(a[0].product), "VRP");
	str_set(a[0].declared_vendor, sizeof(a[0].declared_vendor), "nokia");
	a[0].flags = 0x5;
	for (int i = 0; i < 6; i++) {
		CHECK_INT(store_asset_put(st, &a[i]), 0);
		CHECK_INT(a[i].id, i + 1);
	}
	CHECK_INT(store_asset_put(st, &a[1]), TM_EINVAL); /* same key */
	CHECK(strstr(store_errmsg(st), "ip:/10.0.0.2") != NULL);

	CHECK_IDS(st, NULL, 1, 2, 3, 4, 5, 6);
	CHECK_IDS(st, (&(struct asset_filter){.vendor = "huawei"}), 1);
	CHECK_IDS(st, (&(struct asset_filter){.family = "huawei"}), 1, 4);
	CHECK_IDS(st, (&(struct asset_filter){.families = hz}), 1, 2, 4);
	CHECK_IDS(st, (&(struct asset_filter){.families = hz, .limit = 2}), 1, 2);
	CHECK_IDS(st, (&(struct asset_filter){.families = hz, .site = "S2"}), 2, 4);
	CHECK_IDS(st, (&(struct asset_filter){.site = "S1"}), 1, 3, 5);
	CHECK_IDS(st, (&(struct asset_filter){.min_conf = 0.7}), 1, 2, 5);
	CHECK_IDS(st, (&(struct asset_filter){.limit = 2}), 1, 2);
	CHECK_IDS(st, (&(struct asset_filter){.site = "S1", .min_conf = 0.7, .limit = 1}), 1);
	CHECK_IDS(st, (&(struct asset_filter){.vendor = "honor", .family = "huawei", .site = "S2"}), 4);
	CHECK_IDS(st, (&(struct asset_filter){.family = "huawei", .site = "S1", .min_conf = 0.95}), 0);
	CHECK_IDS(st, (&(struct asset_filter){.families = none}), 0);
	CHECK_IDS(st, (&(struct asset_filter){.vendor = "nope"}), 0);

	CHECK_INT(store_asset_get(st, "1", &r), 0);
	CHECK_STR(r.key, "mac:00:e0:fc:12:34:56");
	CHECK_STR(r.product, "VRP");
	CHECK_STR(r.declared_vendor, "nokia");
	CHECK_INT(r.flags, 0x5);
	CHECK_NEAR(r.conf, 0.9, 1e-12);
	CHECK_INT(r.first_seen, 1700000000);
	CHECK_INT(r.last_seen, 1700000600);
	CHECK_INT(r.n_obs, 3);
	CHECK_INT(store_asset_get(st, "ref:INV-4", &r), 0);
	CHECK_INT(r.id, 4);
	CHECK_STR(r.vendor, "honor");
	CHECK_INT(store_asset_get(st, "77", &r), TM_ENOTFOUND);
	CHECK_INT(store_asset_get(st, "mac:ff", &r), TM_ENOTFOUND);
	CHECK_INT(r.id, 4); /* untouched */

	test_evidence(st, a[0].id, ob, ot);
	{
		struct id_list l = {.st = st};

		CHECK_INT(store_asset_iter(st, NULL, nested, &l), 0);
		CHECK_INT(l.n, 6);
		CHECK_INT(l.nested_ok, 6);
	}
	CHECK_INT(store_assets_clear(st), 0);
	CHECK_IDS(st, NULL, 0);
	{
		struct ev_list l = {0};

		CHECK_INT(store_evidence_iter(st, 1, collect_ev, &l), 0);
		CHECK_INT(l.n, 0);
	}
	CHECK_INT(store_obs_count(st), 2); /* observations stay */
	store_close(st);
	unlink_db(p);
}

/* ---- transactions, reopening ---- */

/* ---- the lean views (store_site_scan, store_asset_scan) ---- */

struct view_list {
	int n;
	char ids[4][64], ops[4][64], tags[4][64];
	double lat[4];
	int coords[4];
	size_t idlen[4];
	int64_t aid[8];
	char txt[8][160];
	double conf[8];
	unsigned flags[8];
	int stop_at;
	struct store *st;
	int nested_ok;
};

static int collect_site_view(void *ctx, const struct site_view *v)
{
	struct view_list *l = ctx;

	if (l->n < 4) {
		str_set(l->ids[l->n], sizeof(l->ids[0]), v->id);
		str_set(l->ops[l->n], sizeof(l->ops[0]), v->operator_);
		str_set(l->tags[l->n], sizeof(l->tags[0]), v->tags);
		l->lat[l->n] = v->lat;
		l->coords[l->n] = v->has_coords;
		l->idlen[l->n] = strlen(v->id);
	}
	return ++l->n == l->stop_at ? 42 : 0;
}

static int collect_asset_view(void *ctx, const struct asset_view *v)
{
	struct view_list *l = ctx;
	struct asset_rec r;
	char num[24];

	if (l->n < 8) {
		l->aid[l->n] = v->id;
		snprintf(l->txt[l->n], sizeof(l->txt[0]), "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s", v->key, v->addr, v->ref,
			 v->site, v->vendor, v->product, v->model, v->role, v->component_vendor, v->hint_vendor);
		l->conf[l->n] = v->conf;
		l->flags[l->n] = v->flags;
	}
	/* the store can be called from inside the scan */
	snprintf(num, sizeof(num), "%lld", (long long)v->id);
	if (l->st && store_asset_get(l->st, num, &r) == 0 && !strcmp(r.key, v->key))
		l->nested_ok++;
	return ++l->n == l->stop_at ? 43 : 0;
}

static void test_views(void)
{
	struct site_rec s1 = {.id = "S1", .name = "Depot", .operator_ = "op2", .region = "south"};
	struct site_rec s2 = {.id = "S2", .name = "Harbour", .lat = 59.9, .lon = 10.7, .has_coords = 1,
			      .operator_ = "op1", .region = "north", .tags = "port;military"};
	struct asset_rec a[3];
	struct view_list l = {0};
	struct store *st;
	char p[512], sql[600], longid[201];
	int k1, k2;

	path(p, sizeof(p), "views.db");
	st = open_ok(p);
	CHECK_INT(store_site_put(st, &s2), 0);
	CHECK_INT(store_site_put(st, &s1), 0);
	CHECK_INT(store_site_scan(st, collect_site_view, &l), 0);
	CHECK_INT(l.n, 2);
	/* in no particular order: find each */
	k1 = !strcmp(l.ids[0], "S1") ? 0 : 1, k2 = 1 - k1;
	CHECK_STR(l.ids[k1], "S1");
	CHECK_STR(l.ids[k2], "S2");
	CHECK_INT(l.coords[k1], 0);
	CHECK_INT(l.coords[k2], 1);
	CHECK_NEAR(l.lat[k2], 59.9, 1e-12);
	CHECK_STR(l.ops[k1], "op2");
	CHECK_STR(l.tags[k1], "");
	CHECK_STR(l.tags[k2], "port;military");
	memset(&l, 0, sizeof(l));
	l.stop_at = 1;
	CHECK_INT(store_site_scan(st, collect_site_view, &l), 42); /* the callback's value stops it */
	CHECK_INT(l.n, 1);

	asset_fill(&a[0], "mac:00:e0:fc:12:34:56", "huawei", "huawei", "S1", 0.9);
	asset_fill(&a[1], "ref:INV-2", "", "", "", 0.0);
	asset_fill(&a[2], "ip:/10.0.0.3", "hikvision", "hikvision", "S2", 0.6);
	str_set(a[0].addr, sizeof(a[0].addr), "10.0.0.1");
	str_set(a[0].product, sizeof(a[0].product), "VRP");
	str_set(a[0].model, sizeof(a[0].model), "NE40E");
	str_set(a[0].role, sizeof(a[0].role), "router");
	str_set(a[0].component_vendor, sizeof(a[0].component_vendor), "hisilicon");
	str_set(a[0].hint_vendor, sizeof(a[0].hint_vendor), "zte");
	str_set(a[1].ref, sizeof(a[1].ref), "INV-2");
	a[0].flags = 0x5;
	for (int i = 0; i < 3; i++)
		CHECK_INT(store_asset_put(st, &a[i]), 0);
	memset(&l, 0, sizeof(l));
	l.st = st;
	CHECK_INT(store_asset_scan(st, collect_asset_view, &l), 0);
	CHECK_INT(l.n, 3);
	CHECK_INT(l.nested_ok, 3);
	CHECK_INT(l.aid[0], a[0].id);
	CHECK_INT(l.aid[1], a[1].id);
	CHECK_INT(l.aid[2], a[2].id);
	CHECK_STR(l.txt[0], "mac:00:e0:fc:12:34:56|10.0.0.1||S1|huawei|VRP|NE40E|router|hisilicon|zte");
	CHECK_STR(l.txt[1], "ref:INV-2||INV-2|||||||");
	CHECK_STR(l.txt[2], "ip:/10.0.0.3|||S2|hikvision|||||");
	CHECK_NEAR(l.conf[0], 0.9, 1e-12);
	CHECK_NEAR(l.conf[2], 0.6, 1e-12);
	CHECK_INT(l.flags[0], 0x5);
	CHECK_INT(l.flags[1], 0);
	memset(&l, 0, sizeof(l));
	l.stop_at = 2;
	CHECK_INT(store_asset_scan(st, collect_asset_view, &l), 43);
	CHECK_INT(l.n, 2);
	CHECK_INT(store_site_scan(NULL, collect_site_view, &l), TM_EINVAL);
	CHECK_INT(store_asset_scan(st, NULL, NULL), TM_EINVAL);
	store_close(st);

	/* views are not cut: text longer than site_rec's id comes back whole */
	memset(longid, 'y', 200);
	longid[200] = 0;
	snprintf(sql, sizeof(sql), "UPDATE sites SET id = '%s' WHERE id = 'S1'", longid);
	CHECK_INT(raw_sql(p, sql), SQLITE_OK);
	st = open_ok(p);
	memset(&l, 0, sizeof(l));
	CHECK_INT(store_site_scan(st, collect_site_view, &l), 0);
	CHECK_INT(l.n, 2);
	CHECK(l.idlen[0] == 200 || l.idlen[1] == 200);
	store_close(st);
	unlink_db(p);
}

/* Counts links; the second of test_tx's must be seen from 1700000000 to 1700000139. */
static int count_links(void *ctx, const struct link_rec *l)
{
	int *n = ctx;

	if (!strcmp(l->a_port, "Gi0/2") && (l->first_seen != 1700000000 || l->last_seen != 1700000139))
		return 9;
	(*n)++;
	return 0;
}

static void test_tx(void)
{
	struct link_rec lk[2] = {
		{.a_key = "mac:00:e0:fc:00:00:01", .a_port = "Gi0/1", .b_key = "capture:x", .source = "lldp",
		 .first_seen = 1700000000, .last_seen = 1700000000},
		{.a_key = "mac:00:e0:fc:00:00:02", .a_port = "Gi0/2", .b_key = "capture:x", .source = "lldp",
		 .first_seen = 1700000000, .last_seen = 1700000000},
	};
	int64_t run;
	int nl = 0, rc;
	struct store *st;
	struct obs o;
	struct asset_rec a;
	struct site_rec sr = {.id = "S1", .name = "Depot"};
	char p[512];

	path(p, sizeof(p), "tx.db");
	st = open_ok(p);
	obs_fill(&o, OBS_HTTP_SERVER, "10.1.0.1", "Boa/0.94", 8);
	CHECK_INT(store_obs_add(st, 0, &o, NULL), 0);

	CHECK_INT(store_begin(st), 0); /* an import that fails: nothing stays */
	for (int i = 0; i < 10; i++)
		CHECK_INT(store_obs_add(st, 0, &o, NULL), 0);
	CHECK_INT(store_site_put(st, &sr), 0);
	CHECK_INT(store_rollback(st), 0);
	CHECK_INT(store_obs_count(st), 1);
	CHECK_INT(store_site_get(st, "S1", &sr), TM_ENOTFOUND);

	CHECK_INT(store_begin(st), 0); /* one bad record rolled back, the rest kept */
	CHECK_INT(store_obs_add(st, 0, &o, NULL), 0);
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_obs_add(st, 0, &o, NULL), 0);
	CHECK_INT(store_obs_add(st, 0, &o, NULL), 0);
	CHECK_INT(store_rollback(st), 0);
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_site_put(st, &sr), 0);
	CHECK_INT(store_commit(st), 0);
	CHECK_INT(store_commit(st), 0);
	CHECK_INT(store_obs_count(st), 2);
	CHECK_INT(store_commit(st), TM_EINVAL);
	CHECK_INT(store_rollback(st), TM_EINVAL);

	/* links in a batch (sniff's commits: observations, links, then the run's state) */
	CHECK_INT(store_run_start(st, "sniff", "", &run), 0);
	CHECK_INT(store_begin(st), 0); /* rolled back: neither stays */
	CHECK_INT(store_obs_add(st, run, &o, NULL), 0);
	CHECK_INT(store_link_put(st, &lk[0]), 0);
	CHECK_INT(store_rollback(st), 0);
	CHECK_INT(store_link_iter(st, count_links, &nl), 0);
	CHECK_INT(nl, 0);
	CHECK_INT(store_begin(st), 0); /* committed: all of it, the second sighting merged */
	CHECK_INT(store_obs_add(st, run, &o, NULL), 0);
	for (int i = 0; i < 40; i++) {
		lk[1].last_seen = 1700000100 + i;
		CHECK_INT(store_link_put(st, &lk[i % 2]), 0);
	}
	CHECK_INT(store_run_progress(st, run, 7), 0);
	CHECK_INT(store_commit(st), 0);
	CHECK_INT(store_link_iter(st, count_links, &nl), 0);
	CHECK_INT(nl, 2);
	CHECK_INT(store_begin(st), 0); /* a link of an unknown run: the commit says so, nothing stays */
	CHECK_INT(store_obs_add(st, run, &o, NULL), 0);
	lk[0].run_id = 999;
	str_set(lk[0].a_port, sizeof(lk[0].a_port), "Gi0/9");
	rc = store_link_put(st, &lk[0]);
	CHECK_INT(rc ? rc : store_commit(st), TM_EINVAL);
	if (rc)
		store_rollback(st);
	nl = 0;
	CHECK_INT(store_link_iter(st, count_links, &nl), 0);
	CHECK_INT(nl, 2);
	CHECK_INT(store_obs_count(st), 3);

	CHECK_INT(store_begin(st), 0); /* closing inside a transaction rolls it back */
	CHECK_INT(store_obs_add(st, 0, &o, NULL), 0);
	store_close(st);

	st = open_ok(p); /* reopening keeps what was committed */
	CHECK_INT(store_obs_count(st), 3);
	nl = 0;
	CHECK_INT(store_link_iter(st, count_links, &nl), 0);
	CHECK_INT(nl, 2);
	CHECK_INT(store_site_get(st, "S1", &sr), 0);
	CHECK_STR(sr.name, "Depot");
	asset_fill(&a, "ip:/10.1.0.1", "huawei", "huawei", "S1", 0.5);
	CHECK_INT(store_asset_put(st, &a), 0);
	store_close(st);
	st = open_ok(p);
	CHECK_INT(store_asset_get(st, "ip:/10.1.0.1", &a), 0);
	CHECK_STR(a.vendor, "huawei");
	CHECK_INT(store_check(st), 0);
	store_close(st);
	unlink_db(p);
}

/* ---- bulk ---- */

#define BULK 100000

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* Value i: 1..200 bytes of a pattern with NULs, and its length folded into the sum. */
static size_t bulk_value(long i, uint8_t *v)
{
	size_t n = 1 + (size_t)(i * 2654435761UL % 200);

	for (size_t k = 0; k < n; k++)
		v[k] = (uint8_t)((i + k * 31) % 256);
	return n;
}

struct sum {
	uint64_t h;
	long n;
	int64_t last_id;
	int order_ok;
};

static int sum_obs(void *ctx, int64_t id, const struct obs *o)
{
	struct sum *s = ctx;
	uint8_t len[4] = {(uint8_t)o->len, (uint8_t)(o->len >> 8)};

	s->order_ok &= id > s->last_id;
	s->last_id = id;
	s->h = fnv(fnv(s->h, len, 2), o->value, o->len);
	s->n++;
	return 0;
}

static void test_bulk(void)
{
	struct sum want = {.h = 14695981039346656037ULL, .order_ok = 1};
	struct sum got = want;
	struct store *st;
	struct obs o;
	uint8_t v[256];
	int64_t run;
	double t0, t1, t2;
	char p[512];
	int bad = 0;

	path(p, sizeof(p), "bulk.db");
	st = open_ok(p);
	obs_fill(&o, OBS_SNMP_SYSDESCR, "", NULL, 0);
	o.port = 161, o.proto = 17;
	t0 = now_ms();
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_run_start(st, "bench", "", &run), 0);
	for (long i = 0; i < BULK; i++) {
		o.len = bulk_value(i, v);
		o.value = v;
		snprintf(o.addr, sizeof(o.addr), "10.%ld.%ld.%ld", i >> 16, (i >> 8) & 255, i & 255);
		sum_obs(&want, i + 1, &o);
		bad += store_obs_add(st, run, &o, NULL) != 0;
	}
	CHECK_INT(store_run_finish(st, run, BULK, 0, "ok"), 0);
	CHECK_INT(store_commit(st), 0);
	t1 = now_ms();
	CHECK_INT(bad, 0);
	CHECK_INT(store_obs_count(st), BULK);
	CHECK_INT(store_obs_iter(st, sum_obs, &got), 0);
	t2 = now_ms();
	CHECK_INT(got.n, BULK);
	CHECK(got.order_ok);
	CHECK(got.h == want.h);
	printf("test_store: %d observations inserted in one transaction in %.0f ms (%.2f us each); "
	       "read back and summed in %.0f ms\n", BULK, t1 - t0, (t1 - t0) * 1e3 / BULK, t2 - t1);
	store_close(st);
	unlink_db(p);
}

/* ---- two handles on one file ---- */

/* The child: takes the write lock, says so on fd, holds it 300 ms, commits 1000 rows. */
static void writer_child(const char *p, int fd)
{
	char eb[TM_ERRLEN];
	struct store *st = NULL;
	struct obs o;
	int ok = store_open(&st, p, eb, sizeof(eb)) == 0 && store_begin(st) == 0;

	obs_fill(&o, OBS_FTP_BANNER, "10.9.0.1", "220 ready", 9);
	for (int i = 0; ok && i < 1000; i++)
		ok = store_obs_add(st, 0, &o, NULL) == 0;
	if (write(fd, ok ? "1" : "0", 1) != 1)
		ok = 0;
	usleep(300 * 1000);
	ok = ok && store_commit(st) == 0;
	store_close(st);
	_exit(ok ? 0 : 1);
}

/* The child on PostgreSQL: writes 1000 rows in a transaction, says so on out, commits when told on in. */
static void writer_child_pg(const char *p, int out, int in)
{
	char eb[TM_ERRLEN], c = 0;
	struct store *st = NULL;
	struct obs o;
	int ok = store_open(&st, p, eb, sizeof(eb)) == 0 && store_begin(st) == 0;

	obs_fill(&o, OBS_FTP_BANNER, "10.9.0.1", "220 ready", 9);
	for (int i = 0; ok && i < 1000; i++)
		ok = store_obs_add(st, 0, &o, NULL) == 0;
	if (write(out, ok ? "1" : "0", 1) != 1 || read(in, &c, 1) != 1)
		ok = 0;
	ok = ok && store_commit(st) == 0;
	store_close(st);
	_exit(ok ? 0 : 1);
}

/* PostgreSQL: writers do not exclude each other; each sees only what was committed. */
static void test_two_handles_pg(const char *p, struct store *a, struct store *b, struct obs *o)
{
	int up[2], down[2], status = -1;
	pid_t pid;
	char c = 0;

	CHECK_INT(store_begin(a), 0);
	CHECK_INT(store_obs_add(a, 0, o, NULL), 0);
	CHECK_INT(store_begin(b), 0);
	CHECK_INT(store_obs_add(b, 0, o, NULL), 0);
	CHECK_INT(store_obs_count(b), 2); /* its own row, not a's uncommitted one */
	CHECK_INT(store_commit(b), 0);
	CHECK_INT(store_commit(a), 0);
	CHECK_INT(store_obs_count(a), 3);
	CHECK_INT(store_obs_count(b), 3);
	store_close(a);
	store_close(b);

	if (pipe(up) || pipe(down))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		writer_child_pg(p, up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	CHECK(read(up[0], &c, 1) == 1);
	close(up[0]);
	CHECK_INT(c, '1');
	b = open_ok(p);
	CHECK_INT(store_begin(b), 0); /* does not wait for the child's open transaction */
	CHECK_INT(store_obs_count(b), 3);
	CHECK_INT(store_obs_add(b, 0, o, NULL), 0);
	CHECK_INT(store_commit(b), 0);
	CHECK(write(down[1], "g", 1) == 1);
	close(down[1]);
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_INT(store_obs_count(b), 1004);
	CHECK_INT(store_check(b), 0);
	store_close(b);
	unlink_db(p);
}

static void test_two_handles(void)
{
	struct store *a, *b;
	struct obs o;
	char p[512], c = 0;
	int fds[2], status = -1;
	pid_t pid;

	path(p, sizeof(p), "two.db");
	a = open_ok(p);
	b = open_ok(p);
	obs_fill(&o, OBS_FTP_BANNER, "10.9.0.2", "220 hello", 9);
	CHECK_INT(store_obs_add(a, 0, &o, NULL), 0);

	if (pg_url) {
		test_two_handles_pg(p, a, b, &o);
		return;
	}
	/* a writes; b may read the last committed state, and b's write waits then fails clearly */
	CHECK_INT(store_begin(a), 0);
	CHECK_INT(store_obs_add(a, 0, &o, NULL), 0);
	CHECK_INT(store_set_busy_timeout(b, 100), 0);
	CHECK_INT(store_obs_count(b), 1);
	CHECK_INT(store_begin(b), TM_ETIMEOUT);
	CHECK(strstr(store_errmsg(b), "database is locked") != NULL);
	CHECK_INT(store_obs_add(b, 0, &o, NULL), TM_ETIMEOUT); /* outside a transaction too */
	CHECK_INT(store_commit(a), 0);
	CHECK_INT(store_begin(b), 0);
	CHECK_INT(store_obs_add(b, 0, &o, NULL), 0);
	CHECK_INT(store_commit(b), 0);
	CHECK_INT(store_obs_count(a), 3);
	CHECK_INT(store_obs_count(b), 3);
	store_close(a);
	store_close(b);

	/* another process holds the write lock: our begin waits for it (serialized) */
	if (pipe(fds))
		return;
	fflush(stdout); /* the child must not print our buffered lines again */
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		writer_child(p, fds[1]);
	}
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 1);
	close(fds[0]);
	CHECK_INT(c, '1');
	b = open_ok(p);
	CHECK_INT(store_begin(b), 0); /* waits up to 5 s for the child */
	CHECK_INT(store_obs_count(b), 1003);
	CHECK_INT(store_obs_add(b, 0, &o, NULL), 0);
	CHECK_INT(store_commit(b), 0);
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_INT(store_obs_count(b), 1004);
	CHECK_INT(store_check(b), 0);
	store_close(b);
	unlink_db(p);
}

int main(void)
{
	const char *u = getenv("TM_TEST_DB_URL");

	if (u && (!strncmp(u, "postgresql://", 13) || !strncmp(u, "postgres://", 11))) {
		pg_url = u;
		printf("test_store: on PostgreSQL (TM_TEST_DB_URL)\n");
	}
	str_set(dir, sizeof(dir), "/tmp/tm-store-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	test_open_errors();
	test_obs();
	test_obs_run();
	test_sites();
	test_assets();
	test_views();
	test_tx();
	test_bulk();
	test_two_handles();
	rmdir(dir);
	return check_done("test_store");
}
