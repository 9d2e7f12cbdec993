/*
 * man.c - what is generated from the command and option tables, so that it
 * cannot drift from what parses the command line: the trustmap(1) man page
 * (`trustmap help --man`, run by `make` at build time), the words the bash
 * completion offers (`trustmap complete ...`, hidden), and `--version` with
 * the version or date of every knowledge source (kbver.h).  A command's
 * options are found by running it with opt_capture set: opt_parse records
 * the table and returns as after --help, so nothing else runs.
 */
#include "cmdtab.h"
#include "common.h"
#include "opt.h"
#include "../core/err.h"
#include "../kb/kb.h"
#include "../kb/kbver.h"
#include "../kb/vendor.h"
#include "../store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef TM_VERSION
#define TM_VERSION "0.1.0"
#endif

/* The option table of one command, or NULL when it has none. */
static const struct opt *cmd_opts(const struct command *c, const char **synopsis)
{
	struct opt_capture cap = {0};
	char *argv[] = {(char *)c->name, "--help", NULL};

	opt_capture = &cap;
	c->fn(2, argv);
	opt_capture = NULL;
	*synopsis = cap.synopsis ? cap.synopsis : "";
	return cap.hits ? cap.t : NULL;
}

/* Exit statuses other than the common ones (0 success, 2 usage or runtime error);
 * read from each command's source: a command that adds one adds its row here. */
static const struct {
	const char *cmd, *status1;
} exit1[] = {
	{"identify", "nothing could be attributed"},
	{"audit", "the policy has findings"},
	{"kb", "a rule's example or negative failed (--selftest)"},
	{"paths", "a sensitive site has no clean path to the core"},
	{"plan", "a scenario's plan is infeasible (work left unplaced)"},
	{"sniff", "a capture broke off (wrong magic, truncated, a lying length; what came before is kept)"},
	{"watch", "a finding appeared that the previous round did not have, and no --hook was given"},
};

/* troff-escaped text: backslashes, a leading dot or quote; hyphens as \- when minus */
static void roff(FILE *f, const char *s, int minus)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-' && minus)
			fputs("\\-", f);
		else if (*s == '\n')
			fputs("\n.br\n", f);
		else
			fputc(*s, f);
	}
}

static void man_opt(FILE *f, const struct opt *o)
{
	fputs(".TP\n", f);
	if (o->shortc)
		fprintf(f, "\\fB\\-%c\\fR, ", o->shortc);
	fputs("\\fB\\-\\-", f);
	roff(f, o->name, 1);
	fputs("\\fR", f);
	if (o->arg) {
		fputs(" \\fI", f);
		roff(f, o->arg, 1);
		fputs("\\fR", f);
	}
	fputc('\n', f);
	roff(f, o->help, 0);
	fputc('\n', f);
}

static void man_command(FILE *f, const struct command *c)
{
	const char *syn;
	const struct opt *t = cmd_opts(c, &syn);

	fputs(".SS \"trustmap ", f);
	roff(f, c->name, 1);
	fputs("\"\n", f);
	roff(f, c->summary, 0);
	fputs(".\n.PP\n.B trustmap ", f);
	roff(f, c->name, 1);
	fputc('\n', f);
	roff(f, syn, 1);
	fputs("\n.PP\nOptions:\n", f);
	for (; t && t->name; t++)
		man_opt(f, t);
	fputs(".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nshow this command's options and exit\n", f);
	fputs(".PP\nExit status: 0 success", f);
	for (size_t i = 0; i < sizeof(exit1) / sizeof(exit1[0]); i++)
		if (!strcmp(exit1[i].cmd, c->name))
			fprintf(f, "; 1 when %s", exit1[i].status1);
	fputs("; 2 on a usage or runtime error.\n", f);
}

static void man_date(char *out, size_t len)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	time_t t = e && *e ? (time_t)strtoll(e, NULL, 10) : time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d", &tm);
}

