/* fuzz_tlscert.c - certificate facts from arbitrary DER (OpenSSL's parser, our bounds and
 * formatting). */
#include "proto/tls.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_cert c;

	if (tls_cert_from_der(data, size, &c) == 0 &&
	    (!memchr(c.subject, 0, sizeof(c.subject)) || !memchr(c.sans, 0, sizeof(c.sans)) ||
	     strlen(c.sha256) != 64))
		__builtin_trap();
	return 0;
}
