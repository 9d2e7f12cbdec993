/*
 * diff.c - `trustmap diff RUN-A RUN-B` (or `--since DATE [--until DATE]`):
 * what changed between two scans.  Each run's observations alone are
 * attributed (into a scratch SQLite store, with the same knowledge and
 * rules as `trustmap scan`), and the two sets of assets are compared by
 * asset identity (the key: mac:, ip:<scope>/<addr>, ref:): devices that
 * appeared, disappeared, changed maker, product/firmware version or
 * address.  The store itself is only read.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../attr/build.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../kb/kb.h"
#include "../report/table.h"
#include "../store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct cfg {
	struct common c;
	const char *since, *until;
};

static const struct opt diff_opts[] = {
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"since", 0, "DATE", "compare the last scan (or import, capture) started before DATE (YYYY-MM-DD, UTC) ...", OPT_STR,
	 offsetof(struct cfg, since)},
	{"until", 0, "DATE", "... with the last scan before DATE (default: the latest scan)", OPT_STR,
	 offsetof(struct cfg, until)},
	{"format", 'f', "FMT", "table, jsonl or csv", OPT_STR, offsetof(struct cfg, c.format)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"no-nmap", 0, NULL, "do not load nmap-service-probes", OPT_FLAG, offsetof(struct cfg, c.no_nmap)},
	{NULL},
};

static const struct rep_col cols[] = {
	{"change", REP_STR, 12}, {"key", REP_STR, 28},	{"addr", REP_STR, 16}, {"vendor", REP_STR, 14},
	{"field", REP_STR, 8},	 {"old", REP_STR, 24},	{"new", REP_STR, 24},
};

/* The assets of one run, sorted by key. */
struct aset {
	struct asset_rec *v;
	size_t n, cap;
};

static int take_asset(void *vc, const struct asset_rec *a)
{
	struct aset *s = vc;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct asset_rec *v = mem_realloc(s->v, cap * sizeof(*v));
		if (!v)
			return TM_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *a;
	return 0;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct asset_rec *)a)->key, ((const struct asset_rec *)b)->key);
}

static int copy_obs(void *vc, int64_t id, const struct obs *o)
{
	(void)id;
	return store_obs_add(vc, 0, o, NULL);
}

/*
 * Attributes run's observations alone (a scratch store in $TMPDIR, removed
 * after) and fills s with the resulting assets.  0, or 2 after a message.
 */
static int run_assets(struct store *st, const struct kb *kb, int64_t run, struct aset *s)
{
	char path[512], eb[TM_ERRLEN], side[600];
	const char *tmpdir = getenv("TMPDIR");
	struct store *scratch = NULL;
	struct build_stats bs;
	int fd, rc = 2;

	snprintf(path, sizeof(path), "%s/trustmap-diff.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		fprintf(stderr, "trustmap diff: cannot create a scratch file in %s\n", tmpdir ? tmpdir : "/tmp");
		return 2;
	}
	close(fd);
	unlink(path); /* store_open creates it as a fresh database */
	if (store_open(&scratch, path, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap diff: %s\n", eb);
		goto out;
	}
	if (store_begin(scratch) || store_obs_iter_run(st, run, copy_obs, scratch) || store_commit(scratch)) {
		fprintf(stderr, "trustmap diff: run %lld: %s%s\n", (long long)run, store_errmsg(st),
			store_errmsg(scratch));
		goto out;
	}
	if (attr_build(kb, scratch, &bs, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap diff: %s\n", eb);
		goto out;
	}
	if (store_asset_iter(scratch, NULL, take_asset, s)) {
		fprintf(stderr, "trustmap diff: out of memory\n");
		goto out;
	}
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), by_key);
	rc = 0;
out:
	store_close(scratch);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	return rc;
}

/* Picks runs: the two given, or by date. */
struct pick {
	int64_t want[2]; /* ids to check, 0 none */
	int found[2];
	int64_t before[2]; /* last scan started before these times (seconds), 0 unused */
	int64_t got[2];
};

static int pick_run(void *vc, const struct run_rec *r)
{
	struct pick *p = vc;

	for (int i = 0; i < 2; i++) {
		if (p->want[i] && r->id == p->want[i])
			p->found[i] = 1;
		if (p->before[i] && (!strcmp(r->kind, "scan") || !strncmp(r->kind, "import", 6) ||
				     !strncmp(r->kind, "sniff", 5)) &&
		    r->finished && r->started < p->before[i])
			p->got[i] = r->id; /* runs come in id order: the last one wins */
	}
	return 0;
}

static int parse_date(const char *s, int64_t *t)
{
	int64_t days;

	if (!str_to_date(s, strlen(s), &days))
		return -1;
	*t = days * 86400;
	return 0;
}

