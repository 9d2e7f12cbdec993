/*
 * pen.c - the enterprise-number table of pen.h: a direct table of name
 * pointers indexed by number, names in one arena; the parser walks lines
 * through the bounded reader.  The direct table grows only while it stays
 * dense (at most four slots per name kept, or 1024): a number beyond that
 * goes to a small open-addressing hash instead, so a file naming 1048575
 * alone costs a few bytes, not an 8 MiB table (a file's size, not the
 * numbers it names, bounds the memory).  IANA's real list is dense and
 * sorted, so all of it lands in the direct table.
 */
#include "pen.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/file.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/rd.h"
#include "core/str.h"

#include <string.h>

struct pen_hent {
	uint32_t num;
	const char *name; /* NULL: empty slot */
};

struct pen_db {
	const char **name; /* name[n] of number n, NULL when unassigned */
	size_t cap;	   /* entries in name[] */
	struct pen_hent *h; /* numbers >= cap when they were added; hcap a power of two */
	size_t hcap, hn;
	size_t count;
	size_t skipped;
	struct arena *a; /* names copied by pen_parse */
	char *own;	 /* the file pen_load read; its names are cut in place */
};

/* Per-file parsing state: where we are and what went wrong first. */
struct pctx {
	struct pen_db *db;
	const char *file;
	unsigned long line;
	size_t good; /* lines that assigned a number (duplicates included) */
	char *eb;
	size_t el;
	bool noted;	  /* eb holds the first skip */
	const char *data; /* the text parsed */
	char *inplace;	  /* the same text when writable: names are NUL-cut in it, not copied */
};

int pen_new(struct pen_db **out)
{
	struct pen_db *db = mem_calloc(1, sizeof(*db));

	*out = NULL;
	if (!db)
		return TM_ENOMEM;
	if (!(db->a = arena_new(0))) {
		mem_free(db);
		return TM_ENOMEM;
	}
	*out = db;
	return 0;
}

void pen_free(struct pen_db *db)
{
	if (!db)
		return;
	mem_free(db->name);
	mem_free(db->h);
	arena_free(db->a);
	mem_free(db->own);
	mem_free(db);
}

static size_t hslot(uint32_t num, size_t hcap)
{
	uint32_t x = num; /* a full mix: numbers alike in their low bits spread too */

	x ^= x >> 16, x *= 0x7feb352du, x ^= x >> 15, x *= 0x846ca68bu, x ^= x >> 16;
	return (size_t)x & (hcap - 1);
}

static const char *hget(const struct pen_db *db, uint32_t num)
{
	if (!db->hn)
		return NULL;
	for (size_t i = hslot(num, db->hcap);; i = (i + 1) & (db->hcap - 1)) {
		if (!db->h[i].name)
			return NULL;
		if (db->h[i].num == num)
			return db->h[i].name;
	}
}

/* Adds num (not yet in the hash).  0 or TM_ENOMEM. */
static int hput(struct pen_db *db, uint32_t num, const char *name)
{
	size_t i;

	if (2 * (db->hn + 1) > db->hcap) {
		size_t cap = db->hcap ? db->hcap * 2 : 64;
		struct pen_hent *h = mem_calloc(cap, sizeof(*h));

		if (!h)
			return TM_ENOMEM;
		for (size_t j = 0; j < db->hcap; j++) {
			if (!db->h[j].name)
				continue;
			for (i = hslot(db->h[j].num, cap); h[i].name; i = (i + 1) & (cap - 1))
				;
			h[i] = db->h[j];
		}
		mem_free(db->h);
		db->h = h, db->hcap = cap;
	}
	for (i = hslot(num, db->hcap); db->h[i].name; i = (i + 1) & (db->hcap - 1))
		;
	db->h[i].num = num, db->h[i].name = name;
	db->hn++;
	return 0;
}

const char *pen_org(const struct pen_db *db, uint32_t pen)
{
	if (!db)
		return NULL;
	if (pen < db->cap && db->name[pen])
		return db->name[pen];
	return hget(db, pen);
}

int pen_each(const struct pen_db *db, pen_each_fn fn, void *ctx)
{
	int rc;

	if (!db)
		return 0;
	for (size_t n = 0; n < db->cap; n++)
		if (db->name[n] && (rc = fn((uint32_t)n, db->name[n], ctx)))
			return rc;
	for (size_t i = 0; i < db->hcap; i++)
		if (db->h[i].name && (rc = fn(db->h[i].num, db->h[i].name, ctx)))
			return rc;
	return 0;
}

size_t pen_bytes(const struct pen_db *db)
{
	return db ? db->cap * sizeof(*db->name) + db->hcap * sizeof(*db->h) : 0;
}

size_t pen_count(const struct pen_db *db)
{
	return db ? db->count : 0;
}

size_t pen_skipped(const struct pen_db *db)
{
	return db ? db->skipped : 0;
}

