/*
 * oui.c - the OUI database of oui.h: three open-addressing hash tables (24-,
 * 28- and 36-bit prefixes, linear probing, Fibonacci hashing, load <= 7/10),
 * an interning set so each organisation name is stored once in an arena,
 * the lookup, and oui_load which reads the files and dates the sources.
 * The parsers live in oui_parse.c.
 */
#include "oui_int.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/file.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const reg_names[] = {"MA-L", "MA-M", "MA-S", "IAB", "manuf"};

/* 16 bytes, so the 24-bit table of ~36k prefixes stays within 1 MiB. */
struct ent {
	uint64_t k;	 /* bits 0-39: prefix + 1 (0: empty slot); 40-42: enum oui_reg of
			    the IEEE registration; 43 (K_SUB): a /28 or /36 lies below */
	uint32_t org[2]; /* per enum oui_src: index + 1 into names[]; 0 when that source lacks it */
};

#define K_KEY ((1ull << 40) - 1)
#define K_REG 40
#define K_SUB (1ull << 43)

struct tab {
	struct ent *e;
	size_t cap; /* a power of two, or 0 */
	int shift;  /* 64 - log2(cap) */
	size_t n;   /* slots used, at most 7/10 of cap */
};

struct istr {
	uint32_t h;   /* hash of the name */
	uint32_t id1; /* index + 1 into names[]; 0 marks an empty slot */
};

struct oui_db {
	struct tab t[3];    /* 24, 28, 36 bits */
	const char **names; /* interned organisation names, in the arena; never move */
	size_t nn, ncap;
	struct istr *is; /* the interning set over names[] */
	size_t icap;	 /* a power of two, or 0 */
	int ishift;	 /* 64 - log2(icap) */
	struct arena *a;
	size_t count; /* entries with at least one organisation */
	size_t skipped;
	int64_t time[2]; /* per enum oui_src */
};

static int tix(int bits)
{
	return bits == 24 ? 0 : bits == 28 ? 1 : 2;
}

static size_t slot(uint64_t k, int shift)
{
	return (size_t)((k * 0x9E3779B97F4A7C15ull) >> shift);
}

/*
 * Zeroed memory for a table.  Not calloc: fresh pages that are first read
 * (a probe) and then written cost two faults and, in a VM, twice the time;
 * memset writes each page once, up front (halves oui_load here).
 */
static void *zalloc(size_t n)
{
	void *p = mem_alloc(n);

	if (p)
		memset(p, 0, n);
	return p;
}

static int ilog2(size_t n)
{
	int l = 0;

	while (n >>= 1)
		l++;
	return l;
}

static const struct ent *tab_find(const struct tab *t, uint64_t key)
{
	uint64_t k = key + 1;

	if (!t->cap)
		return NULL;
	for (size_t i = slot(k, t->shift);; i = (i + 1) & (t->cap - 1)) {
		uint64_t ek = t->e[i].k & K_KEY;

		if (ek == k)
			return &t->e[i];
		if (!ek)
			return NULL;
	}
}

static int tab_grow(struct tab *t)
{
	size_t cap = !t->cap ? 1024 : t->cap < 65536 ? t->cap * 4 : t->cap * 2; /* fewer rehashes */
	int shift = 64 - ilog2(cap);
	struct ent *e;

	e = zalloc(cap * sizeof(*e));
	if (!e)
		return TM_ENOMEM;
	for (size_t j = 0; j < t->cap; j++) {
		size_t i;

		if (!t->e[j].k)
			continue;
		for (i = slot(t->e[j].k & K_KEY, shift); e[i].k; i = (i + 1) & (cap - 1))
			;
		e[i] = t->e[j];
	}
	mem_free(t->e);
	t->e = e;
	t->cap = cap;
	t->shift = shift;
	return 0;
}

/* The entry for key, created empty when missing.  NULL on TM_ENOMEM/TM_ELIMIT (*rc). */
static struct ent *tab_get(struct tab *t, uint64_t key, int *rc)
{
	const struct ent *f = tab_find(t, key);
	size_t i;

