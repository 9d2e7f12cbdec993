/*
 * scan.c - `trustmap scan`: probe the given targets and ports (in a seeded
 * pseudo-random order, one shard of it), store every observation in a run,
 * rebuild the attributed assets and print a summary per vendor family.
 * --dry-run prints the (address, port, probe) pairs in order instead of
 * sending anything; --format jsonl streams the observations and nothing else.
 *
 * The event loops never write to the store: finished pairs' observations
 * gather in a batch, and every --batch observations or second the batch,
 * with the resume state that accounts for exactly it, goes on a write queue
 * (store/wq.h) to one writer thread that owns the store handle from then
 * until the scan's end and commits each batch with its state in one
 * transaction, in order.  While the store waits (a server restarting) the
 * loops go on reading answers; when the queue is full (--queue MiB) they
 * stop opening connections until it drains.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "scan_resume.h"
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
#include "../store/wq.h"

#include <malloc.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 1000 /* observations per transaction (default of --batch) */
#define QUEUE_MB 64 /* MiB of batches waiting for the store (default of --queue) */

struct cfg {
	struct common c;
	struct scan_targets t;
	const char *ports, *shard, *seed, *scan_name, *resume;
	struct scan_resume *rs; /* --resume: the state read back (the run is resume_run) */
	int64_t resume_run;
	char **sargs; /* the scan's own arguments, for its resume state */
	int nsargs;
	long max_inflight, max_udp_inflight, threads, connect_timeout, read_timeout, retries, batch, queue_mb;
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
	{"max-udp-inflight", 0, "N", "UDP probes waiting for an answer at once (default 16 x --max-inflight)", OPT_INT,
	 offsetof(struct cfg, max_udp_inflight)},
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
	{"batch", 0, "N", "observations per transaction (default 1000)", OPT_INT, offsetof(struct cfg, batch)},
	{"queue", 0, "MIB", "observations waiting for the store at most; then no new connection (default 64)", OPT_INT,
	 offsetof(struct cfg, queue_mb)},
	{"scan-name", 0, "NAME", "name the scan its shards share (listed by trustmap scans)", OPT_STR,
	 offsetof(struct cfg, scan_name)},
	{"db", 'd', "URL", "store: SQLite file or postgresql:// URL (default $TRUSTMAP_DB or trustmap.db)", OPT_STR,
	 offsetof(struct cfg, c.db)},
	{"format", 0, "FMT", "table (default), jsonl (stream observations) or csv", OPT_STR,
	 offsetof(struct cfg, c.format)},
	{"resume", 0, "RUN", "continue scan run RUN (killed or interrupted) in the same store; SNMP communities again",
	 OPT_STR, offsetof(struct cfg, resume)},
	{"dry-run", 'n', NULL, "print the (address, port, probe) pairs in order; send nothing", OPT_FLAG,
	 offsetof(struct cfg, dry_run)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"no-nmap", 0, NULL, "do not load nmap-service-probes", OPT_FLAG, offsetof(struct cfg, c.no_nmap)},
	{NULL},
};

static volatile int stop_flag;
static volatile int give_up; /* a second signal: stop waiting for a store server that is away */

