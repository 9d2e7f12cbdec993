/*
 * test_store_bulk.c - a rebuild of the assets as attr_build writes it (one
 * transaction: store_assets_clear, then assets and their evidence), which
 * the PostgreSQL backend keeps and sends by COPY (store/pg_bulk.c) instead
 * of row by row: the same answers as row by row, on both backends.  Ids
 * given at once, unique and increasing; a duplicate key and evidence of an
 * asset not put refused at once; evidence naming an unknown observation
 * refused at the put or the commit, the store unchanged; rows read back
 * inside the transaction; enough rows to be sent in several parts; rollback
 * keeps the assets before; a savepoint rolled back takes its rows only.
 * With TM_TEST_DB_URL=postgresql://... on PostgreSQL, each database a schema
 * of its own (tests/e2e/store_pg.sh).
 */
#include "check.h"
#include "core/err.h"
#include "core/str.h"
#include "store/store.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <unistd.h>

#define NBIG 30000 /* assets of the big rebuild: its rows pass the backend's send bound (4 MiB) */

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
	snprintf(out, n, "%s%coptions=-csearch_path%%3Dk_%s", pg_url, strchr(pg_url, '?') ? '&' : '?', name);
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS k_%s CASCADE; CREATE SCHEMA k_%s", name, name);
	pg_exec(pg_url, sql);
}

static void unlink_db(const char *p)
{
	char b[600];

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

/* Asset i of a rebuild: every field set from i (generation g tells two rebuilds apart). */
static void asset_make(struct asset_rec *a, int i, int g)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->key, sizeof(a->key), "ip:/10.%d.%d.%d", g, i / 256, i % 256);
	snprintf(a->addr, sizeof(a->addr), "10.%d.%d.%d", g, i / 256, i % 256);
	if (i % 3 == 0)
		snprintf(a->mac, sizeof(a->mac), "00:e0:fc:%02x:%02x:%02x", g, (i >> 8) & 0xff, i & 0xff);
	str_set(a->scope, sizeof(a->scope), i % 5 ? "" : "vrf-a");
	snprintf(a->site, sizeof(a->site), "S%d", i % 7);
	str_set(a->vendor, sizeof(a->vendor), i % 2 ? "huawei" : "zte");
	str_set(a->family, sizeof(a->family), i % 2 ? "huawei" : "zte");
	snprintf(a->product, sizeof(a->product), "VRP \xc3\xa9 %d", i); /* valid UTF-8 */
	snprintf(a->model, sizeof(a->model), "M%d", i % 11);
	snprintf(a->version, sizeof(a->version), "5.%d", i % 13);
	str_set(a->role, sizeof(a->role), i % 4 ? "router" : "");
	a->conf = (i % 100) / 100.0 + 0.001;
	a->flags = (unsigned)i * 2654435761u;
	str_set(a->declared_vendor, sizeof(a->declared_vendor), i % 9 ? "" : "nokia");
	str_set(a->component_vendor, sizeof(a->component_vendor), i % 10 ? "" : "hisilicon");
	str_set(a->hint_vendor, sizeof(a->hint_vendor), i % 6 ? "" : "h3c");
	a->first_seen = 1700000000 + i;
	a->last_seen = 1700000600 + 2 * i;
	a->n_obs = 1 + i % 17;
}

static struct ev_rec ev_make(int64_t asset, int64_t obs, int i, int j)
{
	struct ev_rec e;

	memset(&e, 0, sizeof(e));
	e.asset_id = asset;
	e.obs_id = obs;
	str_set(e.kind, sizeof(e.kind), j ? "snmp_sysdescr" : "mac");
	str_set(e.vendor, sizeof(e.vendor), i % 2 ? "huawei" : "zte");
	snprintf(e.vendor_raw, sizeof(e.vendor_raw), "RAW\xff%d", i); /* not UTF-8: made so by the store */
	snprintf(e.product, sizeof(e.product), "P%d", j);
	snprintf(e.rule, sizeof(e.rule), "rule:%d", j);
	e.strength = 4 - j;
	e.conf = 0.9 - 0.1 * j;
	e.conflict = j == 2;
	return e;
}

struct count {
	long n;
	int64_t last_id;
	int ordered;
};

static int count_asset(void *vc, const struct asset_rec *a)
{
	struct count *c = vc;

	c->ordered &= a->id > c->last_id;
	c->last_id = a->id;
	c->n++;
	return 0;
}

static long n_assets(struct store *st)
{
	struct count c = {.ordered = 1};

	CHECK_INT(store_asset_iter(st, NULL, count_asset, &c), 0);
	CHECK(c.ordered);
	return c.n;
}

