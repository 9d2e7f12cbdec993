/* fuzz_scan_resume.c - a scan's resume state (runs.resume, text a hand-edited database can
 * hold) on arbitrary bytes; whatever parses must format back and re-parse to the same state. */
#include "cli/scan_resume.h"
#include "core/err.h"
#include "core/mem.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_resume a, b;
	struct buf t;
	char eb[TM_ERRLEN], *s = mem_alloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	if (scan_resume_parse(s, &a, eb, sizeof(eb))) {
		mem_free(s);
		return 0;
	}
	buf_init(&t, 0);
	if (scan_resume_format(&t, a.seed, a.nargs, a.args, &a.prog, a.complete, a.nobs) ||
	    scan_resume_parse(buf_str(&t), &b, eb, sizeof(eb)))
		abort();
	if (a.seed != b.seed || a.nobs != b.nobs || a.nargs != b.nargs || a.complete != b.complete || a.prog.n != b.prog.n ||
	    scan_progress_done(&a.prog) != scan_progress_done(&b.prog))
		abort();
	for (int i = 0; i < a.nargs; i++)
		if (strcmp(a.args[i], b.args[i]))
			abort();
	for (int i = 0; i < a.prog.n; i++)
		if (a.prog.v[i].base != b.prog.v[i].base || a.prog.v[i].issued != b.prog.v[i].issued)
			abort();
	scan_resume_fini(&a);
	scan_resume_fini(&b);
	buf_fini(&t);
	mem_free(s);
	return 0;
}
