/*
 * opt.h - option tables for subcommands.  Each option is one row: long name,
 * short letter, argument name, help text, and where its value goes (an
 * offset into the command's config struct and a type, or a setter function),
 * so that parsing, --help and the man page come from the same description.
 */
#ifndef TM_OPT_H
#define TM_OPT_H

#include <stddef.h>
#include <stdio.h>

enum opt_type {
	OPT_FLAG,   /* int set to 1 */
	OPT_STR,    /* const char * (points into argv) */
	OPT_INT,    /* long */
	OPT_DOUBLE, /* double */
	OPT_FN,     /* setter(cfg, value, tag) */
};

struct opt {
	const char *name; /* long name without "--" */
	char shortc;	  /* 0 if none */
	const char *arg;  /* argument name for help, NULL for flags */
	const char *help;
	enum opt_type type;
	size_t off; /* offsetof(config, field) for typed options */
	int (*set)(void *cfg, const char *val, int tag); /* cfg + off: the whole config at off 0 */
	int tag; /* passed to set */
};

/*
 * Parses argv[1..] (argv[0] is the command name) against t (terminated by a
 * row with name NULL).  Positional arguments are moved to the front of argv
 * after argv[0]; *npos receives their count.  Returns 0, 1 when --help was
 * printed, or -1 after printing an error.
 */
int opt_parse(const struct opt *t, void *cfg, int argc, char **argv, int *npos,
	      const char *synopsis);
void opt_usage(FILE *f, const char *cmd, const char *synopsis, const struct opt *t);

/*
 * When opt_capture is set (`trustmap help --man`, `trustmap complete`),
 * opt_parse records the table and synopsis it was given there and returns 1
 * (as after --help) without parsing: running a command with capture set walks
 * its own option table and does nothing else, so the man page and the
 * completion come from the very tables that parse and print --help.
 */
struct opt_capture {
	const struct opt *t;
	const char *synopsis;
	int hits;
};
extern struct opt_capture *opt_capture;

#endif
