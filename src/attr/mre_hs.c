/*
 * mre_hs.c - the Hyperscan side of the multi-regex engine: one block-mode
 * database of every pattern Hyperscan accepts in prefilter mode (it then
 * reports a superset of the real matches; PCRE2 confirms), and its cache on
 * disk.  A cache file "mre-<key>.hsdb" holds a header (magic, key, pattern
 * count, which patterns the database holds, a checksum) and the serialized
 * database; the key hashes every pattern, its flags and the Hyperscan
 * version, so any change to the patterns or the library makes a new file.
 * A file that fails any check is ignored and rewritten; loading one touches
 * it, and writing a new one removes those untouched for PRUNE_DAYS.
 */
#include "mre_int.h"
#include "../core/err.h"
#include "../core/file.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/rd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "TMMREHS1"
#define CACHE_MAX ((size_t)1 << 30)
#define RETRIES 8 /* whole-set compiles retried after dropping a refused pattern */
#define PRUNE_DAYS 30

struct hkey {
	uint64_t a, b;
};

static void mix(struct hkey *k, const void *p, size_t n)
{
	const uint8_t *s = p;

	for (size_t i = 0; i < n; i++) {
		k->a = (k->a ^ s[i]) * 0x100000001b3ull;
		k->b = (k->b + s[i] + 1) * 0x9e3779b97f4a7c15ull;
		k->b ^= k->b >> 29;
	}
}

static unsigned hs_flags(unsigned f)
{
	return HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY |
	       (f & MRE_CASELESS ? HS_FLAG_CASELESS : 0) | (f & MRE_DOTALL ? HS_FLAG_DOTALL : 0);
}

static struct hkey key_of(const struct mre *m)
{
	struct hkey k = {0xcbf29ce484222325ull, 0x6a09e667f3bcc909ull};
	const char *v = hs_version();

	mix(&k, "mre1", 4);
	mix(&k, v, strlen(v) + 1);
	for (size_t i = 0; i < m->n; i++) {
		uint64_t len = m->pat[i].len;
		unsigned fl = hs_flags(m->pat[i].flags) | (unsigned)m->pat[i].want_hs << 31;
		mix(&k, &len, sizeof(len));
		mix(&k, m->pat[i].src, m->pat[i].len);
		mix(&k, &fl, sizeof(fl));
	}
	return k;
}

static uint64_t checksum(const uint8_t *p, size_t n)
{
	struct hkey k = {0xcbf29ce484222325ull, 0};

	mix(&k, p, n);
	return k.a ^ k.b;
}

static int cache_path(char *buf, size_t len, const char *dir, const struct hkey *k)
{
	int w = snprintf(buf, len, "%s/mre-%016llx%016llx.hsdb", dir, (unsigned long long)k->a,
			 (unsigned long long)k->b);
	return w > 0 && (size_t)w < len ? 0 : TM_ELIMIT;
}

static uint64_t rd_le64(struct rd *r)
{
	uint64_t lo = rd_le32(r);
	return lo | (uint64_t)rd_le32(r) << 32;
}

/* Takes the database from a cache file's bytes; 0 or TM_EPROTO. */
static int cache_parse(struct mre *m, const struct hkey *k, const uint8_t *data, size_t len)
{
	struct rd r;
	const uint8_t *magic, *kb, *bits, *db;
	size_t nbits = (m->n + 7) / 8, nhs = 0;
	uint64_t dblen, sum;
	struct hkey fk;

	rd_init(&r, data, len);
	magic = rd_bytes(&r, 8);
	kb = rd_bytes(&r, 16);
	uint32_t n = rd_le32(&r), fnhs = rd_le32(&r);
	bits = rd_bytes(&r, nbits);
	dblen = rd_le64(&r);
	sum = rd_le64(&r);
	if (!rd_ok(&r) || memcmp(magic, MAGIC, 8) || n != m->n || dblen != rd_left(&r))
		return TM_EPROTO;
	db = rd_cur(&r);
	memcpy(&fk.a, kb, 8);
	memcpy(&fk.b, kb + 8, 8);
	if (fk.a != k->a || fk.b != k->b || sum != (checksum(bits, nbits) ^ checksum(db, dblen)))
		return TM_EPROTO;
	for (size_t i = 0; i < m->n; i++) {
		int in_db = bits[i / 8] >> (i % 8) & 1;
		if (in_db && !m->pat[i].want_hs)
			return TM_EPROTO;
		nhs += (size_t)in_db;
	}
	if (nhs != fnhs || !nhs ||
	    hs_deserialize_database((const char *)db, dblen, &m->db) != HS_SUCCESS)
		return TM_EPROTO;
	for (size_t i = 0; i < m->n; i++)
		m->pat[i].hs = bits[i / 8] >> (i % 8) & 1;
	m->nhs = nhs;
	return 0;
}

