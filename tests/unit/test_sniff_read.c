/*
 * test_sniff_read.c - capture.c's own reader of classic pcap records
 * (fast_next: pread into a buffer of its own, libpcap taking over at the
 * first record that is not plain) against libpcap reading everything
 * (TRUSTMAP_SNIFF_LIBPCAP=1): over files in both byte orders, microsecond
 * and nanosecond magic, version 2.3, records crossing the reader's 1 MiB
 * buffer, a record longer than the snapshot length or than any, and a file
 * cut at every byte of its last two records -- the same packets in the same
 * order, the same resume offsets between them, the same exit status, the
 * same malformed counts and the same messages on standard error.
 */
#include "check.h"
#include "core/err.h"
#include "sniff/capture.h"

#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#define NFR 1400

static char dir[] = "/tmp/tm-sniff-read.XXXXXX";

struct w {
	uint8_t *p;
	size_t n, cap;
};

static void put(struct w *w, const void *p, size_t n)
{
	if (w->n + n > w->cap) {
		w->cap = (w->n + n) * 2;
		w->p = realloc(w->p, w->cap);
	}
	memcpy(w->p + w->n, p, n);
	w->n += n;
}

static void u32(struct w *w, uint32_t v, int be)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

	if (be) {
		uint8_t t = b[0];

		b[0] = b[3], b[3] = t, t = b[1], b[1] = b[2], b[2] = t;
	}
	put(w, b, 4);
}

static void u16(struct w *w, uint16_t v, int be)
{
	uint8_t b[2] = {(uint8_t)(be ? v >> 8 : v), (uint8_t)(be ? v : v >> 8)};

	put(w, b, 2);
}

/*
 * A pcap file of nfr Ethernet frames, each from a source MAC of its own (so
 * each packet shows as one observation), of sizes 60..1460 bytes; frame
 * `big` (when >= 0) claims bigcap captured bytes instead.
 */
static void make(struct w *w, int be, uint32_t magic, int minor, uint32_t snap, int nfr, int big, uint32_t bigcap)
{
	static uint8_t f[300000];

	w->n = 0;
	u32(w, magic, be);
	u16(w, 2, be);
	u16(w, (uint16_t)minor, be);
	u32(w, 0, be);
	u32(w, 0, be);
	u32(w, snap, be);
	u32(w, 1, be); /* Ethernet */
	for (int i = 0; i < nfr; i++) {
		uint32_t n = 60 + (uint32_t)(i * 397) % 1400;

		if (i == big)
			n = bigcap;
		memset(f, 0xee, n < sizeof(f) ? n : sizeof(f));
		memset(f, 0xff, 6);
		f[6] = 0x02, f[7] = 0x00, f[8] = (uint8_t)(i >> 16), f[9] = (uint8_t)(i >> 8), f[10] = (uint8_t)i;
		f[11] = 0x01;
		f[12] = 0x88, f[13] = 0xb5; /* local experimental: no decoder */
		u32(w, 1700000000u + (uint32_t)i, be);
		u32(w, (uint32_t)i * 1000, be);
		u32(w, n, be);
		u32(w, n, be);
		put(w, f, n < sizeof(f) ? n : sizeof(f));
	}
}

/* What one run showed: packets (their source MACs), resume offsets, status, counts, messages. */
struct run {
	char *seen;
	size_t len, cap;
	struct cap *c;
	int rc;
	uint64_t packets, bad_pcap;
};

static void add(struct run *r, const char *s)
{
	size_t n = strlen(s);

	if (r->len + n + 1 > r->cap) {
		r->cap = (r->len + n + 1) * 2;
		r->seen = realloc(r->seen, r->cap);
	}
	memcpy(r->seen + r->len, s, n + 1);
	r->len += n;
}

static int on_obs(void *arg, const struct obs *o)
{
	char t[64];

	snprintf(t, sizeof(t), "%s %.*s %lld;", obs_kind_name(o->kind), (int)o->len, (const char *)o->value,
		 (long long)o->time);
	add(arg, t);
	return 0;
}

static int between(void *arg)
{
	struct run *r = arg;
	struct cap_pos next, from;
	char t[64];

	cap_checkpoint(r->c, &next, &from);
	snprintf(t, sizeof(t), "@%u:%llu:%lld;", next.file, (unsigned long long)next.no, (long long)next.off);
	add(r, t);
	return 0;
}

