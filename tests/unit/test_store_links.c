/*
 * test_store_links.c - topology links in the store: insert, the same link
 * seen again widens first/last seen and keeps the older run, order of
 * iteration, ends required, early stop, a version-1 database migrated to
 * the links table on open, and values read back cut to their arrays.
 * With TM_TEST_DB_URL=postgresql://... the same on PostgreSQL, each
 * database a schema of its own (tests/e2e/store_pg.sh).
 */
#include "check.h"
#include "core/err.h"
#include "core/str.h"
#include "store/pg_schema.h"
#include "store/schema.h"
#include "store/store.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];
static const char *pg_url; /* TM_TEST_DB_URL when it names a PostgreSQL server */

static int pg_exec(const char *url, const char *text)
{
	PGconn *c = PQconnectdb(url);
	PGresult *r;
	int ok;

	if (PQstatus(c) == CONNECTION_OK)
		PQclear(PQexec(c, "SET client_min_messages = warning"));
	r = PQstatus(c) == CONNECTION_OK ? PQexec(c, text) : NULL;
	ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : -1;
}

/* A new empty store named name: a file, or a schema of its own on the server. */
static void make_db(char *out, size_t n, const char *name)
{
	char sql[160];

	if (!pg_url) {
		snprintf(out, n, "%s/%s.db", dir, name);
		return;
	}
	snprintf(out, n, "%s%coptions=-csearch_path%%3Dl_%s", pg_url, strchr(pg_url, '?') ? '&' : '?', name);
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS l_%s CASCADE; CREATE SCHEMA l_%s", name, name);
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

static struct store *open_ok(const char *p)
{
	char eb[TM_ERRLEN] = "";
	struct store *st = NULL;
	int rc = store_open(&st, p, eb, sizeof(eb));

	CHECK_INT(rc, 0);
	if (rc)
		fprintf(stderr, "store_open(%s): %s\n", p, eb);
	return st;
}

static struct link_rec mk(int64_t run, const char *a, const char *ap, const char *b, const char *bp,
			  const char *src, int64_t first, int64_t last)
{
	struct link_rec l;

	memset(&l, 0, sizeof(l));
	l.run_id = run;
	str_set(l.a_key, sizeof(l.a_key), a);
	str_set(l.a_port, sizeof(l.a_port), ap);
	str_set(l.b_key, sizeof(l.b_key), b);
	str_set(l.b_port, sizeof(l.b_port), bp);
	str_set(l.source, sizeof(l.source), src);
	l.first_seen = first;
	l.last_seen = last;
	return l;
}

struct got {
	struct link_rec r[16];
	int n, stop_at;
};

static int collect(void *vc, const struct link_rec *l)
{
	struct got *g = vc;

	if (g->n < 16)
		g->r[g->n] = *l;
	g->n++;
	return g->stop_at && g->n == g->stop_at ? 7 : 0;
}

static void test_put_iter(const char *p)
{
	struct store *st = open_ok(p);
	struct link_rec l;
	struct got g = {0};
	int64_t r1 = 0, r2 = 0;

	if (!st)
		return;
	CHECK_INT(store_run_start(st, "sniff", "a.pcap", &r1), 0);
	CHECK_INT(store_run_start(st, "sniff", "b.pcap", &r2), 0);
	CHECK(r1 > 0 && r2 > r1);
	l = mk(r2, "mac:00:e0:fc:00:00:01", "GE0/0/1", "mac:00:1b:54:00:00:02", "Gi1/0/24", "lldp", 200, 230);
	CHECK_INT(store_link_put(st, &l), 0);
	/* the same link from the older run, earlier and later: widened, older run kept */
	l = mk(r1, "mac:00:e0:fc:00:00:01", "GE0/0/1", "mac:00:1b:54:00:00:02", "Gi1/0/24", "lldp", 100, 150);
	CHECK_INT(store_link_put(st, &l), 0);
	l = mk(r2, "mac:00:e0:fc:00:00:01", "GE0/0/1", "mac:00:1b:54:00:00:02", "Gi1/0/24", "lldp", 300, 400);
	CHECK_INT(store_link_put(st, &l), 0);
	/* another port of the same pair is another link; no run; unknown b port */
	l = mk(0, "mac:00:e0:fc:00:00:01", "GE0/0/2", "capture:eth0", "", "cdp", 50, 50);
	CHECK_INT(store_link_put(st, &l), 0);
	l = mk(r1, "ip:/10.0.0.1", "", "mac:00:e0:fc:00:00:01", "GE0/0/9", "cdp", 10, 20);
	CHECK_INT(store_link_put(st, &l), 0);
	/* ends required */
	l = mk(r1, "", "x", "mac:00:e0:fc:00:00:01", "", "lldp", 1, 1);
	CHECK_INT(store_link_put(st, &l), TM_EINVAL);
	l = mk(r1, "mac:00:e0:fc:00:00:01", "x", "", "", "lldp", 1, 1);
	CHECK_INT(store_link_put(st, &l), TM_EINVAL);
	CHECK(strstr(store_errmsg(st), "both ends") != NULL);
	CHECK_INT(store_link_put(st, NULL), TM_EINVAL);
	CHECK_INT(store_link_iter(st, NULL, NULL), TM_EINVAL);

	CHECK_INT(store_link_iter(st, collect, &g), 0);
	CHECK_INT(g.n, 3);
	CHECK_STR(g.r[0].a_key, "ip:/10.0.0.1");
	CHECK_STR(g.r[0].b_port, "GE0/0/9");
	CHECK_STR(g.r[0].source, "cdp");
	CHECK_INT(g.r[0].run_id, r1);
	CHECK_STR(g.r[1].a_port, "GE0/0/1");
	CHECK_STR(g.r[1].b_key, "mac:00:1b:54:00:00:02");
	CHECK_STR(g.r[1].b_port, "Gi1/0/24");
	CHECK_STR(g.r[1].source, "lldp");
	CHECK_INT(g.r[1].run_id, r1);
	CHECK_INT(g.r[1].first_seen, 100);
	CHECK_INT(g.r[1].last_seen, 400);
	CHECK(g.r[1].id > 0);
	CHECK_STR(g.r[2].a_port, "GE0/0/2");
	CHECK_STR(g.r[2].b_key, "capture:eth0");
	CHECK_STR(g.r[2].b_port, "");
	CHECK_INT(g.r[2].run_id, 0);
	CHECK_INT(g.r[2].first_seen, 50);
	/* early stop returns the callback's value */
	memset(&g, 0, sizeof(g));
	g.stop_at = 2;
	CHECK_INT(store_link_iter(st, collect, &g), 7);
	CHECK_INT(g.n, 2);
	/* inside a transaction, rolled back: gone */
	CHECK_INT(store_begin(st), 0);
	l = mk(r1, "mac:aa:aa:aa:aa:aa:aa", "p", "mac:bb:bb:bb:bb:bb:bb", "q", "lldp", 1, 2);
	CHECK_INT(store_link_put(st, &l), 0);
	CHECK_INT(store_rollback(st), 0);
	memset(&g, 0, sizeof(g));
	CHECK_INT(store_link_iter(st, collect, &g), 0);
	CHECK_INT(g.n, 3);
	store_close(st);
}

/* Text longer than the arrays, written by hand, reads back cut and terminated. */
static void test_long_values(const char *p)
{
	struct store *st;
	struct got g = {0};
	char sql[2048], big[300];

	if (!(st = open_ok(p)))
		return;
	store_close(st);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	snprintf(sql, sizeof(sql),
		 "INSERT INTO links(run_id, a_key, a_port, b_key, b_port, source, first_seen, last_seen) "
		 "VALUES (NULL, 'a%s', '%s', 'b', '', '%s', 1, 2)", big, big, big);
	CHECK_INT(raw_sql(p, sql), SQLITE_OK);
	if (!(st = open_ok(p)))
		return;
	CHECK_INT(store_link_iter(st, collect, &g), 0);
	CHECK_INT(g.n, 1);
	CHECK_INT(strlen(g.r[0].a_key), sizeof(g.r[0].a_key) - 1);
	CHECK_INT(strlen(g.r[0].a_port), sizeof(g.r[0].a_port) - 1);
	CHECK_INT(strlen(g.r[0].source), sizeof(g.r[0].source) - 1);
	store_close(st);
}

/* A database at schema version 1 (before links), made by migration 0 alone, gets the table on open. */
static void test_migrate(const char *p)
{
	struct store *st;
	struct link_rec l;
	struct got g = {0};
	char sql[64];

	CHECK_INT(raw_sql(p, pg_url ? store_pg_migrations[0] : store_sqlite_migrations[0]), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", STORE_SQLITE_APP_ID);
	if (!pg_url)
		CHECK_INT(raw_sql(p, sql), SQLITE_OK);
	CHECK_INT(raw_sql(p, "UPDATE meta SET value = '1' WHERE key = 'schema_version';"
			     "INSERT INTO runs(kind, started) VALUES ('scan', 1)"),
		  SQLITE_OK);
	CHECK(raw_sql(p, "SELECT * FROM links") != SQLITE_OK);
	if (!(st = open_ok(p)))
		return;
	l = mk(1, "mac:00:00:00:00:00:01", "1", "mac:00:00:00:00:00:02", "2", "lldp", 5, 6);
	CHECK_INT(store_link_put(st, &l), 0);
	CHECK_INT(store_link_iter(st, collect, &g), 0);
	CHECK_INT(g.n, 1);
	CHECK_INT(g.r[0].run_id, 1);
	store_close(st);
	CHECK_INT(raw_sql(p, "SELECT * FROM links"), SQLITE_OK);
}

static int count_ev(void *ctx, const struct ev_rec *e)
{
	(void)e;
	++*(int *)ctx;
	return 0;
}

/*
 * A database at schema version 6, made by migrations 0-5 alone, with an
 * asset and its evidence: opened, it is at version 7 -- evidence_obs gone
 * on both backends, evidence's foreign keys gone on PostgreSQL (kept on
 * SQLite) -- its rows intact, and references still refused by the store.
 */
static void test_migrate7(const char *p)
{
	static const char fks[] = "DO $$ BEGIN IF (SELECT count(*) FROM pg_constraint WHERE conrelid = "
				  "'evidence'::regclass AND contype = 'f') <> %d THEN RAISE EXCEPTION 'fks'; END IF; END $$";
	char sql[256];
	struct store *st;
	struct ev_rec e = {.asset_id = 1, .kind = "oui", .vendor = "Huawei", .rule = "oui:x", .strength = 2};
	int n = 0;

	for (int i = 0; i < 6; i++)
		CHECK_INT(raw_sql(p, pg_url ? store_pg_migrations[i] : store_sqlite_migrations[i]), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", STORE_SQLITE_APP_ID);
	if (!pg_url)
		CHECK_INT(raw_sql(p, sql), SQLITE_OK);
	CHECK_INT(raw_sql(p, "UPDATE meta SET value = '6' WHERE key = 'schema_version';"
			     "INSERT INTO assets(id, key, mac, addr, scope, ref, site, vendor, family, product, model, "
			     "version, role, conf, flags, declared_vendor, component_vendor, hint_vendor, first_seen, "
			     "last_seen, n_obs) VALUES (1, 'mac:00:e0:fc:00:00:01', '00:e0:fc:00:00:01', '', '', '', '', "
			     "'Huawei', 'huawei', '', '', '', '', 0.5, 0, '', '', '', 1, 1, 1);"
			     "INSERT INTO evidence(asset_id, obs_id, kind, vendor, vendor_raw, product, version, rule, "
			     "strength, conf, conflict) VALUES (1, NULL, 'oui', 'Huawei', '', '', '', 'oui:x', 2, 0.5, 0)"),
		  SQLITE_OK);
	if (pg_url) {
		snprintf(sql, sizeof(sql), fks, 2);
		CHECK_INT(raw_sql(p, sql), SQLITE_OK); /* both keys there at version 6 */
		CHECK_INT(raw_sql(p, "SELECT 'evidence_obs'::regclass"), SQLITE_OK);
	} else {
		CHECK_INT(raw_sql(p, "SELECT 1 FROM evidence INDEXED BY evidence_obs"), SQLITE_OK);
	}
	if (!(st = open_ok(p)))
		return;
	CHECK_INT(store_evidence_put(st, &e), 0);
	e.asset_id = 2; /* no such asset: refused without a foreign key too */
	CHECK_INT(store_evidence_put(st, &e), TM_EINVAL);
	e.asset_id = 1, e.obs_id = 77;
	CHECK_INT(store_evidence_put(st, &e), TM_EINVAL);
	CHECK_INT(store_evidence_iter(st, 1, count_ev, &n), 0);
	CHECK_INT(n, 2); /* the one from version 6 and the one put */
	store_close(st);
	if (pg_url) {
		snprintf(sql, sizeof(sql), fks, 0);
		CHECK_INT(raw_sql(p, sql), SQLITE_OK);
		CHECK(raw_sql(p, "SELECT 'evidence_obs'::regclass") != SQLITE_OK);
	} else {
		CHECK(raw_sql(p, "SELECT 1 FROM evidence INDEXED BY evidence_obs") != SQLITE_OK);
	}
}

int main(void)
{
	const char *u = getenv("TM_TEST_DB_URL");
	char p[512];

	if (u && (!strncmp(u, "postgresql://", 13) || !strncmp(u, "postgres://", 11))) {
		pg_url = u;
		printf("test_store_links: on PostgreSQL (TM_TEST_DB_URL)\n");
	}
	str_set(dir, sizeof(dir), "/tmp/tm-links-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	make_db(p, sizeof(p), "a");
	test_put_iter(p);
	unlink_db(p);
	make_db(p, sizeof(p), "b");
	test_long_values(p);
	unlink_db(p);
	make_db(p, sizeof(p), "c");
	test_migrate(p);
	unlink_db(p);
	make_db(p, sizeof(p), "d");
	test_migrate7(p);
	unlink_db(p);
	rmdir(dir);
	return check_done("test_store_links");
}
