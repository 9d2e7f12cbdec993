/*
 * test_store_obsmany.c - store_obs_add_many (sniff's batched observation
 * writes) against store_obs_add one row at a time on SQLite: the same rows
 * with the same ids for fewer than a batch, exactly one, batches and a
 * rest; values empty, ordinary and longer than OBS_VALUE_MAX (cut and
 * flagged); a row without its value refused alone, the others kept in
 * order; an unknown run refusing every row, each counted.
 */
#include "check.h"

#include "core/err.h"
#include "core/str.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];
static uint8_t big[OBS_VALUE_MAX + 100];

static void row(int i, struct obs *o)
{
	static const char *const vals[] = {"SSH-2.0-HUAWEI-1.5", "", "ZXHN F660", "Hikvision-Webs"};

	memset(o, 0, sizeof(*o));
	o->time = 1700000000 + i / 3;
	str_set(o->source, sizeof(o->source), "sniff");
	snprintf(o->addr, sizeof(o->addr), "10.0.%d.%d", i / 250, i % 250 + 1);
	if (i % 5 == 0)
		snprintf(o->mac, sizeof(o->mac), "00:e0:fc:00:%02x:%02x", i / 256 % 256, i % 256);
	o->port = (uint16_t)(i % 7 ? 22 : 0);
	o->proto = 6;
	o->kind = i % 2 ? OBS_SSH_BANNER : OBS_HTTP_SERVER;
	if (i % 11 == 3)
		str_set(o->probe, sizeof(o->probe), "NULL");
	if (i % 17 == 9) {
		o->value = big;
		o->len = sizeof(big);
	} else {
		o->value = (const uint8_t *)vals[i % 4];
		o->len = strlen(vals[i % 4]);
	}
	o->flags = (unsigned)(i % 3);
}

/* The observations as text, in id order. */
static void dump(const char *path, char *out, size_t n)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	size_t l = 0;

	out[0] = '\0';
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db,
			       "SELECT id, ifnull(run_id, 'null'), time, source, addr, scope, mac, ref, site, "
			       "port, proto, kind, probe, typeof(value), length(value), hex(substr(value, 1, 24)), "
			       "flags FROM observations ORDER BY id",
			       -1, &s, NULL) == SQLITE_OK)
		while (sqlite3_step(s) == SQLITE_ROW && l + 1024 < n)
			for (int c = 0; c < 17; c++)
				l += (size_t)snprintf(out + l, n - l, "%s%c", (const char *)sqlite3_column_text(s, c),
						      c == 16 ? '\n' : '\t');
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static struct store *open_db(const char *name, char *path, size_t pl, int64_t *run)
{
	struct store *st = NULL;
	char eb[TM_ERRLEN] = "";

	snprintf(path, pl, "%s/%s.db", dir, name);
	if (store_open(&st, path, eb, sizeof(eb))) {
		fprintf(stderr, "store_open(%s): %s\n", path, eb);
		return NULL;
	}
	if (store_run_start(st, "sniff", "", run)) {
		store_close(st);
		return NULL;
	}
	return st;
}

/* n rows; bad >= 0: that row without its value; norun: an unknown run for all. */
static void compare(int n, int bad, int norun)
{
	static char d1[1 << 19], d2[1 << 19];
	struct obs *o = calloc((size_t)n + 1, sizeof(*o));
	char p1[128], p2[128], name[64];
	struct store *one, *many;
	int64_t r1 = 0, r2 = 0;
	int fail1 = 0, fail2 = -1, rc1 = 0, rc2;

	snprintf(name, sizeof(name), "one-%d-%d-%d", n, bad, norun);
	one = open_db(name, p1, sizeof(p1), &r1);
	snprintf(name, sizeof(name), "many-%d-%d-%d", n, bad, norun);
	many = open_db(name, p2, sizeof(p2), &r2);
	CHECK(one && many);
	if (!one || !many)
		goto out;
	if (norun)
		r1 = r2 = 4242;
	for (int i = 0; i < n; i++) {
		row(i, &o[i]);
		if (i == bad)
			o[i].value = NULL, o[i].len = 5;
	}
	CHECK_INT(store_begin(one), 0);
	CHECK_INT(store_begin(many), 0);
	for (int i = 0; i < n; i++) {
		int e = store_obs_add(one, r1, &o[i], NULL);
		if (e)
			rc1 = e, fail1++;
	}
	rc2 = store_obs_add_many(many, r2, o, n, &fail2);
	CHECK_INT(store_commit(one), 0);
	CHECK_INT(store_commit(many), 0);
	CHECK_INT(rc2, rc1);
	CHECK_INT(fail2, fail1);
	CHECK_INT(fail1, norun ? n : bad >= 0 && bad < n);
	store_close(one);
	store_close(many);
	one = many = NULL;
	dump(p1, d1, sizeof(d1));
	dump(p2, d2, sizeof(d2));
	CHECK(d1[0] != '\0' || n == fail1);
	CHECK_STR(d2, d1);
out:
	store_close(one);
	store_close(many);
	free(o);
}

int main(void)
{
	memset(big, 'x', sizeof(big));
	str_set(dir, sizeof(dir), "/tmp/tm-obsmany-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	compare(0, -1, 0);
	compare(1, -1, 0);
	compare(2, -1, 0);
	compare(31, -1, 0);
	compare(32, -1, 0);
	compare(33, -1, 0);
	compare(75, -1, 0);
	compare(600, -1, 0);
	/* a row without its value: in a batch, in the rest, first and last */
	compare(75, 5, 0);
	compare(75, 70, 0);
	compare(75, 0, 0);
	compare(75, 74, 0);
	/* an unknown run: every row refused by the foreign key, each counted */
	compare(40, -1, 1);
	compare(1, -1, 1);
	if (system(NULL)) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return check_done("test_store_obsmany");
}
