/*
 * fuzz_masscan.c - the masscan -oL/-oJ/-oD reader on arbitrary bytes, with and
 * without skip_bad.
 */
#include "imp_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	imp_fuzz_run(imp_masscan_mem, data, size);
	return 0;
}
