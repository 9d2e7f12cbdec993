/*
 * planargs.h - the options `trustmap plan` and `trustmap report` share: the
 * policies (one scenario each), the cost model, a yearly budget and its
 * phases, and the confidence threshold.  One struct, one set of setters,
 * option rows and checks, so that both commands read them alike and say the
 * same things about bad values.
 */
#ifndef TM_CLI_PLANARGS_H
#define TM_CLI_PLANARGS_H

#include "opt.h"

#include <stdint.h>

#define PLAN_ARGS_MAX 16 /* policies (scenarios) on one command line */

struct plan_args {
	const char *cmd; /* "plan" or "report": for messages */
	const char *pol[PLAN_ARGS_MAX];
	int npol;
	const char *cost, *paths_to;
	double budget, funded, min_conf;
	int budget_set;
	long start_year, years;
	int core_first;
};

#define PLAN_ARGS_INIT(name) {.cmd = (name), .funded = 1, .min_conf = 0.5, .years = 10}

/* OPT_FN setters (cfg is the struct plan_args: the row's offset points at it). */
int plan_args_policy(void *pa, const char *v, int tag);
int plan_args_num(void *pa, const char *v, int tag); /* tag: enum below */
enum { PLAN_ARG_BUDGET, PLAN_ARG_FUNDED, PLAN_ARG_MIN_CONF };

/* The rows both commands list the same way (T the command's config, m its struct plan_args). */
#define PLAN_ARGS_OPTS(T, m)                                                                                       \
	{"cost", 0, "FILE", "cost model (YAML, docs/cost.md; default rules/cost-default.yaml)", OPT_STR,           \
	 offsetof(T, m.cost)},                                                                                     \
		{"budget-per-year", 0, "N", "yearly phases with this budget each (model currency)", OPT_FN,        \
		 offsetof(T, m), plan_args_num, PLAN_ARG_BUDGET},                                                  \
		{"start-year", 0, "Y", "the first phase's year (default the year of --date)", OPT_INT,             \
		 offsetof(T, m.start_year)},                                                                       \
		{"years", 0, "H", "number of yearly phases (default 10, at most 64)", OPT_INT,                     \
		 offsetof(T, m.years)},                                                                            \
		{"funded-share", 0, "F", "budgets times F (0..1); say what funding then blocks", OPT_FN,           \
		 offsetof(T, m), plan_args_num, PLAN_ARG_FUNDED},                                                  \
		{"core-first", 0, NULL, "every core item no later than any access item (docs/plan.md)", OPT_FLAG,  \
		 offsetof(T, m.core_first)},                                                                       \
		{"min-confidence", 0, "X", "attributions below X are suspects, not findings (default 0.5)", OPT_FN, \
		 offsetof(T, m), plan_args_num, PLAN_ARG_MIN_CONF}

struct cost_model;
/* The cost model file, else the rules directory's cost-default.yaml; 0, or -1 after "trustmap CMD: ...". */
int cli_cost_model(const char *cmd, const char *file, const char *kb_dir, struct cost_model **m);

/* The year (UTC) of a day number (days since 1970-01-01). */
int plan_args_year(int64_t day);
/* Defaults the start year to day's and checks the phases; 0, or -1 after a message. */
int plan_args_check(struct plan_args *a, int64_t day);

#endif
