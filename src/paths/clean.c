/*
 * clean.c - one site's questions on a built graph (paths.h): is there a
 * clean path to the core (the site's clean devices and the core's clean
 * devices share a clean component), the cheapest set of restricted devices
 * to replace (Dijkstra on the quotient, node weights: a component costs 0,
 * a restricted device its replacement cost), and the minimum restricted
 * vertex cut (Dinic's max-flow on the node-split network, many sources and
 * sinks without extra nodes; then the devices whose in-node the residual
 * still reaches from the site and whose out-node it does not).  All scratch
 * lives in the graph and is reused: a query touches no allocator unless its
 * answer outgrows the arrays it was given.
 */
#include "paths_int.h"

#include "core/err.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

static int reserve(uint32_t **v, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	uint32_t *n = mem_realloc(*v, c * sizeof(*n));
	if (!n)
		return TM_ENOMEM;
	*v = n, *cap = c;
	return 0;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* A fresh stamp for a marker array (cleared when the counter wraps). */
static uint32_t next_stamp(uint32_t *stamp, uint32_t *mark, size_t n)
{
	if (++*stamp == 0) {
		memset(mark, 0, n * sizeof(*mark));
		*stamp = 1;
	}
	return *stamp;
}

/* ---- Dijkstra with a lazy binary heap ---- */

static void hpush(struct heap_ent *h, size_t *n, int64_t d, uint32_t x)
{
	size_t i = (*n)++;

	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (h[p].d <= d)
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = (struct heap_ent){d, x};
}

static struct heap_ent hpop(struct heap_ent *h, size_t *n)
{
	struct heap_ent top = h[0], last = h[--*n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1].d < h[c].d)
			c++;
		if (h[c].d >= last.d)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = last;
	return top;
}

static int64_t weight(const struct paths_graph *g, uint32_t x)
{
	return x < g->ncomp ? 0 : g->cost[g->qnode[x - g->ncomp]];
}

/* The cheapest quotient node marked as a sink (qmark == stamp), or NONE. */
static uint32_t dijkstra(struct paths_graph *g, const uint32_t *src, size_t ns, uint32_t stamp)
{
	size_t hn = 0;

	for (uint32_t x = 0; x < g->nq; x++)
		g->dist[x] = PATHS_INF;
	for (size_t i = 0; i < ns; i++) {
		uint32_t x = g->q[src[i]];
		int64_t w = weight(g, x);
		if (w < g->dist[x]) {
			g->dist[x] = w;
			g->par[x] = NONE;
			hpush(g->heap, &hn, w, x);
		}
	}
	while (hn) {
		struct heap_ent e = hpop(g->heap, &hn);
		if (e.d != g->dist[e.x])
			continue;
		if (g->qmark[e.x] == stamp)
			return e.x;
		for (uint32_t k = g->qoff[e.x]; k < g->qoff[e.x + 1]; k++) {
			uint32_t y = g->qadj[k];
			int64_t nd = e.d + weight(g, y);
			if (nd < g->dist[y]) {
				g->dist[y] = nd;
				g->par[y] = e.x;
				hpush(g->heap, &hn, nd, y);
			}
		}
	}
	return NONE;
}

/* ---- Dinic ---- */

/* Levels from the sources; the level at which a sink is first met, or -1. */
static int32_t levels(struct paths_graph *g, size_t nsrc)
{
	uint32_t head = 0, tail = 0;
	int32_t sink_level = -1;

	memset(g->level, 0xff, (size_t)g->nf * sizeof(*g->level));
	for (size_t i = 0; i < nsrc; i++) {
		g->level[g->fsrc[i]] = 0;
		g->fqueue[tail++] = g->fsrc[i];
	}
	while (head < tail) {
		uint32_t u = g->fqueue[head++];
		if (g->fmark[u] == g->fstamp) {
			if (sink_level < 0)
				sink_level = g->level[u];
			continue; /* a path through a sink may as well end there */
		}
		if (sink_level >= 0 && g->level[u] >= sink_level)
			continue;
		for (uint32_t a = g->foff[u]; a < g->foff[u + 1]; a++) {
			uint32_t v = g->fto[a];
			if (g->fcap[a] > 0 && g->level[v] < 0) {
				g->level[v] = g->level[u] + 1;
				g->fqueue[tail++] = v;
			}
		}
	}
	return sink_level;
}

/* One augmenting path from s in the level graph: the flow pushed, 0 when none is left. */
static int64_t augment(struct paths_graph *g, uint32_t s)
{
	uint32_t u = s, d = 0;

	for (;;) {
		if (g->fmark[u] == g->fstamp) {
			int64_t b = PATHS_INF;
			for (uint32_t i = 0; i < d; i++)
				if (g->fcap[g->path[i]] < b)
					b = g->fcap[g->path[i]];
			if (b >= PATHS_INF)
				return PATHS_INF; /* a clean path: cannot happen after the existence
						     test */
			for (uint32_t i = 0; i < d; i++) {
				g->fcap[g->path[i]] -= b;
				g->fcap[g->frev[g->path[i]]] += b;
			}
			return b;
		}
		uint32_t end = g->foff[u + 1], a = g->it[u];
		for (; a < end; a++) {
			uint32_t v = g->fto[a];
			if (g->fcap[a] > 0 && g->level[v] == g->level[u] + 1)
				break;
		}
		g->it[u] = a;
		if (a == end) {
			g->level[u] = -1; /* dead end: never again in this phase */
			if (!d)
				return 0;
			d--;
			u = g->fto[g->frev[g->path[d]]];
			g->it[u]++;
			continue;
		}
		g->path[d++] = a;
		u = g->fto[a];
	}
}