static void row(struct rep_table *t, const char *change, const struct asset_rec *a, const char *field,
		const char *old, const char *new_)
{
	const char *cells[7] = {change, a->key, a->addr, a->vendor, field, old, new_};

	rep_row(t, cells);
}

/* Rows for what differs between a (run A) and b (run B) of one key. */
static long changed(struct rep_table *t, const struct asset_rec *a, const struct asset_rec *b)
{
	char o[192], n[192];
	long k = 0;

	if (strcmp(a->vendor, b->vendor)) { /* another maker: its product and version say nothing more */
		row(t, "vendor", b, "vendor", a->vendor, b->vendor);
		k++;
	} else if (strcmp(a->version, b->version) || strcmp(a->product, b->product) || strcmp(a->model, b->model)) {
		snprintf(o, sizeof(o), "%s%s%s%s%s", a->product, a->model[0] ? " " : "", a->model,
			 a->version[0] ? " " : "", a->version);
		snprintf(n, sizeof(n), "%s%s%s%s%s", b->product, b->model[0] ? " " : "", b->model,
			 b->version[0] ? " " : "", b->version);
		row(t, "version", b, strcmp(a->version, b->version) ? "version" : "product", o, n);
		k++;
	}
	if (strcmp(a->addr, b->addr)) {
		row(t, "address", b, "addr", a->addr, b->addr);
		k++;
	}
	return k;
}

int cmd_diff(int argc, char **argv)
{
	struct cfg cfg = {0};
	struct pick p = {0};
	struct aset A = {0}, B = {0};
	struct store *st = NULL;
	struct kb *kb = NULL;
	struct rep_table *t = NULL;
	int npos, rc, fmt;
	long app = 0, dis = 0, chg = 0;
	size_t i = 0, j = 0;

	rc = opt_parse(diff_opts, &cfg, argc, argv, &npos, "RUN-A RUN-B | --since DATE [--until DATE] [options]");
	if (rc)
		return rc > 0 ? 0 : 2;
	rc = 2;
	if ((fmt = cli_format("diff", &cfg.c)) < 0)
		return 2;
	if (npos == 2 && !cfg.since && !cfg.until) {
		for (int k = 0; k < 2; k++)
			if (!str_to_i64(argv[k + 1], strlen(argv[k + 1]), &p.want[k]) || p.want[k] < 1) {
				fprintf(stderr, "trustmap diff: '%s' is not a run id\n", argv[k + 1]);
				return 2;
			}
	} else if (npos == 0 && cfg.since) {
		if (parse_date(cfg.since, &p.before[0]) || (cfg.until && parse_date(cfg.until, &p.before[1]))) {
			fprintf(stderr, "trustmap diff: --since and --until want YYYY-MM-DD\n");
			return 2;
		}
		if (!cfg.until)
			p.before[1] = INT64_MAX;
	} else {
		fprintf(stderr, "trustmap diff: give two run ids or --since DATE [--until DATE] (see --help)\n");
		return 2;
	}
	if (!(st = cli_store("diff", &cfg.c)))
		return 2;
	if (store_run_iter(st, pick_run, &p)) {
		fprintf(stderr, "trustmap diff: %s\n", store_errmsg(st));
		goto out;
	}
	for (int k = 0; k < 2; k++) {
		if (p.want[k] && !p.found[k]) {
			fprintf(stderr, "trustmap diff: no run %lld in this store\n", (long long)p.want[k]);
			goto out;
		}
		if (p.want[k])
			p.got[k] = p.want[k];
		if (!p.got[k]) {
			fprintf(stderr, "trustmap diff: no finished scan before %s\n", k ? cfg.until : cfg.since);
			goto out;
		}
	}
	if (!(kb = cli_kb("diff", &cfg.c)) || run_assets(st, kb, p.got[0], &A) || run_assets(st, kb, p.got[1], &B))
		goto out;
	if (!(t = rep_table_new((enum rep_format)fmt, stdout, cols, 7)))
		goto out;
	while (i < A.n || j < B.n) {
		int c = i == A.n ? 1 : j == B.n ? -1 : strcmp(A.v[i].key, B.v[j].key);
		if (c < 0) {
			row(t, "disappeared", &A.v[i++], "", "", "");
			dis++;
		} else if (c > 0) {
			row(t, "appeared", &B.v[j++], "", "", "");
			app++;
		} else
			chg += changed(t, &A.v[i++], &B.v[j++]);
	}
	rep_table_end(t);
	if (fmt == REP_TABLE)
		printf("run %lld -> run %lld: %ld appeared, %ld disappeared, %ld changed (%zu and %zu assets)\n",
		       (long long)p.got[0], (long long)p.got[1], app, dis, chg, A.n, B.n);
	rc = 0;
out:
	mem_free(A.v);
	mem_free(B.v);
	kb_free(kb);
	store_close(st);
	return rc;
}
