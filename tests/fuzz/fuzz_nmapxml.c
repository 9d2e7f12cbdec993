/*
 * fuzz_nmapxml.c - the nmap XML reader on arbitrary bytes, with and without
 * skip_bad; the first byte sets the chunk size fed to expat.
 */
#include "imp_fuzz.h"
#include "import/imp_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first byte picks the chunk size, so that boundaries fall everywhere */
	if (size) {
		imp_chunk_size = (size_t)data[0] + 1;
		data++, size--;
	}
	imp_fuzz_run(imp_nmap_xml_mem, data, size);
	imp_chunk_size = 0;
	return 0;
}
