/* fuzz_sniff_resume.c - a capture run's resume state (runs.resume, text a hand-edited database
 * can hold) on arbitrary bytes; whatever parses must format back to text that parses to the
 * same state and formats to the same text again. */
#include "cli/sniff_resume.h"
#include "core/err.h"
#include "core/mem.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sniff_resume a, b;
	struct buf t, u;
	char eb[TM_ERRLEN], *s = mem_alloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	if (sniff_resume_parse(s, &a, eb, sizeof(eb))) {
		mem_free(s);
		return 0;
	}
	buf_init(&t, 0);
	buf_init(&u, 0);
	if (sniff_resume_format(&t, &a) || sniff_resume_parse(buf_str(&t), &b, eb, sizeof(eb)))
		abort();
	if (a.max_flows != b.max_flows || a.flow_bytes != b.flow_bytes || a.idle != b.idle ||
	    a.nfiles != b.nfiles || a.nborn != b.nborn || a.complete != b.complete || a.failed != b.failed ||
	    a.nudp_as != b.nudp_as || !a.scope != !b.scope || (a.scope && strcmp(a.scope, b.scope)) ||
	    a.next.file != b.next.file || a.next.no != b.next.no || a.next.off != b.next.off ||
	    a.from.file != b.from.file || a.from.no != b.from.no || a.from.off != b.from.off)
		abort();
	for (int i = 0; i < a.nfiles; i++)
		if (strcmp(a.files[i].path, b.files[i].path) || a.files[i].size != b.files[i].size ||
		    a.files[i].hash != b.files[i].hash)
			abort();
	for (size_t i = 0; i < a.nborn; i++)
		if (a.born[i] != b.born[i])
			abort();
	if (sniff_resume_format(&u, &b) || strcmp(buf_str(&t), buf_str(&u)))
		abort();
	sniff_resume_fini(&a);
	sniff_resume_fini(&b);
	buf_fini(&t);
	buf_fini(&u);
	mem_free(s);
	return 0;
}
