/*
 * test_sniff_resume.c - `sniff --resume`: the resume state's text (format,
 * parse, every refusal naming its line, allocation failures), the file
 * signature, and the capture layer's replay: two captures (pcap, then
 * pcapng) of interleaved TCP flows whose banners come 3 bytes a segment,
 * ARP between them; a run resumed at EVERY packet boundary from the
 * checkpoint taken there hands over exactly what the uninterrupted run
 * handed over after that boundary, in the same order (seek in pcap,
 * skip in pcapng, and skip everywhere with TRUSTMAP_SNIFF_NOSEEK).
 */
#include "check.h"

#include "cli/sniff_resume.h"
#include "core/err.h"
#include "core/mem.h"
#include "sniff/capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the text ---- */

static const char *const good =
	"trustmap-sniff-resume 1\nmax-flows 100\nflow-bytes 2048\nidle 60\nscope site%25a%0ab\n"
	"decode-as 16161 snmp\ndecode-as 11900 ssdp\n"
	"file 1000 1700000000 12345 /cap/one.pcap\nfile -1 0 0 /cap/two words%25.pcapng\n"
	"next 1 50 4096\nfrom 0 7 120\nborn 3\nb 7 3 1099511627769\nfailed 2\ncomplete 0\n";

static void test_text(void)
{
	struct sniff_resume r, r2;
	struct buf b;
	char eb[TM_ERRLEN];

	CHECK_INT(sniff_resume_parse(good, &r, eb, sizeof(eb)), 0);
	CHECK_INT(r.max_flows, 100);
	CHECK_INT(r.flow_bytes, 2048);
	CHECK_INT(r.idle, 60);
	CHECK_STR(r.scope, "site%a\nb");
	CHECK_INT(r.nudp_as, 2);
	CHECK_INT(r.udp_as[0].port, 16161);
	CHECK_INT(r.udp_as[0].dec, SN_DEC_SNMP);
	CHECK_INT(r.udp_as[1].dec, SN_DEC_SSDP);
	CHECK_INT(r.nfiles, 2);
	CHECK_STR(r.files[0].path, "/cap/one.pcap");
	CHECK_INT(r.files[0].size, 1000);
	CHECK_INT(r.files[0].mtime, 1700000000);
	CHECK_INT((long long)r.files[0].hash, 12345);
	CHECK_STR(r.files[1].path, "/cap/two words%.pcapng");
	CHECK_INT(r.files[1].size, -1);
	CHECK_INT(r.next.file, 1);
	CHECK_INT((long long)r.next.no, 50);
	CHECK_INT(r.next.off, 4096);
	CHECK_INT(r.from.file, 0);
	CHECK_INT((long long)r.from.no, 7);
	CHECK_INT(r.from.off, 120);
	CHECK_INT((long long)r.nborn, 3);
	CHECK_INT((long long)r.born[0], 7);
	CHECK_INT((long long)r.born[1], 10);
	CHECK_INT((long long)r.born[2], (long long)CAP_TAG(1, 3));
	CHECK_INT(r.failed, 2);
	CHECK_INT(r.complete, 0);
	buf_init(&b, 0);
	CHECK_INT(sniff_resume_format(&b, &r), 0);
	CHECK_STR(buf_str(&b), good);
	/* more than a line of flows: 32 a line, differences carried across lines */
	mem_free(r.born);
	r.nborn = 70;
	r.born = mem_alloc(70 * sizeof(*r.born));
	for (size_t i = 0; i < 70; i++)
		r.born[i] = 7 + i * 5;
	r.next.file = 0;
	r.next.no = 7 + 70 * 5;
	buf_reset(&b);
	CHECK_INT(sniff_resume_format(&b, &r), 0);
	CHECK(strstr(buf_str(&b), "born 70\nb 7 5 5") != NULL);
	CHECK_INT(sniff_resume_parse(buf_str(&b), &r2, eb, sizeof(eb)), 0);
	CHECK_INT((long long)r2.nborn, 70);
	CHECK_INT((long long)r2.born[69], 7 + 69 * 5);
	sniff_resume_fini(&r2);
	sniff_resume_fini(&r);
	CHECK_INT(r.nfiles, 0); /* fini empties */
	buf_fini(&b);
}

