/*
 * paths_int.h - what graph.c and clean.c share: the graph, its clean-
 * component quotient, the flow network and the scratch every query reuses.
 */
#ifndef TM_PATHS_INT_H
#define TM_PATHS_INT_H

#include "paths.h"

struct heap_ent {
	int64_t d;
	uint32_t x;
};

struct paths_graph {
	uint32_t n;	     /* devices */
	uint32_t *off, *adj; /* device graph, CSR, both directions */
	uint8_t *restr;	     /* per device */
	int64_t *cost, *cap; /* per device (0 and PATHS_INF for clean ones) */

	/* quotient: components 0..ncomp-1, then restricted devices ncomp..nq-1 */
	uint32_t *q;	 /* device -> quotient node */
	uint32_t *queue; /* BFS scratch (n) */
	uint32_t ncomp, nrestr, nq;
	uint32_t *qnode; /* quotient node - ncomp -> device */
	uint32_t *qoff, *qadj;

	/* flow network: see flow_in/flow_out */
	uint32_t nf;
	size_t narcs;
	uint32_t *foff, *fto, *frev;
	int64_t *fcap0, *fcap; /* capacities as built; residual of the current query */

	/* query scratch */
	int64_t *dist; /* per quotient node */
	uint32_t *par;
	uint32_t *qmark, qstamp; /* sinks (and sources) on the quotient, by stamp */
	struct heap_ent *heap;
	size_t heap_cap;
	int32_t *level;		 /* per flow node */
	uint32_t *it;		 /* current arc */
	uint32_t *fmark, fstamp; /* sinks on the flow network, by stamp */
	uint32_t *fqueue, *path, *fsrc;
	int flow_dirty; /* fcap differs from fcap0 */
};

/* Flow node where arcs into quotient node x arrive. */
static inline uint32_t flow_in(const struct paths_graph *g, uint32_t x)
{
	(void)g;
	return x;
}

/* Flow node where arcs out of quotient node x leave. */
static inline uint32_t flow_out(const struct paths_graph *g, uint32_t x)
{
	return x < g->ncomp ? x : g->nq + (x - g->ncomp);
}

#endif