	if (f)
		return &t->e[f - t->e];
	if (t->n >= OUI_MAX_PREFIXES) {
		*rc = TM_ELIMIT;
		return NULL;
	}
	if ((t->n + 1) * 10 > t->cap * 7 && (*rc = tab_grow(t)) < 0)
		return NULL;
	for (i = slot(key + 1, t->shift); t->e[i].k; i = (i + 1) & (t->cap - 1))
		;
	t->e[i].k = key + 1;
	t->n++;
	return &t->e[i];
}

static uint32_t str_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

/* Room for one more name in names[] and the set (load <= 7/10).  0, TM_ENOMEM or TM_ELIMIT. */
static int intern_room(struct oui_db *db)
{
	size_t cap = !db->icap ? 1024 : db->icap < 65536 ? db->icap * 4 : db->icap * 2;
	int shift = 64 - ilog2(cap);
	struct istr *is;

	if (db->nn == db->ncap) {
		size_t nc = db->ncap ? db->ncap * 2 : 512;
		const char **n;

		if (nc > 4 * (size_t)OUI_MAX_PREFIXES)
			return TM_ELIMIT;
		if (!(n = mem_realloc(db->names, nc * sizeof(*n))))
			return TM_ENOMEM;
		db->names = n;
		db->ncap = nc;
	}
	if ((db->nn + 1) * 10 <= db->icap * 7)
		return 0;
	if (!(is = zalloc(cap * sizeof(*is))))
		return TM_ENOMEM;
	for (size_t j = 0; j < db->icap; j++) {
		size_t i;

		if (!db->is[j].id1)
			continue;
		for (i = slot(db->is[j].h, shift); is[i].id1; i = (i + 1) & (cap - 1))
			;
		is[i] = db->is[j];
	}
	mem_free(db->is);
	db->is = is;
	db->icap = cap;
	db->ishift = shift;
	return 0;
}

/*
 * The id + 1 of the one copy of (s, n); 0 with *rc = TM_ENOMEM, TM_ELIMIT,
 * or TM_EPROTO when the name holds a control byte.
 */
static uint32_t intern(struct oui_db *db, const char *s, size_t n, int *rc)
{
	uint32_t h = str_hash(s, n);
	size_t i;
	char *p;

	if ((*rc = intern_room(db)) < 0)
		return 0;
	for (i = slot(h, db->ishift); db->is[i].id1; i = (i + 1) & (db->icap - 1)) {
		const char *o = db->names[db->is[i].id1 - 1];

		if (db->is[i].h == h && !strncmp(o, s, n) && !o[n])
			return db->is[i].id1;
	}
	for (size_t j = 0; j < n; j++) /* checked once per distinct name */
		if ((unsigned char)s[j] < 0x20 || s[j] == 0x7f) {
			*rc = TM_EPROTO;
			return 0;
		}
	p = arena_strndup(db->a, s, n);
	if (!p) {
		*rc = TM_ENOMEM;
		return 0;
	}
	db->names[db->nn++] = p;
	db->is[i].h = h;
	db->is[i].id1 = (uint32_t)db->nn;
	return (uint32_t)db->nn;
}

int oui_add(struct oui_db *db, int bits, uint64_t key, enum oui_src src, enum oui_reg reg,
	    const char *org, size_t n)
{
	struct ent *e;
	uint32_t id;
	int rc = TM_ENOMEM;

	if (bits != 24 && bits != 28 && bits != 36)
		return TM_EINVAL;
	if (bits != 24) { /* mark the /24 so lookups know to look deeper */
		e = tab_get(&db->t[0], key >> (bits - 24), &rc);
		if (!e)
			return rc;
		e->k |= K_SUB;
	}
	e = tab_get(&db->t[tix(bits)], key, &rc);
	if (!e)
		return rc;
	if (e->org[src])
		return 1;
	if (!(id = intern(db, org, n, &rc)))
		return rc;
	if (!e->org[0] && !e->org[1])
		db->count++;
	e->org[src] = id;
	if (src == OUI_SRC_IEEE)
		e->k |= (uint64_t)reg << K_REG;
	return 0;
}