static void on_signal(int sig)
{
	(void)sig;
	give_up = stop_flag;
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

/* One transaction's worth: finished pairs' observations and the state that accounts for them. */
struct batch {
	struct wq_item it;
	struct buf obs;	    /* records: struct obs (value NULL), then its value's bytes */
	long nobs;
	int64_t pairs_done; /* runs.pairs_done with this batch */
	char *state;	    /* the resume state with it; NULL when the backend keeps none */
};

struct sink {
	struct store *st; /* the writer thread's while k->wq is open */
	int64_t run;
	/* the loops' side (under the engine's lock when several loops run) */
	long n, failed, batch;
	uint64_t done; /* pairs visited so far (tick), for the live line */
	int jsonl;
	struct scan_progress prog; /* resume: which pairs are finished (docs/scan.md) */
	const struct cfg *cfg;
	uint64_t seed;
	struct buf state;
	struct batch *cur; /* being filled; NULL until the next observation */
	long ncommit;
	double tcommit;
	struct wq *wq;
	struct buf line;
	struct live lv;
	/* the writer's side */
	atomic_int noresume; /* the backend keeps no resume state: progress only */
	atomic_int retry;    /* the store is waiting for its server: attempt N (0 not waiting) */
	atomic_long committed; /* observations committed */
	char werr[TM_ERRLEN];  /* the writer's error (read after wq_close) */
	/* where the time went (TRUSTMAP_SCAN_TIMES): nanoseconds */
	atomic_llong busy_ns;	       /* the writer inside a batch's transaction */
	atomic_llong held_ns, held_at; /* the loops held back by a full queue: in all, since (0: not held) */
	atomic_long nbatch;
};

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
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

/* Redraws the line: done/total, rate, ETA, observations, the four biggest families, the store's state. */
static void live_draw(struct live *lv, uint64_t done, uint64_t total, long nobs, int force, int retry, int held)
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
	if (retry)
		fprintf(stderr, " | store: waiting (retry %d)", retry);
	else if (held)
		fprintf(stderr, " | store: queue full");
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

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	buf_fini(&b->obs);
	mem_free(b->state);
	mem_free(b);
}

static struct batch *batch_new(void)
{
	struct batch *b = mem_calloc(1, sizeof(*b));

	if (b)
		buf_init(&b->obs, 0);
	return b;
}

/* Keeps o (a copy) in the batch being filled; the writer stores it. */
static int put_obs(void *vc, const struct obs *o)
{
	struct sink *k = vc;
	struct obs c = *o;

	if (k->jsonl)
		json_line(k, o);
	if (k->lv.on)
		live_obs(&k->lv, o);
	if (!k->cur && !(k->cur = batch_new())) {
		k->failed++;
		return 0;
	}
	c.value = NULL;
	if (buf_add(&k->cur->obs, &c, sizeof(c)) || (o->len && buf_add(&k->cur->obs, o->value, o->len))) {
		k->failed++;
		return 0;
	}
	k->cur->nobs++;
	k->n++; /* committed with the next batch */
	return 0;
}

/* The run's progress and resume state, into the open transaction (main thread, before the writer starts). */
static int put_state(struct sink *k, int complete)
{
	int rc;

	if (store_run_progress(k->st, k->run, (int64_t)scan_progress_done(&k->prog)))
		return -1;
	if (k->noresume)
		return 0;
	buf_reset(&k->state);
	if (scan_resume_format(&k->state, k->seed, k->cfg->nsargs, k->cfg->sargs, &k->prog, complete,
			       (uint64_t)k->n))
		return -1;
	rc = store_run_resume_put(k->st, k->run, buf_str(&k->state));
	if (rc == TM_EUNSUP) /* a backend without resume: the scan goes on without */
		k->noresume = 1;
	return rc && rc != TM_EUNSUP ? -1 : 0;
}

/*
 * Hands the batch being filled, with the progress and resume state as they
 * stand now, to the writer (never waits).  Called between pairs only, so the
 * state accounts for exactly the observations of this batch and the ones
 * before it.  After a store error the batch is dropped (the scan is
 * stopping: hold() says so).
 */
static void seal(struct sink *k, int complete)
{
	struct batch *b = k->cur ? k->cur : batch_new();

	k->cur = NULL;
	k->ncommit = k->n;
	k->tcommit = mono();
	if (!b) {
		k->failed++;
		return;
	}
	b->pairs_done = (int64_t)scan_progress_done(&k->prog);
	if (!atomic_load(&k->noresume)) {
		buf_reset(&k->state);
		if (scan_resume_format(&k->state, k->seed, k->cfg->nsargs, k->cfg->sargs, &k->prog, complete,
			       (uint64_t)k->n) ||
		    !(b->state = mem_strdup(buf_str(&k->state)))) {
			batch_free(b);
			k->failed++;
			return;
		}
	}
	b->it.size = sizeof(*b) + b->obs.len + (b->state ? k->state.len : 0);
	wq_push(k->wq, &b->it);
}

