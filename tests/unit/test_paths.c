/*
 * test_paths.c - the graph and flow code of src/paths/ on small hand-made
 * topologies with exact answers (a ladder, a diamond, cycles, a restricted
 * site and core, parallel restricted routes whose cut is not the cheapest
 * path, sources and sinks that coincide), the graph counts (self-loops,
 * duplicates in both directions, components, quotient), scratch reuse over
 * many queries, bad arguments, every allocation failing in turn; and the
 * links CSV reader and the inventory's uplink column (exact links, bad
 * records with file:line:column).
 */
#include "check.h"

#include "core/err.h"
#include "core/mem.h"
#include "import/import.h"
#include "paths/paths.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct topo {
	uint32_t n;
	const uint32_t (*e)[2];
	size_t ne;
	const char *restr; /* "0101..." */
	const int64_t *cost;
	const int64_t *cap; /* NULL: 1 each */
};

static struct paths_graph *build(const struct topo *t, struct paths_graph_stats *gs)
{
	uint32_t eu[64], ev[64];
	uint8_t r[64];
	int64_t cost[64], cap[64];
	struct paths_graph *g = NULL;

	for (size_t i = 0; i < t->ne; i++)
		eu[i] = t->e[i][0], ev[i] = t->e[i][1];
	for (uint32_t v = 0; v < t->n; v++) {
		r[v] = t->restr[v] == '1';
		cost[v] = t->cost ? t->cost[v] : 10;
		cap[v] = t->cap ? t->cap[v] : 1;
	}
	CHECK_INT(paths_graph_new(&g, t->n, eu, ev, t->ne, r, cost, cap, gs), 0);
	return g;
}

/* "status cost [replace] cut [cut]" of one query */
static const char *ask(struct paths_graph *g, struct paths_answer *a, const uint32_t *s, size_t ns,
		       const uint32_t *t, size_t nt)
{
	static char out[256];
	size_t w;

	if (paths_query(g, s, ns, t, nt, a))
		return "error";
	w = (size_t)snprintf(out, sizeof(out), "%s %lld [", paths_status_name(a->status),
			     (long long)a->cost);
	for (size_t i = 0; i < a->nreplace; i++)
		w +=
		    (size_t)snprintf(out + w, sizeof(out) - w, "%s%u", i ? " " : "", a->replace[i]);
	w += (size_t)snprintf(out + w, sizeof(out) - w, "] %lld [", (long long)a->cut_value);
	for (size_t i = 0; i < a->ncut; i++)
		w += (size_t)snprintf(out + w, sizeof(out) - w, "%s%u", i ? " " : "", a->cut[i]);
	snprintf(out + w, sizeof(out) - w, "]");
	return out;
}

/*
 * A ladder: site 0, core 7.  Two rails 0-1-3-5-7 and 0-2-4-6-7 with rungs
 * 1-2, 3-4, 5-6.  Restricted: 1, 4, 5, 6 (costs 5, 3, 9, 2).  Cheapest:
 * 0-2-4-6-7 = 3 + 2; 0-1-3-5-7 = 14; 0-2-4-3-5-7 = 12.  With unit
 * capacities {1, 4} (around the site's component {0, 2}) and {5, 6}
 * (around the core) both cut with 2; the one nearest the site is named.
 */
static void test_ladder(void)
{
	static const uint32_t e[][2] = {{0, 1}, {1, 3}, {3, 5}, {5, 7}, {0, 2}, {2, 4},
					{4, 6}, {6, 7}, {1, 2}, {3, 4}, {5, 6}};
	static const int64_t cost[] = {0, 5, 0, 0, 3, 9, 2, 0};
	static const int64_t cap[] = {1, 4, 1, 1, 4, 1, 1, 1};
	struct topo t = {8, e, 11, "01001110", cost, NULL};
	struct paths_graph_stats gs;
	struct paths_answer a = {0};
	uint32_t s[] = {0}, k[] = {7};
	struct paths_graph *g = build(&t, &gs);

	CHECK_INT(gs.links, 11);
	CHECK_INT(gs.restricted, 4);
	CHECK_INT(gs.clean_comps, 3); /* {0,2}, {3}, {7} */
	CHECK_STR(ask(g, &a, s, 1, k, 1), "replace 5 [4 6] 2 [1 4]");
	paths_graph_free(g);
	/* weighted cut: 1 and 4 now cost 4 each, 5 and 6 one each: cut {5, 6} */
	t.cap = cap;
	g = build(&t, NULL);
	CHECK_STR(ask(g, &a, s, 1, k, 1), "replace 5 [4 6] 2 [5 6]");
	paths_graph_free(g);
	/* 1 clean: {0,1,2,3} is one component; 7 is reached through 5 (9) or 4 and 6 (3 + 2); of
	 * the two cuts of two devices, {4, 5} and {5, 6}, the one nearest the site is named */
	t.restr = "00001110";
	t.cap = NULL;
	g = build(&t, NULL);
	CHECK_STR(ask(g, &a, s, 1, k, 1), "replace 5 [4 6] 2 [4 5]");
	paths_graph_free(g);
	paths_answer_free(&a);
}

