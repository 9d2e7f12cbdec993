/*
 * rules_int.h - the inside of a rule set, shared by rules.c (sets, records,
 * directories), rules_field.c (the fields of a record), rules_match.c
 * (matching, templates, literal prefilter) and rules_selftest.c (examples).
 * Nothing outside src/kb/rules*.c and the rules' unit test includes it.
 */
#ifndef TM_RULES_INT_H
#define TM_RULES_INT_H

#include "rules.h"
#include "stanza.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdbool.h>
#include <stdint.h>

#define RULES_MAX	 65536 /* rules in one set */
#define RULES_ID_MAX	 58    /* "rule:" + id fits cand.rule */
#define RULES_RE_MAX	 4096  /* bytes of one pattern */
#define RULES_LIT_MIN	 3     /* shortest literal worth a prefilter */
#define RULES_LIT_MAX	 63
#define RULES_MATCH_LIMIT 20000 /* PCRE2 match() calls per attempt */
#define RULES_DEPTH_LIMIT 2000

/* The result fields a rule sets and an expect line checks. */
enum rules_field {
	RF_VENDOR,
	RF_PRODUCT,
	RF_MODEL,
	RF_VERSION,
	RF_ROLE,
	RF_OS,
	RF_STRENGTH,
	RF_COMPONENT,
	RF_COUNT
};

/* An example (with what it must yield) or a negative. */
struct rule_ex {
	char *val;		/* decoded bytes, NUL-terminated copy */
	size_t len;		/* bytes in val */
	unsigned line;		/* line of the example/not field */
	bool neg;		/* a negative: must not match its rule */
	char *want[RF_COUNT];	/* expected values, NULL = not checked */
};

struct rule {
	char *id;		/* "huawei-vrp-sysdescr" */
	char *file;		/* file the rule came from */
	unsigned line;		/* line of its header */
	uint64_t kinds;		/* bit (1 << enum obs_kind) per kind read */
	pcre2_code *re;		/* pattern, NULL for an oid rule */
	uint32_t ngroups;	/* capture groups of re */
	char lit[RULES_LIT_MAX + 1]; /* lower-case literal every match contains, "" none */
	uint32_t *oid;		/* prefix arcs of an oid rule, NULL otherwise */
	int oidn;		/* arcs in oid */
	char *vendor;		/* vendor id as written */
	int vidx;		/* index in the registry, -1 without one */
	char *tpl[RF_COUNT];	/* templates of product, model, version, role, os */
	enum ev_strength strength;
	bool component;		/* names a part or agent maker, not the device's */
	struct rule_ex *ex;	/* examples and negatives in file order */
	int nex;
};

/* Rule indices reading one observation kind. */
struct rules_idx {
	uint32_t *i;
	size_t n, cap;
};

/*
 * One kind's literals, for a single pass over a long subject instead of a
 * memmem per rule (rules_match.c): which first two bytes any literal has
 * (one bit each), and chains of the rules' positions in by_kind[k].i by a
 * hash of those two bytes.  Kept as rules are added.
 */
#define RULES_LIT_HEADS 4096
#define RULES_PASS_MIN 16      /* subjects shorter than this: memmem per rule */
#define RULES_PASS_RULES 4096  /* kinds with more rules than this: memmem per rule */

struct rules_lits {
	uint64_t bits[65536 / 64];
	uint32_t head[RULES_LIT_HEADS]; /* position + 1, 0 none */
	uint32_t *next;		       /* by position: the next in its chain + 1, 0 none */
	size_t cap;		       /* of next */
	size_t n;		       /* rules with a literal */
};

struct rules {
	const struct vreg *vr;	/* borrowed, may be NULL */
	struct rule *r;		/* the rules in load order */
	size_t n, cap;
	uint32_t maxgroups;	/* most capture groups of any rule */
	struct rules_idx by_kind[OBS_KIND_COUNT];
	struct rules_lits *lits[OBS_KIND_COUNT]; /* NULL: no rule of that kind has a literal */
	bool no_pass; /* TRUSTMAP_RULES_NOPASS at rules_new: a memmem per rule, never the single pass */
	pcre2_general_context *gctx; /* routes PCRE2's memory through mem_* */
	pcre2_compile_context *cctx;
	pcre2_match_context *mctx; /* match and depth limits */
};

/* The state of reading one record: the set, the rule being built, the field at hand. */
struct rules_ld {
	struct rules *rs;
	struct rule *r;
	const struct st_rec *rec;
	const struct st_field *f;
	char *eb;
	size_t el;
};

/* The bigram a literal (or a subject position) starts with, and its chain. */
static inline unsigned rules_bigram(const char *p)
{
	return (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
}

static inline unsigned rules_lit_head(unsigned bigram)
{
	return (bigram * 40503u >> 4) & (RULES_LIT_HEADS - 1);
}

/* Reads field l->f into l->r; 0 or TM_EPROTO/TM_ENOMEM with "file:line: ..." in l->eb. */
int rules_field(struct rules_ld *l);

/* Formats "file:line: message" into eb and returns TM_EPROTO. */
int rules_ferr(char *eb, size_t el, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Field names as written in rule files and expect lines ("product"). */
const char *rules_field_name(enum rules_field f);

/*
 * The longest literal every match of pattern (p, n) must contain, lower-cased
 * into out (RULES_LIT_MAX + 1 bytes); "" when there is none of at least
 * RULES_LIT_MIN bytes or the pattern is beyond this simple reading.
 */
void rules_literal(const char *p, size_t n, char *out);

/*
 * Checks a template against a pattern with ngroups groups.  Returns 0 or
 * TM_EPROTO with a message (without file:line) in eb.
 */
int rules_tpl_check(const char *t, uint32_t ngroups, bool oid, char *eb, size_t el);

#endif