static const char man_head[] =
	".SH NAME\n"
	"trustmap \\- find network equipment of restricted vendors, attribute it, audit it against a policy\n"
	".SH SYNOPSIS\n"
	".B trustmap\n"
	"[\\fB\\-v\\fR|\\fB\\-q\\fR] \\fICOMMAND\\fR [\\fIoptions\\fR] [\\fIarguments\\fR]\n"
	".br\n"
	".B trustmap\n"
	"\\fB\\-\\-version\\fR | \\fB\\-\\-help\\fR\n"
	".br\n"
	".B trustmap\n"
	"\\fICOMMAND\\fR \\fB\\-\\-help\\fR\n"
	".SH DESCRIPTION\n"
	"trustmap finds network equipment made by restricted vendors (Huawei, ZTE, Hikvision ...),\n"
	"says who made each device with the evidence and a confidence, audits it against a policy\n"
	"of sensitive zones (see\n"
	".BR trustmap-policy (5)),\n"
	"and plans its replacement.\n"
	"Observations come from imports (nmap XML, masscan, inventories, JSON Lines), active\n"
	"scans and packet captures; they are kept in a store (SQLite, \\fB\\-\\-db\\fR) and attributed\n"
	"with the knowledge base described under\n"
	".BR FILES .\n"
	"Scans send traffic only where they are told to; \\fBtrustmap\\-emu\\fR(1) plays devices\n"
	"on loopback for tests and the demo.\n"
	".PP\n"
	"Long options take their value as \\fB\\-\\-name value\\fR or \\fB\\-\\-name=value\\fR;\n"
	"\\fB\\-\\-\\fR ends the options.\n"
	"Every listing takes \\fB\\-\\-format table|jsonl|csv\\fR; strings that came from a device\n"
	"are escaped for the medium.\n"
	".SH GLOBAL OPTIONS\n"
	".TP\n\\fB\\-v\\fR, \\fB\\-\\-verbose\\fR\nmore log messages on standard error (repeatable)\n"
	".TP\n\\fB\\-q\\fR, \\fB\\-\\-quiet\\fR\nerrors only\n"
	".TP\n\\fB\\-V\\fR, \\fB\\-\\-version\\fR\n"
	"print the program's version and the version or date of every knowledge source in use\n"
	"(rules, ieee\\-data, manuf, enterprises.tsv, nmap\\-service\\-probes) and where each was found;\n"
	"every scan, capture and import records the same line in its run\n"
	".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nlist the commands\n"
	".SH COMMANDS\n";

static const char man_tail[] =
	".SH EXIT STATUS\n"
	"0 on success; 1 when a command's answer is negative (\\fBidentify\\fR attributed nothing,\n"
	"\\fBaudit\\fR has findings, \\fBkb \\-\\-selftest\\fR failed; see each command);\n"
	"2 on a usage or runtime error, with a message naming the file, line and column where\n"
	"one is to blame.\n"
	".SH FILES\n"
	"Our rules directory (vendors.tm, lists.tm, *.rules, cost\\-default.yaml, VERSION) is the first\n"
	"of these holding vendors.tm:\n"
	".IP 1. 4\n\\fB\\-\\-kb\\-dir\\fR \\fIDIR\\fR, else \\fB$TRUSTMAP_KB_DIR\\fR (either is final: an error when it has no vendors.tm);\n"
	".IP 2. 4\n\\fI${XDG_CONFIG_HOME:\\-~/.config}/trustmap/rules\\fR (a user's own copy);\n"
	".IP 3. 4\n\\fI/etc/trustmap/rules\\fR (the administrator's copy);\n"
	".IP 4. 4\n\\fIBINDIR/../rules\\fR and \\fIBINDIR/../../rules\\fR (a build tree);\n"
	".IP 5. 4\n\\fIBINDIR/../share/trustmap/rules\\fR (an installation moved with its prefix);\n"
	".IP 6. 4\n\\fI" TM_SHARE_DIR "/rules\\fR (this build's PREFIX), then\n"
	"\\fI/usr/local/share/trustmap/rules\\fR, \\fI/usr/share/trustmap/rules\\fR, \\fI./rules\\fR.\n"
	".PP\n"
	"System data, loaded at run time and never copied: the IEEE registries of \\fBieee\\-data\\fR\n"
	"(\\fI" KB_DEFAULT_IEEE "\\fR), Wireshark's \\fI" KB_DEFAULT_MANUF "\\fR and\n"
	"\\fI" KB_DEFAULT_PEN "\\fR (\\fBlibwireshark\\-data\\fR), and\n"
	"\\fI" KB_DEFAULT_NMAP_PROBES "\\fR (\\fBnmap\\-common\\fR). A missing one is a warning\n"
	"and that source is skipped.\n"
	".PP\n"
	"\\fItrustmap.db\\fR: the default store (\\fB\\-\\-db\\fR).\n"
	"\\fI" TM_SHARE_DIR "/emu/\\fR: the emulator's personas and the demo's mix.\n"
	".SH ENVIRONMENT\n"
	".TP\n\\fBTRUSTMAP_KB_DIR\\fR\nour rules directory (see FILES)\n"
	".TP\n\\fBTRUSTMAP_IEEE_DIR\\fR, \\fBTRUSTMAP_MANUF\\fR, \\fBTRUSTMAP_PEN\\fR, \\fBTRUSTMAP_NMAP_PROBES\\fR\n"
	"the system data files, instead of the defaults above\n"
	".TP\n\\fBTRUSTMAP_LISTS\\fR\nthe user's own vendor lists (lists.tm format), as \\fB\\-\\-lists\\fR\n"
	".TP\n\\fBTRUSTMAP_CACHE_DIR\\fR\n"
	"where nmap's compiled patterns are cached (default \\fI${XDG_CACHE_HOME:\\-~/.cache}/trustmap\\fR)\n"
	".TP\n\\fBXDG_CONFIG_HOME\\fR, \\fBHOME\\fR\nthe user's rules directory (see FILES)\n"
	".SH EXAMPLES\n"
	".nf\n"
	"trustmap identify \\-\\-ssh\\-banner \\(aqSSH\\-2.0\\-HUAWEI\\-VRP3.1\\(aq \\-\\-mac 00:e0:fc:12:34:56\n"
	"trustmap scan \\-p 22,443,161/udp \\-\\-rate 500 127.0.0.1\\-127.0.0.20\n"
	"trustmap assets \\-\\-list fcc\\-covered \\-\\-format csv\n"
	"trustmap audit \\-\\-policy policy.yaml \\-\\-date 2027\\-01\\-01\n"
	"trustmap demo\n"
	".fi\n"
	".SH SEE ALSO\n"
	".BR trustmap-policy (5),\n"
	".BR trustmap-emu (1),\n"
	".BR nmap (1),\n"
	".BR masscan (1),\n"
	".BR tcpdump (8)\n";