/* Reads path (fast or through libpcap only); messages appended from standard error. */
static void run(const char *path, int libpcap, struct run *r)
{
	struct cap_cfg cc = {.on_obs = on_obs, .arg = r, .between = between};
	char ef[64], msg[4096];
	FILE *e;
	size_t k;
	int saved = dup(2), fd;

	memset(r, 0, sizeof(*r));
	add(r, "");
	snprintf(ef, sizeof(ef), "%s/err", dir);
	fd = open(ef, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	if (libpcap)
		setenv("TRUSTMAP_SNIFF_LIBPCAP", "1", 1);
	else
		unsetenv("TRUSTMAP_SNIFF_LIBPCAP");
	r->c = cap_new(&cc);
	r->rc = cap_file(r->c, path, NULL);
	cap_end(r->c);
	r->packets = cap_stats(r->c)->packets;
	r->bad_pcap = cap_stats(r->c)->bad[SN_DEC_PCAP];
	cap_free(r->c);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	unsetenv("TRUSTMAP_SNIFF_LIBPCAP");
	e = fopen(ef, "r");
	k = e ? fread(msg, 1, sizeof(msg) - 1, e) : 0;
	msg[k] = 0;
	if (e)
		fclose(e);
	add(r, "|");
	add(r, msg);
}

static void fini(struct run *r)
{
	free(r->seen);
}

/* Writes w to a file, reads it both ways; returns the packets the fast reader delivered. */
static uint64_t same(const char *what, const struct w *w, size_t len, int want_rc)
{
	char path[128];
	struct run a, b;
	FILE *f;
	uint64_t n;

	snprintf(path, sizeof(path), "%s/f.pcap", dir);
	f = fopen(path, "wb");
	fwrite(w->p, 1, len, f);
	fclose(f);
	run(path, 0, &a);
	run(path, 1, &b);
	if (strcmp(a.seen, b.seen) || a.rc != b.rc || a.packets != b.packets || a.bad_pcap != b.bad_pcap) {
		fprintf(stderr, "%s (%zu bytes): fast rc %d, %llu packets, %llu bad; libpcap rc %d, %llu, %llu\n",
			what, len, a.rc, (unsigned long long)a.packets, (unsigned long long)a.bad_pcap, b.rc,
			(unsigned long long)b.packets, (unsigned long long)b.bad_pcap);
		CHECK(0);
	} else {
		CHECK(1);
	}
	if (want_rc != 99)
		CHECK_INT(a.rc, want_rc);
	n = a.packets;
	fini(&a);
	fini(&b);
	return n;
}

int main(void)
{
	struct w w = {0};
	const uint32_t magics[2] = {0xa1b2c3d4, 0xa1b23c4d};
	size_t rec_start[3] = {0, 0, 0};
	char what[64];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	/* both byte orders, microseconds and nanoseconds: a 1.1 MB file, records across the 1 MiB buffer */
	for (int be = 0; be < 2; be++)
		for (int m = 0; m < 2; m++) {
			make(&w, be, magics[m], 4, 65535, NFR, -1, 0);
			CHECK(w.n > (1u << 20));
			snprintf(what, sizeof(what), "be %d magic %08x", be, magics[m]);
			CHECK_INT((int)same(what, &w, w.n, 0), NFR);
		}
	/* version 2.3 (libpcap's own rules for it) and a snapshot length of 0 (libpcap takes its maximum) */
	make(&w, 0, magics[0], 3, 65535, 50, -1, 0);
	CHECK_INT((int)same("version 2.3", &w, w.n, 0), 50);
	make(&w, 0, magics[0], 4, 0, 50, -1, 0);
	CHECK_INT((int)same("snaplen 0", &w, w.n, 0), 50);
	/* a record longer than the snapshot length (200 in a file of snaplen 100), longer than any (300,000) */
	make(&w, 0, magics[0], 4, 100, 50, 20, 60);
	same("record 20 within a small snaplen", &w, w.n, 99);
	make(&w, 0, magics[0], 4, 100, 50, 20, 200);
	same("record 20 over the snaplen", &w, w.n, 99);
	make(&w, 1, magics[0], 4, 262144, 50, 30, 300000);
	same("record 30 over 262144", &w, w.n, 99);
	/* cut at every byte of the last two records (and the file header) */
	make(&w, 0, magics[1], 4, 65535, 40, -1, 0);
	rec_start[0] = 24;
	for (size_t off = 24, i = 0; i < 40; i++) {
		uint32_t n;

		memcpy(&n, w.p + off + 8, 4);
		if (i == 38)
			rec_start[1] = off;
		off += 16 + n;
	}
	for (size_t len = rec_start[1]; len <= w.n; len++) {
		snprintf(what, sizeof(what), "cut at %zu", len);
		same(what, &w, len, len == w.n || len == rec_start[1] ? 0 : 99);
	}
	for (size_t len = 0; len < 24; len++) {
		snprintf(what, sizeof(what), "header cut at %zu", len);
		same(what, &w, len, 99);
	}
	(void)rec_start[0];
	free(w.p);
	{
		char p[128];

		snprintf(p, sizeof(p), "%s/f.pcap", dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/err", dir);
		unlink(p);
		rmdir(dir);
	}
	return check_done("test_sniff_read");
}