struct evs {
	int n;
	struct ev_rec e[4];
	size_t len[4];
	uint8_t v0[4];
};

static int collect_ev(void *vc, const struct ev_rec *e)
{
	struct evs *l = vc;

	if (l->n < 4) {
		l->e[l->n] = *e;
		l->len[l->n] = e->len;
		l->v0[l->n] = e->len ? e->value[0] : 0;
	}
	l->n++;
	return 0;
}

/* Asset i of generation g as stored, field by field, with its three evidence rows. */
static void check_asset(struct store *st, int i, int g, int64_t obs)
{
	struct asset_rec want, got;
	struct evs l = {0};

	asset_make(&want, i, g);
	memset(&got, 0, sizeof(got));
	CHECK_INT(store_asset_get(st, want.key, &got), 0);
	CHECK_STR(got.key, want.key);
	CHECK_STR(got.mac, want.mac);
	CHECK_STR(got.addr, want.addr);
	CHECK_STR(got.scope, want.scope);
	CHECK_STR(got.site, want.site);
	CHECK_STR(got.vendor, want.vendor);
	CHECK_STR(got.family, want.family);
	CHECK_STR(got.product, want.product);
	CHECK_STR(got.model, want.model);
	CHECK_STR(got.version, want.version);
	CHECK_STR(got.role, want.role);
	CHECK_NEAR(got.conf, want.conf, 1e-12);
	CHECK_INT(got.flags, want.flags);
	CHECK_STR(got.declared_vendor, want.declared_vendor);
	CHECK_STR(got.component_vendor, want.component_vendor);
	CHECK_STR(got.hint_vendor, want.hint_vendor);
	CHECK_INT(got.first_seen, want.first_seen);
	CHECK_INT(got.last_seen, want.last_seen);
	CHECK_INT(got.n_obs, want.n_obs);
	CHECK_INT(store_evidence_iter(st, got.id, collect_ev, &l), 0);
	CHECK_INT(l.n, 3);
	if (l.n != 3)
		return;
	for (int j = 0; j < 3; j++) { /* strongest first: j = 0, 1, 2 */
		CHECK_INT(l.e[j].asset_id, got.id);
		CHECK_INT(l.e[j].strength, 4 - j);
		CHECK_NEAR(l.e[j].conf, 0.9 - 0.1 * j, 1e-12);
		CHECK_INT(l.e[j].conflict, j == 2);
		CHECK_STR(l.e[j].kind, j ? "snmp_sysdescr" : "mac");
		CHECK_INT(l.e[j].obs_id, j == 1 ? 0 : obs);
		CHECK_INT(l.len[j], j == 1 ? 0 : 5);
		CHECK_INT(l.v0[j], j == 1 ? 0 : 'h');
	}
	CHECK_INT(strncmp(l.e[0].vendor_raw, "RAW", 3), 0);
}

/* One rebuild of generation g with n assets (three evidence rows each); ids into ids[]. */
static int rebuild(struct store *st, int n, int g, int64_t obs, int64_t *ids)
{
	struct asset_rec a;
	int bad = 0;

	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_assets_clear(st), 0);
	for (int i = 0; i < n; i++) {
		asset_make(&a, i, g);
		a.id = -5;
		if (store_asset_put(st, &a)) {
			bad++;
			continue;
		}
		ids[i] = a.id;
		bad += a.id <= 0 || (i && a.id <= ids[i - 1]);
		for (int j = 0; j < 3; j++) {
			struct ev_rec e = ev_make(a.id, j == 1 ? 0 : obs, i, j);

			bad += store_evidence_put(st, &e) != 0;
		}
	}
	CHECK_INT(bad, 0);
	return bad;
}