/* Clean paths, cut-off, coinciding site and core, restricted endpoints, no devices, repeats. */
static void test_cases(void)
{
	static const uint32_t e[][2] = {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 4},
					{5, 6}, {4, 4}, {1, 0}, {0, 1}};
	struct topo t = {8, e, 9, "00010010", NULL, NULL};
	struct paths_graph_stats gs;
	struct paths_answer a = {0};
	struct paths_graph *g = build(&t, &gs);
	uint32_t s0[] = {0}, s1[] = {0, 0, 5}, s2[] = {3}, s6[] = {6}, s7[] = {7};
	uint32_t t4[] = {4}, t2[] = {2, 2}, t3[] = {3}, t5[] = {5}, big[] = {8};

	CHECK_INT(gs.self_loops, 1);
	CHECK_INT(gs.duplicates, 2);
	CHECK_INT(gs.links, 6);
	CHECK_INT(gs.clean_comps, 4); /* {0,1,2}, {4}, {5}, {7} */
	CHECK_INT(gs.qnodes, 4 + 2);  /* and the restricted 3, 6 */
	CHECK_STR(ask(g, &a, s0, 1, t2, 2), "clean 0 [] -1 []");
	CHECK_STR(ask(g, &a, s0, 1, t4, 1), "replace 10 [3] 1 [3]");
	CHECK_STR(ask(g, &a, s1, 3, t4, 1), "replace 10 [3] 1 [3]");
	CHECK_STR(ask(g, &a, s0, 1, t5, 1), "cut-off 0 [] 0 []");
	CHECK_STR(ask(g, &a, s7, 1, t4, 1), "cut-off 0 [] 0 []");
	CHECK_STR(ask(g, &a, s2, 1, t3, 1), "replace 10 [3] 1 [3]"); /* site = core, restricted */
	CHECK_STR(ask(g, &a, s0, 1, t3, 1), "replace 10 [3] 1 [3]"); /* restricted core */
	CHECK_STR(ask(g, &a, s6, 1, t5, 1), "replace 10 [6] 1 [6]"); /* restricted site */
	CHECK_STR(ask(g, &a, s7, 1, s7, 1), "clean 0 [] -1 []");
	CHECK_STR(ask(g, &a, NULL, 0, t4, 1), "no-devices 0 [] 0 []");
	CHECK_INT(paths_query(g, s0, 1, NULL, 0, &a), TM_EINVAL);
	CHECK_INT(paths_query(g, big, 1, t4, 1, &a), TM_EINVAL);
	CHECK_INT(paths_query(g, s0, 1, big, 1, &a), TM_EINVAL);
	/* reuse: thousands of queries keep answering the same */
	int same = 1;
	for (int i = 0; i < 5000; i++) {
		same &= !strcmp(ask(g, &a, s0, 1, t4, 1), "replace 10 [3] 1 [3]");
		same &= !strcmp(ask(g, &a, s0, 1, t2, 1), "clean 0 [] -1 []");
	}
	CHECK(same);
	paths_graph_free(g);
	paths_answer_free(&a);
}

