/* opt.c - option-table parsing and help (opt.h). */
#include "opt.h"
#include "../core/str.h"

#include <string.h>

struct opt_capture *opt_capture;

void opt_usage(FILE *f, const char *cmd, const char *synopsis, const struct opt *t)
{
	fprintf(f, "usage: trustmap %s %s\n\noptions:\n", cmd, synopsis);
	for (; t->name; t++) {
		char left[64];

		if (t->shortc)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", t->shortc, t->name,
				 t->arg ? " " : "", t->arg ? t->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", t->name, t->arg ? " " : "",
				 t->arg ? t->arg : "");
		fprintf(f, "  %-30s %s\n", left, t->help);
	}
	fprintf(f, "  %-30s %s\n", "-h, --help", "show this help");
}

static const struct opt *find(const struct opt *t, const char *a, size_t n, char shortc)
{
	for (; t->name; t++)
		if (shortc ? t->shortc == shortc : (strlen(t->name) == n && !strncmp(t->name, a, n)))
			return t;
	return NULL;
}

static int apply(const struct opt *o, void *cfg, const char *val, const char *cmd)
{
	char *base = cfg;
	int64_t i;
	double d;

	switch (o->type) {
	case OPT_FLAG: *(int *)(base + o->off) = 1; return 0;
	case OPT_STR: *(const char **)(base + o->off) = val; return 0;
	case OPT_INT:
		if (!str_to_i64(val, strlen(val), &i)) {
			fprintf(stderr, "trustmap %s: --%s wants a whole number, not '%s'\n", cmd,
				o->name, val);
			return -1;
		}
		*(long *)(base + o->off) = (long)i;
		return 0;
	case OPT_DOUBLE:
		if (!str_to_double(val, strlen(val), &d)) {
			fprintf(stderr, "trustmap %s: --%s wants a number, not '%s'\n", cmd, o->name,
				val);
			return -1;
		}
		*(double *)(base + o->off) = d;
		return 0;
	case OPT_FN:
		if (o->set(base + o->off, val, o->tag)) { /* the row's offset: its part of cfg */
			fprintf(stderr, "trustmap %s: bad value for --%s: '%s'\n", cmd, o->name, val);
			return -1;
		}
		return 0;
	}
	return -1;
}

int opt_parse(const struct opt *t, void *cfg, int argc, char **argv, int *npos,
	      const char *synopsis)
{
	const char *cmd = argv[0];
	int pos = 1, only_pos = 0;

	if (opt_capture) {
		opt_capture->t = t;
		opt_capture->synopsis = synopsis;
		opt_capture->hits++;
		return 1;
	}

	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		const struct opt *o;
		const char *val = NULL;

		if (only_pos || a[0] != '-' || !a[1]) {
			argv[pos++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			opt_usage(stdout, cmd, synopsis, t);
			return 1;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			o = find(t, a + 2, n, 0);
			if (eq)
				val = eq + 1;
		} else {
			o = a[2] ? NULL : find(t, NULL, 0, a[1]);
		}
		if (!o) {
			fprintf(stderr, "trustmap %s: unknown option '%s' (see --help)\n", cmd, a);
			return -1;
		}
		if (o->arg && !val) {
			if (i + 1 >= argc) {
				fprintf(stderr, "trustmap %s: --%s needs a value (%s)\n", cmd, o->name,
					o->arg);
				return -1;
			}
			val = argv[++i];
		} else if (!o->arg && val) {
			fprintf(stderr, "trustmap %s: --%s takes no value\n", cmd, o->name);
			return -1;
		}
		if (apply(o, cfg, val, cmd))
			return -1;
	}
	*npos = pos - 1;
	return 0;
}
