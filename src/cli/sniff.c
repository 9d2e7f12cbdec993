/*
 * sniff.c - `trustmap sniff`: passive discovery from capture files (pcap,
 * pcapng, "-" for standard input) or a live interface (-i, BPF with -f,
 * privileges dropped once the handle is open).  What the decoders learn is
 * deduplicated within the run (LLDP repeats every 30 s), streamed with
 * --format jsonl, stored in batches in one run of kind "sniff", and the
 * assets are rebuilt at the end; LLDP/CDP neighbours become topology links.
 * A summary per vendor family follows, as for scan; --stats adds packets
 * and malformed packets per decoder and the flow table's figures.
 * Exit status: 0, 1 when a capture was broken (wrong magic, truncated, a
 * lying length: everything before it is kept), 2 on usage or store errors.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../attr/build.h"
#include "../core/buf.h"
#include "../core/err.h"
#include "../core/esc.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../kb/kb.h"
#include "../report/progress.h"
#include "../report/table.h"
#include "../sniff/capture.h"
#include "../store/store.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 1000	   /* observations per transaction */
#define DEDUP_SLOTS (1u << 20) /* observation hashes remembered; cleared when 3/4 full */
#define DEV_SLOTS (1u << 18)   /* device keys seen, for the summary */
#define LINK_SLOTS 4096	   /* links gathered in memory before the store (then written through) */

struct cfg {
	struct common c;
	const char *iface, *filter, *scope;
	long max_flows, flow_bytes, idle;
	int stats;
	struct {
		uint16_t port;
		enum sn_dec dec;
	} udp_as[CAP_UDP_AS_MAX];
	int nudp_as;
};

/* --decode-as PORT/udp=DECODER: a datagram decoder on a port of its own (an emulator, a lab). */
static int set_decode_as(void *vc, const char *val, int tag)
{
	static const struct {
		const char *name;
		enum sn_dec dec;
	} decs[] = {{"dhcp4", SN_DEC_DHCP4}, {"dhcp6", SN_DEC_DHCP6}, {"snmp", SN_DEC_SNMP}, {"ssdp", SN_DEC_SSDP}};
	struct cfg *c = vc;
	const char *eq = strchr(val, '='), *sl = strchr(val, '/');
	uint64_t port;
	size_t plen;

	(void)tag;
	plen = (size_t)((sl && eq && sl < eq ? sl : eq ? eq : val) - val);
	if (!eq || !str_to_u64(val, plen, &port) || !port || port > 65535 ||
	    (sl && sl < eq && strncmp(sl, "/udp=", 5))) {
		fprintf(stderr, "trustmap sniff: --decode-as wants PORT/udp=DECODER, not '%s'\n", val);
		return -1;
	}
	if (c->nudp_as >= CAP_UDP_AS_MAX) {
		fprintf(stderr, "trustmap sniff: at most %d --decode-as\n", CAP_UDP_AS_MAX);
		return -1;
	}
	for (size_t i = 0; i < sizeof(decs) / sizeof(decs[0]); i++) {
		if (strcmp(eq + 1, decs[i].name))
			continue;
		c->udp_as[c->nudp_as].port = (uint16_t)port;
		c->udp_as[c->nudp_as++].dec = decs[i].dec;
		return 0;
	}
	fprintf(stderr, "trustmap sniff: --decode-as: decoders are dhcp4, dhcp6, snmp and ssdp, not '%s'\n", eq + 1);
	return -1;
}

