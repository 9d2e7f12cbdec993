/* test_mre.c - the multi-regex engine: order, captures, flags, errors, the literal extractor, both prefilters against plain PCRE2, the Hyperscan cache, limits, threads, failing allocations. */
#include "check.h"
#include "attr/mre.h"
#include "attr/mre_int.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct got {
	unsigned id[64];
	size_t ov[64][4];
	int ncap[64];
	int n, stop_after;
};

static int collect(void *ctx, unsigned id, const uint8_t *subj, size_t n, const size_t *ovec, int ncap)
{
	struct got *g = ctx;

	(void)subj, (void)n;
	if (g->n < 64) {
		g->id[g->n] = id;
		g->ncap[g->n] = ncap;
		for (int i = 0; i < 4; i++)
			g->ov[g->n][i] = i < 2 * ncap ? ovec[i] : 0;
	}
	g->n++;
	return g->stop_after && g->n >= g->stop_after;
}

static int quiet;	  /* set while allocations are made to fail */
static const char *mode; /* TRUSTMAP_PREFILTER for build(): NULL (auto), "hyperscan", "portable" */

static struct mre *build(const char *const *pats, const unsigned *flags, int n, const char *cache)
{
	struct mre *m = mre_new();
	char eb[TM_ERRLEN];

	if (mode)
		setenv("TRUSTMAP_PREFILTER", mode, 1);
	else
		unsetenv("TRUSTMAP_PREFILTER");

	for (int i = 0; m && i < n; i++)
		if (mre_add(m, pats[i], strlen(pats[i]), flags ? flags[i] : 0, (unsigned)(1000 + i), eb,
			    sizeof(eb))) {
			if (!quiet)
				fprintf(stderr, "add %s: %s\n", pats[i], eb);
			mre_free(m);
			return NULL;
		}
	if (m && mre_compile(m, cache, eb, sizeof(eb))) {
		mre_free(m);
		m = NULL;
	}
	unsetenv("TRUSTMAP_PREFILTER");
	return m;
}

static int scan(const struct mre *m, const char *s, size_t n, struct got *g)
{
	struct mre_scratch *sc = mre_scratch_new(m);
	int rc;

	memset(g, 0, sizeof(*g));
	rc = mre_scan(m, sc, (const uint8_t *)s, n, collect, g);
	mre_scratch_free(sc);
	return rc;
}

static void test_basic(void)
{
	struct mre *m = mre_new();
	struct mre_scratch *s;
	struct got g = {0};
	char eb[TM_ERRLEN];
	const char *subj = "SSH-2.0-OpenSSH_8.4p1 Debian\r\n";

	CHECK_INT(mre_add(m, "Debian", 6, 0, 100, eb, sizeof(eb)), 0);
	CHECK_INT(mre_add(m, "^SSH-([\\d.]+)-OpenSSH_([\\w.]+)", 30, 0, 7, eb, sizeof(eb)), 0);
	CHECK_INT(mre_add(m, "^SSH-(x)?([\\d.]+)", 17, 0, 42, eb, sizeof(eb)), 0);
	CHECK_INT(mre_add(m, "nomatch", 7, 0, 5, eb, sizeof(eb)), 0);
	CHECK_INT(mre_add(m, "a(b", 3, 0, 9, eb, sizeof(eb)), TM_EPROTO);
	CHECK(strstr(eb, "missing closing parenthesis") != NULL);
	CHECK_INT(mre_count(m), 4);
	CHECK(mre_scan(m, NULL, (const uint8_t *)"x", 1, collect, &g) == TM_EINVAL);
	CHECK_INT(mre_compile(m, NULL, eb, sizeof(eb)), 0);
	CHECK_INT(mre_add(m, "late", 4, 0, 1, eb, sizeof(eb)), TM_EINVAL);
	s = mre_scratch_new(m);
	CHECK_INT(mre_scan(m, s, (const uint8_t *)subj, strlen(subj), collect, &g), 0);
	CHECK_INT(g.n, 3); /* in the order added, whatever the ids */
	CHECK_INT(g.id[0], 100);
	CHECK_INT(g.id[1], 7);
	CHECK_INT(g.id[2], 42);
	CHECK_INT(g.ncap[1], 3);
	CHECK_INT(g.ov[1][2], 4); /* group 1 = "2.0" */
	CHECK_INT(g.ov[1][3], 7);
	CHECK_INT(g.ncap[2], 3);
	CHECK(g.ov[2][2] == MRE_UNSET && g.ov[2][3] == MRE_UNSET); /* (x)? did not take part */
	memset(&g, 0, sizeof(g));
	g.stop_after = 2;
	CHECK_INT(mre_scan(m, s, (const uint8_t *)subj, strlen(subj), collect, &g), 0);
	CHECK_INT(g.n, 2); /* fn stopped it */
	memset(&g, 0, sizeof(g));
	CHECK_INT(mre_scan(m, s, NULL, 0, collect, &g), 0);
	CHECK_INT(g.n, 0);
	mre_scratch_free(s);
	mre_free(m);
	mre_free(NULL);
}

