/*
 * build.c - assets from observations (build.h).  Pass one reads every
 * observation into a compact record (identity keys interned, values in an
 * arena); union-find over identity keys groups them; pass two attributes each
 * group and writes it.  Memory is proportional to the observations, not to
 * their worst-case size.  Pass two's attribution runs on a worker thread a
 * batch of groups ahead of the writes, and asks attr_candidates() once per
 * distinct kind, probe and value (the memo): devices of one model answer
 * alike.  TRUSTMAP_BUILD_TIMES=1 prints where the time went.
 */
#include "build.h"
#include "attr.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../kb/kb.h"
#include "../kb/vendor.h"
#include "../store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CANDS_PER_ASSET 512
#define CANDS_PER_OBS 16
#define EV_QUEUE 512 /* evidence rows handed to the store at once (store_evidence_put_many) */
#define MEMO_CANDS (1 << 16) /* candidates the memo keeps at most (~25 MB) */

struct bobs {
	int64_t id, time;
	uint32_t keys[3]; /* interned "mac:", "ip:", "ref:" keys; 0 none */
	uint32_t site;	  /* interned site id; 0 none */
	uint32_t probe;	  /* interned probe name; 0 none */
	uint16_t port;
	uint8_t proto, kind;
	uint32_t flags;
	const uint8_t *value;
	uint32_t len;
	uint32_t next; /* next observation of the same group (1-based), 0 end */
};

struct strtab { /* open addressing: string -> 1-based id */
	char **str;   /* by id - 1, sized like slot */
	uint32_t n;   /* strings held */
	uint32_t *slot; /* hash -> id, 0 empty */
	uint32_t nslot;
};

/*
 * The memo: what attr_candidates() said about an observation's kind, probe
 * and value, for the next observation with the same three.  Attribution
 * reads nothing else of an observation (not its time, address, port or
 * flags), so the candidates are the same but for the index of the
 * observation they name.  Devices of one model answer alike: in a scan of
 * many, most values come again, and each is matched once.
 */
struct memo_ent {
	uint32_t hash;
	uint32_t obs;	/* 1-based: the observation whose kind, probe and value are the key; 0 empty */
	uint32_t first; /* its candidates: pool[first .. first + n) */
	uint32_t n;
};

struct memo {
	struct memo_ent *slot;
	uint32_t nslot, used;
	struct cand *pool;
	uint32_t npool;
	long hits, misses;
};