static const struct opt opts[] = {
	{"interface", 'i', "IFACE", "capture live on this interface (needs root or cap_net_raw)", OPT_STR,
	 offsetof(struct cfg, iface)},
	{"filter", 'f', "BPF", "a libpcap filter for -i, e.g. 'not port 22'", OPT_STR, offsetof(struct cfg, filter)},
	{"max-flows", 0, "N", "TCP flows tracked at once (default 262144; the oldest make room)", OPT_INT,
	 offsetof(struct cfg, max_flows)},
	{"flow-bytes", 0, "N", "bytes kept of what each server sends (default 16384)", OPT_INT,
	 offsetof(struct cfg, flow_bytes)},
	{"idle", 0, "SECONDS", "a flow silent this long (capture time) is handed over (default 300)", OPT_INT,
	 offsetof(struct cfg, idle)},
	{"scope", 0, "NAME", "where the captured addresses are unique (VRF, site); default global", OPT_STR,
	 offsetof(struct cfg, scope)},
	{"decode-as", 0, "PORT/udp=DEC", "also give this UDP port to dhcp4, dhcp6, snmp (replies from it) or ssdp",
	 OPT_FN, 0, set_decode_as, 0},
	{"stats", 0, NULL, "print packets and malformed packets per decoder, flows, evictions", OPT_FLAG,
	 offsetof(struct cfg, stats)},
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"format", 0, "FMT", "table (default), jsonl (stream observations) or csv", OPT_STR,
	 offsetof(struct cfg, c.format)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"no-nmap", 0, NULL, "do not load nmap-service-probes", OPT_FLAG, offsetof(struct cfg, c.no_nmap)},
	{NULL},
};

static volatile int stop_flag;
static void *volatile live_handle; /* woken by the signal: libpcap may sleep in poll() without a timeout */

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
	cap_live_break(live_handle);
}

/* A set of 64-bit hashes (0 never stored), bounded: cleared when 3/4 full. */
struct hset {
	uint64_t *k;
	size_t n, cap; /* cap: a power of two */
	int no_clear;  /* when full, stop adding instead of clearing */
};

/* 1 when h was already in the set, 0 when added (or not: full). */
static int hset_add(struct hset *s, uint64_t h)
{
	size_t i;

	if (!s->k && !(s->k = mem_calloc(s->cap, sizeof(*s->k))))
		return 0;
	h |= 1;
	for (i = (size_t)(h >> 20) & (s->cap - 1); s->k[i]; i = (i + 1) & (s->cap - 1))
		if (s->k[i] == h)
			return 1;
	if (s->n >= s->cap / 4 * 3) {
		if (s->no_clear)
			return 0;
		memset(s->k, 0, s->cap * sizeof(*s->k));
		s->n = 0;
		for (i = (size_t)(h >> 20) & (s->cap - 1); s->k[i]; i = (i + 1) & (s->cap - 1))
			;
	}
	s->k[i] = h;
	s->n++;
	return 0;
}

static int hset_has(const struct hset *s, uint64_t h)
{
	size_t i;

	if (!s->k)
		return 0;
	h |= 1;
	for (i = (size_t)(h >> 20) & (s->cap - 1); s->k[i]; i = (i + 1) & (s->cap - 1))
		if (s->k[i] == h)
			return 1;
	return 0;
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL; /* field separator */
}

static uint64_t hash_str(uint64_t h, const char *s, size_t max)
{
	return hash_bytes(h, s, strnlen(s, max));
}

