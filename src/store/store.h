/*
 * store.h - where trustmap keeps what it learns: runs (an import, scan or
 * capture), observations (verbatim, values as BLOBs), sites, and the assets
 * and evidence that attribution rebuilds from the observations.  The store
 * sits beside the pipeline; every stage reads and writes it through this
 * header only.  The backend is chosen by the URL given to store_open():
 * "postgresql://..." (later, libpq), "sqlite:PATH", or any other text as an
 * SQLite file path (default "trustmap.db").  Every function returns 0 or a
 * negative TM_E* code (core/err.h) and leaves a message for store_errmsg().
 * A handle belongs to one thread at a time.  Strings in the records below
 * are bounded arrays: text read back from the store is cut to fit, never
 * overflows.  Nothing secret is ever stored.
 */
#ifndef TM_STORE_H
#define TM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/obs.h"

#define STORE_DEFAULT_URL "trustmap.db"

struct store;

/*
 * Opens (creating and migrating when needed) the store named by url (NULL or
 * "" for STORE_DEFAULT_URL).  On success *out is a handle to free with
 * store_close(); on failure *out is NULL and eb says why: "not a database",
 * "schema version N is newer than this trustmap knows (M)", ...
 */
int store_open(struct store **out, const char *url, char *eb, size_t el);
/*
 * Copies url into out[n] (cut to fit) without its password: the ":secret"
 * of "postgresql://user:secret@host/db" and every "password=..." query
 * parameter are left out.  Text that is not a postgres(ql):// URL is
 * copied as is.  For messages, run records and argv.  Returns 1 when
 * something was left out, else 0.
 */
int store_url_redact(char *out, size_t n, const char *url);
/* Closes the handle (rolling back an open transaction); NULL is a no-op. */
void store_close(struct store *st);
/*
 * Transactions.  The outermost store_begin() takes the write lock at once
 * (waiting up to the busy timeout for another writer, then TM_ETIMEOUT
 * "database is locked"; readers are never blocked); a nested store_begin() opens a savepoint, so that one bad
 * record can be rolled back without losing the rest.  store_commit() and
 * store_rollback() end the innermost level.
 */
int store_begin(struct store *st);
int store_commit(struct store *st);
int store_rollback(struct store *st);
/*
 * store_begin for a rebuild of the assets (attr_build): outside any
 * transaction a backend may check the evidence's references to assets and
 * observations once, at the commit that ends it (TM_EINVAL then, the
 * transaction left open for the caller's rollback), instead of row by row.
 * Otherwise, and in backends without it, store_begin.
 */
int store_begin_rebuild(struct store *st);
/* How long to wait for another writer (milliseconds; default 5000). */
int store_set_busy_timeout(struct store *st, int ms);
/*
 * Called by a backend, on the thread using st, each time it tries again to
 * reach a server that went away (attempt 1, 2, ...) and once with attempt 0
 * when the server is back (a progress line can say "store: waiting").  fn
 * NULL: none (the default).  SQLite never calls it.
 */
typedef void (*store_wait_fn)(void *ctx, int attempt);
void store_set_wait_hook(struct store *st, store_wait_fn fn, void *ctx);
/*
 * A flag the caller raises (from a signal handler: a second SIGINT) to stop
 * waiting for a server that went away: while *flag is nonzero, a backend
 * that lost its server gives up at once (within 50 ms of the flag rising,
 * TM_EIO "gave up waiting for the server") instead of trying again for up
 * to TRUSTMAP_DB_RETRY seconds.  What was committed stays committed; the
 * transaction being written is lost, as with any store error.  flag NULL:
 * none (the default).  SQLite never waits for a server.
 */
void store_set_give_up(struct store *st, const volatile int *flag);
/* The message of the last failing call on st ("" if none); owned by st. */
const char *store_errmsg(struct store *st);
/* Runs the backend's consistency check; TM_EDB with the first problem found. */
int store_check(struct store *st);

/* ---- runs: one import, scan, capture or identify pass ---- */

