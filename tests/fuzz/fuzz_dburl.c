/*
 * fuzz_dburl.c - store_url_redact() (src/store/store.c), which takes the
 * password out of a --db URL before it is shown by ps, stored with a run or
 * printed, on arbitrary text.  Checked whatever the input: the output is
 * NUL-terminated within its buffer and never longer than the input; for a
 * postgres(ql):// URL, no "password=" parameter is left in the query (what
 * follows the first '?' after the authority) and the
 * authority keeps no ":secret@"; anything else is copied unchanged.
 */
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char in[512], out[512], small[16];
	const char *auth, *q;
	size_t len, alen;
	int cut;

	if (n >= sizeof(in))
		n = sizeof(in) - 1;
	memcpy(in, d, n);
	in[n] = 0;
	len = strlen(in);
	cut = store_url_redact(out, sizeof(out), in);
	if (strlen(out) > len)
		abort();
	store_url_redact(small, sizeof(small), in); /* cut to fit, still terminated */
	if (memchr(small, 0, sizeof(small)) == NULL)
		abort();
	if (strncmp(in, "postgresql://", 13) && strncmp(in, "postgres://", 11)) {
		if (cut || strcmp(in, out))
			abort();
		return 0;
	}
	auth = strstr(out, "//") + 2;
	alen = strcspn(auth, "/?#");
	if (memchr(auth, '@', alen) && memchr(auth, ':', (size_t)((const char *)memchr(auth, '@', alen) - auth)))
		abort(); /* user:secret@ left in */
	q = auth + alen; /* the query: after the authority and path */
	for (q += strcspn(q, "?"); *q && (q = strpbrk(q, "?&")); q++)
		if (!strncmp(q + 1, "password=", 9))
			abort();
	return 0;
}
