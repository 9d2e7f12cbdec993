/*
 * test_store_evmany.c - store_evidence_put_many (the asset rebuild's batched
 * evidence writes) against store_evidence_put one row at a time: the same
 * rows with the same ids, and on a failure the same rows kept before it and
 * the same message, whether the failing row is in a multi-row batch or in
 * the rows after the last whole batch.
 */
#include "check.h"

#include "core/err.h"
#include "core/str.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#define NOBS 3

static char dir[64];

struct fixture {
	struct store *st;
	char path[128];
	int64_t asset[2], obs[NOBS];
};

static int open_fixture(struct fixture *f, const char *name)
{
	static const char *const vals[NOBS] = {"00:e0:fc:01:02:03", "SSH-2.0-HUAWEI-1.5", "ZXHN F660"};
	char eb[TM_ERRLEN] = "";
	struct asset_rec a;
	struct obs o;
	int64_t run;

	snprintf(f->path, sizeof(f->path), "%s/%s.db", dir, name);
	if (store_open(&f->st, f->path, eb, sizeof(eb))) {
		fprintf(stderr, "store_open(%s): %s\n", f->path, eb);
		return -1;
	}
	if (store_run_start(f->st, "sniff", "", &run))
		return -1;
	for (int i = 0; i < NOBS; i++) {
		memset(&o, 0, sizeof(o));
		o.time = 1700000000 + i;
		str_set(o.source, sizeof(o.source), "sniff");
		str_set(o.addr, sizeof(o.addr), "10.0.0.1");
		o.kind = i ? OBS_SSH_BANNER : OBS_MAC;
		o.value = (const uint8_t *)vals[i];
		o.len = strlen(vals[i]);
		if (store_obs_add(f->st, run, &o, &f->obs[i]))
			return -1;
	}
	for (int i = 0; i < 2; i++) {
		memset(&a, 0, sizeof(a));
		snprintf(a.key, sizeof(a.key), "ip:/10.0.0.%d", i + 1);
		if (store_asset_put(f->st, &a))
			return -1;
		f->asset[i] = a.id;
	}
	return 0;
}

/* Row i of a test's evidence: every column varies, some rows without an observation. */
static void row(const struct fixture *f, int i, struct ev_rec *e)
{
	memset(e, 0, sizeof(*e));
	e->asset_id = f->asset[i % 2];
	e->obs_id = i % 5 == 4 ? 0 : f->obs[i % NOBS];
	snprintf(e->kind, sizeof(e->kind), "kind%d", i % 7);
	snprintf(e->vendor, sizeof(e->vendor), i % 3 ? "huawei" : "");
	snprintf(e->vendor_raw, sizeof(e->vendor_raw), "HUAWEI TECHNOLOGIES %d", i);
	snprintf(e->product, sizeof(e->product), "p'%d\"", i);
	snprintf(e->version, sizeof(e->version), "%d.%d", i, i * 7);
	snprintf(e->rule, sizeof(e->rule), "rule:%d", i);
	e->strength = i % 5;
	e->conf = i / 100.0;
	e->conflict = i % 2;
}

/* The evidence table as text, in id order. */
static void dump(const char *path, char *out, size_t n)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	size_t l = 0;

	out[0] = '\0';
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db,
			       "SELECT id, asset_id, ifnull(obs_id, 'null'), kind, vendor, vendor_raw, product, "
			       "version, rule, strength, conf, conflict FROM evidence ORDER BY id",
			       -1, &s, NULL) == SQLITE_OK)
		while (sqlite3_step(s) == SQLITE_ROW && l + 512 < n)
			for (int c = 0; c < 12; c++)
				l += (size_t)snprintf(out + l, n - l, "%s%c", (const char *)sqlite3_column_text(s, c),
						      c == 11 ? '\n' : '\t');
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/*
 * n rows, row bad (if >= 0) made to fail as how says: 'o' an unknown
 * observation, 'a' an unknown asset, '0' no asset.  The one-row and the
 * batched store must agree on the result, the message and the table.
 */