static int cache_load(struct mre *m, const char *path, const struct hkey *k)
{
	char *data;
	size_t len;
	char eb[TM_ERRLEN];
	int rc;

	if (file_read(path, CACHE_MAX, &data, &len, eb, sizeof(eb)))
		return TM_ENOTFOUND;
	rc = cache_parse(m, k, (const uint8_t *)data, len);
	mem_free(data);
	if (rc)
		log_warn("%s: stale or damaged Hyperscan cache, rebuilding", path);
	else
		utimensat(AT_FDCWD, path, NULL, 0); /* in use: keep it from pruning */
	return rc;
}

/* Removes cache files of ours not used for PRUNE_DAYS (they belong to older pattern sets). */
static void prune(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	time_t old = time(NULL) - (time_t)PRUNE_DAYS * 86400;
	char p[4200];
	struct stat st;

	while (d && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (strncmp(e->d_name, "mre-", 4) || l < 9 ||
		    (strcmp(e->d_name + l - 5, ".hsdb") && strcmp(e->d_name + l - 4, ".lit")))
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) < (int)sizeof(p) &&
		    !lstat(p, &st) && S_ISREG(st.st_mode) && st.st_mtime < old)
			unlink(p);
	}
	if (d)
		closedir(d);
}

/* mkdir -p with mode 0700. */
static int mkdirs(const char *dir)
{
	char tmp[4096];
	size_t n = strlen(dir);

	if (n >= sizeof(tmp))
		return TM_ELIMIT;
	memcpy(tmp, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != 0)
			continue;
		char c = tmp[i];
		tmp[i] = 0;
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return TM_EIO;
		tmp[i] = c;
	}
	return 0;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return TM_EIO;
		s += w, n -= (size_t)w;
	}
	return 0;
}