static void test_flags(void)
{
	static const char *const pats[] = {"^ssh-", "a.b", "^$"};
	static const unsigned fl[] = {MRE_CASELESS, MRE_DOTALL, 0};
	struct mre *m = build(pats, fl, 3, NULL);
	struct got g;

	CHECK(m != NULL);
	scan(m, "SSH-a\nb", 7, &g);
	CHECK_INT(g.n, 2);
	CHECK_INT(g.id[0], 1000);
	CHECK_INT(g.id[1], 1001);
	scan(m, "", 0, &g);
	CHECK_INT(g.n, 1);
	CHECK_INT(g.id[0], 1002);
	mre_free(m);
}

static int lit_is(const struct lit_run *r, const char *s, size_t n)
{
	return r->len == n && !memcmp(r->b, s, n);
}

static void test_literals(void)
{
	struct lit_info li;

	mre_lit_extract("^SSH-([\\d.]+)-OpenSSH_", 22, 0, &li);
	CHECK(!li.always && li.nbr == 1 && li.br[0].nrun == 1);
	CHECK(lit_is(&li.br[0].anch, "SSH-", 4) && lit_is(&li.br[0].run[0], "-OpenSSH_", 9));
	mre_lit_extract("abc?d", 5, 0, &li);
	CHECK(li.br[0].anch.len == 0 && li.br[0].nrun == 2);
	CHECK(lit_is(&li.br[0].run[0], "ab", 2) && lit_is(&li.br[0].run[1], "d", 1));
	mre_lit_extract("foo|^bar", 8, 0, &li);
	CHECK(li.nbr == 2 && lit_is(&li.br[0].run[0], "foo", 3) && lit_is(&li.br[1].anch, "bar", 3));
	mre_lit_extract("a|", 2, 0, &li);
	CHECK(li.always);
	mre_lit_extract("(?i)Server: x", 13, 0, &li);
	CHECK(li.icase && !li.always && lit_is(&li.br[0].run[0], "Server: x", 9));
	mre_lit_extract("\\Qa.b\\E+c", 9, 0, &li);
	CHECK(li.br[0].nrun == 2 && lit_is(&li.br[0].run[0], "a.b", 3) &&
	      lit_is(&li.br[0].run[1], "c", 1));
	mre_lit_extract("x\\x41\\0\\e\\cA\\.", 14, 0, &li);
	CHECK(lit_is(&li.br[0].run[0], "xA\0\x1b\x01.", 6));
	mre_lit_extract("(?=abc)def(abc)?gh(ij)+k{0}l", 28, 0, &li);
	CHECK(li.br[0].nrun == 4 && lit_is(&li.br[0].run[0], "def", 3) &&
	      lit_is(&li.br[0].run[1], "gh", 2) && lit_is(&li.br[0].run[2], "ij", 2) &&
	      lit_is(&li.br[0].run[3], "l", 1));
	mre_lit_extract("(?:a|bc)de[a]]x\\d+y\\1z", 22, 0, &li);
	CHECK(li.br[0].nrun == 4 && lit_is(&li.br[0].run[0], "de", 2) &&
	      lit_is(&li.br[0].run[1], "]x", 2));
	mre_lit_extract("(?m)^abc", 8, 0, &li);
	CHECK(li.br[0].anch.len == 0 && lit_is(&li.br[0].run[0], "abc", 3));
	mre_lit_extract("(?x)a b", 7, 0, &li);
	CHECK(li.always);
	mre_lit_extract("(*UTF)abc", 9, 0, &li);
	CHECK(li.always);
	mre_lit_extract("a{2}b{,3}c(?#x)d", 16, 0, &li); /* a comment is nothing */
	CHECK(li.br[0].nrun == 2 && lit_is(&li.br[0].run[0], "cd", 2) &&
	      lit_is(&li.br[0].run[1], "a", 1));
	mre_lit_extract("xc(?#x)?y\\Q\\E*z", 15, 0, &li); /* quantifiers reach over them */
	CHECK(li.br[0].nrun == 2 && lit_is(&li.br[0].run[0], "x", 1) &&
	      lit_is(&li.br[0].run[1], "z", 1));
	mre_lit_extract("^aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 41, 0, &li);
	CHECK(li.br[0].anch.len == LIT_MAX && li.br[0].nrun == 1 && li.br[0].run[0].len == 8);
	mre_lit_extract("(a)\\g1'(b)?'c\\k<n>d", 19, 0, &li); /* \g1 is whole: the quote is text */
	CHECK(li.br[0].nrun == 4 && lit_is(&li.br[0].run[0], "'c", 2) &&
	      lit_is(&li.br[0].run[1], "a", 1) && lit_is(&li.br[0].run[2], "'", 1));
	mre_lit_extract("(\\c)defc)?cz", 12, 0, &li); /* \c) is 'i', inside the group */
	CHECK(li.br[0].nrun == 1 && lit_is(&li.br[0].run[0], "cz", 2));
	mre_lit_extract("([\\E]a)b]c)?d", 13, 0, &li); /* "]a)b" is in the class */
	CHECK(li.br[0].nrun == 1 && lit_is(&li.br[0].run[0], "d", 1));
	mre_lit_extract("[[.]xy[.]z[[:alpha:]]w", 22, 0, &li); /* "[." opens no POSIX item here */
	CHECK(li.br[0].nrun == 3 && lit_is(&li.br[0].run[0], "xy", 2) &&
	      lit_is(&li.br[0].run[1], "z", 1) && lit_is(&li.br[0].run[2], "w", 1));
	mre_lit_extract("^(\\d+)$", 7, 0, &li);
	CHECK(li.always);
	mre_lit_extract("a(b", 3, 0, &li); /* broken: PCRE2 refuses it anyway; must not read past */
	CHECK(li.always);

	CHECK_INT(mre_literal_count("^SSH-([\\d.]+)-OpenSSH_", 22), 13);
	CHECK_INT(mre_literal_count("\\r\\n[abc]a{2}", 13), 3);
	CHECK_INT(mre_literal_count("(?:foo|bar)(?=x)(?<n>ab)", 24), 9);
	CHECK_INT(mre_literal_count("", 0), 0);
}

/* Patterns with every construct the extractor reads, and subjects that hit and miss them. */
static const char *const tricky[] = {
	"^SSH-([\\d.]+)-OpenSSH_([\\w._-]+)[ -]{1,2}Debian[ -_]([^\\r\\n]+)\\r?\\n",
	"^220 .*FTP server \\(Version ([\\w.]+)\\)", "foo|^bar", "(?i)server: webs\\r\\n",
	"\\Qa.b\\E+c", "x\\x41\\0\\e", "(?=abc)def(abc)?gh(ij)+k{0}l", "(?:a|bc)de[a]]x\\d+y",
	"(?m)^abc", "^(\\d+)$", "^HTTP/1\\.[01] \\d\\d\\d .*\\r\\nServer: nginx/([\\d.]+)",
	"(\\w+)=\\1", "a{2}b{,3}c", "^.{3}Z", "(?i:ab)CD", "^\\x16\\x03[\\x00-\\x03]", "Debian-(\\d+)",
	"^[^\\r\\n]*\\r\\n(?!\\r\\n)Login:", "\\bword\\b", "^\\*", "[\\]]]x", "^$",
	"^220[- ](?:[^\\r\\n]*\\r\\n220[- ])*ESMTP", "^Host: (?:www\\.)?example\\.(com|org)\\r\\n",
};
static const unsigned tricky_fl[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, MRE_DOTALL, 0, 0, MRE_DOTALL,
				     0, 0, 0, 0, MRE_CASELESS, 0, 0, 0, 0, MRE_CASELESS};
#define NTRICKY (sizeof(tricky) / sizeof(tricky[0]))

static const char *const subjects[] = {
	"SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1\r\n", "220 box FTP server (Version 6.4) ready\r\n",
	"xfoo", "bar", "barfoo", "SERVER: Webs\r\n", "a.bbbbc", "a.bc", "xA\x00\x1b", "abcdefghijijl",
	"defghijl", "bcdeaa]x12y", "q\nabc", "12345", "HTTP/1.1 200 OK\r\nServer: nginx/1.18.0\r\n",
	"HTTP/1.1 200 OK\nServer: nginx/1.18.0\r\n", "abc=abc", "aabbbc", "aac", "\n\nxZ", "abZ",
	"abCD", "ABCD", "abcd", "\x16\x03\x01", "Debian-12", "x\r\nLogin:", "a word!", "words", "*",
	"]]x", "", "220-a\r\n220 ESMTP", "host: WWW.example.ORG\r\n", "Host: example.com\r\n",
};
#define NSUBJ (sizeof(subjects) / sizeof(subjects[0]))

/* The ids that plain PCRE2, pattern by pattern, finds in subject k. */
static int naive(const char *const *pats, const unsigned *fl, int n, const char *s, size_t sl,
		 unsigned *ids)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		int e;
		PCRE2_SIZE eo;
		pcre2_code *c = pcre2_compile((PCRE2_SPTR)pats[i], strlen(pats[i]),
					      (fl[i] & MRE_CASELESS ? PCRE2_CASELESS : 0) |
						      (fl[i] & MRE_DOTALL ? PCRE2_DOTALL : 0),
					      &e, &eo, NULL);
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
		if (pcre2_match(c, (PCRE2_SPTR)s, sl, 0, 0, md, NULL) >= 0)
			ids[k++] = 1000 + (unsigned)i;
		pcre2_match_data_free(md);
		pcre2_code_free(c);
	}
	return k;
}

