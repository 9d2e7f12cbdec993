/*
 * scan.c - `trustmap scan`: probe the given targets and ports (in a seeded
 * pseudo-random order, one shard of it), store every observation in a run,
 * rebuild the attributed assets and print a summary per vendor family.
 * --dry-run prints the (address, port, probe) pairs in order instead of
 * sending anything; --format jsonl streams the observations and nothing else.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../attr/attr.h"
#include "../attr/build.h"
#include "../attr/cand.h"
#include "../core/buf.h"
#include "../core/err.h"
#include "../core/esc.h"
#include "../core/file.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../kb/kb.h"
#include "../kb/vendor.h"
#include "../report/table.h"
#include "../scan/cyclic.h"
#include "../scan/neigh.h"
#include "../scan/scan.h"
#include "../store/store.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 1000 /* observations per transaction */

struct cfg {
	struct common c;
	struct scan_targets t;
	const char *ports, *shard, *seed;
	long max_inflight, threads, connect_timeout, read_timeout, retries;
	double rate;
	int dry_run, bad;
	char *comm[64]; /* SNMP communities: secrets, never printed or stored */
	int ncomm;
	char eb[TM_ERRLEN];
};

static int add_target(void *vc, const char *val, int tag)
{
	struct cfg *c = vc;
	int rc = tag & 2 ? scan_targets_add_file(&c->t, val, tag & 1, c->eb, sizeof(c->eb))
			 : scan_targets_add(&c->t, val, tag & 1, c->eb, sizeof(c->eb));

	if (rc)
		fprintf(stderr, "trustmap scan: %s\n", c->eb);
	return rc;
}

static int add_community(struct cfg *c, const char *s, size_t n)
{
	if (!n)
		return 0;
	if (c->ncomm >= 64 || n > 63) {
		fprintf(stderr, "trustmap scan: at most 64 SNMP communities of at most 63 bytes\n");
		return -1;
	}
	return (c->comm[c->ncomm++] = mem_strndup(s, n)) ? 0 : -1;
}

/* --snmp-community LIST (tag 0) or --snmp-community-file FILE (tag 1). */
static int set_community(void *vc, const char *val, int tag)
{
	struct cfg *c = vc;
	const char *line, *e;
	struct lr l;
	size_t n;
	int rc;

	if (!tag) {
		for (; (e = strchr(val, ',')); val = e + 1)
			if (add_community(c, val, (size_t)(e - val)))
				return -1;
		return add_community(c, val, strlen(val));
	}
	if (lr_open(&l, val, 256, c->eb, sizeof(c->eb))) {
		fprintf(stderr, "trustmap scan: %s\n", c->eb);
		return -1;
	}
	while ((rc = lr_next(&l, &line, &n)) == 1) {
		str_trim(&line, &n);
		if (n && line[0] != '#' && add_community(c, line, n))
			break;
	}
	lr_close(&l);
	return rc ? -1 : 0;
}