/*
 * A pair ended (scan.h): every finished pair has handed over all its
 * observations and no other pair any, so a batch sealed now with the
 * progress accounts for exactly what it holds.  Every --batch observations,
 * or every second.
 */
static void pair_done(void *vc)
{
	struct sink *k = vc;

	if (k->n - k->ncommit < k->batch && mono() - k->tcommit < 1.0)
		return;
	seal(k, 0);
}

/* Back-pressure (scan.h): stop opening after a store error, hold back while the queue is full. */
static int hold(void *vc)
{
	struct sink *k = vc;
	long long t, since;
	int full;

	if (wq_error(k->wq))
		return -1;
	full = wq_full(k->wq);
	t = mono_ns(); /* the wall time the queue was full, whichever loop saw it first and last */
	if (full) {
		since = 0;
		atomic_compare_exchange_strong(&k->held_at, &since, t);
	} else if ((since = atomic_exchange(&k->held_at, 0))) {
		atomic_fetch_add(&k->held_ns, t - since);
	}
	return full;
}

static void tick(void *vc, uint64_t done, uint64_t total)
{
	struct sink *k = vc;

	k->done = done;
	if (k->lv.on)
		live_draw(&k->lv, done, total, k->n, done >= total, atomic_load(&k->retry),
			  k->wq && wq_full(k->wq));
}

/* ---- the writer thread ---- */

/* One batch in one transaction: its observations, the progress, the resume state. */
static int write_batch_tx(struct sink *k, struct batch *b)
{
	size_t off = 0;
	struct obs o;
	int rc;

	if ((rc = store_begin(k->st)))
		goto out_msg;
	while (off + sizeof(o) <= b->obs.len) {
		memcpy(&o, b->obs.p + off, sizeof(o));
		off += sizeof(o);
		o.value = (const uint8_t *)b->obs.p + off;
		off += o.len;
		if ((rc = store_obs_add(k->st, k->run, &o, NULL)))
			goto out_rollback;
	}
	if ((rc = store_run_progress(k->st, k->run, b->pairs_done)))
		goto out_rollback;
	if (b->state && (rc = store_run_resume_put(k->st, k->run, b->state))) {
		if (rc != TM_EUNSUP)
			goto out_rollback;
		atomic_store(&k->noresume, 1); /* a backend without resume: the scan goes on without */
	}
	if ((rc = store_commit(k->st)))
		goto out_rollback;
	atomic_fetch_add(&k->committed, b->nobs);
	return 0;
out_rollback:
	snprintf(k->werr, sizeof(k->werr), "%s", store_errmsg(k->st));
	store_rollback(k->st); /* quiet when the commit already ended it */
	return rc;
out_msg:
	snprintf(k->werr, sizeof(k->werr), "%s", store_errmsg(k->st));
	return rc;
}

/* The write queue's callback: one batch, timed. */
static int write_batch(void *vc, struct wq_item *it)
{
	struct sink *k = vc;
	struct batch *b = (struct batch *)it;
	long long t0 = mono_ns();
	int rc;

	atomic_fetch_add(&k->nbatch, 1);
	rc = write_batch_tx(k, b);
	atomic_fetch_add(&k->busy_ns, mono_ns() - t0);
	return rc;
}

static void release_batch(void *vc, struct wq_item *it)
{
	(void)vc;
	batch_free((struct batch *)it);
}

