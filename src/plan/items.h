/*
 * items.h - a scenario's plan items (docs/plan.md, "Items"): what
 * `trustmap plan` and `trustmap report` hand to the planner.  Each asset of
 * the scenario (src/plan/scen.h) is one item (its cost plus its share of its
 * site's overhead, the risk weight of its role, a deadline from its due
 * day); with clean paths (plan_paths_run: `trustmap paths` over the store
 * with the cost model plugged in), each sensitive site that has no clean
 * path to the core becomes ONE item, its work package: every device of its
 * cheapest clean path, done in one phase, weight the sum of theirs,
 * deadline the earliest of theirs.  A device is planned once: a scenario
 * asset in a package leaves its own item, and a device on the paths of
 * several sites goes to the first package by site id.  plan_items_solve()
 * plans with the funded budget, and with the full one when the share is
 * below 1, and sums each phase (year, items, packages, sites visited,
 * spend, budget, risk removed, value, due items) and what funding blocks.
 */
#ifndef TM_PLAN_ITEMS_H
#define TM_PLAN_ITEMS_H

#include "plan.h"
#include "../paths/paths.h"

#include <stddef.h>
#include <stdint.h>

struct scen;
struct store;
struct vreg;
struct policy;
struct cost_model;

/* A device of a clean path that is not an asset of the scenario: restricted, but no finding. */
struct plan_dev {
	int64_t id;
	char ref[64];		/* inventory id, else asset key */
	char site[64];		/* its site id; "" none (then a site of its own, "asset:<key>") */
	char key[96];		/* asset key */
	int role;		/* enum cost_role */
	int guessed;		/* the role was guessed */
	double cost;		/* (unit + labour) x its region's factor */
	double weight;		/* the model's risk weight of its role */
	double visit, overhead; /* its site's, times the region's factor */
};

/* The clean paths of one scenario's policy, priced by the cost model. */
struct plan_paths {
	struct paths_result r; /* one answer per sensitive site, by site id */
	struct plan_dev *dev;  /* devices on replace[] lists that are not scenario assets, by id */
	size_t ndev;
};

/*
 * Runs paths_run for s's policy over st with the cost model m plugged in,
 * on the day the policy stands complete (the later of o->day and the last
 * rule effective date, list member from date or day after an exception
 * expires: the paths the plan must reach once every rule bites)
 * (o->cost and o->cost_ctx are ignored: a scenario asset costs what the
 * scenario says, any other device (unit + labour) x its site's region
 * factor, its role guessed from the asset's product and model when it has
 * none), then reads every device of a replace[] list that is not a
 * scenario asset.  pp is filled (free with plan_paths_free, also after an
 * error).  Returns 0 or paths_run's codes with a message in eb.
 */
int plan_paths_run(struct store *st, const struct vreg *vr, const struct scen *s, const struct cost_model *m,
		   const struct paths_opt *o, struct plan_paths *pp, char *eb, size_t el);
void plan_paths_free(struct plan_paths *pp);

/*
 * Devices priced by a cost model alone, for paths_opt.cost (trustmap paths
 * --cost, the report's paths section when it has a model): (unit + labour)
 * x the region factor of the device's site, the role guessed from product
 * and model when the asset has none -- what plan_paths_run charges for a
 * device that is not a scenario asset.  The store's sites are read once,
 * here; m must outlive the pricer.  0, or TM_ENOMEM / the store's code with
 * a message in eb.
 */
struct plan_pricer;
int plan_pricer_new(struct store *st, const struct cost_model *m, struct plan_pricer **out, char *eb, size_t el);
int64_t plan_pricer_cost(void *pricer, const struct asset_rec *a); /* a paths_cost_fn */
void plan_pricer_free(struct plan_pricer *p);

struct plan_items_opt {
	int64_t day;	 /* the plan's day: assets due by then are overdue (deadline phase 1) */
	long start_year; /* phase 1's year */
	int years;	 /* H, 1..PLAN_MAX_PHASES */
	double budget;	 /* per year, in the model's currency (major units) */
	double share;	 /* funded share, 0..1 (1: full money) */
	int core_first;
};