/* kind: "import:nmap", "identify", ...; args: the command line, for history. */
int store_run_start(struct store *st, const char *kind, const char *args, int64_t *run_id);
/* status: "ok", "error: ...", "interrupted".  TM_ENOTFOUND for an unknown run. */
int store_run_finish(struct store *st, int64_t run_id, long n_obs, long n_skipped, const char *status);

/*
 * The knowledge in use ("rules=...; ieee-data=...; ...", kbver.h), recorded
 * with every run this handle starts from now on (cut to STORE_KB_LEN - 1).
 */
#define STORE_KB_LEN 512
void store_set_kb(struct store *st, const char *kb);

struct run_rec {
	int64_t id;
	char kind[32];
	char args[256];		 /* cut when longer */
	int64_t started, finished; /* seconds since the epoch; finished 0 while running */
	long n_obs, n_skipped;
	char status[64];
	char kb[STORE_KB_LEN];	 /* the knowledge it used ("" before schema 4) */
	char scan[64];		 /* scan name shared by its shards ("" none; schema 5) */
	int shard, nshards;	 /* shard I (1-based) of N; 0 0 when not sharded */
	int64_t pairs_total, pairs_done; /* (host, port) pairs of this run: all, done */
};
/*
 * Names run_id's scan: the scan name (cut to 63 bytes; "" for none), its
 * shard I of N (1-based; 0 0 when not sharded) and the (host, port) pairs
 * it has to visit.  TM_ENOTFOUND for an unknown run.
 */
int store_run_shard(struct store *st, int64_t run_id, const char *scan, int shard, int nshards,
		    int64_t pairs_total);
/*
 * Records that run_id has visited pairs_done pairs; call it inside the
 * transaction that writes those pairs' observations, so both commit or
 * neither.  TM_ENOTFOUND for an unknown run.
 */
int store_run_progress(struct store *st, int64_t run_id, int64_t pairs_done);
/*
 * A scan's resume state (schema 6; text the store keeps verbatim, its format
 * is the scanner's: docs/scan.md): store_run_resume_put() replaces run_id's,
 * inside the transaction that writes the observations it accounts for, so
 * both commit or neither.  store_run_resume_get() sets *state to a copy to
 * free with mem_free() ("" when none was written).  TM_ENOTFOUND for an
 * unknown run; TM_EUNSUP from a backend without them (a backend implements
 * both or neither: two function pointers in store_ops).
 */
int store_run_resume_put(struct store *st, int64_t run_id, const char *state);
int store_run_resume_get(struct store *st, int64_t run_id, char **state);
typedef int (*store_run_fn)(void *ctx, const struct run_rec *r);
/* Every run in id order; fn returns nonzero to stop (that value is returned). */
int store_run_iter(struct store *st, store_run_fn fn, void *ctx);

/* ---- observations ---- */

/*
 * Adds o (value copied verbatim; a value longer than OBS_VALUE_MAX is cut and
 * flagged OBS_TRUNCATED).  run_id may be 0 for none.  *obs_id (may be NULL)
 * receives the new id.
 */
int store_obs_add(struct store *st, int64_t run_id, const struct obs *o, int64_t *obs_id);
/*
 * store_obs_add of o[0..n) in order (their ids in that order), several rows
 * a statement where the backend can.  A row the store refuses is skipped and
 * counted in *nfailed (may be NULL); returns 0 when every row was added, else
 * the last error (store_errmsg says why).
 */
int store_obs_add_many(struct store *st, int64_t run_id, const struct obs *o, int n, int *nfailed);
/*
 * Every observation in id order; fn returns nonzero to stop (that value is
 * returned).  o and o->value are valid only during the callback.  A kind
 * name this build does not know reads back as OBS_NONE.
 */
typedef int (*store_obs_fn)(void *ctx, int64_t id, const struct obs *o);
int store_obs_iter(struct store *st, store_obs_fn fn, void *ctx);
/*
 * The same for run_id's observations only (trustmap diff, sniff --resume;
 * none for run_id 0).  SQLite and PostgreSQL have it; optional for a
 * backend (store_ops.obs_iter_run NULL: TM_EUNSUP).
 */