/* The three prefilter policies against plain PCRE2 on every subject. */
static void test_paths_agree(void)
{
	static const char *const modes[] = {NULL, "hyperscan", "portable"};
	static const size_t expect_hs[] = {9, NTRICKY - 1, 0}; /* Hyperscan refuses k{0} */
	struct got a;
	unsigned ids[64];

	for (int md = 0; md < 3; md++) {
		struct mre *m;
		int same = 1;
		mode = modes[md];
		m = build(tricky, tricky_fl, NTRICKY, NULL);
		mode = NULL;
		CHECK(m != NULL);
		if (!m)
			continue;
		CHECK_INT(mre_prefiltered(m), expect_hs[md]);
		if (md == 2)
			CHECK_INT(mre_unfiltered(m), 2); /* ^(\d+)$ and ^$ */
		for (size_t i = 0; i < NSUBJ; i++) {
			size_t sl = i == 8 ? 4 : strlen(subjects[i]); /* that one holds a NUL byte */
			int k = naive(tricky, tricky_fl, NTRICKY, subjects[i], sl, ids);
			scan(m, subjects[i], sl, &a);
			if (a.n != k || memcmp(a.id, ids, k * sizeof(unsigned))) {
				fprintf(stderr, "mode %d subject %zu: %d vs naive %d\n", md, i, a.n, k);
				same = 0;
			}
		}
		CHECK(same);
		scan(m, subjects[0], strlen(subjects[0]), &a);
		CHECK_INT(a.n, 2); /* the OpenSSH line and Debian-(\d+) */
		CHECK_INT(a.ov[0][1], 40); /* the whole line */
		mre_free(m);
	}
}

