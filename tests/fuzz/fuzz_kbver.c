/*
 * fuzz_kbver.c - the knowledge sources' version readers (kbver.c) on
 * arbitrary bytes: the same input is given as ieee-data's .lastupdate,
 * Wireshark's manuf and enterprises.tsv and nmap-service-probes (one memfd,
 * named through /proc/self/fd).  Every version must be a NUL-terminated
 * string within its field, "absent" never for a file that exists, and the
 * one-line form must fit its buffer.
 */
#include "kb/kb.h"
#include "kb/kbver.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int fd = -1;
static char path[64], dir[64];

static void cleanup(void)
{
	char link[128];

	snprintf(link, sizeof(link), "%s/.lastupdate", dir);
	unlink(link);
	rmdir(dir);
}

static void setup(void)
{
	char link[128];

	fd = memfd_create("kbver", 0);
	if (fd < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	snprintf(dir, sizeof(dir), "/tmp/fuzz-kbver.%d", (int)getpid());
	mkdir(dir, 0700);
	snprintf(link, sizeof(link), "%s/.lastupdate", dir);
	unlink(link);
	if (symlink(path, link))
		abort();
	atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb_opts o = {.kb_dir = "/nonexistent", .ieee_dir = dir, .manuf = path, .pen = path,
			    .nmap_probes = path};
	struct kb_ver v[KBV_N];
	char line[512];

	if (fd < 0)
		setup();
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	kb_versions(&o, v);
	for (int i = 0; i < KBV_N; i++) {
		if (!memchr(v[i].version, 0, sizeof(v[i].version)) || !memchr(v[i].path, 0, sizeof(v[i].path)))
			abort();
		if (i != KBV_RULES && (!v[i].present || !strcmp(v[i].version, "absent")))
			abort();
	}
	if (v[KBV_RULES].present)
		abort();
	kb_versions_line(v, line, sizeof(line));
	if (strlen(line) >= sizeof(line))
		abort();
	return 0;
}
