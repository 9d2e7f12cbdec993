/*
 * bench_attr.c - attribution throughput (bench/attr runs it).  Builds a
 * realistic mix of observations (MACs of real registrations, sysObjectIDs,
 * banners and descriptions drawn from the golden corpus), attributes them
 * with the full knowledge base, and runs the naive peer on the same input:
 * every PCRE2 regex of nmap-service-probes tried in file order until one
 * matches.  Prints one Markdown table.
 *
 * usage: bench_attr [N] [NAIVE_N]
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "attr/attr.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/str.h"
#include "kb/kb.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

struct item {
	enum obs_kind kind;
	char *value;
	size_t len;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A pool of strings by kind from the golden corpus (unescaped \r \n only). */
static int load_pool(struct item **pool, size_t *n)
{
	struct lr l;
	char eb[TM_ERRLEN];
	const char *line;
	size_t len, cap = 0;

	if (lr_open(&l, "tests/golden/corpus.tsv", 1 << 16, eb, sizeof(eb)))
		return -1;
	while (lr_next(&l, &line, &len) == 1) {
		const char *t1, *t2;
		struct buf b;

		if (!len || line[0] == '#' || !(t1 = memchr(line, '\t', len)) ||
		    !(t2 = memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - line))))
			continue;
		enum obs_kind k = obs_kind_from_name(line, (size_t)(t1 - line));
		if (k == OBS_NONE || k == OBS_MAC)
			continue;
		buf_init(&b, 0);
		for (const char *p = t1 + 1; p < t2; p++) {
			if (*p == '\\' && p + 1 < t2 && (p[1] == 'r' || p[1] == 'n')) {
				buf_addc(&b, p[1] == 'r' ? '\r' : '\n');
				p++;
			} else {
				buf_addc(&b, *p);
			}
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 512;
			*pool = realloc(*pool, cap * sizeof(**pool));
		}
		(*pool)[*n].kind = k;
		(*pool)[*n].len = b.len;
		(*pool)[(*n)++].value = buf_take(&b);
	}
	lr_close(&l);
	return 0;
}

/* Real MA-L prefixes from the IEEE registry. */
static int load_ouis(char (**ouis)[7], size_t *n)
{
	struct lr l;
	char eb[TM_ERRLEN];
	const char *line;
	size_t len, cap = 0;

	if (lr_open(&l, "/usr/share/ieee-data/oui.csv", 4096, eb, sizeof(eb)))
		return -1;
	while (lr_next(&l, &line, &len) == 1) {
		if (len < 12 || strncmp(line, "MA-L,", 5))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 4096;
			*ouis = realloc(*ouis, cap * sizeof(**ouis));
		}
		memcpy((*ouis)[*n], line + 5, 6);
		(*ouis)[(*n)++][6] = 0;
	}
	lr_close(&l);
	return 0;
}

static const char *const pens[] = {"9", "2011", "3902", "2636", "25506", "14988", "41112", "12356",
				   "30065", "8072", "311", "39165", "6527", "193", "11", "14823"};

static void make_items(struct item *it, size_t n, struct item *pool, size_t np, char (*ouis)[7],
		       size_t no)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t r = next();
		char tmp[80];

		if (r % 100 < 35) { /* MAC */
			const char *o = ouis[(r >> 8) % no];
			snprintf(tmp, sizeof(tmp), "%c%c:%c%c:%c%c:%02x:%02x:%02x", o[0], o[1], o[2], o[3],
				 o[4], o[5], (unsigned)(r >> 32) & 255, (unsigned)(r >> 40) & 255,
				 (unsigned)(r >> 48) & 255);
			it[i].kind = OBS_MAC;
		} else if (r % 100 < 50) { /* sysObjectID */
			snprintf(tmp, sizeof(tmp), "1.3.6.1.4.1.%s.%u.%u.%u",
				 pens[(r >> 8) % (sizeof(pens) / sizeof(pens[0]))],
				 (unsigned)(r >> 20) % 16, (unsigned)(r >> 28) % 64, (unsigned)(r >> 36) % 512);
			it[i].kind = OBS_SNMP_SYSOBJECTID;
		} else {
			it[i] = pool[(r >> 8) % np];
			continue;
		}
		it[i].len = strlen(tmp);
		it[i].value = strdup(tmp);
	}
}

/* The naive peer: every match/softmatch regex of nmap-service-probes, in file order. */
static pcre2_code **naive_load(const char *path, size_t *n)
{
	struct lr l;
	char eb[TM_ERRLEN];
	const char *line;
	size_t len, cap = 0;
	pcre2_code **re = NULL;

	*n = 0;
	if (lr_open(&l, path, 1 << 16, eb, sizeof(eb)))
		return NULL;
	while (lr_next(&l, &line, &len) == 1) {
		const char *p;
		char d;
		uint32_t fl = 0;

		if (str_has_prefix(line, len, "match "))
			p = line + 6;
		else if (str_has_prefix(line, len, "softmatch "))
			p = line + 10;
		else
			continue;
		p = strchr(p, ' ');
		if (!p || p[1] != 'm')
			continue;
		d = p[2];
		const char *s = p + 3, *e = strchr(s, d);
		if (!e)
			continue;
		for (const char *f = e + 1; *f && *f != ' '; f++)
			fl |= *f == 'i' ? PCRE2_CASELESS : *f == 's' ? PCRE2_DOTALL : 0;
		int err;
		PCRE2_SIZE off;
		pcre2_code *c = pcre2_compile((PCRE2_SPTR)s, (size_t)(e - s), fl, &err, &off, NULL);
		if (!c)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 4096;
			re = realloc(re, cap * sizeof(*re));
		}
		re[(*n)++] = c;
	}
	lr_close(&l);
	return re;
}

