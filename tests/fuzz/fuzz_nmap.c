/*
 * fuzz_nmap.c - the nmap-service-probes parser on arbitrary bytes, then
 * compile and a match of each of the first probes against the input itself
 * and two fixed banners.  The literal prefilter only: Hyperscan compiling
 * arbitrary regexes can take seconds (it is tested in test_mre/test_nmap).
 */
#include "core/err.h"
#include "core/log.h"
#include "kb/nmap.h"
#include "kb/nmap_int.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const banners[] = {"SSH-2.0-OpenSSH_8.4\r\n", "HTTP/1.0 200 OK\r\n\r\n"};
	struct nmap_db *db;
	struct nmap_scratch *s;
	struct nmap_hit h[4];
	char eb[TM_ERRLEN], name[80];

	setenv("TRUSTMAP_PREFILTER", "portable", 1);
	log_set_level(LOG_ERROR);
	if (nmap_new(&db))
		return 0;
	nmap_parse(db, "fuzz", (const char *)data, size, eb, sizeof(eb));
	if (nmap_compile(db, NULL, eb, sizeof(eb)) || !(s = nmap_scratch_new(db))) {
		nmap_free(db);
		return 0;
	}
	for (size_t i = 0; i < db->npr && i < 4; i++) {
		snprintf(name, sizeof(name), "%s:%s", db->pr[i].proto == 6 ? "TCP" : "UDP",
			 db->pr[i].name);
		nmap_match(db, s, name, data, size, h, 4);
		for (int b = 0; b < 2; b++)
			nmap_match(db, s, name, (const uint8_t *)banners[b], strlen(banners[b]), h, 4);
	}
	nmap_match(db, s, "NULL", data, size, h, 1);
	nmap_scratch_free(s);
	nmap_free(db);
	return 0;
}