int store_obs_iter_run(struct store *st, int64_t run_id, store_obs_fn fn, void *ctx);
/* Number of observations, or a negative TM_E* code. */
int64_t store_obs_count(struct store *st);

/* ---- sites ---- */

struct site_rec {
	char id[64];
	char name[128];
	double lat, lon;
	int has_coords; /* 0: lat/lon unknown (stored as NULL) */
	char operator_[64];
	char region[64];
	char tags[256]; /* "military;border": words separated by ';', "" none */
};
/* Inserts or replaces the site with s->id (which must not be ""). */
int store_site_put(struct store *st, const struct site_rec *s);
/* TM_ENOTFOUND when there is no such site (out untouched). */
int store_site_get(struct store *st, const char *id, struct site_rec *out);
typedef int (*store_site_fn)(void *ctx, const struct site_rec *s);
/* Every site ordered by id; fn returns nonzero to stop (that value is returned). */
int store_site_iter(struct store *st, store_site_fn fn, void *ctx);
/*
 * Every site as a column-lean, zero-copy view, in no particular order (no
 * sort: the cheapest read of a million), for one-pass readers such as the
 * audit.  The strings point into the backend's row, valid during the
 * callback only, never NULL ("" for none), and are as stored: not cut to
 * the sizes of site_rec (cut them where they are kept).  fn returns
 * nonzero to stop (that value is returned).
 */
struct site_view {
	const char *id, *operator_, *region, *tags;
	double lat, lon;
	int has_coords;
};
typedef int (*store_site_view_fn)(void *ctx, const struct site_view *s);
int store_site_scan(struct store *st, store_site_view_fn fn, void *ctx);

/* ---- assets and evidence (written by attribution) ---- */

struct asset_rec {
	int64_t id;
	char key[96]; /* identity: "mac:aa:bb:..", "ip:<scope>/<addr>", "ref:<inventory id>" */
	char mac[18], addr[46], scope[32], ref[64], site[64];
	char vendor[32], family[32]; /* registry ids, "" unknown */
	char product[64], model[48], version[48], role[24];
	double conf;
	unsigned flags; /* attribution flags (opaque to the store) */
	char declared_vendor[32], component_vendor[32], hint_vendor[32];
	int64_t first_seen, last_seen;
	int n_obs;
};

struct ev_rec {
	int64_t asset_id, obs_id; /* obs_id 0: not tied to an observation */
	char kind[24];		  /* obs kind name */
	char vendor[32], vendor_raw[64], product[64], version[48], rule[64];
	int strength;
	double conf;
	int conflict;	      /* this evidence disagrees with the asset's vendor */
	const uint8_t *value; /* the observation's value (filled by iterators; valid during the callback) */
	size_t len;
};

/* Deletes all assets and evidence (before a rebuild).  Asset ids may be reused after. */
int store_assets_clear(struct store *st);
/* Inserts a (a->id ignored) and sets a->id.  TM_EINVAL when a->key is "" or already present. */
int store_asset_put(struct store *st, struct asset_rec *a);
/* Inserts e (value/len ignored: read back from the observation).  TM_EINVAL for an unknown asset or observation. */
int store_evidence_put(struct store *st, const struct ev_rec *e);
/*
 * Inserts e[0..n) in order, as n calls of store_evidence_put would (same
 * rows, same ids, same message for the first that fails; the ones before it
 * stay), in fewer statements where the backend can.
 */
int store_evidence_put_many(struct store *st, const struct ev_rec *e, int n);