void oui_skip(struct oui_db *db)
{
	db->skipped++;
}

int oui_new(struct oui_db **out)
{
	struct oui_db *db = mem_calloc(1, sizeof(*db));

	*out = NULL;
	if (!db)
		return TM_ENOMEM;
	db->a = arena_new(0);
	if (!db->a) {
		mem_free(db);
		return TM_ENOMEM;
	}
	*out = db;
	return 0;
}

void oui_free(struct oui_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < 3; i++)
		mem_free(db->t[i].e);
	mem_free(db->names);
	mem_free(db->is);
	arena_free(db->a);
	mem_free(db);
}

void oui_set_time(struct oui_db *db, enum oui_src src, int64_t t)
{
	db->time[src ? 1 : 0] = t;
}

int64_t oui_time(const struct oui_db *db, enum oui_src src)
{
	return db->time[src ? 1 : 0];
}

size_t oui_count(const struct oui_db *db)
{
	return db ? db->count : 0;
}

size_t oui_skipped(const struct oui_db *db)
{
	return db ? db->skipped : 0;
}

/* Fills hit from e when it holds an organisation; 1 if so. */
static int fill(const struct oui_db *db, const struct ent *e, int bits, struct oui_hit *hit)
{
	static const char hx[] = "0123456789ABCDEF";
	int src;
	uint64_t k;

	if (!e || (!e->org[0] && !e->org[1]))
		return 0;
	if (e->org[0] && e->org[1])
		src = db->time[OUI_SRC_MANUF] > db->time[OUI_SRC_IEEE];
	else
		src = e->org[1] != 0;
	hit->org = db->names[e->org[src] - 1];
	hit->registry = reg_names[src ? OUI_REG_MANUF : (e->k >> K_REG) & 7];
	hit->bits = bits;
	k = (e->k & K_KEY) - 1;
	for (int i = bits / 4 - 1; i >= 0; i--, k >>= 4)
		hit->prefix[i] = hx[k & 15];
	hit->prefix[bits / 4] = 0;
	return 1;
}

/* Longest registered prefix of the 48-bit address m. */
static int find(const struct oui_db *db, uint64_t m, struct oui_hit *hit)
{
	const struct ent *e = tab_find(&db->t[0], m >> 24);

	if (!e)
		return 0;
	if ((e->k & K_SUB) && (fill(db, tab_find(&db->t[2], m >> 12), 36, hit) ||
			       fill(db, tab_find(&db->t[1], m >> 20), 28, hit)))
		return 1;
	return fill(db, e, 24, hit);
}

int oui_lookup(const struct oui_db *db, const uint8_t mac[6], struct oui_hit *hit, unsigned *flags)
{
	uint64_t m = 0;
	unsigned f = (mac[0] & 2 ? OUI_LOCAL : 0) | (mac[0] & 1 ? OUI_MULTICAST : 0);

	if (flags)
		*flags = f;
	if ((f & OUI_LOCAL) || !db)
		return 0;
	for (int i = 0; i < 6; i++)
		m = m << 8 | mac[i];
	if (find(db, m, hit))
		return 1;
	return (f & OUI_MULTICAST) && find(db, m & ~(1ull << 40), hit);
}

/* mtime of path in seconds, 0 when it cannot be read. */
static int64_t mtime(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (int64_t)st.st_mtime;
}

/* The epoch seconds Debian's update-ieee-data writes into dir/.lastupdate; 0 if none. */
static int64_t lastupdate(const char *dir)
{
	char path[4096], eb[TM_ERRLEN], *data;
	const char *p;
	size_t n;
	int64_t t = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/.lastupdate", dir) >= sizeof(path))
		return 0;
	if (file_read(path, 64, &data, &n, eb, sizeof(eb)))
		return 0;
	p = data;
	str_trim(&p, &n);
	if (!str_to_i64(p, n, &t) || t < 0)
		t = 0;
	mem_free(data);
	return t;
}

