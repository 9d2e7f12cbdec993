/*
 * report.c - `trustmap report`: the self-contained HTML report (--html
 * FILE) and the short Markdown summary (--format md on standard output, or
 * --md FILE) of what the store holds: sites and zones on a map, vendor
 * shares, and with --policy the audit's findings and their evidence
 * (src/report/report.h).  The store, registry and policy are loaded as
 * `trustmap audit` loads them.  Files are written beside their target and
 * renamed into place, so a failed run leaves no half report.  Exit status 0
 * (findings are not an error here: `trustmap audit` is the gate), 2 on error.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../audit/audit.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../geo/geo.h"
#include "../kb/kb.h"
#include "../kb/vendor.h"
#include "../policy/policy.h"
#include "../report/report.h"
#include "../store/store.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct cfg {
	struct common c;
	const char *html, *md, *policy, *date, *title;
	double min_conf;
	long max_findings, evidence;
	int evidence_set;
};

static int set_min_conf(void *vc, const char *v, int tag)
{
	struct cfg *c = vc;
	char *end;

	(void)tag;
	c->min_conf = strtod(v, &end);
	if (*end || end == v || !(c->min_conf >= 0 && c->min_conf <= 1)) {
		fprintf(stderr, "trustmap report: --min-confidence takes a number from 0 to 1\n");
		return -1;
	}
	return 0;
}

static int set_evidence(void *vc, const char *v, int tag)
{
	struct cfg *c = vc;
	int64_t n;

	(void)tag;
	if (!str_to_i64(v, strlen(v), &n) || n < 0 || n > 1000) {
		fprintf(stderr, "trustmap report: --evidence takes a number from 0 to 1000\n");
		return -1;
	}
	c->evidence = n ? (long)n : -1, c->evidence_set = 1;
	return 0;
}

static const struct opt report_opts[] = {
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"html", 'o', "FILE", "write the HTML report to FILE", OPT_STR, offsetof(struct cfg, html)},
	{"md", 0, "FILE", "write the Markdown summary to FILE", OPT_STR, offsetof(struct cfg, md)},
	{"format", 'f', "md", "md: the Markdown summary on standard output", OPT_STR, offsetof(struct cfg, c.format)},
	{"policy", 'p', "FILE", "audit against this policy (docs/policy.md): findings, zones on the map", OPT_STR,
	 offsetof(struct cfg, policy)},
	{"date", 0, "YYYY-MM-DD", "audit as of this day (default today)", OPT_STR, offsetof(struct cfg, date)},
	{"min-confidence", 0, "X", "attributions below X are suspects, not findings (default 0.5)", OPT_FN, 0,
	 set_min_conf, 0},
	{"title", 't', "TEXT", "the report's title (default \"trustmap report\")", OPT_STR,
	 offsetof(struct cfg, title)},
	{"max-findings", 0, "N", "findings listed in full in the HTML (default 2000)", OPT_INT,
	 offsetof(struct cfg, max_findings)},
	{"evidence", 0, "N", "evidence items per finding in the HTML (default 12; 0 none)", OPT_FN, 0, set_evidence,
	 0},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"lists", 0, "FILE", "your own vendor lists (lists.tm format)", OPT_STR, offsetof(struct cfg, c.lists)},
	{NULL},
};

typedef int (*writer_fn)(FILE *out, const struct rep_in *in, char *eb, size_t el);

/* Writes through path.tmp renamed to path; 0 or -1 after a message. */
static int write_file(const char *path, writer_fn fn, const struct rep_in *in)
{
	char tmp[4096], eb[TM_ERRLEN] = "";
	FILE *f;
	int rc;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		fprintf(stderr, "trustmap report: %s: path too long\n", path);
		return -1;
	}
	if (!(f = fopen(tmp, "w"))) {
		perror(tmp);
		return -1;
	}
	rc = fn(f, in, eb, sizeof(eb));
	if (fclose(f) && !rc)
		rc = err_set(eb, sizeof(eb), TM_EIO, "write failed");
	if (!rc && rename(tmp, path)) {
		perror(path);
		unlink(tmp);
		return -1;
	}
	if (rc) {
		fprintf(stderr, "trustmap report: %s: %s\n", path, eb);
		unlink(tmp);
		return -1;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct cfg cfg = {.min_conf = 0.5};
	struct audit_result r = {0};
	struct audit_opt ao = {0};
	struct rep_in in = {0};
	struct policy *p = NULL;
	struct store *st = NULL;
	struct vreg *vr = NULL;
	struct geo_zones *zs = NULL;
	const char **labels = NULL;
	struct arena *ar = NULL;
	char eb[TM_ERRLEN] = "", dir[1024];
	int npos, rc, md_stdout = 0;

	rc = opt_parse(report_opts, &cfg, argc, argv, &npos,
		       "--html FILE | --md FILE | --format md  [--db URL] [--policy FILE [--date YYYY-MM-DD] "
		       "[--min-confidence X]] [--title TEXT]");
	if (rc)
		return rc > 0 ? 0 : 2;
	rc = 2;
	if (npos) {
		fprintf(stderr, "trustmap report: unexpected argument '%s'\n", argv[1]);
		goto out;
	}
	if (cfg.c.format) {
		if (strcmp(cfg.c.format, "md")) {
			fprintf(stderr, "trustmap report: --format takes md (the HTML goes to --html FILE)\n");
			goto out;
		}
		md_stdout = 1;
	}
	if (!cfg.html && !cfg.md && !md_stdout) {
		fprintf(stderr, "trustmap report: say where: --html FILE, --md FILE or --format md\n");
		goto out;
	}
	if (cfg.max_findings < 0) {
		fprintf(stderr, "trustmap report: --max-findings takes a positive number\n");
		goto out;
	}
	if ((cfg.date || cfg.min_conf != 0.5) && !cfg.policy) {
		fprintf(stderr, "trustmap report: --date and --min-confidence need --policy\n");
		goto out;
	}
	ao.day = (int64_t)(time(NULL) / 86400);
	if (cfg.date && !str_to_date(cfg.date, strlen(cfg.date), &ao.day)) {
		fprintf(stderr, "trustmap report: --date wants YYYY-MM-DD, not '%s'\n", cfg.date);
		goto out;
	}
	ao.min_conf = cfg.min_conf;
	if (!(ar = arena_new(4096))) {
		fprintf(stderr, "trustmap report: out of memory\n");
		goto out;
	}
	if (cfg.policy) {
		if (kb_load_vreg(&vr, cfg.c.kb_dir, cfg.c.lists, eb, sizeof(eb))) {
			fprintf(stderr, "trustmap report: %s\n", eb);
			goto out;
		}
		if (policy_load(cfg.policy, vr, &p, eb, sizeof(eb))) {
			fprintf(stderr, "trustmap report: %s\n", eb);
			goto out;
		}
		str_set(dir, sizeof(dir), cfg.policy);
		ao.base_dir = dirname(dir);
		if (rep_zones_load(p, ao.base_dir, ar, &zs, &labels, eb, sizeof(eb))) {
			fprintf(stderr, "trustmap report: %s\n", eb);
			goto out;
		}
	}
	if (!(st = cli_store("report", &cfg.c)))
		goto out;
	if (p && audit_run(st, vr, p, &ao, &r, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap report: %s\n", eb);
		goto out;
	}
	in.title = cfg.title;
	in.generated = (int64_t)time(NULL);
	in.st = st;
	in.p = p;
	in.ar = p ? &r : NULL;
	in.day = ao.day;
	in.min_conf = ao.min_conf;
	in.zones = zs;
	in.zone_label = labels;
	in.max_findings = cfg.max_findings;
	in.evidence = cfg.evidence;
	if (cfg.html && write_file(cfg.html, rep_html, &in))
		goto out;
	if (cfg.md && write_file(cfg.md, rep_md, &in))
		goto out;
	if (md_stdout && rep_md(stdout, &in, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap report: %s\n", eb);
		goto out;
	}
	if (cfg.html && p)
		fprintf(stderr, "%s: %zu findings, %zu suspects; %ld assets, %ld sites\n", cfg.html, r.n, r.ns,
			r.assets, r.sites);
	rc = 0;
out:
	audit_result_free(&r);
	store_close(st);
	geo_zones_free(zs);
	mem_free(labels);
	arena_free(ar);
	policy_free(p);
	vreg_free(vr);
	return rc;
}
