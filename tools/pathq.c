/*
 * pathq.c - a small front end to the graph layer of src/paths/ for tests and
 * benchmarks (built as build/tools/pathq; not installed, not a trustmap
 * subcommand).  It reads one problem, white-space separated numbers:
 *   n m
 *   n restricted flags (0/1), n replacement costs, n cut capacities
 *   m links "u v"
 *   k, then k queries "ns s1 .. sns nt t1 .. tnt"
 * and prints one line per query:
 *   status cost nreplace ids.. cut_value ncut ids..
 * (status: clean, replace, cut-off, no-devices).  With -t, timings (CPU
 * seconds of this process) and peak memory go to standard error.  Exit status 0, or 2 with a
 * message.
 */
#include "core/err.h"
#include "core/mem.h"
#include "paths/paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

struct in {
	char *p, *end; /* the whole input, NUL-terminated */
	int bad;
};

/* The next number (bad set at the end of input or on a non-number). */
static long long num(struct in *in)
{
	char *e;
	long long v;

	if (in->bad)
		return 0;
	errno = 0;
	v = strtoll(in->p, &e, 10);
	if (e == in->p || errno) {
		in->bad = 1;
		return 0;
	}
	in->p = e;
	return v;
}

/* Reads all of f into in. */
static int slurp(FILE *f, struct in *in)
{
	size_t cap = 1 << 20, n = 0, got;
	char *b = mem_alloc(cap);

	while (b && (got = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			char *nb = mem_realloc(b, cap * 2);
			if (!nb)
				mem_free(b);
			b = nb, cap *= 2;
		}
	}
	if (!b)
		return TM_ENOMEM;
	b[n] = 0;
	in->p = b, in->end = b + n;
	return 0;
}

/* Room for need numbers in *q. */
static int grow(uint32_t **q, size_t *cap, size_t need)
{
	if (need < *cap)
		return 0;
	size_t c = need + need / 2 + 16;
	uint32_t *n = mem_realloc(*q, c * sizeof(*n));
	if (!n)
		return TM_ENOMEM;
	*q = n, *cap = c;
	return 0;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time: benches run on shared machines */
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void print_ids(FILE *o, const uint32_t *v, size_t n)
{
	fprintf(o, " %zu", n);
	for (size_t i = 0; i < n; i++)
		fprintf(o, " %u", v[i]);
}

int main(int argc, char **argv)
{
	struct in in = {NULL, NULL, 0};
	FILE *f = stdin;
	char *buf;
	int timing = argc > 1 && !strcmp(argv[1], "-t");
	const char *path = argc > 1 + timing ? argv[1 + timing] : NULL;
	struct paths_graph *g = NULL;
	struct paths_graph_stats gs;
	struct paths_answer a = {0};
	uint32_t *eu, *ev, *q = NULL;
	size_t qcap = 0;
	uint8_t *r;
	int64_t *cost, *cap;
	double t0 = now(), t1, t2;
	int rc;

	if (path && !(f = fopen(path, "r"))) {
		fprintf(stderr, "pathq: %s: %s\n", path, strerror(errno));
		return 2;
	}
	if (slurp(f, &in)) {
		fprintf(stderr, "pathq: out of memory\n");
		return 2;
	}
	buf = in.p;
	if (path)
		fclose(f);
	long long n = num(&in), m = num(&in);
	if (in.bad || n < 0 || m < 0 || n > PATHS_MAX_NODES || m > 100000000) {
		fprintf(stderr, "pathq: bad header\n");
		return 2;
	}
	r = mem_calloc((size_t)n + 1, 1);
	cost = mem_calloc((size_t)n + 1, sizeof(*cost));
	cap = mem_calloc((size_t)n + 1, sizeof(*cap));
	eu = mem_calloc((size_t)m + 1, sizeof(*eu));
	ev = mem_calloc((size_t)m + 1, sizeof(*ev));
	if (!r || !cost || !cap || !eu || !ev) {
		fprintf(stderr, "pathq: out of memory\n");
		return 2;
	}
	for (long long i = 0; i < n; i++)
		r[i] = num(&in) != 0;
	for (long long i = 0; i < n; i++)
		cost[i] = num(&in);
	for (long long i = 0; i < n; i++)
		cap[i] = num(&in);
	for (long long i = 0; i < m; i++) {
		eu[i] = (uint32_t)num(&in);
		ev[i] = (uint32_t)num(&in);
	}
	if (in.bad) {
		fprintf(stderr, "pathq: input cut short\n");
		return 2;
	}
	double tp = now();
	if ((rc = paths_graph_new(&g, (uint32_t)n, eu, ev, (size_t)m, r, cost, cap, &gs))) {
		fprintf(stderr, "pathq: graph: %s\n", tm_strerror(rc));
		return 2;
	}
	t1 = now();
	long long k = num(&in);
	for (long long i = 0; i < k && !in.bad; i++) {
		long long ns = num(&in), nt;
		if (ns < 0 || ns > 100000000 || grow(&q, &qcap, (size_t)ns))
			in.bad = 1;
		for (long long j = 0; j < ns && !in.bad; j++)
			q[j] = (uint32_t)num(&in);
		nt = num(&in);
		if (nt < 0 || nt > 100000000 || grow(&q, &qcap, (size_t)(ns + nt)))
			in.bad = 1;
		for (long long j = 0; j < nt && !in.bad; j++)
			q[ns + j] = (uint32_t)num(&in);
		if (in.bad)
			break;
		if ((rc = paths_query(g, q, (size_t)ns, q + ns, (size_t)nt, &a))) {
			fprintf(stderr, "pathq: query %lld: %s\n", i + 1, tm_strerror(rc));
			return 2;
		}
		printf("%s %lld", paths_status_name(a.status), (long long)a.cost);
		print_ids(stdout, a.replace, a.nreplace);
		printf(" %lld", (long long)a.cut_value);
		print_ids(stdout, a.cut, a.ncut);
		printf("\n");
	}
	if (in.bad) {
		fprintf(stderr, "pathq: bad query\n");
		return 2;
	}
	t2 = now();
	if (timing) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		fprintf(stderr,
			"pathq: %ld nodes, %ld links (%ld self-loops, %ld duplicates dropped), %ld "
			"restricted, "
			"%ld clean components, quotient %ld nodes %ld links, %ld flow arcs; "
			"read %.3f s, build %.3f s, %lld queries %.3f s, peak RSS %ld MiB\n",
			gs.nodes, gs.links, gs.self_loops, gs.duplicates, gs.restricted,
			gs.clean_comps, gs.qnodes, gs.qlinks, gs.flow_arcs, tp - t0, t1 - tp, k,
			t2 - t1, ru.ru_maxrss / 1024);
	}
	paths_answer_free(&a);
	paths_graph_free(g);
	mem_free(r);
	mem_free(cost);
	mem_free(cap);
	mem_free(eu);
	mem_free(ev);
	mem_free(q);
	mem_free(buf);
	return 0;
}
