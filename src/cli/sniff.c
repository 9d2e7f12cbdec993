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
 *
 * A run over capture files commits between packets, with each batch its
 * resume state (sniff_resume.h): `--resume RUN` continues a run that was
 * killed or interrupted so that the store ends as after an uninterrupted
 * run (docs/sniff.md, "Resume").
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "sniff_resume.h"
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

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define UNSET LONG_MIN /* an option not given */
#define BATCH 1000	   /* observations per transaction */
#define DEDUP_SLOTS (1u << 20) /* observation hashes remembered; cleared when 3/4 full */
#define DEV_SLOTS (1u << 18)   /* device keys seen, for the summary */
#define LINK_SLOTS 4096	   /* links gathered in memory before the store (then written through) */

struct cfg {
	struct common c;
	const char *iface, *filter, *scope, *resume;
	long max_flows, flow_bytes, idle, batch;
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
	struct cfg *c = vc;
	const char *eq = strchr(val, '='), *sl = strchr(val, '/');
	uint64_t port;
	size_t plen;
	enum sn_dec d;

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
	if ((d = sniff_dec_by_name(eq + 1)) != SN_DEC_COUNT) {
		c->udp_as[c->nudp_as].port = (uint16_t)port;
		c->udp_as[c->nudp_as++].dec = d;
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
	{"batch", 0, "N", "observations per transaction (default 1000; each commit is a resume point)", OPT_INT,
	 offsetof(struct cfg, batch)},
	{"resume", 0, "RUN", "continue capture run RUN (killed or interrupted) where it stopped; files as before",
	 OPT_STR, offsetof(struct cfg, resume)},
	{"db", 'd', "URL", "store: SQLite file (default trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"format", 0, "FMT", "table (default), jsonl (stream observations) or csv", OPT_STR,
	 offsetof(struct cfg, c.format)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"no-nmap", 0, NULL, "do not load nmap-service-probes", OPT_FLAG, offsetof(struct cfg, c.no_nmap)},
	{NULL},
};

/*
 * The knowledge base: our own part loaded at once (a mistake there is said
 * before anything is read), the system data (OUI registries, enterprise
 * numbers, nmap's probes: most of the start-up) in a thread started before
 * ours is read (kb_new, then the thread, then kb_load_ours: the two fill
 * different members), which goes on while the capture is read and decoded,
 * which needs none of it; joined before the assets are rebuilt.
 * kb_load_rest itself loads nmap's probes in one more thread.
 */
struct kb_job {
	struct kb *kb;
	struct kb_opts o;
	pthread_t th;
	int started, rc;
	char eb[TM_ERRLEN];
};

static void *kb_rest(void *arg)
{
	struct kb_job *j = arg;

	j->rc = kb_load_rest(j->kb, &j->o, j->eb, sizeof(j->eb));
	return NULL;
}

/*
 * Starts kb_rest in a thread that takes no signals: SIGINT and SIGTERM stay
 * this thread's, so that they interrupt a read from a pipe as before.
 */
static int kb_thread(struct kb_job *j)
{
	sigset_t all, was;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &was);
	rc = pthread_create(&j->th, NULL, kb_rest, j);
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	return rc;
}

/* The whole knowledge base, once loaded; NULL (said) when its second half failed. */
static struct kb *kb_wait(struct kb_job *j)
{
	if (j->started) {
		pthread_join(j->th, NULL);
		j->started = 0;
		if (j->rc)
			fprintf(stderr, "trustmap sniff: %s\n", j->eb);
	}
	return j->rc ? NULL : j->kb;
}

static volatile int stop_flag;
static volatile int give_up; /* a second signal: stop waiting for a store server that is away */
static void *volatile live_handle; /* woken by the signal: libpcap may sleep in poll() without a timeout */

static void on_signal(int sig)
{
	(void)sig;
	give_up = stop_flag;
	stop_flag = 1;
	cap_live_break(live_handle);
}

