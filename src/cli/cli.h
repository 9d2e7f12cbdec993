/*
 * cli.h - the subcommands.  Each cmd_* parses its own options, builds its
 * configuration struct and calls the modules; only main() and src/cli/ end
 * the process.  Exit statuses: 0 success, 1 findings (audit) or mismatches,
 * 2 usage or runtime error.
 */
#ifndef TM_CLI_H
#define TM_CLI_H

int cmd_identify(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_sniff(int argc, char **argv);
int cmd_assets(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_kb(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_paths(int argc, char **argv);
int cmd_scans(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_watch(int argc, char **argv);
/*
 * Hides the password of every postgres(ql):// URL on the command line from
 * ps: each such argument is rewritten in place without it, and the real URL
 * is kept for cli_store() (common.c).  Called by main() first thing.
 */
void cli_hide_db_passwords(int argc, char **argv);

#endif
