/*
 * paths.h - topology and clean paths: "can this sensitive site reach the
 * core without crossing a restricted device, and if not, what is the
 * cheapest fix and how exposed is it to a vendor shutdown?"
 *
 * Two layers.  The graph layer (graph.c, clean.c) knows no trustmap types:
 * devices are node numbers 0..n-1, links are undirected edges, each node is
 * clean or restricted, restricted nodes have a replacement cost and a cut
 * capacity.  paths_graph_new() builds a compact CSR graph once (self-loops
 * and duplicate links dropped and counted), contracts every connected
 * component of clean devices into one node (clean devices cost nothing and
 * cannot fail, so nothing inside such a component matters), and lays out a
 * node-split flow network over that quotient.  paths_query() then answers
 * one site (sources: its devices; sinks: the core devices) reusing every
 * buffer: existence of a clean path (one comparison of component ids), the
 * cheapest set of restricted devices to replace (Dijkstra on node weights),
 * and the minimum restricted vertex cut (Dinic's max-flow, then the
 * residual reachability).
 *
 * The store layer (run.c) loads assets, links, sites and the policy, decides
 * which sites are sensitive (audit_sensitive_sites) and which devices are
 * restricted, picks the core by a selector and answers every sensitive
 * site; its per-site answers are the planner's "clean path" work packages.
 * docs/paths.md states every definition.
 */
#ifndef TM_PATHS_H
#define TM_PATHS_H

#include <stddef.h>
#include <stdint.h>

/* "Cannot be cut": the capacity of clean devices and of links. */
#define PATHS_INF (INT64_MAX / 4)
/* Most devices and links in one graph (so that every arc index fits 32 bits). */
#define PATHS_MAX_NODES (1u << 30)
#define PATHS_MAX_LINKS ((size_t)1 << 28)

struct paths_graph;

struct paths_graph_stats {
	long nodes;	     /* devices */
	long links;	     /* distinct undirected links kept */
	long self_loops;     /* links from a device to itself, dropped */
	long duplicates;     /* repeats of a kept link (either direction), dropped */
	long restricted;     /* restricted devices */
	long clean_comps;    /* connected components of clean devices */
	long qnodes, qlinks; /* the contracted graph */
	long flow_arcs;	     /* arcs of the flow network (with reverses) */
};

/*
 * Builds the graph over n nodes from ne undirected links (eu[i], ev[i]).
 * restricted[v] nonzero marks v restricted; cost[v] (>= 0) is what
 * replacing restricted v costs, cap[v] (>= 1, < PATHS_INF) what cutting it
 * costs in the vertex cut (1 counts devices); both are ignored for clean v
 * and may not exceed paths_cost_max(n).
 * The arrays are copied.  Returns 0 and *out (free with paths_graph_free),
 * TM_ELIMIT (more than PATHS_MAX_NODES or PATHS_MAX_LINKS), TM_EINVAL (a
 * link naming a node >= n, a negative cost, a capacity < 1) or
 * TM_ENOMEM; gs (may be NULL) receives the counts.
 */
int paths_graph_new(struct paths_graph **out, uint32_t n, const uint32_t *eu, const uint32_t *ev,
		    size_t ne, const uint8_t *restricted, const int64_t *cost, const int64_t *cap,
		    struct paths_graph_stats *gs);
void paths_graph_free(struct paths_graph *g);
/* The largest cost or capacity of one device among n (a sum of n stays below PATHS_INF). */
int64_t paths_cost_max(uint32_t n);

enum paths_status {
	PS_CLEAN = 0,  /* a path of clean devices reaches the core */
	PS_REPLACE,    /* every path crosses a restricted device: replace[] makes one clean */
	PS_CUT_OFF,    /* no path at all, clean or not */
	PS_NO_DEVICES, /* the site has no device in the graph */
};

