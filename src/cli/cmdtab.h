/*
 * cmdtab.h - the command table main.c dispatches from, shared with the
 * generators that walk it (man.c: `trustmap help --man`, `trustmap
 * complete`), so every command registered in main.c appears in the man page
 * and the bash completion without being named anywhere else.
 */
#ifndef TM_CMDTAB_H
#define TM_CMDTAB_H

#include <stddef.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	int min_args; /* arguments after the command name */
	const char *summary;
};

/* `trustmap help [--man | COMMAND]`: argv[0] is "help". */
int cli_help(int argc, char **argv, const struct command *cmds, size_t n);
/* `trustmap complete WHAT ...`: words for the bash completion, one a line. */
int cli_complete(int argc, char **argv, const struct command *cmds, size_t n);
/* `trustmap --version`: the program and every knowledge source in use. */
int cli_version(const char *version);

#endif