struct ctx {
	const struct kb *kb;
	struct memo memo;
	struct arena *ar;
	struct bobs *o;
	size_t n, cap;
	struct strtab keys, names;
	uint32_t *parent; /* union-find over key ids */
	char *eb;
	size_t el;
	int64_t t_attr, t_store; /* ns in attribution and in the store's writes (TRUSTMAP_BUILD_TIMES) */
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static int st_grow(struct strtab *t)
{
	uint32_t ns = t->nslot ? t->nslot * 2 : 1024, *slot;
	char **str;

	slot = mem_calloc(ns, sizeof(*slot));
	str = mem_realloc(t->str, (size_t)ns * sizeof(*str));
	if (!slot || !str) {
		mem_free(slot);
		if (str)
			t->str = str;
		return TM_ENOMEM;
	}
	t->str = str;
	for (uint32_t i = 0; i < t->n; i++) {
		uint32_t h = hash(str[i]) & (ns - 1);

		while (slot[h])
			h = (h + 1) & (ns - 1);
		slot[h] = i + 1;
	}
	mem_free(t->slot);
	t->slot = slot;
	t->nslot = ns;
	return 0;
}

/* Interns s; returns its 1-based id, 0 for "" (none), or (uint32_t)-1 on failure. */
static uint32_t intern(struct strtab *t, struct arena *ar, const char *s)
{
	uint32_t h;

	if (!*s)
		return 0;
	if ((t->n + 1) * 2 > t->nslot && st_grow(t))
		return (uint32_t)-1;
	h = hash(s) & (t->nslot - 1);
	while (t->slot[h]) {
		if (!strcmp(t->str[t->slot[h] - 1], s))
			return t->slot[h];
		h = (h + 1) & (t->nslot - 1);
	}
	if (!(t->str[t->n] = arena_strdup(ar, s)))
		return (uint32_t)-1;
	t->slot[h] = ++t->n;
	return t->n;
}

static void st_free(struct strtab *t)
{
	mem_free(t->str);
	mem_free(t->slot);
}

/*
 * k = a ++ b ++ sep ++ d, each field up to its array's end (a record's
 * strings may fill it); cut to fit k[128] as snprintf did.  No format
 * parsing: three keys for each of millions of observations.
 */
static void key3(char *k, size_t kl, const char *a, const char *b, size_t bl, const char *sep,
		 const char *d, size_t dl)
{
	size_t n = 0;

	for (const char *p = a; *p && n + 1 < kl; p++)
		k[n++] = *p;
	for (size_t i = 0; i < bl && b[i] && n + 1 < kl; i++)
		k[n++] = b[i];
	for (const char *p = sep; *p && n + 1 < kl; p++)
		k[n++] = *p;
	for (size_t i = 0; i < dl && d[i] && n + 1 < kl; i++)
		k[n++] = d[i];
	k[n] = 0;
}

static int read_obs(void *vc, int64_t id, const struct obs *o)
{
	struct ctx *c = vc;
	struct bobs *b;
	char k[128];

	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 4096;
		struct bobs *no = mem_realloc(c->o, nc * sizeof(*no));

		if (!no)
			return TM_ENOMEM;
		c->o = no;
		c->cap = nc;
	}
	b = &c->o[c->n];
	memset(b, 0, sizeof(*b));
	b->id = id;
	b->time = o->time;
	if (o->mac[0]) {
		key3(k, sizeof(k), "mac:", "", 0, "", o->mac, sizeof(o->mac));
		b->keys[0] = intern(&c->keys, c->ar, k);
	}
	if (o->addr[0]) {
		key3(k, sizeof(k), "ip:", o->scope, sizeof(o->scope), "/", o->addr, sizeof(o->addr));
		b->keys[1] = intern(&c->keys, c->ar, k);
	}
	if (o->ref[0]) {
		key3(k, sizeof(k), "ref:", "", 0, "", o->ref, sizeof(o->ref));
		b->keys[2] = intern(&c->keys, c->ar, k);
	}
	if (!b->keys[0] && !b->keys[1] && !b->keys[2]) {
		snprintf(k, sizeof(k), "obs:%lld", (long long)id);
		b->keys[2] = intern(&c->keys, c->ar, k);
	}
	b->site = intern(&c->names, c->ar, o->site);
	b->probe = intern(&c->names, c->ar, o->probe);
	for (int i = 0; i < 3; i++)
		if (b->keys[i] == (uint32_t)-1)
			return TM_ENOMEM;
	if (b->site == (uint32_t)-1 || b->probe == (uint32_t)-1)
		return TM_ENOMEM;
	b->port = o->port;
	b->proto = o->proto;
	b->kind = (uint8_t)o->kind;
	b->flags = o->flags;
	b->len = (uint32_t)o->len;
	if (o->len) {
		uint8_t *v = arena_alloc(c->ar, o->len);

		if (!v)
			return TM_ENOMEM;
		memcpy(v, o->value, o->len);
		b->value = v;
	}
	c->n++;
	return 0;
}

static uint32_t find(uint32_t *p, uint32_t x)
{
	while (p[x] != x) {
		p[x] = p[p[x]];
		x = p[x];
	}
	return x;
}

static void unite(uint32_t *p, uint32_t a, uint32_t b)
{
	a = find(p, a);
	b = find(p, b);
	if (a != b)
		p[a > b ? a : b] = a < b ? a : b;
}