#define OUI_CHUNK (256u << 10) /* window oui_load streams files through (> 2 * OUI_REC_MAX) */

/*
 * Streams one file through the parser in OUI_CHUNK windows, so a registry
 * never sits whole in memory.  Returns 0, 1 when the file was skipped (with a
 * warning), or TM_ENOMEM.
 */
static int load_one(struct oui_db *db, const char *path, bool manuf)
{
	struct oui_pctx c;
	char eb[TM_ERRLEN], *w;
	size_t have = 0, total = 0, used, skipped = db->skipped;
	FILE *f;
	int rc = 0;

	if (!(f = fopen(path, "rb"))) {
		log_warn("OUI data skipped: %s: %s", path, strerror(errno));
		return 1;
	}
	if (!(w = mem_alloc(OUI_CHUNK))) {
		fclose(f);
		return TM_ENOMEM;
	}
	oui_pctx_init(&c, db, manuf, path, eb, sizeof(eb));
	for (;;) {
		size_t got = fread(w + have, 1, OUI_CHUNK - have, f);
		bool final = got == 0 || feof(f) || ferror(f);

		have += got;
		total += got;
		if (total > OUI_FILE_MAX) {
			rc = err_set(eb, sizeof(eb), TM_ELIMIT, "%s: larger than %u bytes", path,
				     OUI_FILE_MAX);
			break;
		}
		used = oui_pctx_feed(&c, w, have, final, &rc);
		if (rc < 0 || final)
			break;
		memmove(w, w + used, have - used);
		have -= used;
	}
	if (rc == 0 && ferror(f))
		rc = err_set(eb, sizeof(eb), TM_EIO, "%s: read error", path);
	rc = oui_pctx_end(&c, rc);
	fclose(f);
	mem_free(w);
	if (rc == TM_ENOMEM)
		return rc;
	if (rc < 0) {
		log_warn("OUI data skipped: %s", eb);
		return 1;
	}
	if (db->skipped > skipped)
		log_warn("%s: %zu lines skipped, first %s", path, db->skipped - skipped, eb);
	return 0;
}

static int load_ieee(struct oui_db *db, const char *dir)
{
	static const char *const files[] = {"oui.csv", "mam.csv", "oui36.csv", "iab.csv"};
	char path[4096];
	int64_t t = 0, m;
	int rc;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, files[i]) >= sizeof(path))
			continue;
		rc = load_one(db, path, false);
		if (rc < 0)
			return rc;
		if (rc == 0 && (m = mtime(path)) > t)
			t = m;
	}
	m = lastupdate(dir);
	oui_set_time(db, OUI_SRC_IEEE, m ? m : t);
	return 0;
}

int oui_load(struct oui_db **out, const char *ieee_dir, const char *manuf_path, char *eb, size_t el)
{
	struct oui_db *db;
	int rc;

	*out = NULL;
	if ((rc = oui_new(&db)) < 0)
		return err_set(eb, el, rc, "OUI database: out of memory");
	if (ieee_dir && (rc = load_ieee(db, ieee_dir)) < 0)
		goto out_free;
	if (manuf_path) {
		rc = load_one(db, manuf_path, true);
		if (rc < 0)
			goto out_free;
		if (rc == 0 && !db->time[OUI_SRC_MANUF])
			oui_set_time(db, OUI_SRC_MANUF, mtime(manuf_path));
	}
	if (!db->count && (ieee_dir || manuf_path)) {
		rc = err_set(eb, el, TM_ENOTFOUND, "no OUI registrations in %s%s%s",
			     ieee_dir ? ieee_dir : "", ieee_dir && manuf_path ? " or " : "",
			     manuf_path ? manuf_path : "");
		goto out_free;
	}
	*out = db;
	return 0;
out_free:
	if (rc == TM_ENOMEM)
		err_set(eb, el, rc, "OUI database: out of memory");
	oui_free(db);
	return rc;
}