/*
 * A set of 64-bit hashes (0 never stored), bounded: cleared when 3/4 of cap
 * is used.  The table starts small and doubles up to cap as it fills (a few
 * thousand observations touch a few pages, not cap's megabytes), which
 * changes nothing in what it holds: only cap's 3/4 clears it.
 */
#define HSET_MIN 4096

struct hset {
	uint64_t *k;
	size_t n, cap; /* cap: a power of two, the most slots */
	size_t size;   /* slots now (a power of two, up to cap) */
	int no_clear;  /* when full, stop adding instead of clearing */
};

static size_t hset_slot(const uint64_t *k, size_t size, uint64_t h)
{
	size_t i;

	for (i = (size_t)(h >> 20) & (size - 1); k[i] && k[i] != h; i = (i + 1) & (size - 1))
		;
	return i;
}

/* Twice the slots; nonzero when they cannot be had (the set stays as it was). */
static int hset_grow(struct hset *s)
{
	size_t size = s->size * 2;
	uint64_t *k = mem_calloc(size, sizeof(*k));

	if (!k)
		return -1;
	for (size_t i = 0; i < s->size; i++)
		if (s->k[i])
			k[hset_slot(k, size, s->k[i])] = s->k[i];
	mem_free(s->k);
	s->k = k;
	s->size = size;
	return 0;
}

/* 1 when h was already in the set, 0 when added (or not: full, or out of memory). */
static int hset_add(struct hset *s, uint64_t h)
{
	size_t i;

	if (!s->k) {
		s->size = s->cap < HSET_MIN ? s->cap : HSET_MIN;
		if (!(s->k = mem_calloc(s->size, sizeof(*s->k))))
			return 0;
	}
	h |= 1;
	i = hset_slot(s->k, s->size, h);
	if (s->k[i])
		return 1;
	if (s->n >= s->cap / 4 * 3) {
		if (s->no_clear)
			return 0;
		memset(s->k, 0, s->size * sizeof(*s->k));
		s->n = 0;
		i = hset_slot(s->k, s->size, h);
	} else if (s->n >= s->size / 4 * 3 && s->size < s->cap) {
		if (hset_grow(s))
			return 0;
		i = hset_slot(s->k, s->size, h);
	}
	s->k[i] = h;
	s->n++;
	return 0;
}

static int hset_has(const struct hset *s, uint64_t h)
{
	if (!s->k)
		return 0;
	h |= 1;
	return s->k[hset_slot(s->k, s->size, h)] != 0;
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
	int dirty;  /* seen since the last commit */
	struct link_rec l;
};

struct sink {
	struct store *st;
	struct cap *cap;
	int64_t run;
	long n, failed, dups, nlinks, link_failed, batch;
	int jsonl;
	struct buf line;
	struct hset dedup, devs;
	struct link_slot *links;
	size_t nlinkslots;
	struct progress pr;
	const char *pr_what;
	double t_store; /* seconds in store writes (observations, links, commits), for --stats */
	/* commits between packets (between()); with files, the resume state each time (NULL: none kept) */
	struct sniff_resume *rs;
	struct buf state;
	long ncommit;
	unsigned npk;
	double tcommit;
	double every; /* seconds between commits without new observations: 1, or 20 times the last one's cost */
	uint64_t *tags; /* the flows' first packets, gathered for the state */
	size_t ntags, captags;
	int tags_bad, tags_unsorted; /* (they come in the order the flows were made: sorted, as a rule) */
	int replaying; /* --resume re-reading before its checkpoint: the table is not yet the one to save */
	/*
	 * Observations not yet written, in order, with their values copied into
	 * pend_val: stored several a statement (store_obs_add_many) when
	 * PEND_MAX are waiting and at each checkpoint, before its commit, so
	 * that a commit holds exactly what it held when each was written at once.
	 * Counted in n already; the ones the store refuses move to failed.
	 */
	struct obs *pend;
	size_t *pend_off;
	size_t npend;
	struct buf pend_val;
};