static uint32_t memo_hash(const struct bobs *b)
{
	uint32_t h = 2166136261u;

	h = (h ^ b->kind) * 16777619u;
	h = (h ^ b->probe) * 16777619u;
	for (uint32_t i = 0; i < b->len; i++)
		h = (h ^ b->value[i]) * 16777619u;
	return h;
}

static int memo_same(const struct bobs *a, const struct bobs *b)
{
	return a->kind == b->kind && a->probe == b->probe && a->len == b->len &&
	       (!a->len || !memcmp(a->value, b->value, a->len));
}

/* Room for one more entry (the table at most half full); 0 when it cannot grow. */
static int memo_room(struct memo *m)
{
	uint32_t ns = m->nslot ? m->nslot * 2 : 4096;
	struct memo_ent *slot;

	if ((m->used + 1) * 2 <= m->nslot)
		return 1;
	if (!(slot = mem_calloc(ns, sizeof(*slot))))
		return 0;
	for (uint32_t i = 0; i < m->nslot; i++) {
		uint32_t h;

		if (!m->slot[i].obs)
			continue;
		for (h = m->slot[i].hash & (ns - 1); slot[h].obs; h = (h + 1) & (ns - 1))
			;
		slot[h] = m->slot[i];
	}
	mem_free(m->slot);
	m->slot = slot;
	m->nslot = ns;
	return 1;
}

static void memo_free(struct memo *m)
{
	mem_free(m->slot);
	mem_free(m->pool);
}

/* Rebuilds a struct obs (borrowing strings) from a compact record. */
static void to_obs(const struct ctx *c, const struct bobs *b, struct obs *o)
{
	memset(o, 0, sizeof(*o));
	o->time = b->time;
	o->kind = (enum obs_kind)b->kind;
	o->port = b->port;
	o->proto = b->proto;
	o->flags = b->flags;
	o->value = b->value;
	o->len = b->len;
	if (b->probe)
		str_set(o->probe, sizeof(o->probe), c->names.str[b->probe - 1]);
}

/*
 * attr_candidates() for observation i (1-based) with CANDS_PER_OBS of room,
 * from the memo when an observation with the same kind, probe and value was
 * asked before.  What the memo cannot keep (the pool full, a candidate not
 * naming i) is asked again each time.
 */
static int obs_cands(struct ctx *c, struct attr_scratch *sc, uint32_t i, struct cand *out)
{
	struct memo *m = &c->memo;
	const struct bobs *b = &c->o[i - 1];
	uint32_t h = memo_hash(b), at = 0;
	struct obs o;
	int n;

	if (m->nslot) {
		for (at = h & (m->nslot - 1); m->slot[at].obs; at = (at + 1) & (m->nslot - 1)) {
			const struct memo_ent *e = &m->slot[at];

			if (e->hash != h || !memo_same(&c->o[e->obs - 1], b))
				continue;
			memcpy(out, m->pool + e->first, e->n * sizeof(*out));
			for (uint32_t j = 0; j < e->n; j++)
				out[j].obs = (int)(i - 1);
			m->hits++;
			return (int)e->n;
		}
	}
	to_obs(c, b, &o);
	n = attr_candidates(c->kb, sc, &o, (int)(i - 1), out, CANDS_PER_OBS);
	m->misses++;
	for (int j = 0; j < n; j++)
		if (out[j].obs != (int)(i - 1))
			return n;
	if (m->npool + (uint32_t)n > MEMO_CANDS || !memo_room(m))
		return n;
	if (!m->pool && !(m->pool = mem_alloc(MEMO_CANDS * sizeof(*m->pool))))
		return n;
	for (at = h & (m->nslot - 1); m->slot[at].obs; at = (at + 1) & (m->nslot - 1))
		;
	m->slot[at] = (struct memo_ent){h, i, m->npool, (uint32_t)n};
	memcpy(m->pool + m->npool, out, (size_t)n * sizeof(*out));
	m->npool += (uint32_t)n;
	m->used++;
	return n;
}