static const struct opt opts[] = {
	{"ports", 'p', "SPEC", "PORT[/udp][:PROBE],... or @network (default @network)", OPT_STR,
	 offsetof(struct cfg, ports)},
	{"iL", 0, "FILE", "targets from a file, one a line, # comments (also -iL)", OPT_FN, 0, add_target, 2},
	{"exclude", 0, "TARGET", "never probe this address, CIDR or range (repeatable)", OPT_FN, 0, add_target, 1},
	{"exclude-file", 0, "FILE", "exclusions from a file", OPT_FN, 0, add_target, 3},
	{"rate", 0, "N", "new connections per second (default 1000)", OPT_DOUBLE, offsetof(struct cfg, rate)},
	{"max-inflight", 0, "N", "connections open at once (default 1024)", OPT_INT,
	 offsetof(struct cfg, max_inflight)},
	{"threads", 0, "N", "event loops, one a thread (default 1)", OPT_INT, offsetof(struct cfg, threads)},
	{"connect-timeout", 0, "MS", "connect deadline in milliseconds (default 2000)", OPT_INT,
	 offsetof(struct cfg, connect_timeout)},
	{"read-timeout", 0, "MS", "deadline for a probe's answer in milliseconds (default 3000)", OPT_INT,
	 offsetof(struct cfg, read_timeout)},
	{"retries", 0, "N", "extra datagrams for UDP probes (default 1)", OPT_INT, offsetof(struct cfg, retries)},
	{"shard", 0, "I/N", "scan only shard I (1-based) of N of the same seed's order", OPT_STR,
	 offsetof(struct cfg, shard)},
	{"seed", 0, "N", "seed of the visiting order (default: random, printed)", OPT_STR, offsetof(struct cfg, seed)},
	{"snmp-community", 0, "LIST", "SNMP communities, comma-separated (never stored)", OPT_FN, 0, set_community, 0},
	{"snmp-community-file", 0, "FILE", "SNMP communities, one a line (never stored)", OPT_FN, 0, set_community, 1},
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"format", 0, "FMT", "table (default), jsonl (stream observations) or csv", OPT_STR,
	 offsetof(struct cfg, c.format)},
	{"dry-run", 'n', NULL, "print the (address, port, probe) pairs in order; send nothing", OPT_FLAG,
	 offsetof(struct cfg, dry_run)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"no-nmap", 0, NULL, "do not load nmap-service-probes", OPT_FLAG, offsetof(struct cfg, c.no_nmap)},
	{NULL},
};

static volatile int stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

#define LIVE_SLOTS (1 << 17) /* addresses the live count tracks (half full at most) */
#define LIVE_FAMS 64

/* The terminal's live view: devices per vendor family, from each observation alone. */
struct live {
	int on; /* standard error is a terminal */
	const struct kb *kb;
	struct attr_scratch *scratch;
	uint64_t *keys; /* hashes of addresses seen with a vendor; 0 empty */
	long nkeys;
	int fam[LIVE_FAMS];
	long count[LIVE_FAMS];
	int nfam;
	double start, last;
};

struct sink {
	struct store *st;
	int64_t run;
	long n, failed;
	int jsonl;
	struct buf line;
	struct live lv;
};

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t addr_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ULL;
	return h ? h : 1;
}

/* Counts o's device under its family when o alone names a maker (first decisive observation wins). */
static void live_obs(struct live *lv, const struct obs *o)
{
	struct cand c[16];
	int n, best = -1, fam, i;
	uint64_t h, slot;

	if (!lv->scratch || !o->addr[0] || lv->nkeys >= LIVE_SLOTS / 2)
		return;
	n = attr_candidates(lv->kb, lv->scratch, o, 0, c, 16);
	for (i = 0; i < n; i++)
		if (c[i].vendor >= 0 && !c[i].component && c[i].strength >= EV_FAIR &&
		    (best < 0 || c[i].strength > c[best].strength))
			best = i;
	if (best < 0 || (fam = vreg_family(lv->kb->vr, c[best].vendor, -1)) < 0)
		return;
	h = addr_hash(o->addr);
	for (slot = h & (LIVE_SLOTS - 1); lv->keys[slot]; slot = (slot + 1) & (LIVE_SLOTS - 1))
		if (lv->keys[slot] == h)
			return;
	lv->keys[slot] = h;
	lv->nkeys++;
	for (i = 0; i < lv->nfam && lv->fam[i] != fam; i++)
		;
	if (i == lv->nfam && lv->nfam < LIVE_FAMS)
		lv->fam[lv->nfam++] = fam;
	if (i < LIVE_FAMS)
		lv->count[i]++;
}