static int count_files(const char *dir, const char *suffix, char *last, size_t ll)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		size_t l = strlen(e->d_name), sl = strlen(suffix);
		if (l > sl && !strcmp(e->d_name + l - sl, suffix)) {
			n++;
			snprintf(last, ll, "%s/%s", dir, e->d_name);
		}
	}
	if (d)
		closedir(d);
	return n;
}

static void test_cache(void)
{
	static const char *const p1[] = {"^SSH-([\\d.]+)-", "Server: (\\w+)"};
	static const char *const p2[] = {"^SSH-([\\d.]+)-", "Server: (\\w+)", "x"};
	char dir[] = "/tmp/tm-mre-XXXXXX", sub[128], file[512];
	struct mre *m;
	struct got g;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(sub, sizeof(sub), "%s/a/b", dir); /* made on the way */
	mode = "hyperscan";
	m = build(p1, NULL, 2, sub);
	CHECK(m && !m->from_cache && mre_prefiltered(m) == 2);
	mre_free(m);
	CHECK_INT(count_files(sub, ".hsdb", file, sizeof(file)), 1);
	m = build(p1, NULL, 2, sub);
	CHECK(m && m->from_cache && mre_prefiltered(m) == 2);
	scan(m, "SSH-2.0-x Server: abc", 21, &g);
	CHECK_INT(g.n, 2);
	mre_free(m);
	m = build(p2, NULL, 3, sub); /* other patterns, other file */
	CHECK(m && !m->from_cache);
	mre_free(m);
	CHECK_INT(count_files(sub, ".hsdb", file, sizeof(file)), 2);
	CHECK_INT(count_files(sub, ".tmp", file, sizeof(file)), 0);

	count_files(sub, ".hsdb", file, sizeof(file));
	f = fopen(file, "r+b"); /* damage the last one found: rebuilt, still right */
	CHECK(f != NULL);
	if (f) {
		fseek(f, 60, SEEK_SET);
		fputs("garbage garbage", f);
		fclose(f);
	}
	log_set_level(LOG_ERROR); /* the warning about the damaged file is expected */
	m = build(p1, NULL, 2, sub);
	CHECK(m && mre_prefiltered(m) == 2);
	scan(m, "SSH-2.0-x Server: abc", 21, &g);
	CHECK_INT(g.n, 2);
	mre_free(m);
	m = build(p2, NULL, 3, sub);
	CHECK(m && mre_prefiltered(m) == 3);
	scan(m, "SSH-2.0-x Server: abc", 21, &g);
	CHECK_INT(g.n, 3);
	mre_free(m);
	m = build(p1, NULL, 2, sub); /* rewritten above: read back now */
	CHECK(m && m->from_cache);
	mre_free(m);
	m = build(p1, NULL, 2, "/proc/no/such/dir"); /* cannot write: only slower */
	CHECK(m && mre_prefiltered(m) == 2);
	mre_free(m);
	log_set_level(LOG_WARN);
	mode = NULL;

	/* a new file prunes ours unused for 30 days, nothing else */
	static const char *const p3[] = {"^prune", "me"};
	char old[512], other[512];
	struct timespec ts[2] = {{time(NULL) - 40 * 86400, 0}, {time(NULL) - 40 * 86400, 0}};
	snprintf(old, sizeof(old), "%s/mre-00000000000000000000000000000000.hsdb", sub);
	snprintf(other, sizeof(other), "%s/notes.txt", sub);
	fclose(fopen(old, "w"));
	fclose(fopen(other, "w"));
	utimensat(AT_FDCWD, old, ts, 0);
	utimensat(AT_FDCWD, other, ts, 0);
	mode = "hyperscan";
	m = build(p3, NULL, 2, sub);
	mode = NULL;
	mre_free(m);
	CHECK(access(old, F_OK) != 0);
	CHECK(access(other, F_OK) == 0);
	CHECK_INT(count_files(sub, ".hsdb", file, sizeof(file)), 3);

	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);

	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	CHECK_INT(mre_cache_dir(file, sizeof(file)), 0);
	CHECK_STR(file, "/x/cache/trustmap");
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/home/u", 1);
	CHECK_INT(mre_cache_dir(file, sizeof(file)), 0);
	CHECK_STR(file, "/home/u/.cache/trustmap");
	CHECK_INT(mre_cache_dir(file, 5), TM_ELIMIT);
}

