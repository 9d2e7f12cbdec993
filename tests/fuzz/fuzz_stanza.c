/* fuzz_stanza.c - the stanza parser and value decoder on arbitrary bytes. */
#include "core/buf.h"
#include "core/err.h"
#include "kb/stanza.h"

#include <stddef.h>
#include <stdint.h>

static int each(void *ctx, const struct st_rec *r, char *eb, size_t el)
{
	struct buf b;

	(void)ctx, (void)eb, (void)el;
	buf_init(&b, 1 << 16);
	for (int i = 0; i < r->nf; i++) {
		buf_reset(&b);
		stanza_unquote(&r->f[i], &b);
	}
	buf_fini(&b);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char eb[TM_ERRLEN];

	stanza_parse("fuzz", (const char *)data, size, each, NULL, eb, sizeof(eb));
	return 0;
}
