/*
 * fuzz_mre_litcache.c - libFuzzer: the literals' cache file of the
 * multi-regex engine (mre-<key>.lit, src/attr/mre_hs.c) as a damaged or
 * hostile disk could leave it.  A real engine of a few patterns writes its
 * file once; each input then replaces everything after the file's header
 * (magic, key and the binary's identity, which the fuzzer cannot guess)
 * and before its checksum: the pattern count, the packed length and the
 * offsets and packed literals.  The checksum is recomputed over the input,
 * so a wrong one is not all the loader ever sees.  The engine is then built
 * again from the same patterns, reading that file, and must either refuse
 * it (and read the literals itself) or take it; either way it scans a few
 * subjects without a crash or undefined behaviour.  What a well-formed file
 * with other literals does to the matches is not checked: the cache is the
 * user's own, trusted once whole (test_mre checks the matches with a real
 * one).
 */
#include "attr/mre.h"
#include "core/err.h"
#include "core/log.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HDR 64 /* magic (8), key (16), the binary (40) */

static const char *const PATS[] = {"^SSH-2\\.0-HUAWEI-([\\d.]+)", "Server: ZTE web server",
				   "(?:Hikvision|DS-\\d+)", "^220 .*FTP", "foo|bar(baz)?qux",
				   "[a-z]+@example"};
static const char *const SUBJ[] = {"SSH-2.0-HUAWEI-1.5\r\n", "HTTP/1.1 200 OK\r\nServer: ZTE web server\r\n",
				   "220 a DS-2CD2 FTP", "barbazqux zz@example"};

static char dir[64], path[512];
static uint8_t hdr[HDR];

static int note(void *ctx, unsigned id, const uint8_t *s, size_t n, const size_t *ovec, int ncap)
{
	(void)s, (void)n, (void)ovec, (void)ncap;
	*(unsigned *)ctx |= 1u << id;
	return 0;
}

static struct mre *build(void)
{
	char eb[TM_ERRLEN];
	struct mre *m = mre_new();

	for (unsigned i = 0; m && i < sizeof(PATS) / sizeof(PATS[0]); i++)
		if (mre_add(m, PATS[i], strlen(PATS[i]), i % 2 ? MRE_CASELESS : 0, i, eb, sizeof(eb)))
			abort();
	if (m && mre_compile(m, dir, eb, sizeof(eb))) {
		mre_free(m);
		return NULL;
	}
	return m;
}

/* The engine's own checksum of what follows it (mre_hs.c: mix() seeded so, a ^ b). */
static uint64_t checksum(const uint8_t *p, size_t n)
{
	uint64_t a = 0xcbf29ce484222325ull, b = 0;

	for (size_t i = 0; i < n; i++) {
		a = (a ^ p[i]) * 0x100000001b3ull;
		b = (b + p[i] + 1) * 0x9e3779b97f4a7c15ull;
		b ^= b >> 29;
	}
	return a ^ b;
}

/* Removes the directory and what the engine wrote there (its .lit file, at most an .hsdb). */
static void cleanup(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[600];

	while (d && (e = readdir(d)))
		if (*e->d_name != '.' && snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) < (int)sizeof(p))
			unlink(p);
	if (d)
		closedir(d);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct mre *m;
	DIR *d;
	struct dirent *e;
	FILE *f;

	(void)argc, (void)argv;
	setenv("TRUSTMAP_PREFILTER", "portable", 1);
	setenv("TRUSTMAP_NO_JIT", "1", 1);
	log_set_level(LOG_ERROR);
	/* in memory where there is /dev/shm: each refused file is written again, a rename on disk */
	snprintf(dir, sizeof(dir), "/dev/shm/fuzz-litcache.XXXXXX");
	if (!mkdtemp(dir) && (snprintf(dir, sizeof(dir), "/tmp/fuzz-litcache.XXXXXX"), !mkdtemp(dir)))
		abort();
	atexit(cleanup);
	if (!(m = build()))
		abort();
	mre_free(m);
	if (!(d = opendir(dir)))
		abort();
	while ((e = readdir(d)))
		if (strlen(e->d_name) > 4 && !strcmp(e->d_name + strlen(e->d_name) - 4, ".lit"))
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
	closedir(d);
	if (!*path || !(f = fopen(path, "rb")) || fread(hdr, 1, HDR, f) != HDR)
		abort();
	fclose(f);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	struct mre *m;
	struct mre_scratch *s;
	uint8_t sum[8];
	unsigned seen = 0;

	if (!f)
		abort();
	fwrite(hdr, 1, HDR, f);
	if (size >= 12) { /* count (4) and packed length (8), the checksum, the rest */
		uint64_t c = checksum(data + 12, size - 12);

		for (int i = 0; i < 8; i++)
			sum[i] = (uint8_t)(c >> (8 * i));
		fwrite(data, 1, 12, f);
		fwrite(sum, 1, 8, f);
		fwrite(data + 12, 1, size - 12, f);
	} else {
		fwrite(data, 1, size, f);
	}
	fclose(f);
	if (!(m = build()))
		return 0;
	if ((s = mre_scratch_new(m))) {
		for (size_t i = 0; i < sizeof(SUBJ) / sizeof(SUBJ[0]); i++)
			mre_scan(m, s, (const uint8_t *)SUBJ[i], strlen(SUBJ[i]), note, &seen);
		mre_scratch_free(s);
	}
	mre_free(m);
	return 0;
}
