/*
 * graph.c - the compact graphs behind trustmap paths (paths.h): the
 * device graph as CSR (self-loops and duplicate links dropped), its
 * quotient in which each connected component of clean devices is one node,
 * and the node-split flow network over that quotient, laid out once so that
 * every site's query reuses it.  Everything is O(n + m) time and memory.
 */
#include "paths_int.h"

#include "core/err.h"
#include "core/mem.h"

#include <string.h>

/*
 * CSR of the undirected edges (a[i], b[i]) over n nodes: both directions,
 * self-loops dropped (*loops counts them), repeats dropped (*dups counts
 * each repeated undirected edge once).  Returns 0 or TM_ENOMEM.
 */
static int csr_build(uint32_t n, const uint32_t *a, const uint32_t *b, size_t ne, uint32_t **offp,
		     uint32_t **adjp, long *loops, long *dups)
{
	uint32_t *off = mem_calloc((size_t)n + 1, sizeof(*off));
	uint32_t *mark = mem_calloc((size_t)n + 1, sizeof(*mark));
	uint32_t *adj = NULL;
	size_t m = 0, w = 0;

	*loops = *dups = 0;
	if (!off || !mark)
		goto out_nomem;
	for (size_t i = 0; i < ne; i++) {
		if (a[i] == b[i]) {
			(*loops)++;
			continue;
		}
		off[a[i] + 1]++, off[b[i] + 1]++;
		m += 2;
	}
	for (uint32_t v = 0; v < n; v++)
		off[v + 1] += off[v];
	if (!(adj = mem_alloc((m ? m : 1) * sizeof(*adj))))
		goto out_nomem;
	/* fill: mark[] is the next free slot of each list for now */
	memcpy(mark, off, (size_t)n * sizeof(*mark));
	for (size_t i = 0; i < ne; i++) {
		if (a[i] == b[i])
			continue;
		adj[mark[a[i]]++] = b[i];
		adj[mark[b[i]]++] = a[i];
	}
	/* dedup each list in place; mark[y] == v + 1 when y already kept for v */
	memset(mark, 0, ((size_t)n + 1) * sizeof(*mark));
	uint32_t start = 0;
	for (uint32_t v = 0; v < n; v++) {
		uint32_t end = off[v + 1];
		off[v] = (uint32_t)w;
		for (uint32_t k = start; k < end; k++) {
			uint32_t y = adj[k];
			if (mark[y] == v + 1) {
				(*dups)++;
				continue;
			}
			mark[y] = v + 1;
			adj[w++] = y;
		}
		start = end;
	}
	off[n] = (uint32_t)w;
	*dups /= 2; /* each repeat was seen from both ends */
	mem_free(mark);
	*offp = off, *adjp = adj;
	return 0;
out_nomem:
	mem_free(off);
	mem_free(mark);
	mem_free(adj);
	return TM_ENOMEM;
}

/* Components of the clean devices (BFS); q[v] = component, or UINT32_MAX for restricted. */
static uint32_t clean_components(const struct paths_graph *g, uint32_t *q, uint32_t *queue)
{
	uint32_t nc = 0;

	for (uint32_t v = 0; v < g->n; v++)
		q[v] = UINT32_MAX;
	for (uint32_t s = 0; s < g->n; s++) {
		if (g->restr[s] || q[s] != UINT32_MAX)
			continue;
		uint32_t head = 0, tail = 0;
		q[s] = nc;
		queue[tail++] = s;
		while (head < tail) {
			uint32_t u = queue[head++];
			for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) {
				uint32_t y = g->adj[k];
				if (!g->restr[y] && q[y] == UINT32_MAX) {
					q[y] = nc;
					queue[tail++] = y;
				}
			}
		}
		nc++;
	}
	return nc;
}

