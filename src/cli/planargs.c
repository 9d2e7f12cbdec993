/*
 * planargs.c - the plan options `trustmap plan` and `trustmap report`
 * share (planargs.h): setters, and the checks of the phases.
 */
#include "planargs.h"

#include "../core/err.h"
#include "../kb/kb.h"
#include "../plan/cost.h"
#include "../plan/plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int plan_args_policy(void *pa, const char *v, int tag)
{
	struct plan_args *a = pa;

	(void)tag;
	if (a->npol == PLAN_ARGS_MAX) {
		fprintf(stderr, "trustmap %s: at most %d policies\n", a->cmd, PLAN_ARGS_MAX);
		return -1;
	}
	a->pol[a->npol++] = v;
	return 0;
}

int plan_args_num(void *pa, const char *v, int tag)
{
	static const char *const name[] = {"budget-per-year", "funded-share", "min-confidence"};
	struct plan_args *a = pa;
	char *end;
	double d = strtod(v, &end);

	if (*end || end == v || !isfinite(d) || d < 0 || d > 1e15 || (tag != PLAN_ARG_BUDGET && d > 1)) {
		fprintf(stderr, "trustmap %s: --%s takes a number %s, not '%s'\n", a->cmd, name[tag],
			tag == PLAN_ARG_BUDGET ? "of 0 or more" : "from 0 to 1", v);
		return -1;
	}
	if (tag == PLAN_ARG_BUDGET)
		a->budget = d, a->budget_set = 1;
	else if (tag == PLAN_ARG_FUNDED)
		a->funded = d;
	else
		a->min_conf = d;
	return 0;
}

int plan_args_year(int64_t day)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

int plan_args_check(struct plan_args *a, int64_t day)
{
	if (!a->start_year)
		a->start_year = plan_args_year(day);
	if (a->years < 1 || a->years > PLAN_MAX_PHASES) {
		fprintf(stderr, "trustmap %s: --years takes 1 to %d\n", a->cmd, PLAN_MAX_PHASES);
		return -1;
	}
	if (a->start_year < 1970 || a->start_year > 9999) {
		fprintf(stderr, "trustmap %s: --start-year takes a year from 1970 to 9999\n", a->cmd);
		return -1;
	}
	return 0;
}

int cli_cost_model(const char *cmd, const char *file, const char *kb_dir, struct cost_model **m)
{
	char dir[512], path[640], eb[TM_ERRLEN];

	if (file) {
		if (!cost_load(file, m, eb, sizeof(eb)))
			return 0;
	} else if (kb_find_dir(kb_dir, dir, sizeof(dir))) {
		snprintf(eb, sizeof(eb), "no rules directory for the default cost model (--cost FILE or --kb-dir DIR)");
	} else {
		snprintf(path, sizeof(path), "%s/cost-default.yaml", dir);
		if (!cost_load(path, m, eb, sizeof(eb)))
			return 0;
	}
	fprintf(stderr, "trustmap %s: %s\n", cmd, eb);
	return -1;
}
