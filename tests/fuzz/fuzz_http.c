/* fuzz_http.c - the HTTP/RTSP response parser on arbitrary bytes, whole and cut in two. */
#include "proto/http.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static void check(const struct http_resp *r)
{
	/* every field is NUL-terminated inside its array */
	if (!memchr(r->server, 0, sizeof(r->server)) || !memchr(r->realm, 0, sizeof(r->realm)) ||
	    !memchr(r->title, 0, sizeof(r->title)) ||
	    !memchr(r->location, 0, sizeof(r->location)) ||
	    !memchr(r->proto, 0, sizeof(r->proto)) ||
	    !memchr(r->content_type, 0, sizeof(r->content_type)))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_resp r;

	http_parse(data, size, &r);
	check(&r);
	if (r.head_done && r.head_len > size)
		__builtin_trap();
	http_parse(data, size / 2, &r);
	check(&r);
	return 0;
}