static uint64_t finish(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

struct link_slot {
	uint64_t h; /* 0 empty */
	struct link_rec l;
};

struct sink {
	struct store *st;
	struct cap *cap;
	int64_t run;
	long n, failed, dups, nlinks, link_failed;
	int jsonl;
	struct buf line;
	struct hset dedup, devs;
	struct link_slot *links;
	size_t nlinkslots;
	struct progress pr;
	const char *pr_what;
	double t_store; /* seconds in store writes (observations, links, commits), for --stats */
};

static double mono(void);

static void json_line(struct sink *k, const struct obs *o)
{
	struct buf *b = &k->line;

	buf_reset(b);
	buf_printf(b, "{\"time\":%lld,\"source\":", (long long)o->time);
	esc_json_str(b, o->source);
	if (o->addr[0]) {
		buf_adds(b, ",\"addr\":");
		esc_json_str(b, o->addr);
	}
	if (o->scope[0]) {
		buf_adds(b, ",\"scope\":");
		esc_json_str(b, o->scope);
	}
	if (o->mac[0]) {
		buf_adds(b, ",\"mac\":");
		esc_json_str(b, o->mac);
	}
	if (o->port)
		buf_printf(b, ",\"port\":%u", (unsigned)o->port);
	if (o->proto == 6 || o->proto == 17)
		buf_printf(b, ",\"proto\":\"%s\"", o->proto == 17 ? "udp" : "tcp");
	buf_printf(b, ",\"kind\":\"%s\"", obs_kind_name(o->kind));
	if (o->probe[0]) {
		buf_adds(b, ",\"probe\":");
		esc_json_str(b, o->probe);
	}
	buf_adds(b, ",\"value\":\"");
	esc_json(b, o->value, o->len);
	buf_addc(b, '"');
	if (o->flags & OBS_TRUNCATED)
		buf_adds(b, ",\"truncated\":true");
	if (o->flags & OBS_MALFORMED)
		buf_adds(b, ",\"malformed\":true");
	buf_adds(b, "}\n");
	fwrite(b->p, 1, b->len, stdout);
	fflush(stdout);
}

static uint64_t obs_hash(const struct obs *o)
{
	uint64_t h = 1469598103934665603ULL;

	h = hash_bytes(h, &o->kind, sizeof(o->kind));
	h = hash_str(h, o->mac, sizeof(o->mac));
	h = hash_str(h, o->addr, sizeof(o->addr));
	h = hash_str(h, o->scope, sizeof(o->scope));
	h = hash_bytes(h, &o->port, sizeof(o->port));
	h = hash_bytes(h, &o->proto, sizeof(o->proto));
	h = hash_str(h, o->probe, sizeof(o->probe));
	h = hash_bytes(h, o->value, o->len);
	return finish(h);
}

static uint64_t dev_hash(char tag, const char *scope, const char *s, size_t max)
{
	uint64_t h = hash_bytes(1469598103934665603ULL, &tag, 1);

	h = hash_str(h, scope, 32);
	return finish(hash_str(h, s, max));
}

static int put_obs(void *vc, const struct obs *o)
{
	struct sink *k = vc;
	double t;

	if (hset_add(&k->dedup, obs_hash(o))) {
		k->dups++;
		return 0;
	}
	if (o->mac[0])
		hset_add(&k->devs, dev_hash('m', "", o->mac, sizeof(o->mac)));
	if (o->addr[0])
		hset_add(&k->devs, dev_hash('a', o->scope, o->addr, sizeof(o->addr)));
	if (k->jsonl)
		json_line(k, o);
	t = mono();
	if (store_obs_add(k->st, k->run, o, NULL))
		k->failed++;
	else if (++k->n % BATCH == 0 && (store_commit(k->st) || store_begin(k->st)))
		k->failed++;
	k->t_store += mono() - t;
	return 0;
}

static uint64_t link_hash(const struct sn_link *l)
{
	uint64_t h = 1469598103934665603ULL;

	h = hash_str(h, l->a_key, sizeof(l->a_key));
	h = hash_str(h, l->a_port, sizeof(l->a_port));
	h = hash_str(h, l->b_key, sizeof(l->b_key));
	h = hash_str(h, l->b_port, sizeof(l->b_port));
	return finish(h) | 1;
}

static void link_rec_from(struct link_rec *r, const struct sn_link *l, int64_t run, int64_t t)
{
	memset(r, 0, sizeof(*r));
	r->run_id = run;
	str_set(r->a_key, sizeof(r->a_key), l->a_key);
	str_set(r->a_port, sizeof(r->a_port), l->a_port);
	str_set(r->b_key, sizeof(r->b_key), l->b_key);
	str_set(r->b_port, sizeof(r->b_port), l->b_port);
	str_set(r->source, sizeof(r->source), l->source);
	r->first_seen = r->last_seen = t;
}

/* Links gather in a small table (first/last seen widened in memory); full: straight to the store. */
static int put_link(void *vc, const struct sn_link *l)
{
	struct sink *k = vc;
	int64_t t = cap_now(k->cap);
	uint64_t h = link_hash(l);
	struct link_rec r;
	size_t i;

	if (!l->a_key[0] || !l->b_key[0])
		return 0;
	if (!k->links && !(k->links = mem_calloc(LINK_SLOTS, sizeof(*k->links))))
		return 0;
	for (i = h & (LINK_SLOTS - 1); k->links[i].h; i = (i + 1) & (LINK_SLOTS - 1)) {
		if (k->links[i].h != h)
			continue;
		if (t < k->links[i].l.first_seen)
			k->links[i].l.first_seen = t;
		if (t > k->links[i].l.last_seen)
			k->links[i].l.last_seen = t;
		return 0;
	}
	if (k->nlinkslots < LINK_SLOTS / 2) {
		k->links[i].h = h;
		link_rec_from(&k->links[i].l, l, k->run, t);
		k->nlinkslots++;
		k->nlinks++;
		return 0;
	}
	link_rec_from(&r, l, k->run, t);
	if (store_link_put(k->st, &r))
		k->link_failed++;
	else
		k->nlinks++;
	return 0;
}

static void flush_links(struct sink *k)
{
	if (!k->links)
		return;
	for (size_t i = 0; i < LINK_SLOTS; i++)
		if (k->links[i].h && store_link_put(k->st, &k->links[i].l))
			k->link_failed++;
}

static void tick(void *vc, const char *what, long long done, long long total, uint64_t packets)
{
	struct sink *k = vc;

	if (what != k->pr_what) {
		progress_end(&k->pr);
		progress_init(&k->pr, what, total);
		k->pr_what = what;
	}
	progress_update(&k->pr, done, (long)packets, "packets");
}

/* The command line for the run record. */
static void run_args(int argc, char **argv, struct buf *b)
{
	for (int i = 1; i < argc; i++)
		buf_printf(b, "%s%s", b->len ? " " : "", argv[i]);
}

struct fam_count {
	const struct hset *devs;
	char fam[64][32];
	long n[64];
	int nf;
	long assets, attributed;
};

static int count_asset(void *vc, const struct asset_rec *a)
{
	struct fam_count *f = vc;
	int i;

	if (!(a->mac[0] && hset_has(f->devs, dev_hash('m', "", a->mac, sizeof(a->mac)))) &&
	    !(a->addr[0] && hset_has(f->devs, dev_hash('a', a->scope, a->addr, sizeof(a->addr)))))
		return 0;
	f->assets++;
	if (!a->family[0] && !a->vendor[0])
		return 0;
	f->attributed++;
	for (i = 0; i < f->nf && strcmp(f->fam[i], a->family[0] ? a->family : a->vendor); i++)
		;
	if (i == f->nf && f->nf < 64)
		str_set(f->fam[f->nf++], sizeof(f->fam[0]), a->family[0] ? a->family : a->vendor);
	if (i < 64)
		f->n[i]++;
	return 0;
}

static void summary(struct sink *k, int fmt, double el, int ncap)
{
	static const struct rep_col cols[] = {{"family", REP_STR, 32}, {"assets", REP_NUM, 10}};
	const struct cap_stats *cs = cap_stats(k->cap);
	struct fam_count f = {.devs = &k->devs};
	struct rep_table *tb;
	char num[32];
	const char *cells[2];
	uint64_t bad = 0;

	store_asset_iter(k->st, NULL, count_asset, &f);
	if (!(tb = rep_table_new((enum rep_format)fmt, stdout, cols, 2)))
		return;
	for (int i = 0; i < f.nf; i++) {
		snprintf(num, sizeof(num), "%ld", f.n[i]);
		cells[0] = f.fam[i];
		cells[1] = num;
		rep_row(tb, cells);
	}
	rep_table_end(tb);
	for (int d = 0; d < SN_DEC_COUNT; d++)
		bad += cs->bad[d];
	if (fmt == REP_TABLE)
		printf("sniffed %llu packets (%.1f MB) from %d capture%s in %.1f s (%.1f MB/s): %ld observations "
		       "(%ld repeats dropped), %ld links, %llu malformed; %ld assets, %ld attributed\n",
		       (unsigned long long)cs->packets, cs->bytes / 1e6, ncap, ncap == 1 ? "" : "s", el,
		       el > 0 ? cs->bytes / 1e6 / el : 0.0, k->n, k->dups, k->nlinks, (unsigned long long)bad,
		       f.assets, f.attributed);
}

static void stats(struct sink *k, int fmt)
{
	static const struct rep_col cols[] = {
		{"counter", REP_STR, 16}, {"count", REP_NUM, 14}, {"malformed", REP_NUM, 10}};
	const struct cap_stats *cs = cap_stats(k->cap);
	const struct flow_stats *fs = cap_flow_stats(k->cap);
	struct rep_table *tb;
	char a[32], b[32];
	const char *cells[3] = {NULL, a, b};
	struct {
		const char *name;
		unsigned long long v;
	} extra[] = {
		{"packets", cs->packets},     {"bytes", cs->bytes},	       {"fragments", cs->fragments},
		{"flows", fs->created},	      {"flows_peak", fs->peak},	       {"evictions", fs->evicted},
		{"dedup_hits", (unsigned long long)k->dups}, {"observations", (unsigned long long)k->n},
		{"links", (unsigned long long)k->nlinks},    {"macs", cs->macs},
	};

	if (!(tb = rep_table_new((enum rep_format)fmt, stdout, cols, 3)))
		return;
	for (int d = 0; d < SN_DEC_COUNT; d++) {
		cells[0] = sn_dec_name((enum sn_dec)d);
		snprintf(a, sizeof(a), "%llu", (unsigned long long)cs->pkts[d]);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)cs->bad[d]);
		rep_row(tb, cells);
	}
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		cells[0] = extra[i].name;
		snprintf(a, sizeof(a), "%llu", extra[i].v);
		b[0] = 0;
		rep_row(tb, cells);
	}
	rep_table_end(tb);
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run_sniff(struct cfg *cfg, char **files, int nfiles, void *live, struct kb *kb, int fmt,
		     struct buf *args)
{
	struct sink k = {.jsonl = fmt == REP_JSONL, .dedup = {.cap = DEDUP_SLOTS},
			 .devs = {.cap = DEV_SLOTS, .no_clear = 1}};
	struct cap_cfg cc = {.max_flows = (size_t)cfg->max_flows, .flow_bytes = (size_t)cfg->flow_bytes,
			     .idle = cfg->idle, .scope = cfg->scope, .on_obs = put_obs, .on_link = put_link,
			     .arg = &k, .tick = tick};
	struct build_stats bs;
	struct sigaction sa = {0};
	char eb[TM_ERRLEN];
	int rc = 2, broken = 0, ncap = live ? 1 : nfiles;
	double t0 = mono(), t1;