/* Parallel restricted routes: cheapest path one device, cut needs all three. */
static void test_parallel(void)
{
	static const uint32_t e[][2] = {{0, 1}, {0, 2}, {0, 3}, {1, 4},
					{2, 4}, {3, 4}, {4, 5}, {5, 6}};
	static const int64_t cost[] = {0, 7, 3, 5, 0, 0, 0};
	struct topo t = {7, e, 8, "0111000", cost, NULL};
	struct paths_answer a = {0};
	struct paths_graph *g = build(&t, NULL);
	uint32_t s[] = {0}, k[] = {6};

	CHECK_STR(ask(g, &a, s, 1, k, 1), "replace 3 [2] 3 [1 2 3]");
	paths_graph_free(g);
	/* a restricted bottleneck behind them: 5 alone cuts */
	t.restr = "0111010";
	g = build(&t, NULL);
	CHECK_STR(ask(g, &a, s, 1, k, 1), "replace 3 [2 5] 1 [5]");
	paths_graph_free(g);
	paths_answer_free(&a);
}

static void test_bad_graphs(void)
{
	uint32_t eu[] = {0}, ev[] = {3};
	uint8_t r[] = {1, 0, 0};
	int64_t cost[] = {-1, 0, 0}, okc[] = {1, 0, 0}, cap[] = {0, 1, 1}, okcap[] = {1, 1, 1};
	struct paths_graph *g = (struct paths_graph *)1;

	CHECK_INT(paths_graph_new(&g, 3, eu, ev, 1, r, okc, okcap, NULL), TM_EINVAL);
	CHECK(g == NULL);
	ev[0] = 2;
	CHECK_INT(paths_graph_new(&g, 3, eu, ev, 1, r, cost, okcap, NULL), TM_EINVAL);
	CHECK_INT(paths_graph_new(&g, 3, eu, ev, 1, r, okc, cap, NULL), TM_EINVAL);
	okc[0] = paths_cost_max(3) + 1; /* a sum of three could overflow */
	CHECK_INT(paths_graph_new(&g, 3, eu, ev, 1, r, okc, okcap, NULL), TM_EINVAL);
	okc[0] = paths_cost_max(3);
	CHECK_INT(paths_graph_new(&g, 3, eu, ev, 1, r, okc, okcap, NULL), 0);
	paths_graph_free(g);
	CHECK_INT(paths_graph_new(&g, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL), 0);
	paths_graph_free(g);
	paths_graph_free(NULL);
}

static void test_alloc_failures(void)
{
	static const uint32_t e[][2] = {{0, 1}, {1, 3}, {3, 5}, {5, 7}, {0, 2}, {2, 4},
					{4, 6}, {6, 7}, {1, 2}, {3, 4}, {5, 6}};
	uint32_t eu[11], ev[11], s[] = {0}, k[] = {7};
	uint8_t r[8] = {0, 1, 0, 0, 1, 1, 1, 0};
	int64_t cost[8] = {0, 5, 0, 0, 3, 9, 2, 0}, cap[8] = {1, 1, 1, 1, 1, 1, 1, 1};
	int failed_cleanly = 1, succeeded = 0;

	for (int i = 0; i < 11; i++)
		eu[i] = e[i][0], ev[i] = e[i][1];
	for (unsigned long n = 1; n < 200 && !succeeded; n++) {
		struct paths_graph *g = NULL;
		struct paths_answer a = {0};
		mem_fail_at(n);
		int rc = paths_graph_new(&g, 8, eu, ev, 11, r, cost, cap, NULL);
		if (!rc)
			rc = paths_query(g, s, 1, k, 1, &a);
		mem_fail_at(0);
		if (rc)
			failed_cleanly &= rc == TM_ENOMEM;
		else
			succeeded = a.status == PS_REPLACE && a.cost == 5 && a.ncut == 2;
		paths_answer_free(&a);
		paths_graph_free(g);
	}
	CHECK(failed_cleanly);
	CHECK(succeeded);
}

/* ---- links CSV and uplinks ---- */

struct got {
	char text[1024];
	size_t n;
};

static int on_link(void *ctx, const struct imp_link *l)
{
	struct got *g = ctx;

	g->n += (size_t)snprintf(g->text + g->n, sizeof(g->text) - g->n, "%s%s|%s|%s|%s|%s",
				 g->n ? " " : "", l->a, l->a_port, l->b, l->b_port, l->kind);
	return 0;
}

static int on_obs(void *ctx, const struct obs *o)
{
	(void)ctx;
	(void)o;
	return 0;
}

