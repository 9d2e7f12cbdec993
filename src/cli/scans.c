/*
 * scans.c - `trustmap scans`: the named scans in the store (`trustmap scan
 * --scan-name NAME [--shard I/N]`), one row per shard run with its progress
 * in (host, port) pairs, state, observations and times (UTC), optionally
 * of one scan only.  Several scanners writing one
 * PostgreSQL store show up here while they run; progress is what each
 * shard committed with its observations.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../report/table.h"
#include "../store/store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

struct cfg {
	struct common c;
};

static const struct opt scans_opts[] = {
	{"db", 'd', "URL", "store: SQLite file or postgresql:// URL (default $TRUSTMAP_DB or trustmap.db)", OPT_STR,
	 offsetof(struct cfg, c.db)},
	{"format", 'f', "FMT", "table, jsonl or csv", OPT_STR, offsetof(struct cfg, c.format)},
	{NULL},
};

static const struct rep_col cols[] = {
	{"scan", REP_STR, 16},	 {"shard", REP_STR, 7},	  {"run", REP_NUM, 6},	  {"state", REP_STR, 11},
	{"done", REP_NUM, 10},	 {"total", REP_NUM, 10},  {"percent", REP_NUM, 7}, {"observations", REP_NUM, 12},
	{"started", REP_STR, 20}, {"finished", REP_STR, 20},
};

struct sctx {
	struct rep_table *t;
	const char *only; /* a scan name, or NULL for all */
	int fmt;
	long rows;
};

static void utc(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm))
		str_set(out, n, "");
}

static int row(void *vc, const struct run_rec *r)
{
	struct sctx *x = vc;
	char shard[24], run[24], done[24], total[24], pct[16], nobs[24], st[24], fin[24];
	const char *state = r->status;
	const char *cells[10];

	if (!r->scan[0] || (x->only && strcmp(x->only, r->scan)))
		return 0;
	if (r->nshards)
		snprintf(shard, sizeof(shard), "%d/%d", r->shard, r->nshards);
	else
		str_set(shard, sizeof(shard), "-");
	snprintf(run, sizeof(run), "%lld", (long long)r->id);
	snprintf(done, sizeof(done), "%lld", (long long)r->pairs_done);
	snprintf(total, sizeof(total), "%lld", (long long)r->pairs_total);
	snprintf(pct, sizeof(pct), "%.1f", r->pairs_total ? 100.0 * r->pairs_done / r->pairs_total : 0.0);
	snprintf(nobs, sizeof(nobs), "%ld", r->n_obs);
	utc(r->started, st, sizeof(st));
	utc(r->finished, fin, sizeof(fin));
	cells[0] = r->scan, cells[1] = shard, cells[2] = run, cells[3] = state, cells[4] = done;
	cells[5] = total, cells[6] = pct, cells[7] = nobs, cells[8] = st, cells[9] = fin;
	x->rows++;
	return rep_row(x->t, cells) ? 1 : 0;
}

int cmd_scans(int argc, char **argv)
{
	struct cfg cfg = {0};
	struct sctx x = {0};
	struct store *st = NULL;
	int npos, rc, fmt;

	rc = opt_parse(scans_opts, &cfg, argc, argv, &npos, "[options] [NAME]");
	if (rc)
		return rc > 0 ? 0 : 2;
	if (npos > 1) {
		fprintf(stderr, "trustmap scans: at most one scan name\n");
		return 2;
	}
	x.only = npos ? argv[1] : NULL;
	if ((fmt = cli_format("scans", &cfg.c)) < 0 || !(st = cli_store("scans", &cfg.c)))
		return 2;
	x.fmt = fmt;
	if (!(x.t = rep_table_new((enum rep_format)fmt, stdout, cols, 10))) {
		store_close(st);
		return 2;
	}
	rc = store_run_iter(st, row, &x);
	rep_table_end(x.t);
	if (rc < 0)
		fprintf(stderr, "trustmap scans: %s\n", store_errmsg(st));
	store_close(st);
	if (!rc && !x.rows && x.only) {
		fprintf(stderr, "trustmap scans: no scan named '%s'\n", x.only);
		return 2;
	}
	return rc ? 2 : 0;
}