/* The max flow from the sources in g->fsrc to the marked sinks; PATHS_INF when unbounded. */
static int64_t maxflow(struct paths_graph *g, size_t nsrc)
{
	int64_t flow = 0;

	if (g->flow_dirty)
		memcpy(g->fcap, g->fcap0, g->narcs * sizeof(*g->fcap));
	g->flow_dirty = 1;
	while (levels(g, nsrc) >= 0) {
		memcpy(g->it, g->foff, (size_t)g->nf * sizeof(*g->it));
		for (size_t i = 0; i < nsrc; i++) {
			int64_t b;
			while ((b = augment(g, g->fsrc[i])) > 0) {
				if (b >= PATHS_INF)
					return PATHS_INF;
				flow += b;
			}
		}
	}
	return flow;
}

static int min_cut(struct paths_graph *g, const uint32_t *src, size_t ns, const uint32_t *snk,
		   size_t nt, struct paths_answer *a)
{
	size_t nsrc = 0;
	uint32_t st = next_stamp(&g->qstamp, g->qmark, (size_t)g->nq + 1);
	int rc;

	next_stamp(&g->fstamp, g->fmark, (size_t)g->nf + 1);
	for (size_t i = 0; i < nt; i++)
		g->fmark[flow_out(g, g->q[snk[i]])] = g->fstamp;
	for (size_t i = 0; i < ns; i++) {
		uint32_t x = g->q[src[i]];
		if (g->qmark[x] != st) {
			g->qmark[x] = st;
			g->fsrc[nsrc++] = flow_in(g, x);
		}
	}
	int64_t f = maxflow(g, nsrc);
	if (f >= PATHS_INF) {
		a->cut_value = -1;
		return 0;
	}
	/* the last levels() found no sink: level >= 0 is the residual's reach */
	for (uint32_t r = 0; r < g->nrestr; r++) {
		uint32_t x = g->ncomp + r;
		if (g->level[flow_in(g, x)] >= 0 && g->level[flow_out(g, x)] < 0) {
			if ((rc = reserve(&a->cut, &a->cap_cut, a->ncut + 1)))
				return rc;
			a->cut[a->ncut++] = g->qnode[r];
			a->cut_value += g->cap[g->qnode[r]];
		}
	}
	return 0;
}

int paths_query(struct paths_graph *g, const uint32_t *src, size_t ns, const uint32_t *snk,
		size_t nt, struct paths_answer *a)
{
	uint32_t st;
	int rc;

	a->status = PS_NO_DEVICES;
	a->cost = 0;
	a->cut_value = 0;
	a->nreplace = a->ncut = 0;
	if (!nt)
		return TM_EINVAL;
	for (size_t i = 0; i < ns; i++)
		if (src[i] >= g->n)
			return TM_EINVAL;
	for (size_t i = 0; i < nt; i++)
		if (snk[i] >= g->n)
			return TM_EINVAL;
	if (!ns)
		return 0;

	/* a clean path: a clean site device in the component of a clean core device */
	st = next_stamp(&g->qstamp, g->qmark, (size_t)g->nq + 1);
	for (size_t i = 0; i < nt; i++)
		if (!g->restr[snk[i]])
			g->qmark[g->q[snk[i]]] = st;
	for (size_t i = 0; i < ns; i++)
		if (!g->restr[src[i]] && g->qmark[g->q[src[i]]] == st) {
			a->status = PS_CLEAN;
			a->cut_value = -1;
			return 0;
		}

	/* the cheapest replacements */
	st = next_stamp(&g->qstamp, g->qmark, (size_t)g->nq + 1);
	for (size_t i = 0; i < nt; i++)
		g->qmark[g->q[snk[i]]] = st;
	uint32_t x = dijkstra(g, src, ns, st);
	if (x == NONE) {
		a->status = PS_CUT_OFF;
		return 0;
	}
	a->status = PS_REPLACE;
	a->cost = g->dist[x];
	for (; x != NONE; x = g->par[x])
		if (x >= g->ncomp) {
			if ((rc = reserve(&a->replace, &a->cap_replace, a->nreplace + 1)))
				return rc;
			a->replace[a->nreplace++] = g->qnode[x - g->ncomp];
		}
	qsort(a->replace, a->nreplace, sizeof(*a->replace), cmp_u32);

	/* exposure: the minimum restricted vertex cut */
	if ((rc = min_cut(g, src, ns, snk, nt, a)))
		return rc;
	qsort(a->cut, a->ncut, sizeof(*a->cut), cmp_u32);
	return 0;
}

void paths_answer_free(struct paths_answer *a)
{
	mem_free(a->replace);
	mem_free(a->cut);
	memset(a, 0, sizeof(*a));
}

const char *paths_status_name(enum paths_status s)
{
	static const char *const n[] = {"clean", "replace", "cut-off", "no-devices"};

	return (unsigned)s < 4 ? n[s] : "?";
}