/* Every subject's matches as the naive loop finds them. */
static int agrees(const struct mre *m)
{
	struct got a;
	unsigned ids[64];
	int same = 1;

	for (size_t i = 0; i < NSUBJ; i++) {
		size_t sl = i == 8 ? 4 : strlen(subjects[i]);
		int k = naive(tricky, tricky_fl, NTRICKY, subjects[i], sl, ids);
		scan(m, subjects[i], sl, &a);
		if (a.n != k || memcmp(a.id, ids, k * sizeof(unsigned)))
			same = 0;
	}
	return same;
}

/* The literals' cache on disk: written once, read back, refused when damaged, and the matches never change. */
static void test_lit_cache(void)
{
	static const char *const modes[] = {NULL, "portable"};
	char dir[] = "/tmp/tm-mrelit-XXXXXX", file[512], cmd[256];
	struct mre *m;
	FILE *f;
	long sz;

	CHECK(mkdtemp(dir) != NULL);
	for (int md = 0; md < 2; md++) {
		snprintf(cmd, sizeof(cmd), "rm -f %s/*", dir);
		CHECK_INT(system(cmd), 0);
		mode = modes[md];
		m = build(tricky, tricky_fl, NTRICKY, dir);
		CHECK(m && !m->lit_from_cache && agrees(m));
		mre_free(m);
		CHECK_INT(count_files(dir, ".lit", file, sizeof(file)), 1);
		m = build(tricky, tricky_fl, NTRICKY, dir);
		CHECK(m && m->lit_from_cache && agrees(m));
		mre_free(m);
		m = build(tricky, tricky_fl, NTRICKY - 1, dir); /* other patterns: another file */
		CHECK(m && !m->lit_from_cache);
		mre_free(m);
		CHECK_INT(count_files(dir, ".lit", file, sizeof(file)), 2);
		mode = NULL;
	}
	/*
	 * damaged (a byte changed, cut short, empty) or another binary's (its
	 * identity changed): refused, rebuilt, matches the same
	 */
	log_set_level(LOG_ERROR);
	for (int how = 0; how < 4; how++) {
		snprintf(cmd, sizeof(cmd), "rm -f %s/*", dir);
		CHECK_INT(system(cmd), 0);
		mre_free(build(tricky, tricky_fl, NTRICKY, dir));
		CHECK_INT(count_files(dir, ".lit", file, sizeof(file)), 1);
		f = fopen(file, "r+b");
		CHECK(f != NULL);
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		sz = ftell(f);
		if (how == 0 || how == 3) {
			long at = how == 0 ? sz / 2 : 8 + 16 + 30; /* in the body, or in the binary's mtime */
			fseek(f, at, SEEK_SET);
			int c = fgetc(f);
			fseek(f, at, SEEK_SET);
			fputc(c ^ 0x5a, f);
		}
		fclose(f);
		if (how == 1 || how == 2)
			CHECK(truncate(file, how == 1 ? sz - 3 : 0) == 0);
		m = build(tricky, tricky_fl, NTRICKY, dir);
		CHECK(m && !m->lit_from_cache && agrees(m));
		mre_free(m);
		m = build(tricky, tricky_fl, NTRICKY, dir); /* rewritten above */
		CHECK(m && m->lit_from_cache && agrees(m));
		mre_free(m);
	}
	log_set_level(LOG_WARN);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);

	/* the packed form's checker: lengths past the end, too many branches or runs, odd flags */
	static const uint8_t ok[] = {2, 1, 2, 'a', 'b', 1, 3, 'x', 'y', 'z'};
	uint8_t b[sizeof(ok)];
	CHECK_INT(mre_lit_packed_len(ok, sizeof(ok)), sizeof(ok));
	for (size_t n = 0; n < sizeof(ok); n++)
		CHECK_INT(mre_lit_packed_len(ok, n), 0);
	memcpy(b, ok, sizeof(b));
	b[0] = 4;
	CHECK_INT(mre_lit_packed_len(b, sizeof(b)), 0);
	memcpy(b, ok, sizeof(b));
	b[1] = LIT_BRANCHES + 1;
	CHECK_INT(mre_lit_packed_len(b, sizeof(b)), 0);
	memcpy(b, ok, sizeof(b));
	b[5] = LIT_RUNS + 1;
	CHECK_INT(mre_lit_packed_len(b, sizeof(b)), 0);
	memcpy(b, ok, sizeof(b));
	b[2] = LIT_MAX + 1;
	CHECK_INT(mre_lit_packed_len(b, sizeof(b)), 0);
	memcpy(b, ok, sizeof(b));
	b[6] = 200;
	CHECK_INT(mre_lit_packed_len(b, sizeof(b)), 0);
	/* well formed but not what the extractor makes (fuzz_mre_litcache): the prefilter
	 * would key a branch by a run it does not have */
	static const uint8_t none[] = {0, 1, 0, 0}, nobr[] = {0, 0}, empty[] = {0, 1, 0, 1, 0},
			     order[] = {0, 1, 0, 2, 1, 'a', 2, 'b', 'c'};
	CHECK_INT(mre_lit_packed_len(none, sizeof(none)), 0);
	CHECK_INT(mre_lit_packed_len(nobr, sizeof(nobr)), 0);
	CHECK_INT(mre_lit_packed_len(empty, sizeof(empty)), 0);
	CHECK_INT(mre_lit_packed_len(order, sizeof(order)), 0);
	memcpy(b, none, sizeof(none)); /* the same, given up on (always): nothing is read of them */
	b[0] = 1;
	CHECK_INT(mre_lit_packed_len(b, sizeof(none)), sizeof(none));
}