/*
 * Makes name[n] addressable (n < PEN_MAX) when the table would stay dense:
 * 1 when it is, 0 when n is to go to the hash, TM_ENOMEM.
 */
static int room(struct pen_db *db, size_t n)
{
	size_t cap = db->cap ? db->cap : 1024;
	const char **p;

	if (n < db->cap)
		return 1;
	while (cap <= n)
		cap *= 2;
	if (cap > PEN_MAX)
		cap = PEN_MAX;
	if (cap > 1024 && cap / 4 > db->count + 1)
		return 0;
	if (!(p = mem_realloc(db->name, cap * sizeof(*p))))
		return TM_ENOMEM;
	memset(p + db->cap, 0, (cap - db->cap) * sizeof(*p));
	db->name = p;
	db->cap = cap;
	return 1;
}

static void skip(struct pctx *c, const char *why)
{
	c->db->skipped++;
	if (!c->noted) {
		err_set(c->eb, c->el, TM_EPROTO, "%s:%lu: %s", c->file, c->line, why);
		c->noted = true;
	}
}

/* One line.  0, or TM_ENOMEM to stop on. */
static int line(struct pctx *c, const char *l, size_t n)
{
	size_t d = 0, e;
	uint64_t num = 0;
	const char *name, *tab;
	char *s;
	int dense;

	str_trim(&l, &n);
	if (!n || l[0] == '#')
		return 0;
	while (d < n && l[d] >= '0' && l[d] <= '9' && num < PEN_MAX)
		num = num * 10 + (uint64_t)(l[d++] - '0');
	if (!d || (d < n && l[d] != ' ' && l[d] != '\t' && !(l[d] >= '0' && l[d] <= '9')))
		return skip(c, "no enterprise number"), 0;
	if (num >= PEN_MAX)
		return skip(c, "enterprise number too large"), 0;
	name = l + d, e = n - d;
	str_trim(&name, &e);
	if ((tab = memchr(name, '\t', e)))
		e = (size_t)(tab - name);
	str_trim(&name, &e);
	if (!e)
		return skip(c, "no name"), 0;
	if (e > PEN_NAME_MAX)
		return skip(c, "name too long"), 0;
	for (size_t i = 0; i < e; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return skip(c, "control byte in name"), 0;
	c->good++;
	if (pen_org(c->db, (uint32_t)num)) /* the first assignment wins */
		return 0;
	if ((dense = room(c->db, num)) < 0)
		return TM_ENOMEM;
	if (c->inplace) { /* name[e] is the line's end or a blank after the name */
		s = c->inplace + (name - c->data);
		s[e] = 0;
	} else if (!(s = arena_strndup(c->db->a, name, e))) {
		return TM_ENOMEM;
	}
	if (dense)
		c->db->name[num] = s;
	else if (hput(c->db, (uint32_t)num, s) < 0)
		return TM_ENOMEM;
	c->db->count++;
	return 0;
}

/* Parses (data, len); inplace is data itself when the db may cut names in it (it must outlive the
 * db). */
static int parse(struct pen_db *db, const char *file, const char *data, size_t len, char *inplace,
		 char *eb, size_t el)
{
	struct pctx c = {db, file, 0, 0, eb, el, false, data, inplace};
	struct rd r;
	const char *l;
	size_t n;
	bool cut;
	int rc = 0;

	rd_init(&r, data, len);
	while (rc == 0 && rd_line(&r, &l, &n, PEN_LINE_MAX, &cut)) {
		c.line++;
		if (cut)
			skip(&c, "line too long");
		else
			rc = line(&c, l, n);
	}
	if (rc < 0)
		return err_set(eb, el, rc, "%s:%lu: out of memory", file, c.line);
	if (!c.good) {
		if (!c.noted)
			err_set(eb, el, TM_EPROTO, "%s: no enterprise numbers", file);
		return TM_EPROTO;
	}
	if (!c.noted && el)
		eb[0] = 0;
	return 0;
}

int pen_parse(struct pen_db *db, const char *file, const char *data, size_t len, char *eb,
	      size_t el)
{
	return parse(db, file, data, len, NULL, eb, el);
}

/*
 * The file is read whole and kept: names are cut out of it in place rather
 * than copied, which halves the memory touched (page faults dominate the
 * load time).
 */
int pen_load(struct pen_db **out, const char *path, char *eb, size_t el)
{
	struct pen_db *db = NULL;
	char *data = NULL;
	size_t n;
	int rc;

	*out = NULL;
	if ((rc = file_read(path, PEN_FILE_MAX, &data, &n, eb, el)) < 0)
		return rc;
	if ((rc = pen_new(&db)) < 0) {
		mem_free(data);
		return err_set(eb, el, rc, "%s: out of memory", path);
	}
	db->own = data;
	rc = parse(db, path, data, n, data, eb, el);
	if (rc < 0) {
		pen_free(db);
		return rc;
	}
	if (db->skipped)
		log_warn("%s: %zu lines skipped, first %s", path, db->skipped, eb);
	*out = db;
	return 0;
}
