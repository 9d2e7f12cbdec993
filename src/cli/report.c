/*
 * report.c - `trustmap report`: the self-contained HTML report and the
 * Markdown summary (being built; see docs/report.md).
 */
#include "cli.h"

#include <stdio.h>

int cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "trustmap report: not built yet\n");
	return 2;
}
