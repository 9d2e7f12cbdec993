/*
 * import.c - `trustmap import`: read what others found (observation JSON
 * Lines, nmap XML, masscan output, an operator's inventory CSV) into the
 * store, one transaction per file, then rebuild the attributed assets.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../attr/build.h"
#include "../core/err.h"
#include "../core/str.h"
#include "../import/import.h"
#include "../kb/kb.h"
#include "../report/progress.h"
#include "../store/store.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

struct cfg {
	struct common c;
	const char *type;
	int skip_bad;
	int no_build;
};

static const struct opt opts[] = {
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"type", 't', "TYPE", "auto (default), jsonl, nmap-xml, masscan, inventory or links", OPT_STR,
	 offsetof(struct cfg, type)},
	{"skip-bad", 0, NULL, "skip and count bad records instead of rolling the file back", OPT_FLAG,
	 offsetof(struct cfg, skip_bad)},
	{"no-build", 0, NULL, "store observations only; do not rebuild assets", OPT_FLAG,
	 offsetof(struct cfg, no_build)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"no-nmap", 0, NULL, "do not load nmap-service-probes", OPT_FLAG, offsetof(struct cfg, c.no_nmap)},
	{NULL},
};

struct sink_ctx {
	struct store *st;
	int64_t run;
	struct imp_stats *ist; /* the reader's counters, for progress */
	struct progress pg;
};

static int put_obs(void *vc, const struct obs *o)
{
	struct sink_ctx *k = vc;

	if ((k->ist->obs & 1023) == 0)
		progress_update(&k->pg, k->ist->bytes, k->ist->obs, "obs");
	return store_obs_add(k->st, k->run, o, NULL);
}

static int put_site(void *vc, const struct imp_site *s)
{
	struct sink_ctx *k = vc;
	struct site_rec r;

	memset(&r, 0, sizeof(r));
	str_set(r.id, sizeof(r.id), s->id);
	str_set(r.name, sizeof(r.name), s->name);
	r.lat = s->lat;
	r.lon = s->lon;
	r.has_coords = s->has_coords;
	str_set(r.operator_, sizeof(r.operator_), s->operator_);
	str_set(r.tags, sizeof(r.tags), s->tags);
	str_set(r.region, sizeof(r.region), s->region);
	return store_site_put(k->st, &r);
}

static int put_link(void *vc, const struct imp_link *l)
{
	struct sink_ctx *k = vc;
	struct link_rec r;

	memset(&r, 0, sizeof(r));
	r.run_id = k->run;
	str_set(r.a_key, sizeof(r.a_key), l->a);
	str_set(r.a_port, sizeof(r.a_port), l->a_port);
	str_set(r.b_key, sizeof(r.b_key), l->b);
	str_set(r.b_port, sizeof(r.b_port), l->b_port);
	str_set(r.source, sizeof(r.source), l->kind[0] ? l->kind : "inventory");
	return store_link_put(k->st, &r);
}

typedef int (*reader_fn)(const char *, const struct imp_sink *, int, struct imp_stats *, char *,
			 size_t);

static reader_fn reader(const char *type)
{
	if (!strcmp(type, "jsonl"))
		return imp_jsonl;
	if (!strcmp(type, "nmap-xml"))
		return imp_nmap_xml;
	if (!strcmp(type, "masscan"))
		return imp_masscan;
	if (!strcmp(type, "inventory"))
		return imp_inventory_csv;
	if (!strcmp(type, "links"))
		return imp_links_csv;
	return NULL;
}

static long long file_size(const char *path)
{
	struct stat sb;

	return strcmp(path, "-") && !stat(path, &sb) && S_ISREG(sb.st_mode) ? (long long)sb.st_size : 0;
}

/* One file in one transaction.  Returns 0 or prints the error and returns nonzero. */
static int import_file(struct store *st, const struct cfg *cfg, const char *path)
{
	char eb[TM_ERRLEN], kind[48];
	const char *type = cfg->type && strcmp(cfg->type, "auto") ? cfg->type : NULL;
	struct sink_ctx k = {.st = st};
	struct imp_sink sink = {.obs = put_obs, .site = put_site, .ctx = &k, .link = put_link};
	struct imp_stats ist;
	reader_fn fn;
	int rc;

	if (!type && !(type = imp_detect(path, eb, sizeof(eb)))) {
		fprintf(stderr, "trustmap import: %s (use --type)\n", eb);
		return 2;
	}
	if (!(fn = reader(type))) {
		fprintf(stderr, "trustmap import: unknown --type '%s'\n", type);
		return 2;
	}
	snprintf(kind, sizeof(kind), "import:%s", type);
	if ((rc = store_begin(st)) || (rc = store_run_start(st, kind, path, &k.run))) {
		fprintf(stderr, "trustmap import: %s: %s\n", path, store_errmsg(st));
		return 2;
	}
	k.ist = &ist;
	progress_init(&k.pg, path, file_size(path));
	rc = fn(path, &sink, cfg->skip_bad, &ist, eb, sizeof(eb));
	progress_end(&k.pg);
	if (rc) {
		store_rollback(st);
		if (rc == TM_EDB)
			fprintf(stderr, "trustmap import: %s: store: %s\n", path, store_errmsg(st));
		else
			fprintf(stderr, "trustmap import: %s\n", eb);
		fprintf(stderr, "trustmap import: %s rolled back: nothing of it was stored\n", path);
		return 2;
	}
	if ((rc = store_run_finish(st, k.run, ist.obs, ist.skipped, "ok")) ||
	    (rc = store_commit(st))) {
		fprintf(stderr, "trustmap import: %s: %s\n", path, store_errmsg(st));
		store_rollback(st);
		return 2;
	}
	printf("%s: %s, %ld records, %ld %s", path, type, ist.records, ist.obs,
	       strcmp(type, "links") ? "observations" : "links");
	if (ist.skipped)
		printf(", %ld skipped (first: %s)", ist.skipped, ist.first_error);
	printf("\n");
	return 0;
}

int cmd_import(int argc, char **argv)
{
	struct cfg cfg = {0};
	struct store *st = NULL;
	struct kb *kb = NULL;
	struct build_stats bs;
	char eb[TM_ERRLEN];
	int npos, rc;

	rc = opt_parse(opts, &cfg, argc, argv, &npos, "[--db URL] [--type TYPE] [--skip-bad] FILE...");
	if (rc)
		return rc > 0 ? 0 : 2;
	if (!npos) {
		fprintf(stderr, "trustmap import: no file given (see --help)\n");
		return 2;
	}
	rc = 2;
	if (!(st = cli_store("import", &cfg.c)))
		goto out;
	for (int i = 1; i <= npos; i++)
		if (import_file(st, &cfg, argv[i]))
			goto out;
	if (!cfg.no_build) {
		if (!(kb = cli_kb("import", &cfg.c)))
			goto out;
		if (attr_build(kb, st, &bs, eb, sizeof(eb))) {
			fprintf(stderr, "trustmap import: %s\n", eb);
			goto out;
		}
		printf("assets: %ld from %ld observations, %ld attributed to a vendor\n", bs.assets,
		       bs.obs, bs.attributed);
	}
	rc = 0;
out:
	kb_free(kb);
	store_close(st);
	return rc;
}