static int man1(const struct command *cmds, size_t n)
{
	char date[16];

	man_date(date, sizeof(date));
	printf(".\\\" trustmap(1), generated by `trustmap help --man` from the command and option tables.\n");
	printf(".TH TRUSTMAP 1 \"%s\" \"trustmap %s\" \"User Commands\"\n", date, TM_VERSION);
	fputs(man_head, stdout);
	for (size_t i = 0; i < n; i++)
		man_command(stdout, &cmds[i]);
	fputs(man_tail, stdout);
	return 0;
}

int cli_help(int argc, char **argv, const struct command *cmds, size_t n)
{
	if (argc >= 2 && !strcmp(argv[1], "--man"))
		return man1(cmds, n);
	if (argc >= 2)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(argv[1], cmds[i].name)) {
				char *a[] = {(char *)cmds[i].name, "--help", NULL};

				return cmds[i].fn(2, a);
			}
	printf("usage: trustmap help [COMMAND | --man]\ncommands:");
	for (size_t i = 0; i < n; i++)
		printf(" %s", cmds[i].name);
	printf("\n");
	return argc >= 2 ? 2 : 0;
}

/* ---- completion words ---- */

static const struct command *find_cmd(const struct command *cmds, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static const struct opt *find_opt(const struct opt *t, const char *w)
{
	while (*w == '-')
		w++;
	for (; t && t->name; t++)
		if (!strcmp(t->name, w) || (t->shortc && w[0] == t->shortc && !w[1]))
			return t;
	return NULL;
}

/* whole words of help naming output formats */
static void words_format(const struct opt *o)
{
	static const char *const fmts[] = {"table", "jsonl", "csv", "md", "html", "json", "geojson"};
	const char *h = o->help;

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		size_t k = strlen(fmts[i]);

		for (const char *p = h; (p = strstr(p, fmts[i])); p += k) {
			int l = p == h || !((p[-1] >= 'a' && p[-1] <= 'z') || p[-1] == '-');
			int r = !((p[k] >= 'a' && p[k] <= 'z') || p[k] == '-');

			if (l && r) {
				printf("%s\n", fmts[i]);
				break;
			}
		}
	}
}

static int print_run(void *ctx, const struct run_rec *r)
{
	(void)ctx;
	printf("%lld\n", (long long)r->id);
	return 0;
}