static void test_links_csv(void)
{
	static const char ok[] = "A,B,Kind,a_port\r\nR1,R2,fiber,ge-0/0/1\n"
				 "mac:00:11:22:33:44:55, ip:/10.0.0.1 ,,\n\"x,y\",ref:Z,radio,\n";
	static const char bad[] = "a,b\nR1,R1\nR1,\n\x01,R2\nR1,R2,R3\nR1,R2\n";
	struct got g = {0};
	struct imp_sink k = {.obs = on_obs, .ctx = &g, .link = on_link};
	struct imp_stats st;
	char eb[TM_ERRLEN];

	CHECK_INT(imp_links_csv_mem("l.csv", ok, sizeof(ok) - 1, &k, 0, &st, eb, sizeof(eb)), 0);
	CHECK_STR(g.text, "ref:R1|ge-0/0/1|ref:R2||fiber mac:00:11:22:33:44:55||ip:/10.0.0.1|| "
			  "ref:x,y||ref:Z||radio");
	CHECK_INT(st.obs, 3);
	CHECK_INT(st.records, 3);
	CHECK_STR(imp_detect_mem("x", ok, sizeof(ok) - 1), "links");
	CHECK_STR(imp_detect_mem("x", "a;b;kind\n", 9), "links");
	CHECK(imp_detect_mem("x", "ab,c\n", 5) == NULL);

	memset(&g, 0, sizeof(g));
	CHECK_INT(imp_links_csv_mem("l.csv", bad, sizeof(bad) - 1, &k, 0, &st, eb, sizeof(eb)),
		  TM_EPROTO);
	CHECK_STR(eb, "l.csv:2:4: a link from ref:R1 to itself");
	CHECK_INT(imp_links_csv_mem("l.csv", bad, sizeof(bad) - 1, &k, 1, &st, eb, sizeof(eb)), 0);
	CHECK_INT(st.skipped, 4);
	CHECK_INT(st.obs, 1);
	CHECK_STR(st.first_error, "l.csv:2:4: a link from ref:R1 to itself");
	CHECK_STR(g.text, "ref:R1||ref:R2||");
	CHECK_INT(imp_links_csv_mem("l.csv", "a,kind\nx,y\n", 11, &k, 0, &st, eb, sizeof(eb)),
		  TM_EPROTO);
	CHECK_STR(eb, "l.csv:1:1: missing required column \"b\"");
	CHECK_INT(imp_links_csv_mem("l.csv", "", 0, &k, 0, &st, eb, sizeof(eb)), TM_EPROTO);
	CHECK_STR(eb, "l.csv:1:1: no header row");
	/* an endpoint too long for a key */
	char longrow[300];
	memset(longrow, 'x', sizeof(longrow));
	memcpy(longrow, "a,b\n", 4);
	longrow[150] = ',';
	longrow[sizeof(longrow) - 1] = '\n';
	CHECK_INT(imp_links_csv_mem("l.csv", longrow, sizeof(longrow), &k, 0, &st, eb, sizeof(eb)),
		  TM_EPROTO);
	CHECK_STR(eb, "l.csv:2:1: a is not an asset id or key");
}

static void test_uplink(void)
{
	static const char inv[] =
	    "asset_id,vendor,uplink\nA1,Huawei,C1\nC1,Cisco,\nA2,ZTE,A2\nA3,ZTE,mac:aa:bb\n";
	struct got g = {0};
	struct imp_sink k = {.obs = on_obs, .ctx = &g, .link = on_link};
	struct imp_stats st;
	char eb[TM_ERRLEN];

	CHECK_INT(imp_inventory_csv_mem("i.csv", inv, sizeof(inv) - 1, &k, 1, &st, eb, sizeof(eb)),
		  0);
	CHECK_STR(g.text, "ref:A1||ref:C1||uplink ref:A3||mac:aa:bb||uplink");
	CHECK_INT(st.skipped, 1);
	CHECK_STR(st.first_error, "i.csv:4:8: uplink names the asset itself");
	CHECK_INT(st.obs, 3); /* vendors of A1, C1, A3: A2's row is dropped whole */
}

int main(void)
{
	test_ladder();
	test_cases();
	test_parallel();
	test_bad_graphs();
	test_alloc_failures();
	test_links_csv();
	test_uplink();
	return check_done("test_paths");
}