/* The store waits for its server (writer thread): the live line says so. */
static void on_wait(void *vc, int attempt)
{
	struct sink *k = vc;

	atomic_store(&k->retry, attempt);
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

/* "scanned N pairs in ...: ... failed" (no newline). */
static void scanned_line(const struct scan_stats *ss)
{
	printf("scanned %llu pairs in %.1f s (%.0f/s): %llu answered, %llu observations, %llu timeouts, "
	       "%llu truncated, %llu refused, %llu failed",
	       (unsigned long long)ss->done, ss->elapsed, ss->elapsed > 0 ? ss->done / ss->elapsed : 0.0,
	       (unsigned long long)ss->open, (unsigned long long)ss->obs, (unsigned long long)ss->timeouts,
	       (unsigned long long)ss->truncated, (unsigned long long)ss->refused, (unsigned long long)ss->errors);
}

/*
 * With TRUSTMAP_SCAN_TIMES set, one line on standard error saying where the
 * store's time went (bench/scale reads it): the writer thread inside batch
 * transactions, the loops held back by a full queue (the store was the
 * limit then), the final rebuild of the assets (-1: left to another shard).
 */
static void times_line(struct sink *k, double rebuild)
{
	const char *e = getenv("TRUSTMAP_SCAN_TIMES");
	long long held = atomic_load(&k->held_ns), at = atomic_load(&k->held_at);
	long n = atomic_load(&k->nbatch);

	if (!e || !*e || !strcmp(e, "0"))
		return;
	if (at)
		held += mono_ns() - at;
	fprintf(stderr, "scan times: store writer busy %.2f s in %ld batches (%.1f ms each), loops held back %.2f s, ",
		atomic_load(&k->busy_ns) / 1e9, n, n ? atomic_load(&k->busy_ns) / 1e6 / n : 0.0, held / 1e9);
	if (rebuild < 0)
		fprintf(stderr, "rebuild left to the last shard\n");
	else
		fprintf(stderr, "rebuild %.2f s\n", rebuild);
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
	if (fmt == REP_TABLE) {
		scanned_line(ss);
		printf("; %ld assets, %ld attributed\n", f.assets, f.attributed);
	}
}

struct shard_state {
	const char *name;
	int n;
	char seen[256]; /* per shard (n <= 256 tracked): 1 finished, 2 running */
	int untracked;
};

static int shard_run(void *vc, const struct run_rec *r)
{
	struct shard_state *s = vc;

	if (strcmp(r->scan, s->name) || r->nshards != s->n || r->shard < 1 || r->shard > s->n)
		return 0;
	if (r->shard > 256)
		s->untracked = 1;
	else /* the latest run of a shard decides (runs come in id order) */
		s->seen[r->shard - 1] = strcmp(r->status, "running") ? 1 : 2;
	return 0;
}

/*
 * Whether every shard 1..n of the named scan has a finished latest run (more
 * than 256: assume so).  Each shard commits its run's end, after its last
 * batch, and only then asks; so the shard whose end commits last sees every
 * shard finished and rebuilds, from every shard's observations: the assets
 * are rebuilt at least once after the whole scan, by one process, once
 * (shards that ask before the last end leave it).  Two shards ending at the
 * same moment may both see it and rebuild twice: the same result, one after
 * the other (the clear's lock).  A rebuild per shard of only the addresses it
 * observed would not do: every address's pairs are spread over all shards,
 * and devices are grouped across addresses (a shared MAC).
 */
static int shards_finished(struct store *st, const char *name, int n)
{
	struct shard_state s = {.name = name, .n = n};

	if (store_run_iter(st, shard_run, &s))
		return 1; /* cannot tell: build, which is always correct */
	for (int i = 0; i < n && i < 256; i++)
		if (s.seen[i] != 1)
			return 0;
	return 1;
}

static int run_scan(struct cfg *cfg, const struct scan_ports *p, uint64_t seed, uint64_t shard,
		    uint64_t nshards, int fmt, struct buf *args)
{
	struct sink k = {.jsonl = fmt == REP_JSONL, .batch = cfg->batch, .cfg = cfg, .seed = seed};
	struct scan_cfg sc = {
		.targets = &cfg->t, .ports = p, .seed = seed, .shard = shard, .nshards = nshards,
		.rate = cfg->rate, .threads = (int)cfg->threads, .max_inflight = (int)cfg->max_inflight,
		.max_udp_inflight = (int)cfg->max_udp_inflight,
		.connect_timeout_ms = (int)cfg->connect_timeout, .read_timeout_ms = (int)cfg->read_timeout,
		.retries = (int)cfg->retries, .communities = (const char *const *)cfg->comm,
		.ncommunities = cfg->ncomm, .xp = &xp_real, .emit = put_obs, .emit_ctx = &k,
		.tick = tick, .tick_ctx = &k, .stop = &stop_flag,
		.progress = &k.prog, .pair_done = pair_done, .pair_ctx = &k, .hold = hold, .hold_ctx = &k,
	};
	struct wq_cfg qc = {.max_bytes = (size_t)cfg->queue_mb << 20, .write = write_batch, .release = release_batch,
			    .ctx = &k};
	struct scan_stats ss;
	struct build_stats bs;
	struct kb *kb = NULL;
	int rc = 2, src, wrc;
	long nmac = 0;
	double t_build;

	buf_init(&k.line, 0);
	buf_init(&k.state, 0);
	k.tcommit = mono();
	if (cfg->rs) {
		k.prog = cfg->rs->prog;
		/* the run's count goes on from what its committed batches held */
		k.n = k.ncommit = (long)cfg->rs->nobs; /* at most 2^53: the parser's bound */
		if (k.prog.n != (int)cfg->threads) {
			fprintf(stderr, "trustmap scan: run %lld was scanned with %d threads\n", (long long)cfg->resume_run,
				k.prog.n);
			goto out;
		}
	} else {
		k.prog.n = (int)cfg->threads;
		if (!(k.prog.v = mem_calloc((size_t)k.prog.n, sizeof(*k.prog.v)))) {
			fprintf(stderr, "trustmap scan: out of memory\n");
			goto out;
		}
	}
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
	if (cfg->rs)
		k.run = cfg->resume_run;
	else if (store_begin(k.st) || store_run_start(k.st, "scan", buf_str(args), &k.run) ||
		 ((cfg->scan_name || nshards > 1) &&
		  store_run_shard(k.st, k.run, cfg->scan_name, (int)shard + 1, (int)nshards,
				  (int64_t)scan_shard_size(cfg->t.nhosts * p->n, shard, nshards))) ||
		 put_state(&k, 0) || store_commit(k.st)) {
		fprintf(stderr, "trustmap scan: %s\n", store_errmsg(k.st));
		goto out;
	}
	/* from here to wq_close the store is the writer thread's */
	store_set_wait_hook(k.st, on_wait, &k);
	store_set_give_up(k.st, &give_up);
	if (wq_open(&k.wq, &qc, cfg->eb, sizeof(cfg->eb))) {
		fprintf(stderr, "trustmap scan: %s\n", cfg->eb);
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (cfg->rs && cfg->rs->complete) { /* killed after its last batch: only the run's end is left */
		memset(&ss, 0, sizeof(ss));
		src = 0;
	} else {
		src = scan_run(&sc, &ss, cfg->eb, sizeof(cfg->eb));
		if (k.lv.on)
			fputs("\r\033[K", stderr);
		if (src)
			fprintf(stderr, "trustmap scan: %s\n", cfg->eb);
		else if (!stop_flag && !wq_error(k.wq) &&
			 scan_neigh_emit(&cfg->t, put_obs, &k, &nmac, cfg->eb, sizeof(cfg->eb)))
			fprintf(stderr, "trustmap scan: %s (MAC addresses not recorded)\n", cfg->eb);
	}
	/* the last batch with its progress and state; then every batch written, and the store is ours again */
	seal(&k, !src && !stop_flag);
	wrc = wq_close(k.wq);
	k.wq = NULL;
	store_set_wait_hook(k.st, NULL, NULL);
	/*
	 * The connection slots, answers and batches were freed in the loops' and the writer's malloc
	 * arenas, which this thread's rebuild cannot reuse: give their pages back to the system first,
	 * so that the peak is the larger of the scan and the rebuild, not the two added.
	 */
	malloc_trim(0);
	if (wrc) { /* committed batches stay, with the state that accounts for them */
		fprintf(stderr, "trustmap scan: %s\n", k.werr[0] ? k.werr : tm_strerror(wrc));
		fprintf(stderr, "trustmap scan: stopped; what was committed stays (trustmap scan --resume %lld "
				"continues the run)\n", (long long)k.run);
		goto out;
	}
	/* the run's end on its own (it can be retried) */
	if (store_run_finish(k.st, k.run, k.n, k.failed, src ? "error" : stop_flag ? "interrupted" : "ok")) {
		fprintf(stderr, "trustmap scan: %s\n", store_errmsg(k.st));
		goto out;
	}
	if (cfg->scan_name && nshards > 1 && !shards_finished(k.st, cfg->scan_name, (int)nshards)) {
		if (fmt == REP_TABLE) {
			printf("shard %llu/%llu of scan %s done (run %lld); the last shard to finish rebuilds the assets\n",
			       (unsigned long long)shard + 1, (unsigned long long)nshards, cfg->scan_name,
			       (long long)k.run);
			scanned_line(&ss);
			printf("\n");
		}
		times_line(&k, -1);
		rc = src || k.failed ? 2 : 0;
		goto out;
	}
	t_build = mono();
	if (attr_build(kb, k.st, &bs, cfg->eb, sizeof(cfg->eb))) {
		fprintf(stderr, "trustmap scan: %s\n", cfg->eb);
		goto out;
	}
	times_line(&k, mono() - t_build);
	if (fmt != REP_JSONL)
		summary(k.st, cfg, &ss, fmt);
	if (fmt == REP_TABLE)
		printf("seed %llu, run %lld\n", (unsigned long long)seed, (long long)k.run);
	rc = src || k.failed ? 2 : 0;
out:
	if (k.wq) { /* not reached after wq_open succeeded, but cheap to survive */
		wq_close(k.wq);
		k.wq = NULL;
	}
	batch_free(k.cur);
	attr_scratch_free(k.lv.scratch);
	mem_free(k.lv.keys);
	kb_free(kb);
	store_close(k.st);
	buf_fini(&k.line);
	buf_fini(&k.state);
	if (!cfg->rs)
		mem_free(k.prog.v);
	return rc;
}

/* The scan's own arguments for its resume state: argv without SNMP communities (pointers into argv). */
static int scan_args(int argc, char **argv, struct cfg *cfg)
{
	if (!(cfg->sargs = mem_calloc((size_t)argc + 1, sizeof(char *))))
		return TM_ENOMEM;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--snmp-community", 16)) {
			if (!strchr(argv[i], '='))
				i++;
			continue;
		}
		cfg->sargs[cfg->nsargs++] = argv[i];
	}
	return 0;
}