/* Writes the cache file through a temporary file and rename(2). */
static int cache_store(const struct mre *m, const char *dir, const char *path, const struct hkey *k)
{
	char tmp[4200], *ser = NULL;
	size_t serlen = 0, nbits = (m->n + 7) / 8, hlen = 8 + 16 + 4 + 4 + nbits + 8 + 8;
	uint8_t *hdr = NULL;
	int fd = -1, rc = TM_EIO;

	if (mkdirs(dir) || hs_serialize_database(m->db, &ser, &serlen) != HS_SUCCESS)
		return TM_EIO;
	if (!(hdr = mem_calloc(1, hlen)))
		goto out;
	memcpy(hdr, MAGIC, 8);
	memcpy(hdr + 8, &k->a, 8);
	memcpy(hdr + 16, &k->b, 8);
	put_le(hdr + 24, m->n, 4);
	put_le(hdr + 28, m->nhs, 4);
	for (size_t i = 0; i < m->n; i++)
		if (m->pat[i].hs)
			hdr[32 + i / 8] |= (uint8_t)(1u << (i % 8));
	put_le(hdr + 32 + nbits, serlen, 8);
	put_le(hdr + 40 + nbits, checksum(hdr + 32, nbits) ^ checksum((uint8_t *)ser, serlen), 8);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		goto out;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		goto out;
	if (write_all(fd, hdr, hlen) || write_all(fd, ser, serlen) || close(fd)) {
		fd = -1;
		unlink(tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path)) {
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(ser); /* Hyperscan's allocator is malloc */
	mem_free(hdr);
	return rc;
}

/* ---- the literals' cache (mre_int.h) ---- */

#define LIT_MAGIC "TMMRELT1"

/* The binary that read the literals (its extractor): device, inode, size, modification time. */
static int lit_exe(uint8_t id[40])
{
	struct stat st;

	if (stat("/proc/self/exe", &st))
		return -1;
	put_le(id, (uint64_t)st.st_dev, 8);
	put_le(id + 8, (uint64_t)st.st_ino, 8);
	put_le(id + 16, (uint64_t)st.st_size, 8);
	put_le(id + 24, (uint64_t)st.st_mtim.tv_sec, 8);
	put_le(id + 32, (uint64_t)st.st_mtim.tv_nsec, 8);
	return 0;
}

static int lit_key(const struct mre *m, struct hkey *k)
{
	uint32_t lim[3] = {LIT_MAX, LIT_RUNS, LIT_BRANCHES};

	k->a = 0xcbf29ce484222325ull, k->b = 0x3c6ef372fe94f82bull;
	mix(k, "mrelit1", 7);
	mix(k, lim, sizeof(lim));
	for (size_t i = 0; i < m->n; i++) {
		uint64_t len = m->pat[i].len;
		unsigned fl = m->pat[i].flags;
		mix(k, &len, sizeof(len));
		mix(k, m->pat[i].src, m->pat[i].len);
		mix(k, &fl, sizeof(fl));
	}
	return 0;
}

static int lit_path(char *buf, size_t len, const char *dir, const struct hkey *k)
{
	int w = snprintf(buf, len, "%s/mre-%016llx%016llx.lit", dir, (unsigned long long)k->a,
			 (unsigned long long)k->b);
	return w > 0 && (size_t)w < len ? 0 : TM_ELIMIT;
}

/*
 * The file: magic, key (16), the binary that wrote it (40, lit_exe),
 * pattern count (4), packed bytes (8), checksum of what follows (8), then
 * per pattern its offset (4) and the packed literals, each checked by
 * mre_lit_packed_len before it is used.  Its name holds the key only, so
 * that a rebuilt binary rewrites the file rather than adding one.  0,
 * TM_EPROTO (damaged), TM_ENOTFOUND (another binary's), TM_ENOMEM.
 */
static int lit_parse(struct mre *m, const struct hkey *k, const uint8_t *data, size_t len)
{
	struct lit_cache *c = m->lc;
	const uint8_t *magic, *kb, *exe, *offs, *buf;
	uint8_t id[40];
	struct rd r;
	uint64_t blen, sum;
	uint32_t n;
	uint8_t *nb;

	rd_init(&r, data, len);
	magic = rd_bytes(&r, 8);
	kb = rd_bytes(&r, 16);
	exe = rd_bytes(&r, 40);
	n = rd_le32(&r);
	blen = rd_le64(&r);
	sum = rd_le64(&r);
	if (!rd_ok(&r) || memcmp(magic, LIT_MAGIC, 8) || n != m->n || rd_left(&r) != (uint64_t)n * 4 + blen ||
	    blen > UINT32_MAX || memcmp(kb, &k->a, 8) || memcmp(kb + 8, &k->b, 8) ||
	    sum != checksum(rd_cur(&r), rd_left(&r)))
		return TM_EPROTO;
	if (lit_exe(id) || memcmp(exe, id, 40))
		return TM_ENOTFOUND;
	offs = rd_bytes(&r, (size_t)n * 4);
	buf = rd_bytes(&r, blen);
	for (size_t i = 0; i < n; i++) {
		uint32_t o = (uint32_t)offs[4 * i] | (uint32_t)offs[4 * i + 1] << 8 |
			     (uint32_t)offs[4 * i + 2] << 16 | (uint32_t)offs[4 * i + 3] << 24;
		if (o >= blen || !mre_lit_packed_len(buf + o, blen - o))
			return TM_EPROTO;
	}
	if (!(nb = mem_alloc(blen ? blen : 1)))
		return TM_ENOMEM;
	memcpy(nb, buf, blen);
	for (size_t i = 0; i < n; i++)
		c->off[i] = (uint32_t)offs[4 * i] | (uint32_t)offs[4 * i + 1] << 8 |
			    (uint32_t)offs[4 * i + 2] << 16 | (uint32_t)offs[4 * i + 3] << 24;
	mem_free(c->buf);
	c->buf = nb;
	c->len = c->cap = blen;
	return 0;
}

int mre_lit_cache_load(struct mre *m, const char *cache_dir)
{
	char path[4200], eb[TM_ERRLEN], *data;
	struct hkey k;
	size_t len;
	int rc;

	if (!cache_dir || !m->lc || !m->n || lit_key(m, &k) || lit_path(path, sizeof(path), cache_dir, &k))
		return 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->lc->off[i] != UINT32_MAX)
			return 0; /* read already: keep those */
	if (file_read(path, CACHE_MAX, &data, &len, eb, sizeof(eb)))
		return 0;
	rc = lit_parse(m, &k, (const uint8_t *)data, len);
	mem_free(data);
	if (rc == TM_EPROTO)
		log_warn("%s: stale or damaged literals cache, rebuilding", path);
	else if (!rc)
		utimensat(AT_FDCWD, path, NULL, 0); /* in use: keep it from pruning */
	return !rc;
}