static const char *vid(const struct kb *kb, int idx)
{
	const struct vendor *v = idx >= 0 ? vreg_get(kb->vr, idx) : NULL;

	return v ? v->id : "";
}

/* Identity fields of the asset from its group's keys: the MAC first, then address, then ref. */
static void identity(const struct ctx *c, uint32_t first, struct asset_rec *a)
{
	const char *best[3] = {NULL, NULL, NULL};

	for (uint32_t i = first; i; i = c->o[i - 1].next) {
		const struct bobs *b = &c->o[i - 1];

		for (int k = 0; k < 3; k++)
			if (b->keys[k] && !best[k])
				best[k] = c->keys.str[b->keys[k] - 1];
		if (b->site && !a->site[0])
			str_set(a->site, sizeof(a->site), c->names.str[b->site - 1]);
		if (!a->first_seen || (b->time && b->time < a->first_seen))
			a->first_seen = b->time;
		if (b->time > a->last_seen)
			a->last_seen = b->time;
		a->n_obs++;
	}
	for (int k = 0; k < 3; k++)
		if (best[k] && !a->key[0])
			str_set(a->key, sizeof(a->key), best[k]);
	if (best[0])
		str_set(a->mac, sizeof(a->mac), best[0] + 4);
	if (best[1]) {
		const char *slash = strrchr(best[1], '/');

		str_copy(a->scope, sizeof(a->scope), best[1] + 3, (size_t)(slash - best[1] - 3));
		str_set(a->addr, sizeof(a->addr), slash + 1);
	}
	if (best[2] && !strncmp(best[2], "ref:", 4))
		str_set(a->ref, sizeof(a->ref), best[2] + 4);
}

/*
 * Attribution and the store's writes overlap: a worker thread attributes
 * the groups in order, BATCH_GROUPS at a time, into one of two batches,
 * while the calling thread writes the other one (each asset, then its
 * batch's evidence in order).  The store sees the same rows in the same
 * order as one thread doing both, so the ids are the same.  Without a
 * thread, one thread fills and writes each batch in turn.
 */
#define BATCH_GROUPS 256

struct batch {
	struct asset_rec a[BATCH_GROUPS];
	uint32_t nev_of[BATCH_GROUPS]; /* evidence rows of each asset, in ev[] in order */
	struct ev_rec *ev;	       /* asset_id filled when the asset is written */
	size_t nev, capev;
	int n;			       /* assets; 0 after the last group */
	int full;		       /* filled, not yet written */
	int rc;			       /* the worker's failure (out of memory) */
	long attributed;
	int64_t t_attr;
};

struct pipe {
	struct ctx *c;
	struct attr_scratch *sc;
	struct cand *cands;
	const uint32_t *head; /* group roots' first observations, [1 .. nroot] */
	uint32_t nroot, next; /* the worker's next root */
	struct batch b[2];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop; /* the writer gave up: the worker stops */
};

/* A zeroed evidence row at the batch's end; NULL when out of memory. */
static struct ev_rec *ev_add(struct batch *b)
{
	struct ev_rec *e;

	if (b->nev == b->capev) {
		size_t nc = b->capev ? b->capev * 2 : 4096;

		if (!(e = mem_realloc(b->ev, nc * sizeof(*e))))
			return NULL;
		b->ev = e;
		b->capev = nc;
	}
	e = &b->ev[b->nev++];
	memset(e, 0, sizeof(*e));
	return e;
}

/* Attributes the group from first into the batch's next asset and its evidence rows. */
static int attr_group(struct ctx *c, struct attr_scratch *sc, uint32_t first, struct cand *cands,
		      struct batch *b)
{
	struct asset_rec *a = &b->a[b->n];
	struct attribution at;
	struct obs o;
	size_t nev0 = b->nev;
	int n = 0;