/* good with one substitution must be refused, naming line want (0: the whole state) */
static void refused(const char *from, const char *to, int want)
{
	struct sniff_resume r;
	char eb[TM_ERRLEN], t[2048], exp[64];
	const char *at = strstr(good, from);

	if (!at) {
		CHECK(!"substitution not found");
		return;
	}
	snprintf(t, sizeof(t), "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	CHECK_INT(sniff_resume_parse(t, &r, eb, sizeof(eb)), TM_EPROTO);
	if (want)
		snprintf(exp, sizeof(exp), "resume state, line %d: not understood", want);
	else
		snprintf(exp, sizeof(exp), "resume state: incomplete or inconsistent");
	if (!strstr(eb, exp))
		fprintf(stderr, "  [%s -> %s]: %s\n", from, to, eb);
	CHECK(strstr(eb, exp) != NULL);
	CHECK_INT(r.nfiles, 0);
	CHECK(r.born == NULL);
}

static void test_refused(void)
{
	struct sniff_resume r;
	char eb[TM_ERRLEN];

	refused("resume 1", "resume 2", 1);
	refused("max-flows 100", "max-flows 0", 2);
	refused("max-flows 100", "max-flows 99999999999", 2);
	refused("idle 60", "idle -1", 4);
	refused("scope site%25a%0ab", "scope a%2", 5);
	refused("decode-as 16161 snmp", "decode-as 16161 http", 6);
	refused("decode-as 16161 snmp", "decode-as 0 snmp", 6);
	refused("decode-as 16161 snmp", "decode-as 70000 snmp", 6);
	refused("file 1000 ", "file x ", 8);
	refused("file 1000 ", "file -2 ", 8);
	refused("/cap/one.pcap", "", 8);
	refused("next 1 50 4096", "next 1 0 4096", 10);
	refused("next 1 50 4096", "next 1 50", 10);
	refused("next 1 50 4096", "next 1 50 -2", 10);
	refused("next 1 50 4096", "next 2 50 4096", 0);	      /* only two files */
	refused("from 0 7 120", "from 1 51 120", 0);	      /* after next */
	refused("born 3", "born 4", 14);		      /* fewer flows than said: failed's line */
	refused("born 3", "born 2", 13);		      /* more */
	refused("b 7 3 1099511627769", "b 7 0 1", 13);	      /* not increasing */
	refused("b 7 3 1099511627769", "b 8 3 1099511627762", 0); /* the oldest flow is not from */
	refused("b 7 3 1099511627769", "b 7 3 2099511627762", 0); /* a flow after next */
	refused("b 7 3 1099511627769", "b 7 3 18446744073709551615", 13);
	refused("failed 2\n", "", 14);
	refused("complete 0\n", "", 0);
	refused("complete 0\n", "complete 2\n", 15);
	refused("complete 0\n", "complete 0\nnext 1 1 1\n", 16); /* nothing after the end */
	refused("idle 60\n", "idle 60\nidle 60\n", 5);	   /* twice */
	refused("file 1000", "bogus 1000", 8);
	refused("next 1 50 4096\nfrom 0 7 120\n", "from 0 7 120\nnext 1 50 4096\n", 10);
	CHECK_INT(sniff_resume_parse("", &r, eb, sizeof(eb)), TM_EPROTO);
	/* no flows: from must be next */
	CHECK_INT(sniff_resume_parse("trustmap-sniff-resume 1\nmax-flows 1\nflow-bytes 1\nidle 1\nfile 1 1 1 a\n"
				     "next 0 5 -1\nfrom 0 5 -1\nborn 0\nfailed 0\ncomplete 1\n",
				     &r, eb, sizeof(eb)),
		  0);
	CHECK_INT(r.complete, 1);
	sniff_resume_fini(&r);
	CHECK_INT(sniff_resume_parse("trustmap-sniff-resume 1\nmax-flows 1\nflow-bytes 1\nidle 1\nfile 1 1 1 a\n"
				     "next 0 5 -1\nfrom 0 4 -1\nborn 0\nfailed 0\ncomplete 1\n",
				     &r, eb, sizeof(eb)),
		  TM_EPROTO);
	/* allocation failures: refused cleanly, never a leak */
	for (unsigned long k = 1; k < 16; k++) {
		int rc;

		mem_fail_at(k);
		rc = sniff_resume_parse(good, &r, eb, sizeof(eb));
		mem_fail_at(0);
		if (!rc) {
			CHECK_INT(r.nfiles, 2);
			sniff_resume_fini(&r);
		}
	}
}

/* ---- the file signature ---- */

static void test_sig(void)
{
	char path[] = "/tmp/tm-sr-XXXXXX";
	int fd = mkstemp(path);
	struct sniff_file a, b, c;
	static uint8_t big[200000];
	FILE *f;

	CHECK(fd >= 0);
	close(fd);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	f = fopen(path, "wb");
	fwrite(big, 1, sizeof(big), f);
	fclose(f);
	sniff_file_sig(path, &a);
	CHECK_INT(a.size, (long long)sizeof(big));
	CHECK(a.mtime > 0);
	sniff_file_sig(path, &b);
	CHECK(sniff_file_same(&a, &b));
	big[sizeof(big) - 10] ^= 1; /* the last 64 KiB */
	f = fopen(path, "wb");
	fwrite(big, 1, sizeof(big), f);
	fclose(f);
	sniff_file_sig(path, &c);
	CHECK_INT(c.size, a.size);
	CHECK(!sniff_file_same(&a, &c));
	big[sizeof(big) - 10] ^= 1;
	big[5] ^= 1; /* the first */
	f = fopen(path, "wb");
	fwrite(big, 1, sizeof(big), f);
	fclose(f);
	sniff_file_sig(path, &c);
	CHECK(!sniff_file_same(&a, &c));
	f = fopen(path, "ab");
	fputc(0, f);
	fclose(f);
	sniff_file_sig(path, &c);
	CHECK_INT(c.size, a.size + 1);
	CHECK(!sniff_file_same(&a, &c));
	unlink(path);
	sniff_file_sig(path, &c);
	CHECK_INT(c.size, -1);
	CHECK_INT((long long)c.hash, 0);
}

/* ---- replay ---- */

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

static void le32(struct w *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

	put(w, b, 4);
}

/* An Ethernet frame: TCP over IPv4 between 10.0.0.C:40000+C and 10.0.1.S:22 (server when from_srv). */
static size_t tcp_frame(uint8_t *f, int flow, int from_srv, uint8_t flags, uint32_t seq, const char *data, size_t n)
{
	uint8_t cli[4] = {10, 0, 0, (uint8_t)(1 + flow)}, srv[4] = {10, 0, 1, (uint8_t)(1 + flow)};
	uint16_t cport = (uint16_t)(40000 + flow), sport = 22, tot = (uint16_t)(40 + n);
	size_t o = 0;

	memcpy(f, from_srv ? "\x02\0\0\0\0\x01" : "\x02\0\0\0\1\x01", 6);
	memcpy(f + 6, from_srv ? "\x02\0\0\0\1\x01" : "\x02\0\0\0\0\x01", 6);
	f[5] = f[11] = (uint8_t)flow;
	f[12] = 8;
	f[13] = 0;
	o = 14;
	memset(f + o, 0, 40);
	f[o] = 0x45;
	f[o + 2] = (uint8_t)(tot >> 8);
	f[o + 3] = (uint8_t)tot;
	f[o + 8] = 64;
	f[o + 9] = 6;
	memcpy(f + o + 12, from_srv ? srv : cli, 4);
	memcpy(f + o + 16, from_srv ? cli : srv, 4);
	o += 20;
	f[o] = (uint8_t)((from_srv ? sport : cport) >> 8);
	f[o + 1] = (uint8_t)(from_srv ? sport : cport);
	f[o + 2] = (uint8_t)((from_srv ? cport : sport) >> 8);
	f[o + 3] = (uint8_t)(from_srv ? cport : sport);
	f[o + 4] = (uint8_t)(seq >> 24);
	f[o + 5] = (uint8_t)(seq >> 16);
	f[o + 6] = (uint8_t)(seq >> 8);
	f[o + 7] = (uint8_t)seq;
	f[o + 12] = 5 << 4;
	f[o + 13] = flags;
	o += 20;
	memcpy(f + o, data, n);
	return o + n;
}

static size_t arp_frame(uint8_t *f, int i)
{
	static const uint8_t hdr[8] = {0, 1, 8, 0, 6, 4, 0, 1};

	memset(f, 0xff, 6);
	memcpy(f + 6, "\x02\0\0\0\2\0", 6);
	f[11] = (uint8_t)i;
	f[12] = 8;
	f[13] = 6;
	memcpy(f + 14, hdr, 8);
	memcpy(f + 22, f + 6, 6);
	f[28] = 10;
	f[29] = 0;
	f[30] = 2;
	f[31] = (uint8_t)i;
	memset(f + 32, 0, 6);
	memcpy(f + 38, "\x0a\0\2\xfe", 4);
	return 42;
}

#define NFLOWS 6
#define MAXPK 512

struct pk {
	uint8_t f[128];
	size_t n;
};

/* The packets: six flows, each a handshake then a banner 3 bytes a segment then FIN (not flow 5: open at the end), round robin with ARP. */
static int make_packets(struct pk *v)
{
	char banner[NFLOWS][48];
	uint32_t off[NFLOWS] = {0};
	int st[NFLOWS] = {0}, n = 0, live = NFLOWS, arp = 0;

	for (int i = 0; i < NFLOWS; i++)
		snprintf(banner[i], sizeof(banner[i]), "SSH-2.0-HUAWEI-1.5 unit %d\r\n", i);
	while (live && n < MAXPK - 2) {
		for (int i = 0; i < NFLOWS && n < MAXPK - 2; i++) {
			size_t bl = strlen(banner[i]);

			if (st[i] == 0) { /* SYN-ACK */
				v[n].n = tcp_frame(v[n].f, i, 1, 0x12, 1000u * (unsigned)i, "", 0);
				n++;
				st[i] = 1;
			} else if (st[i] == 1 && off[i] < bl) {
				size_t k = bl - off[i] < 3 ? bl - off[i] : 3;

				v[n].n = tcp_frame(v[n].f, i, 1, 0x18, 1000u * (unsigned)i + 1 + off[i], banner[i] + off[i], k);
				n++;
				off[i] += (uint32_t)k;
			} else if (st[i] == 1) {
				if (i != 5) {
					v[n].n = tcp_frame(v[n].f, i, 1, 0x11, 1000u * (unsigned)i + 1 + off[i], "", 0);
					n++;
				}
				st[i] = 2;
				live--;
			}
			if ((n % 7) == 3) {
				v[n].n = arp_frame(v[n].f, arp++ % 20);
				n++;
			}
		}
	}
	return n;
}

static void write_pcap(const char *path, const struct pk *v, int a, int b)
{
	struct w w = {0};
	FILE *f;

	le32(&w, 0xa1b2c3d4);
	le32(&w, 2 | 4 << 16);
	le32(&w, 0);
	le32(&w, 0);
	le32(&w, 65535);
	le32(&w, 1);
	for (int i = a; i < b; i++) {
		le32(&w, 1700000000 + (uint32_t)i);
		le32(&w, 0);
		le32(&w, (uint32_t)v[i].n);
		le32(&w, (uint32_t)v[i].n);
		put(&w, v[i].f, v[i].n);
	}
	f = fopen(path, "wb");
	fwrite(w.p, 1, w.n, f);
	fclose(f);
	free(w.p);
}

static void block(struct w *w, uint32_t type, const void *body, size_t n)
{
	static const uint8_t zero[4];
	size_t pad = (4 - n % 4) % 4;

	le32(w, type);
	le32(w, (uint32_t)(12 + n + pad));
	put(w, body, n);
	put(w, zero, pad);
	le32(w, (uint32_t)(12 + n + pad));
}

static void write_pcapng(const char *path, const struct pk *v, int a, int b)
{
	struct w w = {0}, t = {0};
	uint8_t shb[16] = {0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	uint8_t idb[8] = {1, 0, 0, 0, 0xff, 0xff, 0, 0};
	FILE *f;

	block(&w, 0x0a0d0d0a, shb, sizeof(shb));
	block(&w, 1, idb, sizeof(idb));
	for (int i = a; i < b; i++) {
		uint64_t ts = (uint64_t)(1700000000 + i) * 1000000;

		t.n = 0;
		le32(&t, 0);
		le32(&t, (uint32_t)(ts >> 32));
		le32(&t, (uint32_t)ts);
		le32(&t, (uint32_t)v[i].n);
		le32(&t, (uint32_t)v[i].n);
		put(&t, v[i].f, v[i].n);
		block(&w, 6, t.p, t.n);
	}
	f = fopen(path, "wb");
	fwrite(w.p, 1, w.n, f);
	fclose(f);
	free(w.p);
	free(t.p);
}

/* What a run hands over, one line each, in order. */
struct seen {
	char (*v)[160];
	int n, cap;
};

static int on_obs(void *arg, const struct obs *o)
{
	struct seen *s = arg;

	if (s->n < s->cap)
		snprintf(s->v[s->n++], 160, "%s|%s|%s|%u|%.*s", obs_kind_name(o->kind), o->mac, o->addr,
			 (unsigned)o->port, (int)o->len, (const char *)o->value);
	return 0;
}

struct ckpt {
	struct cap_pos next, from;
	uint64_t born[NFLOWS + 1];
	size_t nborn;
	int nseen; /* handed over before */
};

struct full {
	struct seen s;
	struct cap *c;
	struct ckpt *k;
	int nk, capk;
};

static void born_add(void *arg, uint64_t tag, int64_t off)
{
	struct ckpt *k = arg;

	(void)off;
	if (k->nborn < NFLOWS + 1)
		k->born[k->nborn++] = tag;
}

static int cmpu(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int at_boundary(void *arg)
{
	struct full *f = arg;
	struct ckpt *k;

	if (f->nk >= f->capk)
		return 0;
	k = &f->k[f->nk++];
	memset(k, 0, sizeof(*k));
	cap_checkpoint(f->c, &k->next, &k->from);
	cap_born_each(f->c, born_add, k);
	qsort(k->born, k->nborn, sizeof(k->born[0]), cmpu);
	k->nseen = f->s.n;
	return 0;
}

static void test_replay(void)
{
	static struct pk v[MAXPK];
	static char full_v[1024][160], res_v[1024][160];
	static struct ckpt ks[MAXPK + 8];
	char p1[] = "/tmp/tm-sr1-XXXXXX", p2[] = "/tmp/tm-sr2-XXXXXX";
	const char *files[2] = {p1, p2};
	int n = make_packets(v), fd, exact = 0, mid = 0, tried = 0, inflight = 0;
	struct full f = {.s = {full_v, 0, 1024}, .k = ks, .capk = MAXPK + 8};
	/* one arg for both callbacks: f, whose first member is the struct seen on_obs fills */
	struct cap_cfg cc = {.on_obs = on_obs, .arg = &f, .quiet = 1, .between = at_boundary};

	fd = mkstemp(p1);
	close(fd);
	fd = mkstemp(p2);
	close(fd);
	CHECK(n > 70);
	write_pcap(p1, v, 0, n / 2);
	write_pcapng(p2, v, n / 2, n);
	/* the uninterrupted run, a checkpoint at every boundary */
	f.c = cap_new(&cc);
	CHECK_INT(cap_file(f.c, files[0], NULL), 0);
	CHECK_INT(cap_file(f.c, files[1], NULL), 0);
	cap_end(f.c);
	cap_free(f.c);
	CHECK_INT(f.nk, n + 2); /* one before each packet and one at each file's end */
	/* six banners and one mac each for 12 MACs of the flows, 20 ARP bindings and sources */
	{
		int banners = 0;

		for (int i = 0; i < f.s.n; i++)
			banners += !!strstr(f.s.v[i], "SSH-2.0-HUAWEI-1.5 unit ");
		CHECK_INT(banners, NFLOWS);
	}
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			setenv("TRUSTMAP_SNIFF_NOSEEK", "1", 1);
		for (int i = 0; i < f.nk; i++) {
			struct ckpt *k = &ks[i];
			struct seen r = {res_v, 0, 1024};
			struct cap_cfg c2 = {.on_obs = on_obs, .arg = &r, .quiet = 1};
			struct cap *c = cap_new(&c2);
			int same;

			tried++;
			if (k->nborn)
				inflight++;
			if (CAP_TAG(k->from.file, k->from.no) < CAP_TAG(k->next.file, k->next.no) &&
			    k->from.file != k->next.file)
				mid++;
			CHECK_INT(cap_replay(c, &k->from, &k->next, k->born, k->nborn), 0);
			for (uint32_t j = k->from.file; j < 2; j++)
				CHECK_INT(cap_file(c, files[j], NULL), 0);
			cap_end(c);
			cap_free(c);
			same = r.n == f.s.n - k->nseen;
			for (int j = 0; same && j < r.n; j++)
				same = !strcmp(r.v[j], f.s.v[k->nseen + j]);
			if (!same)
				fprintf(stderr, "  checkpoint %d (next %u:%llu, from %u:%llu, %zu flows): %d handed over, want %d\n",
					i, k->next.file, (unsigned long long)k->next.no, k->from.file,
					(unsigned long long)k->from.no, k->nborn, r.n, f.s.n - k->nseen);
			exact += same;
		}
	}
	unsetenv("TRUSTMAP_SNIFF_NOSEEK");
	CHECK_INT(exact, tried);
	CHECK(inflight > f.nk); /* most boundaries had banners in the middle (both passes) */
	CHECK(mid > 0);		/* some re-read from the first file to resume in the second */
	unlink(p1);
	unlink(p2);
}

int main(void)
{
	test_text();
	test_refused();
	test_sig();
	test_replay();
	return check_done("test_sniff_resume");
}
