/*
 * fuzz_pcap_fast.c - libFuzzer, differential: the bytes as a capture file
 * on a real file descriptor (a memfd: regular, seekable, as `trustmap sniff
 * FILE` sees a file), read twice -- by capture.c's own reader of classic
 * pcap records (libpcap taking over at the first record that is not plain)
 * and by libpcap alone (TRUSTMAP_SNIFF_LIBPCAP=1).  Both must hand over the
 * same observations in the same order, stop at the same packet with the
 * same status, and count the same malformed packets; any difference aborts.
 */
#include "core/obs.h"
#include "sniff/capture.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct trace {
	uint64_t h, n; /* hash of what was handed over, and how many */
};

static int on_obs(void *arg, const struct obs *o)
{
	struct trace *t = arg;
	const uint8_t *parts[3] = {(const uint8_t *)o->mac, (const uint8_t *)o->addr, o->value};
	size_t lens[3] = {strnlen(o->mac, sizeof(o->mac)), strnlen(o->addr, sizeof(o->addr)), o->len};

	t->h = (t->h ^ (uint64_t)o->kind ^ (uint64_t)o->time << 8) * 1099511628211ULL;
	for (int i = 0; i < 3; i++)
		for (size_t k = 0; k < lens[i]; k++)
			t->h = (t->h ^ parts[i][k]) * 1099511628211ULL;
	t->n++;
	return 0;
}

struct result {
	struct trace t;
	int rc;
	uint64_t packets, bad[SN_DEC_COUNT];
};

static void once(int fd, int libpcap, struct result *r)
{
	/*
	 * Small read buffers and MAC set: no large allocation per input (an
	 * mmap each under ASan, ~18 ms an input before), and records cross
	 * the buffer's end and the set fills up within small inputs.
	 */
	struct cap_cfg cfg = {.max_flows = 64, .flow_bytes = 4096, .max_buffered = 4 * 4096, .on_obs = on_obs,
			      .arg = &r->t, .quiet = 1, .iobuf = 4096, .macset = 256};
	struct cap *c;
	FILE *fp;
	int d;

	memset(r, 0, sizeof(*r));
	if (libpcap)
		setenv("TRUSTMAP_SNIFF_LIBPCAP", "1", 1);
	else
		unsetenv("TRUSTMAP_SNIFF_LIBPCAP");
	if (!(c = cap_new(&cfg)))
		abort();
	if ((d = dup(fd)) < 0 || lseek(d, 0, SEEK_SET) != 0 || !(fp = fdopen(d, "rb")))
		abort();
	r->rc = cap_stream(c, fp, "fuzz", NULL); /* closes fp */
	cap_end(c);
	r->packets = cap_stats(c)->packets;
	memcpy(r->bad, cap_stats(c)->bad, sizeof(r->bad));
	cap_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct result a, b;

	if (fd < 0 && (fd = memfd_create("fuzz_pcap_fast", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	once(fd, 0, &a);
	once(fd, 1, &b);
	if (a.rc != b.rc || a.packets != b.packets || a.t.n != b.t.n || a.t.h != b.t.h ||
	    memcmp(a.bad, b.bad, sizeof(a.bad))) {
		fprintf(stderr, "fast reader: rc %d, %llu packets, %llu observations; libpcap: rc %d, %llu, %llu\n",
			a.rc, (unsigned long long)a.packets, (unsigned long long)a.t.n, b.rc,
			(unsigned long long)b.packets, (unsigned long long)b.t.n);
		abort();
	}
	return 0;
}
