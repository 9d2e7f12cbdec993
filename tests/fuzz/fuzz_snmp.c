/* fuzz_snmp.c - the SNMP decoder, OID value text and a re-encode of whatever decoded. */
#include "core/err.h"
#include "proto/snmp.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snmp_msg m, m2;
	static uint8_t out[65536 + 4096];
	char txt[256];
	size_t len = 0;

	snmp_oid_text(data, size, txt, sizeof(txt));
	if (snmp_decode(data, size, &m))
		return 0;
	for (int i = 0; i < m.nvb; i++)
		if (m.vb[i].type == 0x06)
			snmp_oid_text(m.vb[i].val, m.vb[i].vlen, txt, sizeof(txt));
	/* what decodes must re-encode and decode to the same shape */
	if (m.vb[0].noid >= 2 && snmp_encode_response(out, sizeof(out), &len, &m) == 0) {
		if (snmp_decode(out, len, &m2) || m2.nvb != m.nvb || m2.reqid != m.reqid)
			__builtin_trap();
	}
	return 0;
}
