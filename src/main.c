/*
 * main.c - command dispatch: a table of {name, function, minimum arguments,
 * summary} (cmdtab.h); the dispatcher checks arity and prints usage.  The
 * man page and the completion walk the same table (src/cli/man.c).
 */
#include "cli/cli.h"
#include "cli/cmdtab.h"
#include "core/log.h"

#include <stdio.h>
#include <string.h>

#ifndef TM_VERSION
#define TM_VERSION "0.1.0"
#endif

static const struct command commands[] = {
	{"identify", cmd_identify, 0, "attribute observations given as options or JSON Lines on stdin"},
	{"import", cmd_import, 1, "import nmap XML, masscan output, inventory CSV or observation JSONL"},
	{"scan", cmd_scan, 1, "probe addresses and ports, store and attribute what answers"},
	{"sniff", cmd_sniff, 1, "read captures or an interface passively, store and attribute what is seen"},
	{"assets", cmd_assets, 0, "list attributed assets from the store"},
	{"show", cmd_show, 1, "show one asset with all its evidence"},
	{"audit", cmd_audit, 0, "apply a policy: findings, with evidence; exit 1 when any"},
	{"report", cmd_report, 0, "one self-contained HTML report (map, shares, findings, history) or a Markdown summary"},
	{"plan", cmd_plan, 0, "scenarios side by side (cost by operator, region, role) and a phased plan under a yearly budget"},
	{"paths", cmd_paths, 0, "sensitive sites: clean path to the core, cheapest replacements, exposure to a vendor shutdown"},
	{"scans", cmd_scans, 0, "named (sharded) scans in the store: per-shard progress and state"},
	{"diff", cmd_diff, 0, "what changed between two scans: devices appeared, disappeared, new maker, firmware or address"},
	{"watch", cmd_watch, 0, "rescan and audit every interval; exit non-zero or run a hook when a new finding appears"},
	{"kb", cmd_kb, 0, "knowledge base: sources, counts, rule self-test"},
	{"demo", cmd_demo, 0, "run the built-in demo"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: trustmap [-v|-q] COMMAND [options]\n       trustmap --version\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'trustmap COMMAND --help' describes a command's options.\n");
}

int main(int argc, char **argv)
{
	int i = 1;

	cli_hide_db_passwords(argc, argv);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v"))
			log_set_level(log_get_level() < LOG_DEBUG ? log_get_level() + 1 : LOG_DEBUG);
		else if (!strcmp(argv[i], "-q"))
			log_set_level(LOG_ERROR);
		else if (!strcmp(argv[i], "--verbose"))
			log_set_level(log_get_level() < LOG_DEBUG ? log_get_level() + 1 : LOG_DEBUG);
		else if (!strcmp(argv[i], "--quiet"))
			log_set_level(LOG_ERROR);
		else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V"))
			return cli_version(TM_VERSION);
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "trustmap: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	/* not in the table, so not in the usage: the generators that walk it */
	if (!strcmp(argv[i], "help"))
		return cli_help(argc - i, argv + i, commands, sizeof(commands) / sizeof(commands[0]));
	if (!strcmp(argv[i], "complete"))
		return cli_complete(argc - i, argv + i, commands, sizeof(commands) / sizeof(commands[0]));
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		if (strcmp(argv[i], commands[c].name))
			continue;
		if (argc - i - 1 < commands[c].min_args &&
		    !(argc - i - 1 == 1 && !strcmp(argv[i + 1], "--help"))) {
			fprintf(stderr, "trustmap %s: needs at least %d argument(s); see --help\n",
				commands[c].name, commands[c].min_args);
			return 2;
		}
		return commands[c].fn(argc - i, argv + i);
	}
	fprintf(stderr, "trustmap: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return 2;
}
