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

struct rules {
	const struct vreg *vr;	/* borrowed, may be NULL */
	struct rule *r;		/* the rules in load order */
	size_t n, cap;
	uint32_t maxgroups;	/* most capture groups of any rule */
	struct rules_idx by_kind[OBS_KIND_COUNT];
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