	for (uint32_t i = first; i && n < CANDS_PER_ASSET; i = c->o[i - 1].next) {
		int room = CANDS_PER_ASSET - n < CANDS_PER_OBS ? CANDS_PER_ASSET - n : CANDS_PER_OBS;

		if (room == CANDS_PER_OBS) {
			n += obs_cands(c, sc, i, cands + n);
			continue;
		}
		to_obs(c, &c->o[i - 1], &o);
		n += attr_candidates(c->kb, sc, &o, (int)(i - 1), cands + n, room);
	}
	attr_fuse(c->kb->vr, cands, n, &at);
	memset(a, 0, sizeof(*a));
	identity(c, first, a);
	str_set(a->vendor, sizeof(a->vendor), vid(c->kb, at.vendor));
	str_set(a->family, sizeof(a->family), vid(c->kb, at.family));
	str_set(a->product, sizeof(a->product), at.product);
	str_set(a->model, sizeof(a->model), at.model);
	str_set(a->version, sizeof(a->version), at.version);
	str_set(a->role, sizeof(a->role), at.role);
	a->conf = at.conf;
	a->flags = at.flags;
	str_set(a->declared_vendor, sizeof(a->declared_vendor), vid(c->kb, at.declared_vendor));
	str_set(a->component_vendor, sizeof(a->component_vendor), vid(c->kb, at.component_vendor));
	str_set(a->hint_vendor, sizeof(a->hint_vendor), vid(c->kb, at.hint_vendor));
	b->attributed += at.vendor >= 0;
	/* what was seen but claimed nothing is still shown with the asset */
	for (uint32_t i = first; i; i = c->o[i - 1].next) {
		int used = 0;
		struct ev_rec *e;

		for (int j = 0; j < n && !used; j++)
			used = cands[j].obs == (int)(i - 1);
		if (used)
			continue;
		if (!(e = ev_add(b)))
			return TM_ENOMEM;
		e->obs_id = c->o[i - 1].id;
		str_set(e->kind, sizeof(e->kind), obs_kind_name((enum obs_kind)c->o[i - 1].kind));
		str_set(e->rule, sizeof(e->rule), "-");
	}
	for (int i = 0; i < n; i++) {
		const struct cand *x = &cands[i];
		struct ev_rec *e;

		if (x->obs < 0 || (x->strength == EV_NONE && !x->role[0] && strcmp(x->rule, "mac:local")))
			continue;
		if (!(e = ev_add(b)))
			return TM_ENOMEM;
		e->obs_id = x->obs >= 0 ? c->o[x->obs].id : 0;
		str_set(e->kind, sizeof(e->kind), obs_kind_name((enum obs_kind)c->o[x->obs].kind));
		str_set(e->vendor, sizeof(e->vendor), vid(c->kb, x->vendor));
		str_set(e->vendor_raw, sizeof(e->vendor_raw), x->vendor_raw);
		str_set(e->product, sizeof(e->product), x->product);
		str_set(e->version, sizeof(e->version), x->version);
		str_set(e->rule, sizeof(e->rule), x->rule);
		e->strength = x->strength;
		e->conf = x->conf;
		e->conflict = !attr_agrees(c->kb->vr, &at, x);
	}
	b->nev_of[b->n++] = (uint32_t)(b->nev - nev0);
	return 0;
}

/* Fills an empty batch with the next groups (none left: b->n stays 0). */
static void fill_batch(struct pipe *p, struct batch *b)
{
	int64_t t0 = now_ns();

	b->n = 0;
	b->nev = 0;
	b->attributed = 0;
	b->rc = 0;
	for (; p->next <= p->nroot && b->n < BATCH_GROUPS; p->next++)
		if (p->head[p->next] && (b->rc = attr_group(p->c, p->sc, p->head[p->next], p->cands, b)))
			break;
	b->t_attr = now_ns() - t0;
}

