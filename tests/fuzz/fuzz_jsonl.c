/*
 * fuzz_jsonl.c - the observation JSON Lines reader (and the format detector)
 * on arbitrary bytes, with and without skip_bad.
 */
#include "imp_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	imp_fuzz_run(imp_jsonl_mem, data, size);
	(void)imp_detect_mem("fuzz.x", (const char *)data, size);
	return 0;
}
