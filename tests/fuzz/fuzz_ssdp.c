/* fuzz_ssdp.c - the SSDP answer parser and the URL splitter on what it finds. */
#include "proto/ssdp.h"
#include "proto/url.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ssdp_resp r;
	char host[64], path[256];
	uint16_t port = 0;

	if (ssdp_parse(data, size, &r))
		return 0;
	if (!memchr(r.location, 0, sizeof(r.location)) || !memchr(r.server, 0, sizeof(r.server)))
		__builtin_trap();
	if (url_split(r.location, host, sizeof(host), &port, path, sizeof(path)) == 0 &&
	    (!host[0] || !port || path[0] != '/'))
		__builtin_trap();
	return 0;
}
