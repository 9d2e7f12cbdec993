/* fuzz_upnp.c - the UPnP device description parser (expat under our limits). */
#include "proto/upnp.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct upnp_desc d;

	upnp_parse(data, size, &d);
	if (!memchr(d.manufacturer, 0, sizeof(d.manufacturer)) ||
	    !memchr(d.serial, 0, sizeof(d.serial)))
		__builtin_trap();
	return 0;
}
