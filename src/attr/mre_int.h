/*
 * mre_int.h - what the files of the multi-regex engine share (mre.c: life
 * cycle and scan; mre_syn.c: whether PCRE2 surely accepts a pattern, so
 * that it may be compiled on first use; mre_lit.c: reading required
 * literals out of a pattern; mre_pf.c: the portable prefilter built on
 * them; mre_hs.c: Hyperscan and its on-disk cache).  Not for callers of
 * mre.h, except tests.
 *
 * The portable prefilter: a pattern is split into its top-level branches;
 * a branch may match only if its anchored prefix ("^SSH-2.0-") is at the
 * start of the subject and each of its required literal runs (text that
 * every match must contain, like "OpenSSH_") occurs somewhere.  Each branch
 * is keyed by its least shared piece of 3 bytes or more (counted over all
 * the engine's patterns, so that "HTTP/1.1 200 OK\r\n" keys few branches),
 * found for all branches at once by a pass of 3-byte hashes over the
 * subject (each literal indexed by its least crowded 3-byte gram) or, for
 * anchored prefixes, by hashing the subject's first bytes; the rest of the
 * branch is verified only when its key is there.  Patterns with a branch of
 * neither kind (say "^(\d+)$") are tried on every subject, or given to
 * Hyperscan.
 */
#ifndef TM_MRE_INT_H
#define TM_MRE_INT_H

#include "mre.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs.h>
#include <pcre2.h>

#define LIT_MAX 32	/* bytes kept of a literal run (a prefix of a required run is required) */
#define LIT_RUNS 6	/* required runs kept per branch: the longest ones */
#define LIT_BRANCHES 8	/* top-level alternatives followed; more make the pattern unfiltered */

struct lit_run {
	uint8_t len; /* 0: none */
	uint8_t b[LIT_MAX];
};

struct lit_branch {
	struct lit_run anch;		/* literal prefix right after ^ or \A (len 0: not anchored) */
	struct lit_run run[LIT_RUNS];	/* other required runs, longest first */
	int nrun;
};

struct lit_info {
	int always;	/* 1: no sound filter (odd syntax, too many branches, an empty branch) */
	int icase;	/* literals compare ASCII case-insensitively */
	int nbr;
	struct lit_branch br[LIT_BRANCHES];
};

/* Reads the required literals of (pat, len) compiled with flags (MRE_*); never fails. */
void mre_lit_extract(const char *pat, size_t len, unsigned flags, struct lit_info *li);

/*
 * The literals of each pattern, packed (a few dozen bytes where a struct
 * lit_info takes 2 KB), while mre_compile runs: choosing Hyperscan's share
 * and the prefilter's two passes read every pattern's literals, and reading
 * them is most of the compile.
 */
struct lit_cache {
	uint8_t *buf;
	size_t len, cap;
	uint32_t *off; /* per pattern: where in buf, UINT32_MAX: not read yet */
};
/* 1 when some branch has no key worth indexing (anchored prefix under 2 bytes and no run of 3). */
int mre_lit_weak(const struct lit_info *li);

/* The literals of pattern i of m into li: from m->lc when read before, else read (and kept). */
void mre_lit_get(struct mre *m, size_t i, struct lit_info *li);
/* The length of the packed literals (mre_lit_get's format) at p, checked against n bytes; 0 when malformed. */
size_t mre_lit_packed_len(const uint8_t *p, size_t n);
/*
 * The literals' cache on disk ("mre-<key>.lit" in cache_dir, next to the
 * Hyperscan cache): every pattern's packed literals, so that a start with
 * the same patterns and the same binary skips reading ~12,000 regexes for
 * their literals.  The key (the file's name) hashes the patterns and their
 * flags; the file also names the binary that wrote it (device, inode, size,
 * modification time: a rebuilt extractor never takes an old file, it
 * rewrites it).  load fills m->lc when the file passes every check (1),
 * else leaves it as it was (0); store writes one when m->lc holds every
 * pattern, through a temporary file and rename(2).
 */
int mre_lit_cache_load(struct mre *m, const char *cache_dir);
void mre_lit_cache_store(const struct mre *m, const char *cache_dir);

