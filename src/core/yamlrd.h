/*
 * yamlrd.h - one YAML document read for a schema: the loader and the typed
 * getters policy.c and cost.c share.  libyaml's document API builds the
 * whole node tree first; libyaml bounds nothing, so callers cap the input
 * size before, and yr_load() refuses aliases (a node reached twice: a
 * "billion laughs" document cannot expand).  The getters check one node
 * each; on failure they write "file:line:col: path: what" (1-based, from
 * libyaml's marks; no "path: " when path is "") into the caller's buffer
 * and return TM_EPROTO, so the first error aborts the load.  Mappings are
 * walked key by key through a callback: unknown and repeated keys are
 * errors.  Knows no trustmap types.
 */
#ifndef TM_YAMLRD_H
#define TM_YAMLRD_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

struct arena;

struct yr {
	const char *file;    /* the name in messages */
	const char *noun;    /* "policy": "empty policy", "aliases ... not allowed in a policy" */
	struct arena *arena; /* yr_text and yr_words copy into it */
	size_t max_pairs;    /* yr_walk: a mapping with more pairs is an error (0: no limit) */
	void *user;	     /* the caller's, for its field callbacks */
	char *eb;	     /* the caller's error buffer */
	size_t el;
	/* private */
	yaml_parser_t parser;
	yaml_document_t doc;
	int parser_live, doc_live;
};

/*
 * Parses (data, len) into y's document (set file, noun, eb, el and the
 * options first).  Returns 0 and the root node in *root, or TM_EPROTO (not
 * YAML, empty, an alias) / TM_ENOMEM with a message in eb.  Call yr_fini()
 * in either case.
 */
int yr_load(struct yr *y, const char *data, size_t len, yaml_node_t **root);
/* Frees the document and the parser (any nodes got from y are gone). */
void yr_fini(struct yr *y);

/* "file:line:col: path: what" of n (0:0 when n is NULL) into eb; returns TM_EPROTO. */
int yr_fail(struct yr *y, const yaml_node_t *n, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline int yr_is_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

/* A scalar's bytes (not NUL-terminated for our purposes: they may hold NULs) and length. */
static inline const char *yr_sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static inline size_t yr_slen(const yaml_node_t *n)
{
	return n->data.scalar.length;
}

/* The node of id in y's document, or NULL. */
yaml_node_t *yr_node(struct yr *y, int id);
/* The i-th item of sequence n (i below yr_seq_len). */
yaml_node_t *yr_item(struct yr *y, const yaml_node_t *n, size_t i);
size_t yr_seq_len(const yaml_node_t *n);
size_t yr_map_len(const yaml_node_t *n);
/* n's 1-based line and column. */
void yr_mark(const yaml_node_t *n, unsigned *line, unsigned *col);
/* The value of key in mapping n, or NULL. */
yaml_node_t *yr_get(struct yr *y, const yaml_node_t *n, const char *key);

/* Text of 1 to max - 1 bytes with no NUL, copied into dst. */
int yr_name(struct yr *y, const yaml_node_t *n, const char *path, char *dst, size_t max);
/* Text with no NUL, copied into y->arena (TM_ENOMEM without a message when it is full). */
int yr_text(struct yr *y, const yaml_node_t *n, const char *path, char **out);
/* A finite number from lo to hi. */
int yr_double(struct yr *y, const yaml_node_t *n, const char *path, double lo, double hi,
	      double *out);
/* A whole number from lo to hi. */
int yr_int(struct yr *y, const yaml_node_t *n, const char *path, int lo, int hi, int *out);
/* true/yes/on or false/no/off, any case. */
int yr_bool(struct yr *y, const yaml_node_t *n, const char *path, int *out);
/* YYYY-MM-DD as days since 1970-01-01. */
int yr_date(struct yr *y, const yaml_node_t *n, const char *path, int64_t *out);
/*
 * One non-empty name or a sequence of at most max of them ("path[i]" in
 * messages), as a NULL-terminated array in y->arena.
 */
int yr_words(struct yr *y, const yaml_node_t *n, const char *path, size_t max,
	     const char ***out);

/*
 * Called by yr_walk for each key (its text, at most 63 bytes, and node) with
 * its value v and path "path.key".  Returns 0, a TM_E* code, or 1 when the
 * key is unknown.
 */
typedef int (*yr_field_fn)(struct yr *y, void *obj, const char *key, yaml_node_t *k,
			   yaml_node_t *v, const char *path);
/*
 * Each key of mapping n in order through fn.  A node that is no mapping,
 * a key that is not a short scalar, a key given twice, an unknown key and
 * more than y->max_pairs pairs are errors.  Returns 0 or the first error.
 */
int yr_walk(struct yr *y, yaml_node_t *n, const char *path, void *obj, yr_field_fn fn);

#endif
