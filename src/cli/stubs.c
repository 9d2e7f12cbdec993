/* stubs.c - placeholders for commands not yet built; each says so and exits 2. */
#include "cli.h"

#include <stdio.h>

#define STUB(fn)                                                          \
	int fn(int argc, char **argv)                                     \
	{                                                                 \
		(void)argc;                                               \
		fprintf(stderr, "trustmap %s: not built yet\n", argv[0]); \
		return 2;                                                 \
	}

STUB(cmd_identify)
STUB(cmd_import)
STUB(cmd_assets)
STUB(cmd_show)
STUB(cmd_demo)
STUB(cmd_kb)