/* A clean-path work package. */
struct plan_pkg {
	const char *site; /* the sensitive site (points into the plan_paths) */
	uint32_t item;	  /* its plan item */
	int64_t *dev;	  /* asset ids of the devices planned in it, ascending */
	size_t ndev;
	long findings;	       /* of them assets of the scenario */
	long extra;	       /* restricted devices on the path that are not findings */
	long shared;	       /* devices of its path already in an earlier package: not costed here */
	const char *shared_with; /* the first such earlier package's site, NULL none */
	int sites;	       /* distinct sites of its devices */
	const char **ref;      /* per device: inventory id, else asset key (points into the scenario or plan_paths) */
	int64_t due;	       /* the earliest due day of its findings (when findings > 0) */
};

struct plan_items {
	struct plan_item *it; /* single assets first (scenario order), then packages */
	size_t n;
	const char **site_id; /* per planner site: its id ("pkg:<site>" for a package over several sites) */
	int64_t *visit;	      /* per planner site, minor units */
	size_t nsites;
	int64_t budget[PLAN_MAX_PHASES];      /* funded: budget x share */
	int64_t budget_full[PLAN_MAX_PHASES]; /* budget x 1 */
	struct plan_problem pb;		      /* the items under the funded budgets */
	struct plan_problem pb_full;	      /* the same items under the full budgets */
	long start_year;
	double share;
	long overdue;	     /* items already due on the plan's day */
	int32_t *item_of;    /* per scenario asset: its item */
	uint32_t *cover_off; /* item i covers scenario assets cover[cover_off[i] .. cover_off[i+1]) */
	uint32_t *cover;
	int32_t *pkg_of;     /* per item: its package, -1 a single asset */
	struct plan_pkg *pkg;
	size_t npkg;
	long pkg_covered;    /* sites needing replacements whose whole path is in earlier packages */
	long extra_devs;     /* devices in packages that are not findings */
	struct plan_items_priv *priv;
};

/*
 * Builds the items of scenario s (and, when pp is not NULL, one package per
 * site of pp with status PS_REPLACE).  pi is filled (free with
 * plan_items_free, also after an error).  Returns 0, TM_EINVAL (years out of
 * range; a replace[] device that is neither a scenario asset nor in
 * pp->dev) or TM_ENOMEM, with a message in eb.
 */
int plan_items_build(const struct scen *s, const struct plan_items_opt *o, const struct plan_paths *pp,
		     struct plan_items *pi, char *eb, size_t el);
void plan_items_free(struct plan_items *pi);

/* One phase's (or the total's, or the unplaced items') sums. */
struct plan_phase_sum {
	long items, packages; /* placed items, of them packages */
	long sites;	      /* site visits */
	int64_t spend;	      /* items plus visits; unplaced: the items' cost without visits */
	int64_t budget;
	double risk;	      /* sum of weights */
	double value;	      /* sum of weight x (H - phase + 1) */
	long due;	      /* items with a deadline */
};

struct plan_outcome {
	enum plan_mode mode;
	struct plan_result r;	 /* under the funded budgets */
	struct plan_result full; /* under the full budgets, when has_full */
	int has_full;		 /* share < 1 */
	struct plan_phase_sum ph[PLAN_MAX_PHASES + 1]; /* [1..H]; [0]: unplaced */
	struct plan_phase_sum total;		       /* over phases 1..H */
	long blocked, blocked_due; /* items the full plan places and the funded one does not */
	int64_t blocked_cost;
	double blocked_risk;
	double ms; /* solving time */
};

/*
 * Plans pi (and, when pi->share < 1, plans again with the full budgets) and
 * sums the phases.  o is filled (free with plan_outcome_free, also after an
 * error).  Returns 0 or plan_solve's codes with a message in eb.
 */
int plan_items_solve(const struct plan_items *pi, enum plan_mode mode, struct plan_outcome *o, char *eb,
		     size_t el);
void plan_outcome_free(struct plan_outcome *o);

/*
 * The total's note: the solver, the deadlines' status and shortfall (money
 * in currency cur), the items already due, what funding blocks.  Always
 * terminated (cut when long).
 */
void plan_outcome_note(const struct plan_items *pi, const struct plan_outcome *o, const char *cur, char *out,
		       size_t len);

/* Minor units as text with two decimals ("-12.05"). */
const char *plan_money(int64_t cents, char *out, size_t len);

#endif