/* Writes a batch: its assets in order, then its evidence in order (EV_QUEUE rows a call). */
static int write_batch(struct ctx *c, struct store *st, struct batch *b, struct build_stats *bs)
{
	int64_t t0 = now_ns();
	size_t at = 0;
	int rc = 0;

	for (int g = 0; g < b->n && !rc; g++) {
		if ((rc = store_asset_put(st, &b->a[g])))
			break;
		for (uint32_t j = 0; j < b->nev_of[g]; j++)
			b->ev[at + j].asset_id = b->a[g].id;
		at += b->nev_of[g];
	}
	for (size_t i = 0; !rc && i < b->nev; i += EV_QUEUE)
		rc = store_evidence_put_many(st, b->ev + i, b->nev - i < EV_QUEUE ? (int)(b->nev - i) : EV_QUEUE);
	if (!rc) {
		bs->assets += b->n;
		bs->attributed += b->attributed;
		bs->evidence += (long)b->nev;
	}
	c->t_attr += b->t_attr;
	c->t_store += now_ns() - t0;
	return rc;
}

static void *attr_worker(void *vp)
{
	struct pipe *p = vp;

	for (int k = 0;; k ^= 1) {
		struct batch *b = &p->b[k];
		int stop;

		pthread_mutex_lock(&p->mu);
		while (b->full && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		stop = p->stop;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		fill_batch(p, b);
		pthread_mutex_lock(&p->mu);
		b->full = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (b->rc || !b->n)
			break;
	}
	return NULL;
}

/*
 * Begins the transaction, clears the assets (while the worker starts on the
 * groups) and writes every batch; the transaction is left open on success.
 */
static int write_all(struct pipe *p, struct store *st, struct build_stats *bs, int64_t *t_clear)
{
	pthread_t th;
	int threaded = !pthread_create(&th, NULL, attr_worker, p), rc;

	if (!(rc = store_begin_rebuild(st)) && (rc = store_assets_clear(st)))
		store_rollback(st);
	*t_clear = now_ns();
	for (int k = 0; !rc; k ^= 1) {
		struct batch *b = &p->b[k];

		if (threaded) {
			pthread_mutex_lock(&p->mu);
			while (!b->full)
				pthread_cond_wait(&p->cv, &p->mu);
			pthread_mutex_unlock(&p->mu);
		} else {
			fill_batch(p, b);
		}
		if (b->rc) {
			rc = b->rc;
			store_rollback(st);
			break;
		}
		if (!b->n)
			break;
		if ((rc = write_batch(p->c, st, b, bs)))
			store_rollback(st);
		pthread_mutex_lock(&p->mu);
		b->full = 0;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	if (threaded) {
		pthread_mutex_lock(&p->mu);
		p->stop = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(th, NULL);
	}
	return rc;
}

static int strcmp0(const struct strtab *t, uint32_t a, uint32_t b)
{
	return a == b ? 0 : !a ? -1 : !b ? 1 : strcmp(t->str[a - 1], t->str[b - 1]);
}

/*
 * The exchange an observation kind comes from, as far as its kind tells: the kinds one exchange
 * gives together (an SNMP GET's sysDescr, sysObjectID and sysName; an HTTP answer's Server,
 * realm and title; ...) share a number, so that their own order is kept.
 */
static int exchange_of(int kind)
{
	switch (kind) {
	case OBS_SNMP_SYSOBJECTID: case OBS_SNMP_SYSDESCR: case OBS_SNMP_ENGINEID: case OBS_HOSTNAME:
		return OBS_SNMP_SYSDESCR;
	case OBS_HTTP_SERVER: case OBS_HTTP_TITLE: case OBS_HTTP_REALM:
		return OBS_HTTP_SERVER;
	case OBS_TLS_SUBJECT: case OBS_TLS_ISSUER: case OBS_TLS_SAN: case OBS_TLS_SHA256:
		return OBS_TLS_SUBJECT;
	case OBS_LLDP_SYSDESC: case OBS_LLDP_CHASSIS: case OBS_LLDP_SYSNAME: case OBS_LLDP_ORG:
		return OBS_LLDP_SYSDESC;
	case OBS_CDP_PLATFORM: case OBS_CDP_DEVICE_ID: case OBS_CDP_VERSION:
		return OBS_CDP_PLATFORM;
	case OBS_DHCP_VENDOR_CLASS: case OBS_DHCP_HOSTNAME: case OBS_DHCP_PRL: case OBS_DHCP_ENTERPRISE:
	case OBS_DHCP_USER_CLASS:
		return OBS_DHCP_VENDOR_CLASS;
	case OBS_SSDP_SERVER: case OBS_SSDP_USN:
		return OBS_SSDP_SERVER;
	case OBS_UPNP_MANUFACTURER: case OBS_UPNP_MODEL:
		return OBS_UPNP_MANUFACTURER;
	case OBS_INVENTORY_VENDOR: case OBS_INVENTORY_MODEL: case OBS_INVENTORY_ROLE: case OBS_INVENTORY_SERIAL:
	case OBS_INVENTORY_ASSET:
		return OBS_INVENTORY_VENDOR;
	default:
		return kind;
	}
}

/*
 * Observations of a group by exchange -- their keys (MAC, address, ref), site, port, protocol,
 * probe and the exchange their kind comes from -- and inside one exchange in the order they were
 * made (their ids), not in the order of their ids alone: the store's ids follow the order in
 * which batches arrived, which differs between two stores given the same observations (shards
 * into PostgreSQL against one process into SQLite), and attribution breaks ties and picks the
 * asset's address and site by this order.  The kind's exchange matters where two exchanges share
 * a port and name no probe: a camera's HTTP page and its UPnP description (the SSDP follow-up,
 * made by whichever shard has port 1900) are both on port 80.  One exchange's observations are
 * written together, in the order its probe made them (sysDescr before sysObjectID), in every
 * store.  The same observations then give the same assets wherever they are stored.
 */
static int by_exchange(const void *pa, const void *pb, void *vc)
{
	const struct ctx *c = vc;
	const struct bobs *a = &c->o[*(const uint32_t *)pa - 1], *b = &c->o[*(const uint32_t *)pb - 1];
	int d;

	for (int k = 0; k < 3; k++)
		if ((d = strcmp0(&c->keys, a->keys[k], b->keys[k])))
			return d;
	if ((d = strcmp0(&c->names, a->site, b->site)))
		return d;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if ((d = strcmp0(&c->names, a->probe, b->probe)))
		return d;
	if ((d = exchange_of(a->kind) - exchange_of(b->kind)))
		return d;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Sorts the chain from first (1-based) by exchange; its new first.  ord: room for the chain. */
static uint32_t sort_chain(struct ctx *c, uint32_t first, uint32_t *ord)
{
	size_t n = 0;

	for (uint32_t i = first; i; i = c->o[i - 1].next)
		ord[n++] = i;
	qsort_r(ord, n, sizeof(*ord), by_exchange, c);
	for (size_t j = 0; j + 1 < n; j++)
		c->o[ord[j] - 1].next = ord[j + 1];
	c->o[ord[n - 1] - 1].next = 0;
	return ord[0];
}

/*
 * With TRUSTMAP_BUILD_TIMES set, one line on standard error saying where a
 * rebuild's time went (t: start, read, grouped, cleared, written, committed).
 * Times vary, so they are not among build_stats' counters.
 */
static void build_times(const struct ctx *c, const int64_t *t)
{
	if (!getenv("TRUSTMAP_BUILD_TIMES"))
		return;
	fprintf(stderr,
		"build times: read %.3f s, group %.3f s, clear %.3f s, attribute %.3f s, "
		"store writes %.3f s, commit %.3f s, all %.3f s; memo %ld hits, %ld misses\n",
		(double)(t[1] - t[0]) / 1e9, (double)(t[2] - t[1]) / 1e9, (double)(t[3] - t[2]) / 1e9,
		(double)c->t_attr / 1e9, (double)c->t_store / 1e9, (double)(t[5] - t[4]) / 1e9,
		(double)(t[5] - t[0]) / 1e9, c->memo.hits, c->memo.misses);
}

int attr_build(const struct kb *kb, struct store *st, struct build_stats *bs, char *eb, size_t el)
{
	struct ctx c = {.kb = kb, .eb = eb, .el = el};
	struct pipe *p = mem_calloc(1, sizeof(*p)); /* its batches: too big for the stack */
	struct attr_scratch *sc = NULL;
	struct cand *cands = NULL;
	uint32_t *head = NULL, *tail = NULL, *ord = NULL;
	int rc = TM_ENOMEM;
	int64_t t[6] = {now_ns()};

	memset(bs, 0, sizeof(*bs));
	c.ar = arena_new(1 << 20);
	cands = mem_calloc(CANDS_PER_ASSET, sizeof(*cands));
	sc = attr_scratch_new(kb);
	if (!c.ar || !cands || !sc || !p)
		goto out;
	if ((rc = store_obs_iter(st, read_obs, &c))) {
		err_set(eb, el, rc, "reading observations: %s",
			rc == TM_ENOMEM ? "out of memory" : store_errmsg(st));
		goto out;
	}
	bs->obs = (long)c.n;
	t[1] = now_ns();
	rc = TM_ENOMEM;
	c.parent = mem_calloc(c.keys.n + 1, sizeof(*c.parent));
	head = mem_calloc(c.keys.n + 1, sizeof(*head));
	tail = mem_calloc(c.keys.n + 1, sizeof(*tail));
	if (!c.parent || !head || !tail)
		goto out;
	for (uint32_t i = 0; i <= c.keys.n; i++)
		c.parent[i] = i;
	for (size_t i = 0; i < c.n; i++) {
		uint32_t first = 0;

		for (int k = 0; k < 3; k++) {
			uint32_t key = c.o[i].keys[k];

			if (!key)
				continue;
			if (first)
				unite(c.parent, first, key);
			else
				first = key;
		}
	}
	/* chain observations by group root, then each chain by exchange */
	for (size_t i = 0; i < c.n; i++) {
		const struct bobs *b = &c.o[i];
		uint32_t root = find(c.parent, b->keys[0] ? b->keys[0] : b->keys[1] ? b->keys[1] : b->keys[2]);

		if (tail[root])
			c.o[tail[root] - 1].next = (uint32_t)(i + 1);
		else
			head[root] = (uint32_t)(i + 1);
		tail[root] = (uint32_t)(i + 1);
	}
	if (!(ord = mem_alloc((c.n ? c.n : 1) * sizeof(*ord))))
		goto out;
	for (uint32_t r = 1; r <= c.keys.n; r++)
		if (head[r] && c.o[head[r] - 1].next)
			head[r] = sort_chain(&c, head[r], ord);
	t[2] = now_ns();
	p->c = &c;
	p->sc = sc;
	p->cands = cands;
	p->head = head;
	p->nroot = c.keys.n;
	p->next = 1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	rc = write_all(p, st, bs, &t[3]);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	if (rc && (p->b[0].rc || p->b[1].rc)) {
		err_set(eb, el, rc, "attributing assets: out of memory");
		goto out;
	}
	if (rc)
		goto out_db;
	t[4] = now_ns();
	if ((rc = store_commit(st))) {
		/* the message first: a rollback after SQLite's own may set another */
		err_set(eb, el, rc, "writing assets: %s", store_errmsg(st));
		store_rollback(st);
		goto out;
	}
	t[5] = now_ns();
	build_times(&c, t);
	rc = 0;
	goto out;
out_db:
	err_set(eb, el, rc, "writing assets: %s", store_errmsg(st));
out:
	mem_free(head);
	mem_free(tail);
	mem_free(ord);
	mem_free(c.parent);
	mem_free(c.o);
	if (p) {
		mem_free(p->b[0].ev);
		mem_free(p->b[1].ev);
		mem_free(p);
	}
	st_free(&c.keys);
	st_free(&c.names);
	memo_free(&c.memo);
	arena_free(c.ar);
	attr_scratch_free(sc);
	mem_free(cands);
	return rc;
}