static int scan_main(int argc, char **argv, struct scan_resume *rs, int64_t run);

/* Index of "--resume" or "--resume=RUN" in argv, 0 when absent. */
static int resume_at(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--resume") || !strncmp(argv[i], "--resume=", 9))
			return i;
	return 0;
}

/*
 * `trustmap scan --resume RUN [--db URL] [--snmp-community ...]`: reads the
 * run's resume state and runs the scan again from its own arguments and
 * seed (options given now come after them, so they win), skipping every
 * pair the state says is finished.
 */
static int resume_scan(int argc, char **argv, int at)
{
	const char *v = strchr(argv[at], '=') ? strchr(argv[at], '=') + 1 : at + 1 < argc ? argv[at + 1] : NULL;
	struct common c = {0};
	struct run_find f = {0};
	struct scan_resume rs;
	struct store *st = NULL;
	char *text = NULL, **av = NULL, eb[TM_ERRLEN];
	int rc = 2, ac = 0, skip = strchr(argv[at], '=') ? 1 : 2;

	if (!v || !str_to_i64(v, strlen(v), &f.id) || f.id < 1) {
		fprintf(stderr, "trustmap scan: --resume wants a run id (trustmap scans, or the 'run N' line)\n");
		return 2;
	}
	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "-d"))
			c.db = argv[i + 1];
		else if (!strncmp(argv[i], "--db=", 5))
			c.db = argv[i] + 5;
	if (!strncmp(argv[argc - 1], "--db=", 5))
		c.db = argv[argc - 1] + 5;
	if (!(st = cli_store("scan", &c)))
		return 2;
	if (cli_run_find(st, &f) < 0 || !f.found || strcmp(f.r.kind, "scan")) {
		fprintf(stderr, "trustmap scan: run %lld is not a scan in this store\n", (long long)f.id);
		goto out;
	}
	if (f.r.finished && !strcmp(f.r.status, "ok")) {
		printf("run %lld is finished: nothing to resume\n", (long long)f.id);
		rc = 0;
		goto out;
	}
	if (store_run_resume_get(st, f.id, &text)) {
		fprintf(stderr, "trustmap scan: %s\n", store_errmsg(st));
		goto out;
	}
	if (!*text) {
		fprintf(stderr, "trustmap scan: run %lld has no resume state (scanned by an older trustmap)\n",
			(long long)f.id);
		goto out;
	}
	if (scan_resume_parse(text, &rs, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap scan: run %lld: %s\n", (long long)f.id, eb);
		goto out;
	}
	store_close(st);
	st = NULL;
	if (!(av = mem_calloc((size_t)(rs.nargs + argc + 1), sizeof(char *)))) {
		scan_resume_fini(&rs);
		goto out;
	}
	av[ac++] = argv[0];
	for (int i = 0; i < rs.nargs; i++)
		av[ac++] = rs.args[i];
	for (int i = 1; i < argc; i++)
		if (i < at || i >= at + skip)
			av[ac++] = argv[i];
	rc = scan_main(ac, av, &rs, f.id);
	scan_resume_fini(&rs);
out:
	mem_free(av);
	mem_free(text);
	store_close(st);
	return rc;
}

