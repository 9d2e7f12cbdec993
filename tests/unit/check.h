/*
 * check.h - the unit-test harness: assertions that count, print file:line and
 * both values on failure, and a closing line "name: N passed, N failed" that
 * tests/run adds up.  Include it once per test program.
 */
#ifndef TM_CHECK_H
#define TM_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int chk_pass, chk_fail;

#define CHECK(c)                                                                         \
	do {                                                                             \
		if (c)                                                                   \
			chk_pass++;                                                      \
		else {                                                                   \
			chk_fail++;                                                      \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); \
		}                                                                        \
	} while (0)

#define CHECK_INT(a, b)                                                                  \
	do {                                                                             \
		long long a_ = (long long)(a), b_ = (long long)(b);                      \
		if (a_ == b_)                                                            \
			chk_pass++;                                                      \
		else {                                                                   \
			chk_fail++;                                                      \
			fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, \
				__LINE__, #a, a_, #b, b_);                               \
		}                                                                        \
	} while (0)

#define CHECK_STR(a, b)                                                                  \
	do {                                                                             \
		const char *a_ = (a), *b_ = (b);                                         \
		if (a_ && b_ && !strcmp(a_, b_))                                         \
			chk_pass++;                                                      \
		else {                                                                   \
			chk_fail++;                                                      \
			fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__,  \
				__LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");   \
		}                                                                        \
	} while (0)

#define CHECK_NEAR(a, b, eps)                                                            \
	do {                                                                             \
		double a_ = (a), b_ = (b);                                               \
		if (fabs(a_ - b_) <= (eps))                                              \
			chk_pass++;                                                      \
		else {                                                                   \
			chk_fail++;                                                      \
			fprintf(stderr, "%s:%d: %s == %g, expected %g\n", __FILE__, __LINE__, \
				#a, a_, b_);                                             \
		}                                                                        \
	} while (0)

/* Prints the closing line and returns the exit status for main(). */
static inline int check_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, chk_pass, chk_fail);
	return chk_fail ? 1 : 0;
}

/* Directory of system data files, overridable for tests: TM_DATA_IEEE etc. */
#endif