static void test_rebuild(const char *p)
{
	static int64_t ids[NBIG];
	struct store *st = open_ok(p);
	struct asset_rec a;
	struct ev_rec e;
	struct obs o;
	struct evs l = {0};
	int64_t obs = 0;

	if (!st)
		return;
	memset(&o, 0, sizeof(o));
	o.time = 1700000000;
	str_set(o.source, sizeof(o.source), "scan");
	str_set(o.addr, sizeof(o.addr), "10.0.0.1");
	o.kind = OBS_SNMP_SYSDESCR;
	o.value = (const uint8_t *)"hello";
	o.len = 5;
	CHECK_INT(store_obs_add(st, 0, &o, &obs), 0);

	/* before any rebuild: two assets row by row (no transaction) */
	asset_make(&a, 1, 99);
	CHECK_INT(store_asset_put(st, &a), 0);
	asset_make(&a, 2, 99);
	CHECK_INT(store_asset_put(st, &a), 0);
	CHECK_INT(n_assets(st), 2);

	/* a rebuild of NBIG assets: the first two old ones gone, every field back */
	if (rebuild(st, NBIG, 1, obs, ids))
		goto out;
	asset_make(&a, 17, 1); /* the same key again: refused at once, with the key in the message */
	CHECK_INT(store_asset_put(st, &a), TM_EINVAL);
	CHECK(strstr(store_errmsg(st), "ip:/10.1.0.17") != NULL);
	e = ev_make(ids[NBIG - 1] + 1000000, obs, 0, 0); /* evidence of an asset not put: refused at once */
	CHECK_INT(store_evidence_put(st, &e), TM_EINVAL);
	check_asset(st, 3, 1, obs); /* read inside the transaction: the kept rows are there */
	CHECK_INT(store_commit(st), 0);
	CHECK_INT(n_assets(st), NBIG);
	asset_make(&a, 1, 99);
	CHECK_INT(store_asset_get(st, a.key, &a), TM_ENOTFOUND);
	check_asset(st, 0, 1, obs);
	check_asset(st, 12345, 1, obs);
	check_asset(st, NBIG - 1, 1, obs);

	/* a rebuild rolled back: the one before stays */
	if (!rebuild(st, 100, 2, obs, ids))
		CHECK_INT(store_rollback(st), 0);
	CHECK_INT(n_assets(st), NBIG);
	check_asset(st, 99, 1, obs);

	/* evidence naming an unknown observation: refused at its put (SQLite) or the commit (kept rows) */
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_assets_clear(st), 0);
	asset_make(&a, 5, 3);
	CHECK_INT(store_asset_put(st, &a), 0);
	e = ev_make(a.id, obs + 424242, 5, 0);
	if (store_evidence_put(st, &e) == TM_EINVAL) {
		CHECK(1);
		store_rollback(st);
	} else {
		CHECK_INT(store_commit(st), TM_EINVAL);
		CHECK(strstr(store_errmsg(st), "observation") != NULL);
	}
	CHECK_INT(n_assets(st), NBIG);

	/* a savepoint inside a rebuild: rolled back, it takes its own rows only */
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_assets_clear(st), 0);
	asset_make(&a, 1, 4);
	CHECK_INT(store_asset_put(st, &a), 0);
	e = ev_make(a.id, obs, 1, 0);
	CHECK_INT(store_evidence_put(st, &e), 0);
	CHECK_INT(store_begin(st), 0);
	asset_make(&a, 2, 4);
	CHECK_INT(store_asset_put(st, &a), 0);
	CHECK_INT(store_rollback(st), 0);
	asset_make(&a, 3, 4);
	CHECK_INT(store_asset_put(st, &a), 0);
	e = ev_make(a.id, obs, 3, 0);
	CHECK_INT(store_evidence_put(st, &e), 0);
	asset_make(&a, 2, 4); /* its key is free again */
	CHECK_INT(store_asset_put(st, &a), 0);
	CHECK_INT(store_commit(st), 0);
	CHECK_INT(n_assets(st), 3);
	asset_make(&a, 1, 4);
	CHECK_INT(store_asset_get(st, a.key, &a), 0);
	CHECK_INT(store_evidence_iter(st, a.id, collect_ev, &l), 0);
	CHECK_INT(l.n, 1);

	/* a clear outside a transaction, then puts row by row as before */
	CHECK_INT(store_assets_clear(st), 0);
	CHECK_INT(n_assets(st), 0);
	asset_make(&a, 7, 5);
	CHECK_INT(store_asset_put(st, &a), 0);
	CHECK_INT(store_asset_put(st, &a), TM_EINVAL);
	CHECK_INT(n_assets(st), 1);
out:
	store_close(st);
}

int main(void)
{
	const char *u = getenv("TM_TEST_DB_URL");
	char p[512];

	if (u && (!strncmp(u, "postgresql://", 13) || !strncmp(u, "postgres://", 11))) {
		pg_url = u;
		printf("test_store_bulk: on PostgreSQL (TM_TEST_DB_URL)\n");
	}
	str_set(dir, sizeof(dir), "/tmp/tm-bulk-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	make_db(p, sizeof(p), "a");
	test_rebuild(p);
	unlink_db(p);
	rmdir(dir);
	return check_done("test_store_bulk");
}