/*
 * mre_syn.c: 1 when PCRE2 surely compiles (pat, len) (any MRE_* flags), with
 * *ncap set to its capture groups + 1 and *lits to mre_literal_count's
 * answer; 0 when not sure (PCRE2 must say).
 */
int mre_syntax_sure(const char *pat, size_t len, uint32_t *ncap, size_t *lits);

struct mre_pat {
	pcre2_code *code;	/* compiled at mre_add; NULL: compiled on first use (mre_live) */
	char *src;	/* the pattern, NUL-terminated copy (Hyperscan wants C strings) */
	size_t len;
	unsigned flags; /* MRE_* */
	unsigned id;	/* the caller's */
	uint32_t ncap;	/* capture groups + 1 */
	size_t lits;	/* mre_literal_count of the pattern */
	uint8_t want_hs; /* 1: offered to Hyperscan (see mre_compile's policy) */
	uint8_t hs;	/* 1: Hyperscan's database holds it */
};

struct mre_pf;

/*
 * What a scan makes on first use, one per pattern: the interpreted code of
 * a pattern mre_add did not compile, and the JIT copy.  Apart from the
 * engine (which callers hold const), the only thing a scan may change.
 */
struct mre_live {
	pthread_mutex_t lock;		/* serialises compiles */
	int jit;			/* JIT wanted (PCRE2 has it, TRUSTMAP_NO_JIT unset) */
	atomic_size_t ncompiled;	/* patterns compiled on first use so far (tests) */
	struct mre_live_pat {
		_Atomic(pcre2_code *) code; /* lazily compiled; NULL: none (yet) */
		_Atomic(pcre2_code *) jit;  /* NULL: none yet */
		atomic_int failed;	    /* bit 1: compile failed, bit 2: JIT failed */
	} *p;				/* made by mre_compile */
};

struct mre {
	struct mre_pat *pat;
	size_t n, cap;
	int compiled;
	int from_cache;		/* the Hyperscan database came from the cache (tests) */
	int lit_from_cache;	/* the literals came from their cache (tests) */
	uint32_t maxcap;	/* largest ncap */
	pcre2_general_context *gctx;
	pcre2_compile_context *cctx;
	pcre2_match_context *mctx;
	struct mre_live *live;	/* made by mre_compile when there are patterns */
	size_t nlazy;		/* patterns mre_add left to compile on first use */
	hs_database_t *db;	/* NULL when Hyperscan takes nothing */
	size_t nhs;
	struct mre_pf *pf;	/* patterns Hyperscan did not take; NULL if none */
	struct lit_cache *lc;	/* during mre_compile only; NULL: literals read each time */
};

struct mre_scratch {
	hs_scratch_t *hs;
	pcre2_match_data *md;
	uint32_t mdcap;		/* ovector pairs in md */
	uint32_t *cand;		/* candidate pattern indices of the current scan */
	size_t ncand, candcap;
	uint32_t *pstamp;	/* per pattern: gen when last made a candidate */
	uint32_t *lstamp;	/* per prefilter literal: gen when last found */
	size_t npstamp, nlstamp;
	uint32_t gen;
	size_t limit_hits;
	size_t confirms;	/* PCRE2 runs so far (statistics) */
};

/*
 * Pattern i's interpreted code: compiled now if mre_add left it for its
 * first use; NULL when PCRE2 refused it then (warned about once).
 */
pcre2_code *mre_code_of(const struct mre *m, size_t i);

/* mre_pf.c: builds the portable prefilter of every pattern with hs == 0. */
int mre_pf_build(struct mre *m);
void mre_pf_free(struct mre_pf *pf);
size_t mre_pf_literals(const struct mre_pf *pf);	/* distinct key literals (scratch sizing) */
size_t mre_pf_always(const struct mre_pf *pf);
/* Appends to s->cand each pattern whose prefilter lets (p, n) through; stamps s->pstamp. */
void mre_pf_scan(const struct mre_pf *pf, struct mre_scratch *s, const uint8_t *p, size_t n);

/* mre_hs.c: builds m->db (or loads it from cache_dir) and sets pat[].hs; 0 or TM_E*. */
int mre_hs_build(struct mre *m, const char *cache_dir, char *eb, size_t el);

#endif