static long peak_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	size_t nn = argc > 2 ? strtoul(argv[2], NULL, 10) : 3000;
	struct item *pool = NULL, *it;
	char (*ouis)[7] = NULL;
	size_t np = 0, no = 0, nre;
	struct kb *kb;
	struct kb_opts ko = {0};
	char eb[TM_ERRLEN], cache[] = "/tmp/tm-bench-cache-XXXXXX";
	double t0, cold, warm, t_ours, t_naive;
	struct cand c[64];
	struct attribution a;
	long attributed = 0, naive_hits = 0;

	if (load_pool(&pool, &np) || !np || load_ouis(&ouis, &no) || !no) {
		fprintf(stderr, "bench_attr: needs tests/golden/corpus.tsv and ieee-data\n");
		return 2;
	}
	it = calloc(n, sizeof(*it));
	make_items(it, n, pool, np, ouis, no);

	ko.cache_dir = mkdtemp(cache);
	t0 = now();
	if (kb_load(&kb, &ko, eb, sizeof(eb))) {
		fprintf(stderr, "bench_attr: %s\n", eb);
		return 2;
	}
	cold = now() - t0;
	kb_free(kb);
	t0 = now();
	kb_load(&kb, &ko, eb, sizeof(eb));
	warm = now() - t0;

	struct attr_scratch *s = attr_scratch_new(kb);
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		struct obs o = {.kind = it[i].kind, .value = (const uint8_t *)it[i].value, .len = it[i].len};
		int k = attr_candidates(kb, s, &o, 0, c, 64);

		attr_fuse(kb->vr, c, k, &a);
		attributed += a.vendor >= 0;
	}
	t_ours = now() - t0;
	/* the same on the banners and descriptions alone (no MACs, no OIDs) */
	size_t nb = 0;
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		if (it[i].kind == OBS_MAC || it[i].kind == OBS_SNMP_SYSOBJECTID)
			continue;
		struct obs o = {.kind = it[i].kind, .value = (const uint8_t *)it[i].value, .len = it[i].len};
		int k = attr_candidates(kb, s, &o, 0, c, 64);

		attr_fuse(kb->vr, c, k, &a);
		nb++;
	}
	double t_banners = now() - t0;
	long rss = peak_kb();

	pcre2_code **re = naive_load("/usr/share/nmap/nmap-service-probes", &nre);
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	if (nn > n)
		nn = n;
	t0 = now();
	for (size_t i = 0; i < nn; i++)
		for (size_t j = 0; j < nre; j++)
			if (pcre2_match(re[j], (PCRE2_SPTR)it[i].value, it[i].len, 0, 0, md, NULL) >= 0) {
				naive_hits++;
				break;
			}
	t_naive = now() - t0;

	/* the naive loop on banners alone */
	size_t nnb = 0;
	t0 = now();
	for (size_t i = 0; i < n && nnb < nn; i++) {
		if (it[i].kind == OBS_MAC || it[i].kind == OBS_SNMP_SYSOBJECTID)
			continue;
		nnb++;
		for (size_t j = 0; j < nre; j++)
			if (pcre2_match(re[j], (PCRE2_SPTR)it[i].value, it[i].len, 0, 0, md, NULL) >= 0)
				break;
	}
	double t_naive_b = now() - t0;
	double ours = n / t_ours, naive = nn / t_naive;
	double ours_b = nb / t_banners, naive_b = nnb / t_naive_b;
	printf("| measure | trustmap | naive PCRE2 loop | ratio |\n|---|---:|---:|---:|\n");
	printf("| observations | %zu | %zu (sample of the same input) | |\n", n, nn);
	printf("| observations/s, one core | %.0f | %.0f | %.0fx |\n", ours, naive, ours / naive);
	printf("| banners and descriptions only, observations/s | %.0f | %.0f | %.0fx |\n", ours_b,
	       naive_b, ours_b / naive_b);
	printf("| attributed to a vendor | %.1f %% | %.1f %% matched a regex | |\n",
	       100.0 * attributed / n, 100.0 * naive_hits / nn);
	printf("| knowledge-base load, cold (Hyperscan compile) | %.2f s | %zu regexes | |\n", cold, nre);
	printf("| knowledge-base load, warm (cached database) | %.3f s | | |\n", warm);
	printf("| peak memory (RSS) | %.0f MB | | |\n", rss / 1024.0);
	attr_scratch_free(s);
	kb_free(kb);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", cache);
	if (system(cmd)) {
	}
	return 0;
}
