/*
 * kbcmd.c - `trustmap kb`: what knowledge is loaded, from where, how much
 * and how fast; `--selftest` runs every rule's own examples.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../kb/kb.h"
#include "../kb/nmap.h"
#include "../kb/oui.h"
#include "../kb/pen.h"
#include "../kb/rules.h"
#include "../kb/vendor.h"

#include <stdio.h>

struct cfg {
	struct common c;
	int selftest;
};

static const struct opt opts[] = {
	{"selftest", 0, NULL, "run every rule's examples and negatives; exit 1 on a failure", OPT_FLAG,
	 offsetof(struct cfg, selftest)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"no-nmap", 0, NULL, "do not load nmap-service-probes", OPT_FLAG, offsetof(struct cfg, c.no_nmap)},
	{NULL},
};

static void report(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

int cmd_kb(int argc, char **argv)
{
	struct cfg cfg = {0};
	struct kb *kb;
	int npos, rc = opt_parse(opts, &cfg, argc, argv, &npos, "[--selftest] [--kb-dir DIR]");

	if (rc)
		return rc > 0 ? 0 : 2;
	if (!(kb = cli_kb("kb", &cfg.c)))
		return 2;
	printf("%-10s %9s %9s  %s\n", "source", "entries", "load ms", "from");
	printf("%-10s %9d %9.1f  %s/vendors.tm (+ %d lists)\n", "vendors", vreg_count(kb->vr),
	       kb->load_ms[0], kb->kb_dir, vreg_list_count(kb->vr));
	printf("%-10s %9zu %9.1f  %s\n", "oui", kb->oui ? oui_count(kb->oui) : 0, kb->load_ms[1],
	       kb->oui ? "ieee-data + wireshark manuf" : "(absent)");
	printf("%-10s %9zu %9.1f  %s\n", "pen", kb->pen ? pen_count(kb->pen) : 0, kb->load_ms[2],
	       kb->pen ? "wireshark enterprises.tsv" : "(absent)");
	printf("%-10s %9zu %9.1f  %s\n", "nmap", kb->nmap ? nmap_count(kb->nmap) : 0,
	       kb->load_ms[3], kb->nmap ? "nmap-service-probes" : "(absent or skipped)");
	printf("%-10s %9zu %9.1f  %s/*.rules\n", "rules", rules_count(kb->rules), kb->load_ms[4],
	       kb->kb_dir);
	rc = 0;
	if (cfg.selftest) {
		int checked = 0, failed = rules_selftest(kb->rules, report, NULL, &checked);

		printf("selftest: %d examples checked, %d failed\n", checked, failed);
		rc = failed ? 1 : 0;
	}
	kb_free(kb);
	return rc;
}