static int print_vendor(void *ctx, const struct asset_rec *a)
{
	char *seen = ctx; /* "\nv1\nv2\n" */
	char key[40];

	if (!a->vendor[0])
		return 0;
	snprintf(key, sizeof(key), "\n%s\n", a->vendor);
	if (strlen(seen) + strlen(key) < 65536 && !strstr(seen, key)) {
		strcat(seen, key + 1); /* seen stays "\nv1\nv2\n" */
		printf("%s\n", a->vendor);
	}
	return 0;
}

/* opens db only when it exists: completion never creates a store */
static struct store *open_existing(const char *db)
{
	struct store *st;
	struct stat sb;
	char eb[TM_ERRLEN];

	if (!db)
		db = "trustmap.db";
	if (!strncmp(db, "sqlite:", 7))
		db += 7;
	if (stat(db, &sb) || store_open(&st, db, eb, sizeof(eb)))
		return NULL;
	return st;
}

static int complete_store(const char *what, const char *db)
{
	struct store *st = open_existing(db);

	if (!strcmp(what, "lists")) {
		struct vreg *vr;
		char eb[TM_ERRLEN];

		if (st)
			store_close(st);
		if (kb_load_vreg(&vr, NULL, NULL, eb, sizeof(eb)))
			return 0;
		for (int l = 0; l < vreg_list_count(vr); l++)
			printf("%s\n", vreg_list_name(vr, l));
		vreg_free(vr);
		return 0;
	}
	if (!st)
		return 0;
	if (!strcmp(what, "runs")) {
		store_run_iter(st, print_run, NULL);
	} else if (!strcmp(what, "vendors")) {
		char *seen = calloc(1, 65536 + 64);

		if (seen) {
			seen[0] = '\n';
			store_asset_iter(st, NULL, print_vendor, seen);
			free(seen);
		}
	}
	store_close(st);
	return 0;
}

/*
 * complete commands | options CMD | argname CMD OPT | values CMD OPT [DB]
 *          | vendors [DB] | lists | runs [DB]
 */
int cli_complete(int argc, char **argv, const struct command *cmds, size_t n)
{
	const struct command *c;
	const struct opt *t, *o;
	const char *syn;

	if (argc < 2) {
		fprintf(stderr, "usage: trustmap complete commands|options CMD|argname CMD OPT|"
				"values CMD OPT [DB]|vendors [DB]|lists|runs [DB]\n");
		return 2;
	}
	if (!strcmp(argv[1], "commands")) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", cmds[i].name);
		return 0;
	}
	if (!strcmp(argv[1], "vendors") || !strcmp(argv[1], "lists") || !strcmp(argv[1], "runs"))
		return complete_store(argv[1], argc > 2 ? argv[2] : NULL);
	if (argc < 3 || !(c = find_cmd(cmds, n, argv[2])))
		return 2;
	t = cmd_opts(c, &syn);
	if (!strcmp(argv[1], "options")) {
		for (o = t; o && o->name; o++)
			printf("--%s\n", o->name);
		printf("--help\n");
		return 0;
	}
	if (argc < 4 || !(o = find_opt(t, argv[3])))
		return 1;
	if (!strcmp(argv[1], "argname")) {
		if (o->arg)
			printf("%s\n", o->arg);
		return 0;
	}
	if (strcmp(argv[1], "values") || !o->arg)
		return 1;
	if (!strcmp(o->name, "format")) {
		words_format(o);
	} else if (!strcmp(o->name, "vendor")) {
		return complete_store("vendors", argc > 4 ? argv[4] : NULL);
	} else if (!strcmp(o->name, "list")) {
		return complete_store("lists", NULL);
	} else if (!strcmp(o->name, "run")) {
		return complete_store("runs", argc > 4 ? argv[4] : NULL);
	} else if (strchr(o->arg, '|')) { /* an argument spelled as its choices: devices|cost */
		for (const char *p = o->arg; *p;) {
			size_t k = strcspn(p, "|");

			printf("%.*s\n", (int)k, p);
			p += k + (p[k] == '|');
		}
	}
	return 0;
}

/* ---- --version ---- */

int cli_version(const char *version)
{
	struct kb_ver v[KBV_N];

	kb_versions(NULL, v);
	printf("trustmap %s\n", version);
	for (int i = 0; i < KBV_N; i++)
		printf("%-20s %-44s %s\n", v[i].name, v[i].version, v[i].present ? v[i].path : "");
	return 0;
}