/* Redraws the line: done/total, rate, ETA, observations, the four biggest families. */
static void live_draw(struct live *lv, uint64_t done, uint64_t total, long nobs, int force)
{
	double t = mono(), el = t - lv->start, rate, eta;
	int shown[4] = {-1, -1, -1, -1};

	if (!lv->on || (!force && t - lv->last < 0.25))
		return;
	lv->last = t;
	rate = el > 0 ? done / el : 0;
	eta = rate > 0 ? (total - done) / rate : 0;
	fprintf(stderr, "\r\033[Kscan: %llu/%llu (%.0f%%), %.0f/s, ETA %d:%02d, %ld obs", (unsigned long long)done,
		(unsigned long long)total, total ? 100.0 * done / total : 100.0, rate, (int)eta / 60, (int)eta % 60,
		nobs);
	for (int k = 0; k < 4; k++) {
		for (int i = 0; i < lv->nfam; i++) {
			int taken = 0;
			for (int j = 0; j < k; j++)
				taken |= shown[j] == i;
			if (!taken && (shown[k] < 0 || lv->count[i] > lv->count[shown[k]]))
				shown[k] = i;
		}
		if (shown[k] >= 0)
			fprintf(stderr, "%s%s %ld", k ? ", " : " | ", vreg_get(lv->kb->vr, lv->fam[shown[k]])->id,
				lv->count[shown[k]]);
	}
	fflush(stderr);
}

static void json_line(struct sink *k, const struct obs *o)
{
	struct buf *b = &k->line;

	buf_reset(b);
	buf_printf(b, "{\"time\":%lld,\"source\":\"scan\",\"addr\":", (long long)o->time);
	esc_json_str(b, o->addr);
	buf_printf(b, ",\"port\":%u,\"proto\":\"%s\",\"kind\":\"%s\"", (unsigned)o->port,
		   o->proto == 17 ? "udp" : "tcp", obs_kind_name(o->kind));
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

static int put_obs(void *vc, const struct obs *o)
{
	struct sink *k = vc;

	if (k->jsonl)
		json_line(k, o);
	if (k->lv.on)
		live_obs(&k->lv, o);
	if (store_obs_add(k->st, k->run, o, NULL)) {
		k->failed++;
		return 0;
	}
	if (++k->n % BATCH == 0 && (store_commit(k->st) || store_begin(k->st)))
		k->failed++;
	return 0;
}

static void tick(void *vc, uint64_t done, uint64_t total)
{
	struct sink *k = vc;

	live_draw(&k->lv, done, total, k->n, done >= total);
}

/* "I/N" (1-based) into 0-based shard and count. */
static int parse_shard(const char *s, uint64_t *i, uint64_t *n)
{
	const char *sl = strchr(s, '/');

	if (!sl || !str_to_u64(s, (size_t)(sl - s), i) || !str_to_u64(sl + 1, strlen(sl + 1), n) || *n < 1 ||
	    *i < 1 || *i > *n)
		return -1;
	(*i)--;
	return 0;
}

static int dry_run(const struct cfg *cfg, const struct scan_ports *p, uint64_t seed, uint64_t shard,
		   uint64_t nshards)
{
	struct scan_cyc cyc;
	const struct scan_port *sp;
	uint64_t idx;
	scan_u128 a;
	char as[46];

	if (scan_cyc_init(&cyc, cfg->t.nhosts * p->n, seed, nshards, shard))
		return 2;
	while (scan_cyc_next(&cyc, &idx)) {
		scan_pair(&cfg->t, p, idx, &a, &sp);
		scan_addr_str(a, as);
		printf("%s %u/%s %s\n", as, (unsigned)sp->port, sp->proto == 17 ? "udp" : "tcp",
		       scan_probe_name(sp->probe));
	}
	return 0;
}

/* The command line for the run record, without SNMP communities. */
static void run_args(int argc, char **argv, struct buf *b)
{
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--snmp-community", 16)) {
			if (!strchr(argv[i], '='))
				i++;
			continue;
		}
		buf_printf(b, "%s%s", b->len ? " " : "", argv[i]);
	}
}

struct fam_count {
	const struct scan_targets *t;
	char fam[64][32];
	long n[64];
	int nf;
	long assets, attributed;
};

