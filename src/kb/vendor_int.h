/*
 * vendor_int.h - the inside of the vendor registry, shared by vendor.c
 * (queries, families, lists), vendor_words.c (word matching of free text),
 * vendor_load.c and vendor_rec.c (the stanza loader).  Not for other modules: they use
 * vendor.h.  Every string lives in the registry's arena; the arrays grow
 * with mem_realloc up to the ceilings below.  The loader's own part (the
 * end of this file) is shared by vendor_load.c and vendor_rec.c.
 */
#ifndef TM_VENDOR_INT_H
#define TM_VENDOR_INT_H

#include "vendor.h"
#include "stanza.h"
#include "../core/buf.h"

#include <stdbool.h>
#include <stdint.h>

#define VR_MAX_VENDORS 65536	 /* ceiling on vendors in one registry */
#define VR_MAX_ALIASES 1048576	 /* ceiling on word phrases (alias, oui-name, not, name) */
#define VR_MAX_LISTS   4096	 /* ceiling on lists */
#define VR_MAX_WORDS   16	 /* words in one phrase */
#define VR_WORD_MAX    64	 /* bytes in one normalised word */
#define VR_KEY_MAX     256	 /* bytes in one exact name (vreg_find) */
#define VR_MAX_DEPTH   64	 /* deepest corporate family */
#define VR_NO_DAY_LO   INT64_MIN /* "since always" */
#define VR_NO_DAY_HI   INT64_MAX /* "still" */

/* One dated ownership: the vendor belongs to parent on days [from, until). */
struct vr_edge {
	int parent;	     /* vendor index; -1 while unresolved or after being dropped */
	int64_t from, until; /* VR_NO_DAY_LO / VR_NO_DAY_HI when open */
	unsigned line;	     /* line of the "parent" field, for messages */
};

struct vr_vendor {
	struct vendor v;     /* the public part (vreg_get) */
	struct vr_edge *par; /* dated parents, in file order (arena) */
	int npar;
};

/* A phrase of words naming a vendor in free text (alias, oui-name, name) or no one (not). */
struct vr_alias {
	const char **w; /* normalised words: lower-case ASCII letters and digits, or one UTF-8 character */
	uint8_t nw;	/* words */
	uint8_t whole;	/* 1: must be the whole text (oui-name) */
	uint16_t nch;	/* letters and digits in all words */
	int vendor;	/* vendor index, -1 for a "not" phrase */
	int next;	/* next phrase with the same first word, -1 at the end */
};

/* One member line of a list. */
struct vr_member {
	int vendor;	     /* the listed vendor; its family below it is covered too */
	const char *roles;   /* ",camera,nvr," or NULL for every role */
	int64_t from, until; /* membership days [from, until); from defaults to the list's date */
};

struct vr_list {
	const char *id, *title, *source;
	int64_t date; /* took effect; VR_NO_DAY_LO when undated */
	struct vr_member *m;
	int nm;
};

/* Open-addressing hash map from byte keys (first byte: a namespace letter) to int. */
struct vr_ment {
	const char *k; /* NULL: empty slot */
	uint32_t klen, h;
	int v;
};

struct vr_map {
	struct vr_ment *e;
	size_t cap, n; /* cap is 0 or a power of two */
};

/* A parent named before its vendor might be defined; resolved at the end of a file. */
struct vr_pend {
	int vendor, edge;
	const char *id;
	unsigned line;
};

#define VR_WBITS 65536 /* bits of the first-word filter */

struct vreg {
	struct arena *a;
	/*
	 * A bit for each first word a phrase is filed under (vr_wbit of its
	 * 'w' key): most words of free text -- and every one of binary
	 * service responses -- are turned away here without a probe into map.
	 */
	uint64_t wfilt[VR_WBITS / 64];
	struct vr_vendor *v;
	int nv, capv;
	struct vr_alias *al;
	int nal, capal;
	struct vr_list *l;
	int nl, capl;
	struct vr_map map;
	struct vr_pend *pend;
	int npend, cappend;
};

/*
 * Map namespaces: 'i' vendor id, 'n' exact name (id, name, alias, oui-name),
 * 'c' CPE vendor, 'p' PEN (4 bytes big-endian), 'w' first word of a phrase
 * (value: head of the phrase chain), 'a' / 'A' a phrase's words joined by
 * spaces (part / whole; value: phrase index), 'l' list id.
 */
