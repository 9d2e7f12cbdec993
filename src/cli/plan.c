/*
 * plan.c - `trustmap plan`: scenarios, cost and the phased replacement plan
 * (being built; see docs/plan.md).
 */
#include "cli.h"

#include <stdio.h>

int cmd_plan(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "trustmap plan: not built yet\n");
	return 2;
}
