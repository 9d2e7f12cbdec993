/*
 * fuzz_links.c - the links CSV reader on arbitrary bytes (with and without
 * skip_bad; the first byte sets the chunk size fed to the CSV machine), then
 * the links it delivered as a topology for src/paths: endpoints become
 * devices (restricted, cost and capacity from a hash of their key), the
 * first device is the site and the last the core, and every answer must
 * hold together (replacements and cut restricted, their sums the reported
 * cost and cut value, a cut only when no clean path exists).
 */
#include "core/err.h"
#include "import/import.h"
#include "import/imp_int.h"
#include "paths/paths.h"

#include <stdlib.h>
#include <string.h>

#define NODES 256
#define EDGES 4096

struct topo {
	char key[NODES][96];
	uint32_t n;
	uint32_t eu[EDGES], ev[EDGES];
	size_t ne;
};

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static uint32_t node(struct topo *t, const char *key)
{
	for (uint32_t i = 0; i < t->n; i++)
		if (!strcmp(t->key[i], key))
			return i;
	if (t->n == NODES)
		return NODES;
	memcpy(t->key[t->n], key, sizeof(t->key[0]));
	return t->n++;
}

static int on_link(void *ctx, const struct imp_link *l)
{
	struct topo *t = ctx;
	size_t sa = strnlen(l->a, sizeof(l->a)), sb = strnlen(l->b, sizeof(l->b));

	if (sa >= sizeof(l->a) || sb >= sizeof(l->b) ||
	    strnlen(l->kind, sizeof(l->kind)) >= sizeof(l->kind) ||
	    strnlen(l->a_port, sizeof(l->a_port)) >= sizeof(l->a_port) ||
	    strnlen(l->b_port, sizeof(l->b_port)) >= sizeof(l->b_port) || !sa || !sb)
		abort(); /* the reader promised NUL-terminated, non-empty keys */
	uint32_t a = node(t, l->a), b = node(t, l->b);
	if (a < NODES && b < NODES && t->ne < EDGES)
		t->eu[t->ne] = a, t->ev[t->ne++] = b;
	return 0;
}

static void check_paths(struct topo *t)
{
	uint8_t r[NODES];
	int64_t cost[NODES], cap[NODES];
	struct paths_graph *g = NULL;
	struct paths_answer a = {0};
	uint32_t s = 0, k;

	if (!t->n)
		return;
	k = t->n - 1;
	for (uint32_t i = 0; i < t->n; i++) {
		uint32_t h = hash(t->key[i]);
		r[i] = h & 1;
		cost[i] = (h >> 1) % 100;
		cap[i] = 1 + (h >> 8) % 7;
	}
	if (paths_graph_new(&g, t->n, t->eu, t->ev, t->ne, r, cost, cap, NULL))
		abort();
	if (paths_query(g, &s, 1, &k, 1, &a))
		abort();
	int64_t sum = 0;
	for (size_t i = 0; i < a.nreplace; i++) {
		if (!r[a.replace[i]])
			abort();
		sum += cost[a.replace[i]];
	}
	if (sum != a.cost)
		abort();
	sum = 0;
	for (size_t i = 0; i < a.ncut; i++) {
		if (!r[a.cut[i]])
			abort();
		sum += cap[a.cut[i]];
	}
	if (a.status == PS_REPLACE
		? sum != a.cut_value || !a.ncut || !a.nreplace
		: a.ncut || a.nreplace || (a.status == PS_CLEAN) != (a.cut_value == -1))
		abort();
	paths_answer_free(&a);
	paths_graph_free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct topo t;
	struct imp_sink k = {NULL, NULL, &t, on_link}; /* the reader delivers links only */
	struct imp_stats st;
	char eb[TM_ERRLEN];

	if (size) {
		imp_chunk_size = (size_t)data[0] + 1;
		data++, size--;
	}
	memset(&t, 0, sizeof(t));
	imp_links_csv_mem("fuzz", (const char *)data, size, &k, 0, &st, eb, sizeof(eb));
	memset(&t, 0, sizeof(t));
	imp_links_csv_mem("fuzz", (const char *)data, size, &k, 1, &st, eb, sizeof(eb));
	check_paths(&t);
	imp_chunk_size = 0;
	return 0;
}
