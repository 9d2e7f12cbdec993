/*
 * paths.c - `trustmap paths`: for every sensitive site, a clean path to the
 * core, the cheapest replacements that make one, and its exposure to a
 * vendor shutdown (src/paths).  Stub until the command lands.
 */
#include "cli.h"

#include <stdio.h>

int cmd_paths(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "trustmap paths: not built yet\n");
	return 2;
}