	for (int i = 0; i < cfg->nudp_as; i++) {
		cc.udp_as[i].port = cfg->udp_as[i].port;
		cc.udp_as[i].dec = cfg->udp_as[i].dec;
	}
	cc.nudp_as = cfg->nudp_as;
	buf_init(&k.line, 0);
	if (!(k.st = cli_store("sniff", &cfg->c)))
		goto out;
	if (!(k.cap = cap_new(&cc))) {
		fprintf(stderr, "trustmap sniff: out of memory\n");
		goto out;
	}
	if (store_begin(k.st) || store_run_start(k.st, "sniff", buf_str(args), &k.run) || store_commit(k.st) ||
	    store_begin(k.st)) {
		fprintf(stderr, "trustmap sniff: %s\n", store_errmsg(k.st));
		goto out;
	}
	/* no SA_RESTART: a read from a pipe that waits for more capture returns at once */
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (live) {
		live_handle = live;
		broken = cap_live_run(k.cap, live, cfg->iface, &stop_flag) != 0;
		live_handle = NULL;
		cap_live_close(live);
		live = NULL;
	}
	for (int i = 0; i < nfiles && !stop_flag; i++)
		if (cap_file(k.cap, files[i], &stop_flag))
			broken = 1;
	cap_end(k.cap);
	progress_end(&k.pr);
	if (k.cap && cap_stats(k.cap)->hidden)
		fprintf(stderr, "trustmap sniff: %llu more malformed packets not shown (see --stats)\n",
			(unsigned long long)cap_stats(k.cap)->hidden);
	t1 = mono();
	flush_links(&k);
	if (store_run_finish(k.st, k.run, k.n, k.failed,
			     stop_flag ? "interrupted" : broken ? "error: a capture broke off" : "ok") ||
	    store_commit(k.st)) {
		fprintf(stderr, "trustmap sniff: %s\n", store_errmsg(k.st));
		goto out;
	}
	k.t_store += mono() - t1;
	t1 = mono();
	if (attr_build(kb, k.st, &bs, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap sniff: %s\n", eb);
		goto out;
	}
	t1 = mono() - t1;
	if (fmt != REP_JSONL)
		summary(&k, fmt, mono() - t0, ncap);
	if (cfg->stats)
		stats(&k, fmt);
	if (getenv("TRUSTMAP_SNIFF_TIMES")) { /* for bench/sniff: times vary, so not among --stats' counters */
		fprintf(stderr, "trustmap sniff: store %.3f s (observations, links, commits), assets rebuilt in %.3f s, "
			"whole run %.3f s\n", k.t_store, t1, mono() - t0);
	}
	if (fmt == REP_TABLE)
		printf("run %lld\n", (long long)k.run);
	rc = k.failed || k.link_failed ? 2 : broken ? 1 : 0;
out:
	if (live)
		cap_live_close(live);
	cap_free(k.cap);
	store_close(k.st);
	mem_free(k.dedup.k);
	mem_free(k.devs.k);
	mem_free(k.links);
	buf_fini(&k.line);
	return rc;
}

int cmd_sniff(int argc, char **argv)
{
	struct cfg cfg = {.max_flows = FLOW_DEF_MAX, .flow_bytes = FLOW_DEF_BYTES, .idle = FLOW_DEF_IDLE};
	struct buf args;
	char eb[TM_ERRLEN];
	struct kb *kb = NULL;
	void *live = NULL;
	int npos, rc, fmt;

	buf_init(&args, 0);
	run_args(argc, argv, &args);
	rc = opt_parse(opts, &cfg, argc, argv, &npos, "[options] FILE... | -i IFACE [-f BPF]");
	if (rc) {
		rc = rc > 0 ? 0 : 2;
		goto out;
	}
	rc = 2;
	if ((fmt = cli_format("sniff", &cfg.c)) < 0)
		goto out;
	if (!npos && !cfg.iface) {
		fprintf(stderr, "trustmap sniff: give capture files (- for standard input) or -i IFACE\n");
		goto out;
	}
	if (npos && cfg.iface) {
		fprintf(stderr, "trustmap sniff: capture files or -i IFACE, not both\n");
		goto out;
	}
	for (int i = 1, dash = 0; i <= npos; i++)
		if (!strcmp(argv[i], "-") && dash++) {
			fprintf(stderr, "trustmap sniff: standard input (-) can be read once\n");
			goto out;
		}
	if (cfg.filter && !cfg.iface) {
		fprintf(stderr, "trustmap sniff: -f applies to -i only\n");
		goto out;
	}
	if (cfg.max_flows < 1 || cfg.max_flows > (1L << 24) || cfg.flow_bytes < 1 || cfg.flow_bytes > (1L << 24) ||
	    cfg.idle < 1) {
		fprintf(stderr, "trustmap sniff: --max-flows and --flow-bytes must be 1 to 16777216, --idle positive\n");
		goto out;
	}
	if (!cfg.iface && (getuid() != geteuid() || getgid() != getegid())) {
		fprintf(stderr, "trustmap sniff: refusing to read files setuid or setgid\n");
		goto out;
	}
	/*
	 * Live: the handle is opened and the knowledge base loaded (with its
	 * cache) while privileged, then privileges go before anything is stored.
	 */
	if (cfg.iface && !(live = cap_live_open(cfg.iface, cfg.filter, eb, sizeof(eb)))) {
		fprintf(stderr, "trustmap sniff: %s\n", eb);
		goto out;
	}
	if (!(kb = cli_kb("sniff", &cfg.c)))
		goto out;
	if (cfg.iface) {
		if (cap_drop_privileges(eb, sizeof(eb))) {
			fprintf(stderr, "trustmap sniff: %s\n", eb);
			goto out;
		}
	}
	rc = run_sniff(&cfg, argv + 1, npos, live, kb, fmt, &args);
	live = NULL;
out:
	if (live)
		cap_live_close(live);
	kb_free(kb);
	buf_fini(&args);
	return rc;
}