/* Catastrophic backtracking on 1 MB: the scan must come back (match and depth limits). */
static void test_limits(void)
{
	static const char *const pats[] = {"(\\w+\\s?)+$", "^(a|aa)+$", "(a+)+b\\1"};
	size_t n = 1 << 20;
	char *s = malloc(n);
	struct got g;

	memset(s, 'a', n);
	s[n - 1] = '!';
	for (int path = 0; path < 2; path++) {
		struct mre *m;
		struct mre_scratch *sc;
		mode = path ? "portable" : NULL;
		m = build(pats, NULL, 3, NULL);
		mode = NULL;
		sc = mre_scratch_new(m);
		memset(&g, 0, sizeof(g));
		CHECK_INT(mre_scan(m, sc, (const uint8_t *)s, n, collect, &g), 0);
		CHECK_INT(g.n, 0);
		if (path)
			CHECK(mre_scratch_limit_hits(sc) >= 1);
		mre_scratch_free(sc);
		mre_free(m);
	}
	free(s);
}

static void test_scratch_fit(void)
{
	static const char *const a[] = {"alpha"}, *const b[] = {"(b)(e)(t)(a)", "beta", "gamma"};
	struct mre *ma = build(a, NULL, 1, NULL), *mb = build(b, NULL, 3, NULL);
	struct mre_scratch *s = mre_scratch_new(ma);
	struct got g = {0};

	CHECK_INT(mre_scan(mb, s, (const uint8_t *)"beta", 4, collect, &g), TM_EINVAL);
	CHECK_INT(mre_scratch_fit(s, mb), 0);
	CHECK_INT(mre_scan(mb, s, (const uint8_t *)"beta", 4, collect, &g), 0);
	CHECK_INT(g.n, 2);
	CHECK_INT(g.ncap[0], 5);
	memset(&g, 0, sizeof(g));
	CHECK_INT(mre_scan(ma, s, (const uint8_t *)"alpha", 5, collect, &g), 0);
	CHECK_INT(g.n, 1);
	mre_scratch_free(s);
	mre_free(ma);
	mre_free(mb);
}

