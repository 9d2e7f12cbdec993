/*
 * fuzz_pen.c - the enterprise-number parser on arbitrary bytes: whatever it
 * keeps must be a non-empty name without control bytes, found again by its
 * number, and the count must be the names visited.  (It probed the numbers
 * 0..69,999 one by one before pen_each: that loop was most of an execution,
 * and numbers above it went unchecked.)  The tables must stay within a
 * bound set by the input's size, whatever numbers it names.
 */
#include "core/err.h"
#include "kb/pen.h"

#include <stdlib.h>
#include <string.h>

struct seen {
	const struct pen_db *db;
	size_t n;
};

static int check(uint32_t n, const char *s, void *ctx)
{
	struct seen *v = ctx;

	if (!*s || strlen(s) > PEN_NAME_MAX || pen_org(v->db, n) != s || n >= PEN_MAX)
		abort();
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
	v->n++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pen_db *db;
	char eb[TM_ERRLEN];
	struct seen v = {NULL, 0};
	size_t count;

	if (pen_new(&db))
		abort();
	pen_parse(db, "fuzz", (const char *)data, size, eb, sizeof(eb));
	v.db = db;
	pen_each(db, check, &v);
	count = pen_count(db);
	if (count != v.n || count > size / 3 + 1)
		abort();
	/* 8 KiB of direct table, then at most 4 slots (32 bytes) a name there, 4 hash entries (64) in the hash */
	if (pen_bytes(db) > 8192 + 1024 + 96 * (count + 1))
		abort();
	for (uint32_t n = 0; n < 64; n++) /* lookups beside the names, and far beyond them */
		pen_org(db, n), pen_org(db, n * 2654435761u);
	pen_free(db);
	return 0;
}