int cmd_scan(int argc, char **argv)
{
	int at = resume_at(argc, argv);

	return at ? resume_scan(argc, argv, at) : scan_main(argc, argv, NULL, 0);
}

static int scan_main(int argc, char **argv, struct scan_resume *rs, int64_t run)
{
	struct cfg cfg = {.rate = 1000, .max_inflight = 1024, .threads = 1, .connect_timeout = 2000,
			  .read_timeout = 3000, .retries = 1, .batch = BATCH, .queue_mb = QUEUE_MB};
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
	cfg.rs = rs;
	cfg.resume_run = run;
	if (rs) {
		cfg.sargs = rs->args;
		cfg.nsargs = rs->nargs;
	} else if (scan_args(argc, argv, &cfg)) {
		fprintf(stderr, "trustmap scan: out of memory\n");
		buf_fini(&args);
		return 2;
	}
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
	if (rs)
		seed = rs->seed;
	if (cfg.max_udp_inflight < 0 || cfg.max_udp_inflight > 1 << 24) {
		fprintf(stderr, "trustmap scan: --max-udp-inflight must be between 0 (16 x --max-inflight) and 16777216\n");
		goto out;
	}
	if (cfg.rate <= 0 || cfg.max_inflight < 1 || cfg.connect_timeout < 1 || cfg.read_timeout < 1 ||
	    cfg.retries < 0 || cfg.threads < 1 || cfg.threads > 256 || cfg.batch < 1 || cfg.queue_mb < 1 ||
	    cfg.queue_mb > 65536) {
		fprintf(stderr, "trustmap scan: --rate, --max-inflight, --threads, --batch, --queue and timeouts must be "
				"positive (--queue at most 65536)\n");
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
	if (!rs)
		mem_free(cfg.sargs);
	for (int i = 0; i < cfg.ncomm; i++)
		mem_free(cfg.comm[i]);
	return rc;
}