/* All members are optional: NULL (or 0) means no condition.  Conditions combine with AND. */
struct asset_filter {
	const char *vendor;
	const char *family;
	const char *const *families; /* NULL-terminated set: family is one of these */
	const char *site;
	double min_conf;	     /* conf >= min_conf */
	long limit;		     /* at most this many assets, 0 no limit */
};
typedef int (*store_asset_fn)(void *ctx, const struct asset_rec *a);
/* Assets matching f (NULL: all) in id order; fn returns nonzero to stop (that value is returned). */
int store_asset_iter(struct store *st, const struct asset_filter *f, store_asset_fn fn, void *ctx);
/*
 * Every asset in id order as a column-lean, zero-copy view (the columns the
 * audit reads; not mac, scope, family, version, declared vendor, times and
 * counts).  Strings as in struct site_view: valid during the callback only,
 * never NULL, not cut to the sizes of asset_rec.  fn returns nonzero to stop.
 */
struct asset_view {
	int64_t id;
	const char *key, *addr, *ref, *site;
	const char *vendor, *product, *model, *role, *component_vendor, *hint_vendor;
	double conf;
	unsigned flags;
};
typedef int (*store_asset_view_fn)(void *ctx, const struct asset_view *a);
int store_asset_scan(struct store *st, store_asset_view_fn fn, void *ctx);
/*
 * The audit's read: only the assets a policy's rule could find.  pick is
 * asked once for each distinct vendor text the assets hold (as stored, never
 * NULL) with role NULL, and returns nonzero when a device of that vendor
 * could be wanted in some role; a backend may then ask again for an asset of
 * a picked vendor with its role (never NULL) and leave it out on zero.  fn
 * gets every asset whose vendor (and role) was picked or whose
 * component_vendor or hint_vendor is not "" (the caller decides about
 * those), in no particular order, with its site's
 * columns (s NULL when the asset names no site or one the store does not
 * have).  Strings as in store_asset_scan.  *n_assets and *n_sites (may be
 * NULL) receive how many assets and sites the store holds in all.  fn
 * returns nonzero to stop (that value is returned).  TM_EUNSUP from a
 * backend without it, or when more than STORE_PICK_MAX vendors are picked:
 * read everything with store_asset_scan then.
 */
#define STORE_PICK_MAX 500
typedef int (*store_vendor_pick_fn)(void *ctx, const char *vendor, const char *role);
typedef int (*store_asset_site_fn)(void *ctx, const struct asset_view *a, const struct site_view *s);
int store_asset_pick(struct store *st, store_vendor_pick_fn pick, store_asset_site_fn fn, void *ctx,
		     long *n_assets, long *n_sites);
/* By numeric id ("42") or key ("mac:..."); TM_ENOTFOUND when absent (out untouched). */
int store_asset_get(struct store *st, const char *id_or_key, struct asset_rec *out);
typedef int (*store_ev_fn)(void *ctx, const struct ev_rec *e);
/* The asset's evidence, strongest first (strength, then conf, then id); fn returns nonzero to stop. */
int store_evidence_iter(struct store *st, int64_t asset_id, store_ev_fn fn, void *ctx);

/* ---- topology links: LLDP/CDP neighbours (sniff), later inventory ---- */

struct link_rec {
	int64_t id, run_id;	 /* id ignored by store_link_put */
	char a_key[96];		 /* asset identity: "mac:aa:bb:cc:dd:ee:ff", "ip:<scope>/<addr>" */
	char a_port[64];	 /* a's port as announced ("" unknown) */
	char b_key[96];		 /* the neighbour, same form, or "capture:<name>" */
	char b_port[64];
	char source[16];	 /* "lldp", "cdp", "inventory" */
	int64_t first_seen, last_seen; /* seconds since the epoch */
};
/*
 * Inserts l, or when a link with the same (a_key, a_port, b_key, b_port)
 * exists, widens its first/last seen and keeps the older run id.
 * TM_EINVAL when a_key or b_key is "".
 */
int store_link_put(struct store *st, const struct link_rec *l);
typedef int (*store_link_fn)(void *ctx, const struct link_rec *l);
/* Every link ordered by (a_key, a_port, b_key, b_port); fn returns nonzero to stop. */
int store_link_iter(struct store *st, store_link_fn fn, void *ctx);

#endif