static int count_asset(void *vc, const struct asset_rec *a)
{
	struct fam_count *f = vc;
	scan_u128 x;
	int i;

	if (!a->addr[0] || scan_addr_parse(a->addr, &x) || !scan_targets_has(f->t, x))
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

static void summary(struct store *st, const struct cfg *cfg, const struct scan_stats *ss, int fmt)
{
	static const struct rep_col cols[] = {{"family", REP_STR, 32}, {"assets", REP_NUM, 10}};
	struct fam_count f = {.t = &cfg->t};
	struct rep_table *tb;
	char num[32];
	const char *cells[2];

	store_asset_iter(st, NULL, count_asset, &f);
	if (!(tb = rep_table_new((enum rep_format)fmt, stdout, cols, 2)))
		return;
	for (int i = 0; i < f.nf; i++) {
		snprintf(num, sizeof(num), "%ld", f.n[i]);
		cells[0] = f.fam[i];
		cells[1] = num;
		rep_row(tb, cells);
	}
	rep_table_end(tb);
	if (fmt == REP_TABLE)
		printf("scanned %llu pairs in %.1f s (%.0f/s): %llu answered, %llu observations, %llu timeouts, "
		       "%llu truncated, %llu refused, %llu failed; %ld assets, %ld attributed\n",
		       (unsigned long long)ss->done, ss->elapsed, ss->elapsed > 0 ? ss->done / ss->elapsed : 0.0,
		       (unsigned long long)ss->open, (unsigned long long)ss->obs, (unsigned long long)ss->timeouts,
		       (unsigned long long)ss->truncated, (unsigned long long)ss->refused,
		       (unsigned long long)ss->errors, f.assets, f.attributed);
}

static int run_scan(struct cfg *cfg, const struct scan_ports *p, uint64_t seed, uint64_t shard,
		    uint64_t nshards, int fmt, struct buf *args)
{
	struct sink k = {.jsonl = fmt == REP_JSONL};
	struct scan_cfg sc = {
		.targets = &cfg->t, .ports = p, .seed = seed, .shard = shard, .nshards = nshards,
		.rate = cfg->rate, .threads = (int)cfg->threads, .max_inflight = (int)cfg->max_inflight,
		.connect_timeout_ms = (int)cfg->connect_timeout, .read_timeout_ms = (int)cfg->read_timeout,
		.retries = (int)cfg->retries, .communities = (const char *const *)cfg->comm,
		.ncommunities = cfg->ncomm, .xp = &xp_real, .emit = put_obs, .emit_ctx = &k,
		.tick = tick, .tick_ctx = &k, .stop = &stop_flag,
	};
	struct scan_stats ss;
	struct build_stats bs;
	struct kb *kb = NULL;
	int rc = 2, src;
	long nmac = 0;

	buf_init(&k.line, 0);
	if (!(k.st = cli_store("scan", &cfg->c)) || !(kb = cli_kb("scan", &cfg->c)))
		goto out;
	k.lv.on = isatty(STDERR_FILENO);
	if (k.lv.on) {
		k.lv.kb = kb;
		k.lv.scratch = attr_scratch_new(kb);
		k.lv.keys = mem_calloc(LIVE_SLOTS, sizeof(uint64_t));
		if (!k.lv.scratch || !k.lv.keys)
			k.lv.on = 0;
		k.lv.start = mono();
	}
	if (store_begin(k.st) || store_run_start(k.st, "scan", buf_str(args), &k.run) || store_commit(k.st) ||
	    store_begin(k.st)) {
		fprintf(stderr, "trustmap scan: %s\n", store_errmsg(k.st));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	src = scan_run(&sc, &ss, cfg->eb, sizeof(cfg->eb));
	if (k.lv.on)
		fputs("\r\033[K", stderr);
	if (src)
		fprintf(stderr, "trustmap scan: %s\n", cfg->eb);
	else if (scan_neigh_emit(&cfg->t, put_obs, &k, &nmac, cfg->eb, sizeof(cfg->eb)))
		fprintf(stderr, "trustmap scan: %s (MAC addresses not recorded)\n", cfg->eb);
	if (store_run_finish(k.st, k.run, k.n, k.failed,
			     src ? "error" : stop_flag ? "interrupted" : "ok") || store_commit(k.st)) {
		fprintf(stderr, "trustmap scan: %s\n", store_errmsg(k.st));
		goto out;
	}
	if (attr_build(kb, k.st, &bs, cfg->eb, sizeof(cfg->eb))) {
		fprintf(stderr, "trustmap scan: %s\n", cfg->eb);
		goto out;
	}
	if (fmt != REP_JSONL)
		summary(k.st, cfg, &ss, fmt);
	if (fmt == REP_TABLE)
		printf("seed %llu, run %lld\n", (unsigned long long)seed, (long long)k.run);
	rc = src || k.failed ? 2 : 0;
out:
	attr_scratch_free(k.lv.scratch);
	mem_free(k.lv.keys);
	kb_free(kb);
	store_close(k.st);
	buf_fini(&k.line);
	return rc;
}

int cmd_scan(int argc, char **argv)
{
	struct cfg cfg = {.rate = 1000, .max_inflight = 1024, .threads = 1, .connect_timeout = 2000,
			  .read_timeout = 3000, .retries = 1};
	struct scan_ports p = {0};
	struct buf args;
	uint64_t seed, shard = 0, nshards = 1;
	int npos, rc, fmt;

	if (getuid() != geteuid() || getgid() != getegid()) {
		fprintf(stderr, "trustmap scan: refusing to run setuid or setgid\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-iL"))
			argv[i] = "--iL";
	buf_init(&args, 0);
	run_args(argc, argv, &args);
	scan_targets_init(&cfg.t);
	rc = opt_parse(opts, &cfg, argc, argv, &npos, "[-p SPEC] [options] TARGET...");
	if (rc) {
		rc = rc > 0 ? 0 : 2;
		goto out;
	}
	rc = 2;
	for (int i = 1; i <= npos; i++)
		if (add_target(&cfg, argv[i], 0))
			goto out;
	if ((fmt = cli_format("scan", &cfg.c)) < 0)
		goto out;
	if (scan_ports_parse(&p, cfg.ports ? cfg.ports : "@network", cfg.eb, sizeof(cfg.eb)) ||
	    scan_targets_finish(&cfg.t, cfg.eb, sizeof(cfg.eb))) {
		fprintf(stderr, "trustmap scan: %s\n", cfg.eb);
		goto out;
	}
	if (!cfg.t.inc.n) {
		fprintf(stderr, "trustmap scan: no target given (see --help)\n");
		goto out;
	}
	if (cfg.t.nhosts * p.n > SCAN_SPACE_MAX) {
		fprintf(stderr, "trustmap scan: %llu hosts x %zu ports is more than 2^40 pairs\n",
			(unsigned long long)cfg.t.nhosts, p.n);
		goto out;
	}
	if (cfg.shard && parse_shard(cfg.shard, &shard, &nshards)) {
		fprintf(stderr, "trustmap scan: --shard wants I/N with 1 <= I <= N, not '%s'\n", cfg.shard);
		goto out;
	}
	if (cfg.seed && !str_to_u64(cfg.seed, strlen(cfg.seed), &seed)) {
		fprintf(stderr, "trustmap scan: --seed wants a whole number, not '%s'\n", cfg.seed);
		goto out;
	}
	if (!cfg.seed)
		seed = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	if (cfg.rate <= 0 || cfg.max_inflight < 1 || cfg.connect_timeout < 1 || cfg.read_timeout < 1 ||
	    cfg.retries < 0 || cfg.threads < 1 || cfg.threads > 256) {
		fprintf(stderr, "trustmap scan: --rate, --max-inflight, --threads and timeouts must be positive\n");
		goto out;
	}
	if (cfg.dry_run)
		rc = dry_run(&cfg, &p, seed, shard, nshards);
	else
		rc = run_scan(&cfg, &p, seed, shard, nshards, fmt, &args);
out:
	scan_ports_fini(&p);
	scan_targets_fini(&cfg.t);
	buf_fini(&args);
	for (int i = 0; i < cfg.ncomm; i++)
		mem_free(cfg.comm[i]);
	return rc;
}