static void compare(int n, int bad, char how, int in_txn)
{
	static char d1[1 << 17], d2[1 << 17];
	struct fixture one, many;
	struct ev_rec *e = calloc((size_t)n + 1, sizeof(*e));
	char m1[TM_ERRLEN] = "", m2[TM_ERRLEN] = "";
	int rc1 = 0, rc2, kept;
	char name[64];

	snprintf(name, sizeof(name), "one-%d-%d-%c-%d", n, bad, how, in_txn);
	CHECK_INT(open_fixture(&one, name), 0);
	snprintf(name, sizeof(name), "many-%d-%d-%c-%d", n, bad, how, in_txn);
	CHECK_INT(open_fixture(&many, name), 0);
	for (int i = 0; i < n; i++) {
		row(&one, i, &e[i]);
		if (i == bad)
			how == 'o' ? (void)(e[i].obs_id = 12345) : how == 'a' ? (void)(e[i].asset_id = 999)
									     : (void)(e[i].asset_id = 0);
	}
	if (in_txn) {
		CHECK_INT(store_begin(one.st), 0);
		CHECK_INT(store_begin(many.st), 0);
	}
	for (kept = 0; kept < n && !(rc1 = store_evidence_put(one.st, &e[kept])); kept++)
		;
	str_set(m1, sizeof(m1), store_errmsg(one.st));
	rc2 = store_evidence_put_many(many.st, e, n);
	str_set(m2, sizeof(m2), store_errmsg(many.st));
	if (in_txn) {
		CHECK_INT(store_commit(one.st), 0);
		CHECK_INT(store_commit(many.st), 0);
	}
	CHECK_INT(rc2, rc1);
	CHECK_INT(rc1, bad >= 0 && bad < n ? TM_EINVAL : 0);
	CHECK_INT(kept, bad >= 0 && bad < n ? bad : n);
	if (rc1) /* the same message but for the file's name */
		CHECK_STR(strstr(m2, ".db: ") ? strstr(m2, ".db: ") : m2, strstr(m1, ".db: ") ? strstr(m1, ".db: ") : m1);
	store_close(one.st);
	store_close(many.st);
	dump(one.path, d1, sizeof(d1));
	dump(many.path, d2, sizeof(d2));
	CHECK(d1[0] != '\0' || kept == 0);
	CHECK_STR(d2, d1);
	free(e);
}

int main(void)
{
	str_set(dir, sizeof(dir), "/tmp/tm-evmany-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	/* all good: fewer than a batch, exactly one, batches and a rest */
	compare(0, -1, 'o', 0);
	compare(1, -1, 'o', 0);
	compare(31, -1, 'o', 1);
	compare(32, -1, 'o', 1);
	compare(75, -1, 'o', 0);
	compare(512, -1, 'o', 1);
	/* one bad row: in the first batch, in a later batch, in the rest, first and last */
	for (int t = 0; t < 2; t++) {
		compare(75, 5, "oa"[t], 0);
		compare(75, 40, "oa"[t], 1);
		compare(75, 70, "oa"[t], 0);
		compare(75, 0, "oa"[t], 1);
		compare(75, 74, "oa"[t], 0);
		compare(64, 63, "oa"[t], 1);
	}
	/* a row without an asset: the rows before it stay, the store's own message */
	compare(75, 10, '0', 0);
	compare(75, 50, '0', 1);
	compare(75, 0, '0', 0);
	CHECK_INT(store_evidence_put_many(NULL, NULL, 3), TM_EINVAL);
	if (!getenv("TM_KEEP")) {
		char cmd[96];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		(void)!system(cmd);
	}
	printf("test_store_evmany: %d passed, %d failed\n", chk_pass, chk_fail);
	return chk_fail != 0;
}