/* The quotient graph: q[], qnode[], qoff/qadj.  Returns 0 or TM_ENOMEM. */
static int quotient(struct paths_graph *g)
{
	uint32_t *ea = NULL, *eb = NULL;
	size_t ne = 0;
	long loops, dups;
	int rc = TM_ENOMEM;

	g->q = mem_alloc(((size_t)g->n + 1) * sizeof(*g->q));
	g->queue = mem_alloc(((size_t)g->n + 1) * sizeof(*g->queue));
	if (!g->q || !g->queue)
		return TM_ENOMEM;
	g->ncomp = clean_components(g, g->q, g->queue);
	g->nrestr = 0;
	for (uint32_t v = 0; v < g->n; v++)
		g->nrestr += g->restr[v] != 0;
	g->nq = g->ncomp + g->nrestr;
	if (!(g->qnode = mem_alloc(((size_t)g->nrestr + 1) * sizeof(*g->qnode))))
		return TM_ENOMEM;
	for (uint32_t v = 0, r = 0; v < g->n; v++)
		if (g->restr[v]) {
			g->q[v] = g->ncomp + r;
			g->qnode[r++] = v;
		}
	/* an edge survives unless both ends are clean (then they share a component) */
	size_t m = 0;
	for (uint32_t u = 0; u < g->n; u++)
		for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++)
			m += u < g->adj[k] && (g->restr[u] || g->restr[g->adj[k]]);
	ea = mem_alloc((m ? m : 1) * sizeof(*ea));
	eb = mem_alloc((m ? m : 1) * sizeof(*eb));
	if (!ea || !eb)
		goto out;
	for (uint32_t u = 0; u < g->n; u++)
		for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) {
			uint32_t y = g->adj[k];
			if (u < y && (g->restr[u] || g->restr[y]))
				ea[ne] = g->q[u], eb[ne++] = g->q[y];
		}
	rc = csr_build(g->nq, ea, eb, ne, &g->qoff, &g->qadj, &loops, &dups);
out:
	mem_free(ea);
	mem_free(eb);
	return rc;
}

/*
 * The flow network over the quotient.  A clean component is one flow node
 * (its own number); restricted quotient node x is split into in = x and
 * out = nq + (x - ncomp) joined by an arc of the device's capacity.  Each
 * quotient arc x -> y becomes out(x) -> in(y) of capacity PATHS_INF.  Every
 * arc has its reverse (capacity 0) at frev[].
 */
static int flow_network(struct paths_graph *g)
{
	size_t narcs = 2 * ((size_t)g->nrestr + g->qoff[g->nq]);
	uint32_t *fill;

	g->nf = g->nq + g->nrestr;
	g->foff = mem_calloc((size_t)g->nf + 2, sizeof(*g->foff));
	g->fto = mem_alloc((narcs ? narcs : 1) * sizeof(*g->fto));
	g->frev = mem_alloc((narcs ? narcs : 1) * sizeof(*g->frev));
	g->fcap0 = mem_alloc((narcs ? narcs : 1) * sizeof(*g->fcap0));
	g->fcap = mem_alloc((narcs ? narcs : 1) * sizeof(*g->fcap));
	fill = mem_alloc(((size_t)g->nf + 1) * sizeof(*fill));
	if (!g->foff || !g->fto || !g->frev || !g->fcap0 || !g->fcap || !fill) {
		mem_free(fill);
		return TM_ENOMEM;
	}
	g->narcs = narcs;
	g->flow_dirty = 1; /* fcap is filled from fcap0 by the first query */
	for (uint32_t r = 0; r < g->nrestr; r++) {
		uint32_t x = g->ncomp + r;
		g->foff[flow_in(g, x) + 1]++, g->foff[flow_out(g, x) + 1]++;
	}
	for (uint32_t x = 0; x < g->nq; x++)
		for (uint32_t k = g->qoff[x]; k < g->qoff[x + 1]; k++) {
			g->foff[flow_out(g, x) + 1]++;
			g->foff[flow_in(g, g->qadj[k]) + 1]++;
		}
	for (uint32_t f = 0; f < g->nf; f++)
		g->foff[f + 1] += g->foff[f];
	memcpy(fill, g->foff, (size_t)g->nf * sizeof(*fill));
	for (uint32_t r = 0; r < g->nrestr; r++) {
		uint32_t x = g->ncomp + r, t = flow_in(g, x), h = flow_out(g, x);
		uint32_t pf = fill[t]++, pr = fill[h]++;
		g->fto[pf] = h, g->fto[pr] = t;
		g->frev[pf] = pr, g->frev[pr] = pf;
		g->fcap0[pf] = g->cap[g->qnode[r]], g->fcap0[pr] = 0;
	}
	for (uint32_t x = 0; x < g->nq; x++)
		for (uint32_t k = g->qoff[x]; k < g->qoff[x + 1]; k++) {
			uint32_t t = flow_out(g, x), h = flow_in(g, g->qadj[k]);
			uint32_t pf = fill[t]++, pr = fill[h]++;
			g->fto[pf] = h, g->fto[pr] = t;
			g->frev[pf] = pr, g->frev[pr] = pf;
			g->fcap0[pf] = PATHS_INF, g->fcap0[pr] = 0;
		}
	mem_free(fill);
	return 0;
}