#define PEND_MAX 256

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

/* Writes the waiting observations (put_obs); each one the store refuses counts as failed. */
static void flush_obs(struct sink *k)
{
	int failed = 0;

	for (size_t i = 0; i < k->npend; i++)
		k->pend[i].value = (const uint8_t *)k->pend_val.p + k->pend_off[i];
	if (k->npend && store_obs_add_many(k->st, k->run, k->pend, (int)k->npend, &failed)) {
		k->n -= failed;
		k->failed += failed;
	}
	k->npend = 0;
	buf_reset(&k->pend_val);
}

/* o queued for flush_obs (its value copied); -1 when out of memory. */
static int pend_add(struct sink *k, const struct obs *o)
{
	size_t off = k->pend_val.len;

	if (!k->pend) {
		k->pend = mem_alloc(PEND_MAX * sizeof(*k->pend));
		k->pend_off = mem_alloc(PEND_MAX * sizeof(*k->pend_off));
		if (!k->pend || !k->pend_off) {
			mem_free(k->pend);
			mem_free(k->pend_off);
			k->pend = NULL;
			k->pend_off = NULL;
			return -1;
		}
	}
	if (o->len && buf_add(&k->pend_val, o->value, o->len))
		return -1;
	k->pend[k->npend] = *o;
	k->pend_off[k->npend++] = off;
	return 0;
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
	if (!pend_add(k, o)) {
		k->n++; /* written by flush_obs, committed between packets (between()) */
		if (k->npend == PEND_MAX)
			flush_obs(k);
	} else { /* out of memory: the waiting ones, then this one alone */
		flush_obs(k);
		if (store_obs_add(k->st, k->run, o, NULL))
			k->failed++;
		else
			k->n++;
	}
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
		if (t < k->links[i].l.first_seen) {
			k->links[i].l.first_seen = t;
			k->links[i].dirty = 1;
		}
		if (t > k->links[i].l.last_seen) {
			k->links[i].l.last_seen = t;
			k->links[i].dirty = 1;
		}
		return 0;
	}
	if (k->nlinkslots < LINK_SLOTS / 2) {
		k->links[i].h = h;
		k->links[i].dirty = 1;
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

/* The links seen since the last commit, into the open transaction (the store widens first/last seen). */
static void flush_links(struct sink *k)
{
	if (!k->links)
		return;
	for (size_t i = 0; i < LINK_SLOTS; i++) {
		if (!k->links[i].h || !k->links[i].dirty)
			continue;
		k->links[i].dirty = 0;
		if (store_link_put(k->st, &k->links[i].l))
			k->link_failed++;
	}
}

static void add_tag(void *vc, uint64_t tag, int64_t off)
{
	struct sink *k = vc;
	uint64_t *v;

	(void)off;
	if (k->ntags == k->captags) {
		size_t n = k->captags ? k->captags * 2 : 1024;

		if (!(v = mem_realloc(k->tags, n * sizeof(*v)))) {
			k->tags_bad = 1;
			return;
		}
		k->tags = v;
		k->captags = n;
	}
	if (k->ntags && tag < k->tags[k->ntags - 1])
		k->tags_unsorted = 1;
	k->tags[k->ntags++] = tag;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Commits what came since the last commit: the links seen, and with files
 * the resume state (where the next packet is, where to re-read from, the
 * flows' first packets; complete: every file read and every flow handed
 * over).  Opens the next transaction when again.
 */
static void checkpoint(struct sink *k, int complete, int again)
{
	double t = mono();
	int rc;

	flush_obs(k);
	flush_links(k);
	if (k->rs && !k->replaying) {
		k->rs->nborn = 0;
		if (complete)
			k->rs->from = k->rs->next; /* nothing left to re-read */
		else {
			cap_checkpoint(k->cap, &k->rs->next, &k->rs->from);
			k->ntags = 0;
			k->tags_bad = k->tags_unsorted = 0;
			cap_born_each(k->cap, add_tag, k);
			if (k->tags_unsorted)
				qsort(k->tags, k->ntags, sizeof(*k->tags), cmp_u64);
			k->rs->born = k->tags;
			k->rs->nborn = k->ntags;
		}
		k->rs->failed = k->failed;
		k->rs->complete = complete;
		buf_reset(&k->state);
		if (k->tags_bad || sniff_resume_format(&k->state, k->rs)) {
			k->failed++; /* out of memory: this batch without a new state, the last one stays */
		} else if ((rc = store_run_resume_put(k->st, k->run, buf_str(&k->state)))) {
			if (rc != TM_EUNSUP)
				k->failed++;
			k->rs->born = NULL;
			k->rs = NULL; /* a backend without resume states: commits only */
		}
		if (k->rs)
			k->rs->born = NULL; /* k->tags stays ours */
	}
	if (store_commit(k->st) || (again && store_begin(k->st)))
		k->failed++;
	k->ncommit = k->n;
	k->tcommit = mono();
	k->t_store += k->tcommit - t;
	k->every = 20 * (k->tcommit - t) > 1.0 ? 20 * (k->tcommit - t) : 1.0;
}

/*
 * Between two packets (capture.h): a commit every --batch observations, and
 * with files about once a second even without any (so that a resume has
 * little to re-read) -- less often when a commit costs more than 1/20 of a
 * second (a state listing a quarter of a million open flows on a loaded
 * machine), so that these commits never take more than 5 % of the run.  A stop (SIGINT, SIGTERM) commits here and ends the
 * reading at this packet.
 */
static int between(void *vc)
{
	struct sink *k = vc;
	int stop = stop_flag;

	k->replaying = 0; /* not called while the capture layer re-reads */
	if (!stop && k->n - k->ncommit < k->batch &&
	    ((++k->npk & 4095) || (!k->rs && k->n == k->ncommit) || mono() - k->tcommit < k->every))
		return 0;
	checkpoint(k, 0, 1);
	return stop;
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

/* The run's observations so far, in the order they were stored: the dedup set as it was, and the count. */
static int rebuild_obs(void *vc, int64_t id, const struct obs *o)
{
	struct sink *k = vc;

	(void)id;
	hset_add(&k->dedup, obs_hash(o));
	if (o->mac[0])
		hset_add(&k->devs, dev_hash('m', "", o->mac, sizeof(o->mac)));
	if (o->addr[0])
		hset_add(&k->devs, dev_hash('a', o->scope, o->addr, sizeof(o->addr)));
	k->n++;
	return 0;
}

/*
 * --resume RUN: reads the run's state into rs, checks the capture files
 * (the ones given, else the paths it recorded) against it and takes its
 * capture options into cfg.  0: go on; 1: nothing to do (said); 2: refused (said).
 */
static int load_resume(struct sink *k, struct cfg *cfg, int64_t run, struct sniff_resume *rs, char **files,
		       int nfiles)
{
	struct run_find f = {.id = run};
	struct sniff_file now;
	char *text = NULL, eb[TM_ERRLEN];
	int rc = 2;

	if (cli_run_find(k->st, &f) < 0 || !f.found || strcmp(f.r.kind, "sniff")) {
		fprintf(stderr, "trustmap sniff: run %lld is not a capture run in this store\n", (long long)run);
		return 2;
	}
	if (f.r.finished && strcmp(f.r.status, "interrupted")) {
		if (!strcmp(f.r.status, "ok")) {
			printf("run %lld is finished: nothing to resume\n", (long long)run);
			return 1;
		}
		fprintf(stderr, "trustmap sniff: run %lld ended with '%s': nothing to resume\n", (long long)run,
			f.r.status);
		return 2;
	}
	if (store_run_resume_get(k->st, run, &text)) {
		fprintf(stderr, "trustmap sniff: %s\n", store_errmsg(k->st));
		return 2;
	}
	if (!*text) {
		fprintf(stderr, "trustmap sniff: run %lld has no resume state (standard input, a live interface, "
				"or an older trustmap)\n", (long long)run);
		goto out;
	}
	if (sniff_resume_parse(text, rs, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap sniff: run %lld: %s\n", (long long)run, eb);
		goto out;
	}
	if (rs->complete) /* only the assets and the run's end were left: no file is read */
		goto options;
	if (nfiles && nfiles != rs->nfiles) {
		fprintf(stderr, "trustmap sniff: run %lld read %d capture file%s; give the same (or none: the paths it "
				"recorded)\n", (long long)run, rs->nfiles, rs->nfiles == 1 ? "" : "s");
		goto out;
	}
	for (int i = 0; i < rs->nfiles; i++) {
		struct sniff_file *was = &rs->files[i];
		const char *path = nfiles ? files[i] : was->path;

		sniff_file_sig(path, &now);
		if (!sniff_file_same(was, &now)) {
			if (now.size != was->size)
				fprintf(stderr, "trustmap sniff: %s has changed since run %lld read it as file %d (%s): "
						"%lld bytes, then %lld\n", path, (long long)run, i + 1, was->path,
					(long long)now.size, (long long)was->size);
			else
				fprintf(stderr, "trustmap sniff: %s has changed since run %lld read it as file %d (%s): "
						"same size, other bytes\n", path, (long long)run, i + 1, was->path);
			goto out;
		}
		if (nfiles) {
			char *p = mem_strdup(path);

			if (!p)
				goto out;
			mem_free(was->path);
			was->path = p;
		}
	}
options:
	cfg->max_flows = rs->max_flows;
	cfg->flow_bytes = rs->flow_bytes;
	cfg->idle = rs->idle;
	cfg->scope = rs->scope;
	cfg->nudp_as = rs->nudp_as;
	for (int i = 0; i < rs->nudp_as; i++) {
		cfg->udp_as[i].port = rs->udp_as[i].port;
		cfg->udp_as[i].dec = rs->udp_as[i].dec;
	}
	rc = 0;
out:
	mem_free(text);
	return rc;
}

/* A new run over files: its state from the options and each file as it is now; NULL for standard input. */
static int new_resume(struct sniff_resume *rs, const struct cfg *cfg, char **files, int nfiles)
{
	memset(rs, 0, sizeof(*rs));
	for (int i = 0; i < nfiles; i++)
		if (!strcmp(files[i], "-"))
			return 1;
	rs->max_flows = cfg->max_flows;
	rs->flow_bytes = cfg->flow_bytes;
	rs->idle = cfg->idle;
	if ((cfg->scope && !(rs->scope = mem_strdup(cfg->scope))) ||
	    !(rs->files = mem_calloc((size_t)nfiles, sizeof(*rs->files))))
		return TM_ENOMEM;
	rs->nudp_as = cfg->nudp_as;
	for (int i = 0; i < cfg->nudp_as; i++) {
		rs->udp_as[i].port = cfg->udp_as[i].port;
		rs->udp_as[i].dec = cfg->udp_as[i].dec;
	}
	for (int i = 0; i < nfiles; i++) {
		if (!(rs->files[i].path = mem_strdup(files[i])))
			return TM_ENOMEM;
		rs->nfiles++;
		sniff_file_sig(files[i], &rs->files[i]);
	}
	rs->next.no = rs->from.no = 1;
	rs->next.off = rs->from.off = -1;
	return 0;
}

static int run_sniff(struct cfg *cfg, char **files, int nfiles, void *live, struct kb_job *kj, int fmt,
		     struct buf *args, int64_t resume)
{
	struct kb *kb;
	struct sink k = {.jsonl = fmt == REP_JSONL, .dedup = {.cap = DEDUP_SLOTS},
			 .devs = {.cap = DEV_SLOTS, .no_clear = 1}, .batch = cfg->batch, .every = 1.0};
	struct cap_cfg cc = {.on_obs = put_obs, .on_link = put_link, .arg = &k, .tick = tick, .between = between};
	struct sniff_resume rs = {0};
	struct build_stats bs;
	struct sigaction sa = {0};
	char eb[TM_ERRLEN];
	int rc = 2, broken = 0, ncap = live ? 1 : nfiles, first = 0, built;
	double t0 = mono(), t1;

	buf_init(&k.line, 0);
	buf_init(&k.state, 0);
	buf_init(&k.pend_val, 0);
	if (!(k.st = cli_store("sniff", &cfg->c)))
		goto out;
	store_set_give_up(k.st, &give_up);
	if (resume) {
		if ((rc = load_resume(&k, cfg, resume, &rs, files, nfiles)))
			goto out_rc;
		rc = 2;
		k.rs = &rs;
		k.replaying = !rs.complete;
		k.run = resume;
		k.failed = rs.failed;
		files = NULL;
		nfiles = ncap = rs.nfiles;
		if (store_obs_iter_run(k.st, resume, rebuild_obs, &k)) {
			fprintf(stderr, "trustmap sniff: %s\n", store_errmsg(k.st));
			goto out;
		}
	} else if (!live) {
		if ((rc = new_resume(&rs, cfg, files, nfiles)) < 0) {
			fprintf(stderr, "trustmap sniff: out of memory\n");
			rc = 2;
			goto out;
		}
		k.rs = rc ? NULL : &rs;
		rc = 2;
	}
	cc.max_flows = (size_t)cfg->max_flows;
	cc.flow_bytes = (size_t)cfg->flow_bytes;
	cc.idle = cfg->idle;
	cc.scope = cfg->scope;
	for (int i = 0; i < cfg->nudp_as; i++) {
		cc.udp_as[i].port = cfg->udp_as[i].port;
		cc.udp_as[i].dec = cfg->udp_as[i].dec;
	}
	cc.nudp_as = cfg->nudp_as;
	if (!(k.cap = cap_new(&cc))) {
		fprintf(stderr, "trustmap sniff: out of memory\n");
		goto out;
	}
	if (resume) {
		if (store_begin(k.st)) {
			fprintf(stderr, "trustmap sniff: %s\n", store_errmsg(k.st));
			goto out;
		}
		if (!rs.complete && cap_replay(k.cap, &rs.from, &rs.next, rs.born, rs.nborn)) {
			fprintf(stderr, "trustmap sniff: out of memory\n");
			goto out;
		}
		first = (int)rs.from.file;
		mem_free(rs.born); /* copied: from now on the state's flows are the table's */
		rs.born = NULL;
		rs.nborn = 0;
	} else if (store_begin(k.st) || store_run_start(k.st, "sniff", buf_str(args), &k.run)) {
		fprintf(stderr, "trustmap sniff: %s\n", store_errmsg(k.st));
		goto out;
	} else {
		checkpoint(&k, 0, 1); /* the run and its first state: a kill from now on can be resumed */
		if (k.failed) {
			fprintf(stderr, "trustmap sniff: %s\n", store_errmsg(k.st));
			goto out;
		}
	}
	k.tcommit = mono();
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
	for (int i = first; i < nfiles && !stop_flag && !(resume && rs.complete); i++)
		if (cap_file(k.cap, files ? files[i] : rs.files[i].path, &stop_flag))
			broken = 1;
	/*
	 * Stopped while reading files: the flows in progress stay unsaid, the
	 * state says where to go on (--resume rebuilds them).  Otherwise every
	 * flow is handed over now and the state says so.
	 */
	if (!(stop_flag && k.rs))
		cap_end(k.cap);
	progress_end(&k.pr);
	if (k.cap && cap_stats(k.cap)->hidden)
		fprintf(stderr, "trustmap sniff: %llu more malformed packets not shown (see --stats)\n",
			(unsigned long long)cap_stats(k.cap)->hidden);
	t1 = mono();
	checkpoint(&k, !(stop_flag && k.rs), 0);
	k.t_store += mono() - t1;
	/* the assets, then the run's end: a kill in between leaves a run that --resume finishes */
	if (!(kb = kb_wait(kj))) { /* as after such a kill: the run stays open */
		fprintf(stderr, "trustmap sniff: run %lld is stored up to its assets; 'trustmap sniff --resume %lld' "
				"finishes it\n", (long long)k.run, (long long)k.run);
		goto out;
	}
	t1 = mono();
	built = !attr_build(kb, k.st, &bs, eb, sizeof(eb));
	if (!built)
		fprintf(stderr, "trustmap sniff: %s\n", eb);
	t1 = mono() - t1;
	if (store_begin(k.st) ||
	    store_run_finish(k.st, k.run, k.n, k.failed,
			     stop_flag ? "interrupted" : broken ? "error: a capture broke off" : "ok") ||
	    store_commit(k.st)) {
		fprintf(stderr, "trustmap sniff: %s\n", store_errmsg(k.st));
		goto out;
	}
	if (!built)
		goto out;
	if (fmt != REP_JSONL)
		summary(&k, fmt, mono() - t0, ncap);
	if (cfg->stats)
		stats(&k, fmt);
	if (getenv("TRUSTMAP_SNIFF_TIMES")) { /* for bench/sniff: times vary, so not among --stats' counters */
		struct rusage ru;

		getrusage(RUSAGE_THREAD, &ru); /* the main thread's CPU: the knowledge base's and read-ahead's not in it */
		fprintf(stderr, "trustmap sniff: store %.3f s (observations, links, commits), assets rebuilt in %.3f s, "
			"whole run %.3f s; main thread CPU %.3f s (user %.3f, system %.3f)\n", k.t_store, t1,
			mono() - t0, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
			ru.ru_stime.tv_usec / 1e6, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
			ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	}
	if (fmt == REP_TABLE)
		printf("run %lld\n", (long long)k.run);
	rc = k.failed || k.link_failed ? 2 : broken ? 1 : 0;
	goto out;
out_rc:
	rc = rc == 1 ? 0 : 2;
out:
	if (live)
		cap_live_close(live);
	cap_free(k.cap);
	store_close(k.st);
	sniff_resume_fini(&rs);
	mem_free(k.tags);
	mem_free(k.dedup.k);
	mem_free(k.devs.k);
	mem_free(k.links);
	mem_free(k.pend);
	mem_free(k.pend_off);
	buf_fini(&k.line);
	buf_fini(&k.state);
	buf_fini(&k.pend_val);
	return rc;
}

int cmd_sniff(int argc, char **argv)
{
	struct cfg cfg = {.max_flows = UNSET, .flow_bytes = UNSET, .idle = UNSET, .batch = UNSET};
	struct buf args;
	char eb[TM_ERRLEN];
	struct kb_job kj = {0};
	void *live = NULL;
	int64_t resume = 0;
	int npos, rc, fmt;

	buf_init(&args, 0);
	run_args(argc, argv, &args);
	rc = opt_parse(opts, &cfg, argc, argv, &npos, "[options] FILE... | -i IFACE [-f BPF] | --resume RUN [FILE...]");
	if (rc) {
		rc = rc > 0 ? 0 : 2;
		goto out;
	}
	rc = 2;
	if ((fmt = cli_format("sniff", &cfg.c)) < 0)
		goto out;
	if (cfg.resume) {
		if (!str_to_i64(cfg.resume, strlen(cfg.resume), &resume) || resume < 1) {
			fprintf(stderr, "trustmap sniff: --resume wants a run id (trustmap scans, or the 'run N' line)\n");
			goto out;
		}
		if (cfg.iface || cfg.filter) {
			fprintf(stderr, "trustmap sniff: --resume continues a run over capture files; a live capture "
					"(-i) cannot be resumed\n");
			goto out;
		}
		if (cfg.max_flows != UNSET || cfg.flow_bytes != UNSET || cfg.idle != UNSET || cfg.scope || cfg.nudp_as) {
			fprintf(stderr, "trustmap sniff: --resume keeps the run's own --max-flows, --flow-bytes, --idle, "
					"--scope and --decode-as\n");
			goto out;
		}
	} else if (!npos && !cfg.iface) {
		fprintf(stderr, "trustmap sniff: give capture files (- for standard input) or -i IFACE\n");
		goto out;
	}
	if (cfg.max_flows == UNSET)
		cfg.max_flows = FLOW_DEF_MAX;
	if (cfg.flow_bytes == UNSET)
		cfg.flow_bytes = FLOW_DEF_BYTES;
	if (cfg.idle == UNSET)
		cfg.idle = FLOW_DEF_IDLE;
	if (cfg.batch == UNSET)
		cfg.batch = BATCH;
	if (npos && cfg.iface) {
		fprintf(stderr, "trustmap sniff: capture files or -i IFACE, not both\n");
		goto out;
	}
	for (int i = 1, dash = 0; i <= npos; i++)
		if (!strcmp(argv[i], "-") && (dash++ || resume)) {
			fprintf(stderr, resume ? "trustmap sniff: standard input (-) cannot be resumed\n"
					       : "trustmap sniff: standard input (-) can be read once\n");
			goto out;
		}
	if (cfg.filter && !cfg.iface) {
		fprintf(stderr, "trustmap sniff: -f applies to -i only\n");
		goto out;
	}
	if (cfg.max_flows < 1 || cfg.max_flows > (1L << 24) || cfg.flow_bytes < 1 || cfg.flow_bytes > (1L << 24) ||
	    cfg.idle < 1 || cfg.batch < 1) {
		fprintf(stderr, "trustmap sniff: --max-flows and --flow-bytes must be 1 to 16777216, --idle and --batch "
				"positive\n");
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
	kj.o.kb_dir = cfg.c.kb_dir;
	kj.o.lists = cfg.c.lists;
	kj.o.skip = cfg.c.no_nmap ? KB_SKIP_NMAP : 0;
	if (cfg.iface) { /* live: all of it now, while privileged */
		if (!(kj.kb = cli_kb("sniff", &cfg.c)))
			goto out;
	} else if (kb_new(&kj.kb, &kj.o, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap sniff: %s\n", eb);
		goto out;
	} else if (kb_thread(&kj)) {
		/* no thread: at once, as before */
		if (kb_load_ours(kj.kb, &kj.o, eb, sizeof(eb))) {
			fprintf(stderr, "trustmap sniff: %s\n", eb);
			goto out;
		}
		if (kb_rest(&kj), kj.rc) {
			fprintf(stderr, "trustmap sniff: %s\n", kj.eb);
			goto out;
		}
	} else {
		/* the system data loads from now on, ours meanwhile (a mistake there is still said first) */
		kj.started = 1;
		if (kb_load_ours(kj.kb, &kj.o, eb, sizeof(eb))) {
			fprintf(stderr, "trustmap sniff: %s\n", eb);
			goto out; /* joined below before the kb is freed */
		}
	}
	if (cfg.iface) {
		if (cap_drop_privileges(eb, sizeof(eb))) {
			fprintf(stderr, "trustmap sniff: %s\n", eb);
			goto out;
		}
	}
	rc = run_sniff(&cfg, argv + 1, npos, live, &kj, fmt, &args, resume);
	live = NULL;
out:
	if (live)
		cap_live_close(live);
	if (kj.started)
		pthread_join(kj.th, NULL);
	kb_free(kj.kb);
	buf_fini(&args);
	return rc;
}