void mre_lit_cache_store(const struct mre *m, const char *cache_dir)
{
	const struct lit_cache *c = m->lc;
	char path[4200], tmp[4300];
	uint8_t hdr[8 + 16 + 40 + 4 + 8 + 8], *offs;
	struct hkey k, s = {0xcbf29ce484222325ull, 0};
	int fd;

	if (!cache_dir || !c || !m->n || c->len > UINT32_MAX || lit_key(m, &k) ||
	    lit_path(path, sizeof(path), cache_dir, &k) || lit_exe(hdr + 24))
		return;
	for (size_t i = 0; i < m->n; i++)
		if (c->off[i] == UINT32_MAX)
			return; /* not every pattern read (a mode that needs fewer): nothing kept */
	if (!(offs = mem_alloc(m->n * 4)))
		return;
	for (size_t i = 0; i < m->n; i++)
		put_le(offs + 4 * i, c->off[i], 4);
	mix(&s, offs, m->n * 4);
	mix(&s, c->buf, c->len);
	memcpy(hdr, LIT_MAGIC, 8);
	memcpy(hdr + 8, &k.a, 8);
	memcpy(hdr + 16, &k.b, 8);
	put_le(hdr + 64, m->n, 4);
	put_le(hdr + 68, c->len, 8);
	put_le(hdr + 76, s.a ^ s.b, 8);
	if (mkdirs(cache_dir) || snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp) ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		mem_free(offs);
		return;
	}
	if (write_all(fd, hdr, sizeof(hdr)) || write_all(fd, offs, m->n * 4) || write_all(fd, c->buf, c->len) ||
	    close(fd) || rename(tmp, path))
		unlink(tmp);
	mem_free(offs);
}

/* Marks the patterns offered that Hyperscan accepts alone (hs_expression_info), without NUL bytes. */
static size_t precheck(struct mre *m)
{
	size_t nhs = 0;

	for (size_t i = 0; i < m->n; i++) {
		hs_expr_info_t *info = NULL;
		hs_compile_error_t *ce = NULL;
		struct mre_pat *pt = &m->pat[i];
		pt->hs = 0;
		if (!pt->want_hs || strlen(pt->src) != pt->len)
			continue;
		if (hs_expression_info(pt->src, hs_flags(pt->flags), &info, &ce) != HS_SUCCESS) {
			hs_free_compile_error(ce);
			continue;
		}
		free(info);
		pt->hs = 1;
		nhs++;
	}
	return nhs;
}

/* Compiles the database of patterns marked hs, dropping ones Hyperscan refuses in the set. */
static int compile_db(struct mre *m, size_t nhs)
{
	const char **exprs = mem_calloc(nhs + 1, sizeof(*exprs));
	unsigned *flags = mem_calloc(nhs + 1, sizeof(*flags)), *ids = mem_calloc(nhs + 1, sizeof(*ids));
	int rc = TM_ENOMEM, tries;

	if (!exprs || !flags || !ids)
		goto out;
	for (tries = 0; tries < RETRIES && nhs; tries++) {
		hs_compile_error_t *ce = NULL;
		size_t k = 0;
		for (size_t i = 0; i < m->n; i++)
			if (m->pat[i].hs) {
				exprs[k] = m->pat[i].src;
				flags[k] = hs_flags(m->pat[i].flags);
				ids[k++] = (unsigned)i;
			}
		if (hs_compile_multi(exprs, flags, ids, (unsigned)k, HS_MODE_BLOCK, NULL, &m->db, &ce) ==
		    HS_SUCCESS) {
			m->nhs = nhs;
			rc = 0;
			goto out;
		}
		if (ce->expression < 0 || (size_t)ce->expression >= k) {
			log_warn("Hyperscan: %s; using the portable prefilter", ce->message);
			hs_free_compile_error(ce);
			break;
		}
		m->pat[ids[ce->expression]].hs = 0;
		nhs--;
		hs_free_compile_error(ce);
	}
	rc = TM_EUNSUP;
out:
	mem_free(exprs);
	mem_free(flags);
	mem_free(ids);
	return rc;
}

int mre_hs_build(struct mre *m, const char *cache_dir, char *eb, size_t el)
{
	struct hkey k = key_of(m);
	char path[4096];
	size_t nhs;
	int rc;

	if (cache_dir && *cache_dir && !cache_path(path, sizeof(path), cache_dir, &k)) {
		if (!cache_load(m, path, &k))
			return m->from_cache = 1, 0;
	} else {
		cache_dir = NULL;
	}
	nhs = precheck(m);
	if (!nhs)
		return 0;
	if ((rc = compile_db(m, nhs))) {
		for (size_t i = 0; i < m->n; i++)
			m->pat[i].hs = 0;
		return rc == TM_ENOMEM ? err_set(eb, el, rc, "out of memory") : rc;
	}
	if (cache_dir && cache_store(m, cache_dir, path, &k))
		log_warn("%s: cannot write the Hyperscan cache (%s)", path, strerror(errno));
	else if (cache_dir)
		prune(cache_dir);
	return 0;
}
