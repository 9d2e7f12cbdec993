/* test_scan_resume.c - the scan's progress window and its resume state text. */
#include "check.h"

#include "cli/scan_resume.h"
#include "core/err.h"
#include "core/mem.h"

#include <string.h>

static void test_slice(void)
{
	static struct scan_slice s;

	memset(&s, 0, sizeof(s));
	s.issued = 10;
	scan_slice_mark(&s, 1);
	scan_slice_mark(&s, 3);
	CHECK_INT((int)s.base, 0);
	CHECK(!scan_slice_done(&s, 0));
	CHECK(scan_slice_done(&s, 1));
	CHECK(!scan_slice_done(&s, 2));
	scan_slice_mark(&s, 0);
	CHECK_INT((int)s.base, 2); /* 0 and 1 finished: base moves past both */
	scan_slice_mark(&s, 2);
	CHECK_INT((int)s.base, 4);
	CHECK(scan_slice_done(&s, 3));
	CHECK(!scan_slice_done(&s, 9));
	CHECK(!scan_slice_done(&s, 10)); /* not issued */
	scan_slice_mark(&s, 4 + SCAN_WINDOW); /* outside the window: ignored */
	CHECK_INT((int)s.base, 4);
	/* around the ring's end */
	memset(&s, 0, sizeof(s));
	s.base = SCAN_WINDOW - 2;
	s.issued = SCAN_WINDOW + 5;
	for (uint64_t j = SCAN_WINDOW + 4; j >= SCAN_WINDOW - 2; j--)
		scan_slice_mark(&s, j);
	CHECK_INT((int)(s.base - SCAN_WINDOW), 5);
}

static void test_text(void)
{
	static struct scan_slice v[2];
	struct scan_progress p = {2, v};
	struct scan_resume r;
	char *args[] = {"-p", "22,80", "10.0.0.0/30", "a%b\nc"}, eb[TM_ERRLEN];
	struct buf b;

	memset(v, 0, sizeof(v));
	v[0].issued = 6;
	scan_slice_mark(&v[0], 0);
	scan_slice_mark(&v[0], 2);
	scan_slice_mark(&v[0], 5);
	v[1].issued = 3;
	buf_init(&b, 0);
	CHECK_INT(scan_resume_format(&b, 77, 4, args, &p, 0, 5120), 0);
	CHECK_STR(buf_str(&b), "trustmap-scan-resume 1\nseed 77\narg -p\narg 22,80\narg 10.0.0.0/30\narg a%25b%0ac\n"
			       "loops 2\nloop 1 6 1 4\nloop 0 3\nobs 5120\ncomplete 0\n");
	CHECK_INT((int)scan_progress_done(&p), 3);
	CHECK_INT(scan_resume_parse(buf_str(&b), &r, eb, sizeof(eb)), 0);
	CHECK_INT((int)r.seed, 77);
	CHECK_INT(r.nargs, 4);
	CHECK_STR(r.args[3], "a%b\nc");
	CHECK_INT(r.prog.n, 2);
	CHECK_INT((int)r.prog.v[0].base, 1);
	CHECK_INT((int)r.prog.v[0].issued, 6);
	CHECK(scan_slice_done(&r.prog.v[0], 2) && scan_slice_done(&r.prog.v[0], 5));
	CHECK(!scan_slice_done(&r.prog.v[0], 1) && !scan_slice_done(&r.prog.v[0], 3));
	CHECK_INT(r.complete, 0);
	CHECK_INT((int)r.nobs, 5120);
	scan_resume_fini(&r);
	buf_fini(&b);
	/* a state written before the count was kept: read, counting from 0 */
	CHECK_INT(scan_resume_parse("trustmap-scan-resume 1\nseed 1\nloops 1\nloop 0 0\ncomplete 0\n", &r, eb, sizeof(eb)), 0);
	CHECK_INT((int)r.nobs, 0);
	scan_resume_fini(&r);

	/* refused, with the line */
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{"nonsense\n", "line 1"},
		{"trustmap-scan-resume 1\nseed x\n", "line 2"},
		{"trustmap-scan-resume 1\nseed 1\nloops 1\nloop 5 4\ncomplete 0\n", "line 4"},   /* issued < base */
		{"trustmap-scan-resume 1\nseed 1\nloops 1\nloop 0 3 3\ncomplete 0\n", "line 4"}, /* J >= issued - base */
		{"trustmap-scan-resume 1\nseed 1\nloops 1\nloop 0 0\nobs 1\nobs 2\ncomplete 0\n", "line 6"}, /* twice */
		{"trustmap-scan-resume 1\nseed 1\nloops 1\nloop 0 0\nobs 9007199254740993\ncomplete 0\n", "line 5"},
		{"trustmap-scan-resume 1\nseed 1\nloops 1\nloop 0 99999\ncomplete 0\n", "line 4"}, /* beyond the window */
		{"trustmap-scan-resume 1\nseed 1\nloops 2\nloop 0 0\ncomplete 0\n", "incomplete"},
		{"trustmap-scan-resume 1\nseed 1\nloops 1\nloop 0 0\n", "incomplete"},
		{"trustmap-scan-resume 1\nseed 1\narg %zz\nloops 1\nloop 0 0\ncomplete 0\n", "line 3"},
		{"trustmap-scan-resume 1\nseed 1\nloops 999\n", "line 3"},
		{"", "incomplete"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(scan_resume_parse(bad[i].text, &r, eb, sizeof(eb)), TM_EPROTO);
		CHECK(strstr(eb, bad[i].msg) != NULL);
		CHECK(r.args == NULL && r.prog.v == NULL);
	}
	/* allocation failures: refused cleanly, never a leak */
	for (unsigned long k = 1; k < 12; k++) {
		int rc;
		mem_fail_at(k);
		rc = scan_resume_parse("trustmap-scan-resume 1\nseed 1\narg a\narg b\nloops 1\nloop 0 2 1\ncomplete 1\n",
				       &r, eb, sizeof(eb));
		mem_fail_at(0);
		if (!rc) {
			CHECK_INT(r.complete, 1);
			scan_resume_fini(&r);
		}
	}
}

int main(void)
{
	test_slice();
	test_text();
	return check_done("test_scan_resume");
}
