/* stubs.c - placeholders for commands not yet built; each says so and exits 2. */
#include "cli.h"

#include <stdio.h>

int cmd_demo(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "trustmap %s: not built yet; run 'make demo'\n", argv[0]);
	return 2;
}