struct paths_answer {
	enum paths_status status;
	int64_t cost;	   /* PS_REPLACE: sum of cost[] over replace[]; else 0 */
	uint32_t *replace; /* PS_REPLACE: the restricted devices on the cheapest path, ascending */
	size_t nreplace;
	int64_t cut_value; /* PS_REPLACE: sum of cap[] over cut[]; PS_CLEAN: -1 (none); else 0 */
	uint32_t *cut; /* PS_REPLACE: devices whose failure alone cuts the site off, ascending */
	size_t ncut;
	size_t cap_replace, cap_cut; /* private */
};

/*
 * Answers one site: src[0..ns) its devices, snk[0..nt) the core's (nt > 0;
 * repeats are fine).  a is filled (its arrays reused and grown across
 * calls; free with paths_answer_free).  Returns 0, TM_EINVAL (a node >= n,
 * nt == 0) or TM_ENOMEM.  Not reentrant on one graph (scratch lives in g).
 */
int paths_query(struct paths_graph *g, const uint32_t *src, size_t ns, const uint32_t *snk,
		size_t nt, struct paths_answer *a);
void paths_answer_free(struct paths_answer *a);
/* "clean", "replace", "cut-off", "no-devices" */
const char *paths_status_name(enum paths_status s);

/* ---- the store layer ---- */

struct store;
struct vreg;
struct policy;
struct asset_rec;

/*
 * A device's replacement cost in the currency's minor unit (cents), >= 0.
 * The planner plugs its cost model in here; paths_default_cost is a fixed
 * figure per role until then (docs/paths.md lists them).
 */
typedef int64_t (*paths_cost_fn)(void *ctx, const struct asset_rec *a);
int64_t paths_default_cost(void *ctx, const struct asset_rec *a);

enum paths_cut_by { PATHS_CUT_DEVICES = 0, PATHS_CUT_COST };

struct paths_opt {
	int64_t day;	      /* days since 1970-01-01: rules in force, lists' dates */
	const char *base_dir; /* where the policy's relative GeoJSON paths start */
	const char *core;     /* selector: "role:core-router,site:DC1,tag:core,asset:R1" */
	paths_cost_fn cost;   /* NULL: paths_default_cost */
	void *cost_ctx;
	enum paths_cut_by cut_by; /* the cut's weight: devices (1 each) or replacement cost */
};

/* One site's answer, with store identities: the planner's work package. */
struct paths_site {
	char site[64];
	int sensitivity; /* of the most sensitive zone that made it sensitive */
	char zone[128];	 /* that zone's label */
	long devices;	 /* its devices in the graph */
	enum paths_status status;
	int64_t cost;	  /* PS_REPLACE: cheapest clean path's replacement cost (cents) */
	int64_t *replace; /* asset ids to replace for it, ascending */
	size_t nreplace;
	int64_t cut_value; /* as in struct paths_answer, weighted by opt.cut_by */
	int64_t *cut;	   /* asset ids of the minimum restricted vertex cut, ascending */
	size_t ncut;
};

struct paths_result {
	struct paths_site *s; /* one per sensitive site, ordered by site id */
	size_t n;
	long assets, restricted, core; /* devices, restricted ones, core ones */
	int64_t *core_ids;	       /* the core devices' asset ids, ascending (core of them; for maps) */
	long sensitive_sites;
	long links_read;	   /* link records in the store */
	long capture_links;	   /* sightings from a capture point ("capture:..."): left out */
	long unknown_links;	   /* links naming an asset the store does not have */
	char unknown_first[3][96]; /* the first few unknown endpoints, for messages */
	long unknown_named;	   /* of unknown_first filled */
	struct paths_graph_stats gs;
	double ms_load, ms_graph, ms_query;
};

/*
 * Runs every sensitive site of p over st.  r is filled (free with
 * paths_result_free, also after an error).  Returns 0; TM_ENOTFOUND with a
 * message when the selector matches no device ("no core matched"); TM_EINVAL
 * for a bad selector; or another TM_E* code with a message in eb.  No
 * sensitive site is not an error (r->sensitive_sites == 0).
 */
int paths_run(struct store *st, const struct vreg *vr, const struct policy *p,
	      const struct paths_opt *o, struct paths_result *r, char *eb, size_t el);
void paths_result_free(struct paths_result *r);

#endif