uint32_t vr_hash(const char *k, size_t n);
/* The first-word filter's bit for a key whose vr_hash is h. */
static inline uint32_t vr_wbit(uint32_t h)
{
	return (h * 0x9e3779b1u) >> 16;
}
/* Pointer to the value stored under (k, n), or NULL. */
int *vr_map_get(const struct vr_map *m, const char *k, size_t n);
/* Makes room for more keys so that the next `more` vr_map_put calls cannot fail. */
int vr_map_reserve(struct vr_map *m, size_t more);
/* Stores v under k (which must outlive the map: an arena string); after vr_map_reserve. */
void vr_map_put(struct vr_map *m, const char *k, size_t n, int v);
void vr_map_fini(struct vr_map *m);

/* Text words: the next word of (t, n) at or after *pos: [*s, *e).  False at the end. */
bool vr_next_word(const char *t, size_t n, size_t *pos, size_t *s, size_t *e);
/* Normalises t[s..e) into out[VR_WORD_MAX]: lower case, apostrophes dropped.  Length, or -1 if too
 * long. */
int vr_norm_word(const char *t, size_t s, size_t e, char *out);

/* Grows an array of elements of size sz to hold want elements (capacity doubles). */
int vr_grow(void **p, int *cap, int want, size_t sz, int ceiling);
/* Today in days since 1970-01-01 when day < 0, else day. */
int64_t vr_day(int64_t day);

/* Loader */

#define VR_MAX_ITEMS (2 * STANZA_MAX_FIELDS + 2) /* staged items of a record: at most two a field  \
						  */
#define VR_SHOW 60				 /* bytes of a value quoted in a message */

/* One thing a vendor record stores, staged until the whole record is checked. */
struct vr_item {
	char ns; /* map namespace of key: 'n' 'a' 'A' 'x' (not: 'a' key, no vendor) 'c' 'p' 'P'
		    (parent) */
	const char *key; /* map key (arena), NULL for a parent */
	size_t klen;
	const char **w; /* a phrase's words (arena) */
	int nw, nch;
	const char *pid;     /* a parent's id */
	int64_t from, until; /* a parent's days */
	unsigned line;
	bool dup; /* same key as an earlier item of this record: skipped */
};

/* The loader's state while one file is parsed. */
struct vr_ld {
	struct vreg *r;
	unsigned allow;			 /* VREG_VENDORS | VREG_LISTS */
	const char *file;		 /* for messages */
	struct vr_item it[VR_MAX_ITEMS]; /* a vendor record's items, staged */
	int n;
	struct vr_member mem[STANZA_MAX_FIELDS]; /* a list record's members, staged */
	struct buf b;				 /* the current field's decoded value */
};

/* The decoded value of field f, NUL-terminated in the arena (*out, *n). */
int vr_value(struct vr_ld *c, const struct st_field *f, const char **out, size_t *n, char *eb,
	     size_t el);
/* Ids of vendors and lists: lower-case letters, digits and '-', at most 40. */
bool vr_id_ok(const char *s, size_t n);
/* A map key ns + (s, n), lower-cased when lower, NUL-terminated in the arena; NULL when out of
 * memory. */
const char *vr_mkkey(struct vreg *r, char ns, const char *s, size_t n, bool lower);
/* Splits the next white-space separated token (*t, *tn) off (*s, *n); false at the end. */
bool vr_token(const char **s, size_t *n, const char **t, size_t *tn);
/*
 * Parses "[from DAY] [until DAY]" (and "roles a,b" when roles is not NULL)
 * into open-ended days; TM_EPROTO (no message) when malformed or from >= until.
 */
int vr_dates(const char *s, size_t n, int64_t *from, int64_t *until, const char **roles,
	     size_t *rn);
/* The vendor with id (s, n), or -1. */
int vr_by_id(const struct vreg *r, const char *s, size_t n);
/* Checks and stores one "vendor" record (vendor_rec.c). */
int vr_vendor_rec(struct vr_ld *c, const struct st_rec *rec, char *eb, size_t el);

#endif
