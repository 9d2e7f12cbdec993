/*
 * plan.h - the phased replacement planner (docs/plan.md).  Items (one asset,
 * or a package of several assets at one site: one cost, one risk weight,
 * one site, one optional deadline) go into yearly phases 1..H so as to
 * maximise the sum over placed items of weight x (H - phase + 1), with each
 * phase's spending (its items' costs plus one visit cost per site per phase
 * in which any of the site's items is done) within that phase's budget (no
 * carry-over), every item with a deadline placed in a phase no later than
 * it, and, with core_first, no access item in a phase before a core item's
 * (and none at all while a core item is left out).  Money is in integer
 * minor units (cents), so every budget check is exact.
 *
 * plan_solve() uses an exact branch and bound when the instance is small
 * enough (plan_exact_ok), else a heuristic: deadline reservation, greedy
 * by value density, local improvement.  Both only ever place an item after
 * checking the phase's remaining budget including the visit cost, so every
 * plan returned is within budget; plan_check() verifies that independently.
 */
#ifndef TM_PLAN_H
#define TM_PLAN_H

#include <stddef.h>
#include <stdint.h>

struct plan_item {
	int64_t cost;	/* minor units, >= 0 */
	double weight;	/* risk weight, > 0 */
	uint32_t site;	/* index into plan_problem.visit */
	int deadline;	/* last phase allowed (1..H); 0 none */
	int cls;	/* enum cost_class: CC_CORE, CC_AGG, CC_ACCESS */
};

struct plan_problem {
	const struct plan_item *items;
	size_t n;
	const int64_t *visit; /* per site: the cost of one visit in one phase */
	size_t nsites;
	const int64_t *budget; /* per phase 1..H at budget[0..H-1] */
	int H;		       /* 1..PLAN_MAX_PHASES */
	int core_first;
	/*
	 * 0: the default search.  Else the heuristic's local-search rounds
	 * after its starts are at most this many (the default is up to 600 on
	 * small instances); every plan is still within budget.  For the fuzz
	 * targets, whose every input would otherwise pay the full search.
	 */
	int max_rounds;
	/*
	 * 0: no limit.  Else the exact searches (the plan's branch and bound,
	 * the shortfall's) stop after this many nodes: the plan is then the
	 * heuristic's (exact 0), the shortfall the bounds found (short_exact 0).
	 */
	long max_nodes;
	/*
	 * 0: the default starts (12 on instances of up to 64 items, else 1).
	 * Else the heuristic's greedy starts before its rounds are at most this
	 * many (4 still tries every ordering key once).  For the fuzz targets,
	 * as max_rounds.
	 */
	int max_starts;
};

#define PLAN_MAX_PHASES 64
#define PLAN_EXACT_LIMIT 4000000.0 /* search-space size (product of choices) solved exactly */
#define PLAN_EXACT_MAX_ITEMS 64	   /* ...and at most this many items (the search recurses per item) */

enum plan_mode { PLAN_AUTO = 0, PLAN_EXACT, PLAN_HEURISTIC };

struct plan_result {
	int *phase;	   /* per item: 1..H, 0 not placed */
	int64_t *spend;	   /* per phase (H entries) */
	double value;	   /* sum of weight x (H - phase + 1) */
	int exact;	   /* 1: the plan is optimal (the exact solver ran and found a feasible plan) */
	int feasible;	   /* 1: every deadline met (and core-first respected) */
	long missed;	   /* items with a deadline left out or late (0 when feasible) */
	int64_t short_lo;  /* when not feasible: the least extra money (sum over phases) */
	int64_t short_hi;  /* that would meet every deadline lies in [short_lo, short_hi]; equal when exact */
	int short_exact;   /* 1: short_lo == short_hi computed exactly */
	long nodes;	   /* search nodes (exact) or moves tried (heuristic) */
};

/* Would the exact solver take pb (at most PLAN_EXACT_MAX_ITEMS items, search space within PLAN_EXACT_LIMIT)? */
int plan_exact_ok(const struct plan_problem *pb);

/*
 * Solves pb.  r is filled (free with plan_result_free, also after an
 * error).  Returns 0, TM_EINVAL for a malformed problem (message in eb:
 * a negative cost, a site out of range, H out of range), TM_ENOMEM.  An
 * infeasible problem is not an error: r->feasible is 0 and the shortfall
 * is reported.
 */
int plan_solve(const struct plan_problem *pb, enum plan_mode mode, struct plan_result *r, char *eb, size_t el);
void plan_result_free(struct plan_result *r);

/* The objective of an assignment (phase per item, 0 unplaced). */
double plan_value(const struct plan_problem *pb, const int *phase);
/*
 * Checks an assignment: every phase within budget, deadlines (when
 * need_deadlines), core-first.  0 or TM_EINVAL with the first violation in eb.
 */
int plan_check(const struct plan_problem *pb, const int *phase, int need_deadlines, char *eb, size_t el);

#endif