/* Scratch every query reuses. */
static int scratch(struct paths_graph *g)
{
	size_t nq = (size_t)g->nq + 1, nf = (size_t)g->nf + 1;

	g->dist = mem_alloc(nq * sizeof(*g->dist));
	g->par = mem_alloc(nq * sizeof(*g->par));
	g->qmark = mem_calloc(nq, sizeof(*g->qmark));
	g->heap_cap = (size_t)g->qoff[g->nq] + nq;
	g->heap = mem_alloc(g->heap_cap * sizeof(*g->heap));
	g->level = mem_alloc(nf * sizeof(*g->level));
	g->it = mem_alloc(nf * sizeof(*g->it));
	g->fmark = mem_calloc(nf, sizeof(*g->fmark));
	g->fqueue = mem_alloc(nf * sizeof(*g->fqueue));
	g->path = mem_alloc(nf * sizeof(*g->path));
	g->fsrc = mem_alloc(nf * sizeof(*g->fsrc));
	if (!g->dist || !g->par || !g->qmark || !g->heap || !g->level || !g->it || !g->fmark ||
	    !g->fqueue || !g->path || !g->fsrc)
		return TM_ENOMEM;
	return 0;
}

int paths_graph_new(struct paths_graph **out, uint32_t n, const uint32_t *eu, const uint32_t *ev,
		    size_t ne, const uint8_t *restricted, const int64_t *cost, const int64_t *cap,
		    struct paths_graph_stats *gs)
{
	struct paths_graph *g;
	long loops = 0, dups = 0;
	int rc;

	*out = NULL;
	if (n > PATHS_MAX_NODES || ne > PATHS_MAX_LINKS)
		return TM_ELIMIT;
	for (size_t i = 0; i < ne; i++)
		if (eu[i] >= n || ev[i] >= n)
			return TM_EINVAL;
	int64_t most = paths_cost_max(n); /* so that no sum over a path or a cut overflows */
	for (uint32_t v = 0; v < n; v++)
		if (restricted[v] && (cost[v] < 0 || cost[v] > most || cap[v] < 1 || cap[v] > most))
			return TM_EINVAL;
	if (!(g = mem_calloc(1, sizeof(*g))))
		return TM_ENOMEM;
	g->n = n;
	g->restr = mem_alloc((size_t)n + 1);
	g->cost = mem_alloc(((size_t)n + 1) * sizeof(*g->cost));
	g->cap = mem_alloc(((size_t)n + 1) * sizeof(*g->cap));
	if (!g->restr || !g->cost || !g->cap) {
		rc = TM_ENOMEM;
		goto out_free;
	}
	for (uint32_t v = 0; v < n; v++) {
		g->restr[v] = restricted[v] != 0;
		g->cost[v] = g->restr[v] ? cost[v] : 0;
		g->cap[v] = g->restr[v] ? cap[v] : PATHS_INF;
	}
	if ((rc = csr_build(n, eu, ev, ne, &g->off, &g->adj, &loops, &dups)) ||
	    (rc = quotient(g)) || (rc = flow_network(g)) || (rc = scratch(g)))
		goto out_free;
	if (gs) {
		memset(gs, 0, sizeof(*gs));
		gs->nodes = n;
		gs->links = (long)(g->off[n] / 2);
		gs->self_loops = loops;
		gs->duplicates = dups;
		gs->restricted = g->nrestr;
		gs->clean_comps = g->ncomp;
		gs->qnodes = g->nq;
		gs->qlinks = (long)(g->qoff[g->nq] / 2);
		gs->flow_arcs = (long)g->narcs;
	}
	*out = g;
	return 0;
out_free:
	paths_graph_free(g);
	return rc;
}

int64_t paths_cost_max(uint32_t n)
{
	return (PATHS_INF - 1) / ((int64_t)n + 1);
}

void paths_graph_free(struct paths_graph *g)
{
	if (!g)
		return;
	mem_free(g->off);
	mem_free(g->adj);
	mem_free(g->restr);
	mem_free(g->cost);
	mem_free(g->cap);
	mem_free(g->q);
	mem_free(g->queue);
	mem_free(g->qnode);
	mem_free(g->qoff);
	mem_free(g->qadj);
	mem_free(g->foff);
	mem_free(g->fto);
	mem_free(g->frev);
	mem_free(g->fcap0);
	mem_free(g->fcap);
	mem_free(g->dist);
	mem_free(g->par);
	mem_free(g->qmark);
	mem_free(g->heap);
	mem_free(g->level);
	mem_free(g->it);
	mem_free(g->fmark);
	mem_free(g->fqueue);
	mem_free(g->path);
	mem_free(g->fsrc);
	mem_free(g);
}
