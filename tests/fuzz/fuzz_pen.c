/*
 * fuzz_pen.c - the enterprise-number parser on arbitrary bytes: whatever it
 * keeps must be a non-empty name without control bytes, and the count must
 * match the names that can be looked up.
 */
#include "core/err.h"
#include "kb/pen.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pen_db *db;
	char eb[TM_ERRLEN];
	size_t seen = 0;

	if (pen_new(&db))
		abort();
	pen_parse(db, "fuzz", (const char *)data, size, eb, sizeof(eb));
	for (uint32_t n = 0; n < 70000; n++) {
		const char *s = pen_org(db, n);

		if (!s)
			continue;
		seen++;
		if (!*s || strlen(s) > PEN_NAME_MAX)
			abort();
		for (const char *p = s; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
	}
	if (pen_count(db) < seen)
		abort();
	pen_free(db);
	return 0;
}