struct thr {
	const struct mre *m;
	int total;
};

static void *worker(void *arg)
{
	struct thr *t = arg;
	struct mre_scratch *s = mre_scratch_new(t->m);
	struct got g;

	for (int r = 0; r < 200; r++)
		for (size_t i = 0; i < NSUBJ; i++) {
			memset(&g, 0, sizeof(g));
			mre_scan(t->m, s, (const uint8_t *)subjects[i], strlen(subjects[i]), collect, &g);
			t->total += g.n;
		}
	mre_scratch_free(s);
	return NULL;
}

/* Threads share one engine (and its lazily JIT-compiled patterns). */
static void test_threads(void)
{
	struct mre *m = build(tricky, tricky_fl, NTRICKY, NULL);
	struct thr t[4];
	pthread_t th[4];

	for (int i = 0; i < 4; i++) {
		t[i] = (struct thr){m, 0};
		pthread_create(&th[i], NULL, worker, &t[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (int i = 1; i < 4; i++)
		CHECK_INT(t[i].total, t[0].total);
	CHECK(t[0].total > 0);
	mre_free(m);
}

/* Every allocation made to fail in turn: an error or a right answer, never a crash or leak. */
static void test_alloc_failures(void)
{
	int ok = 0, failed = 0;

	setenv("TRUSTMAP_NO_HYPERSCAN", "1", 1);
	quiet = 1;
	log_set_level(LOG_ERROR); /* a compile on first use that runs out of memory warns */
	for (unsigned long k = 1; k < 400; k++) {
		struct mre *m;
		struct mre_scratch *s = NULL;
		struct got g = {0};
		mem_fail_at(k);
		m = build(tricky, tricky_fl, 8, NULL);
		if (m)
			s = mre_scratch_new(m);
		if (s && mre_scan(m, s, (const uint8_t *)"xfoo", 4, collect, &g) == 0 && g.n == 1)
			ok++;
		else
			failed++;
		mem_fail_at(0);
		mre_scratch_free(s);
		mre_free(m);
	}
	unsetenv("TRUSTMAP_NO_HYPERSCAN");
	quiet = 0;
	log_set_level(LOG_WARN);
	CHECK(ok > 0 && failed > 0);
}

int main(void)
{
	test_basic();
	test_flags();
	test_literals();
	test_paths_agree();
	test_cache();
	test_lit_cache();
	test_limits();
	test_scratch_fit();
	test_threads();
	test_alloc_failures();
	return check_done("test_mre");
}
