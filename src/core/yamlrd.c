/*
 * yamlrd.c - one YAML document read for a schema (yamlrd.h): libyaml's
 * document loader, the alias check, and typed getters whose errors name
 * file:line:col and the field's path.  Shared by the policy and cost model
 * loaders, whose messages the tests assert word for word.
 */
#include "yamlrd.h"

#include "arena.h"
#include "err.h"
#include "mem.h"
#include "str.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int yr_fail(struct yr *y, const yaml_node_t *n, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(y->eb, y->el, TM_EPROTO, "%s:%lu:%lu: %s%s%s", y->file,
		       n ? (unsigned long)n->start_mark.line + 1 : 0UL,
		       n ? (unsigned long)n->start_mark.column + 1 : 0UL, path, *path ? ": " : "", msg);
}

yaml_node_t *yr_node(struct yr *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

yaml_node_t *yr_item(struct yr *y, const yaml_node_t *n, size_t i)
{
	return yr_node(y, n->data.sequence.items.start[i]);
}

size_t yr_seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

size_t yr_map_len(const yaml_node_t *n)
{
	return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

void yr_mark(const yaml_node_t *n, unsigned *line, unsigned *col)
{
	*line = (unsigned)n->start_mark.line + 1;
	*col = (unsigned)n->start_mark.column + 1;
}

yaml_node_t *yr_get(struct yr *y, const yaml_node_t *n, const char *key)
{
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yr_node(y, pr->key);
		if (yr_is_scalar(k) && yr_slen(k) == strlen(key) && !memcmp(yr_sval(k), key, yr_slen(k)))
			return yr_node(y, pr->value);
	}
	return NULL;
}

/* libyaml resolves an alias to the anchored node's id: a node reached twice is an alias. */
static int no_aliases(struct yr *y)
{
	yaml_node_t *start = y->doc.nodes.start, *top = y->doc.nodes.top;
	size_t n = (size_t)(top - start);
	unsigned char *seen = mem_calloc(n + 1, 1);
	int rc = 0;

	if (!seen)
		return TM_ENOMEM;
	for (yaml_node_t *x = start; x < top && !rc; x++) {
		if (x->type == YAML_SEQUENCE_NODE) {
			for (yaml_node_item_t *it = x->data.sequence.items.start;
			     it < x->data.sequence.items.top && !rc; it++)
				if (*it >= 1 && (size_t)*it <= n && seen[*it]++)
					rc = yr_fail(y, yr_node(y, *it), "",
						     "aliases (*name) are not allowed in a %s", y->noun);
		} else if (x->type == YAML_MAPPING_NODE) {
			for (yaml_node_pair_t *pr = x->data.mapping.pairs.start;
			     pr < x->data.mapping.pairs.top && !rc; pr++) {
				int ids[2] = {pr->key, pr->value};
				for (int k = 0; k < 2 && !rc; k++)
					if (ids[k] >= 1 && (size_t)ids[k] <= n && seen[ids[k]]++)
						rc = yr_fail(y, yr_node(y, ids[k]), "",
							     "aliases (*name) are not allowed in a %s",
							     y->noun);
			}
		}
	}
	mem_free(seen);
	return rc;
}

/*
 * Refuses nesting deeper than YR_MAX_DEPTH before the document is built:
 * libyaml's scanner keeps state per flow or block level and slows down
 * with the square of the depth (50,000 '[' took 3 s, a MiB of them many
 * minutes).  One pass over the events, stopped at the first one too deep;
 * a syntax error is left to the load, which names it.
 */
#define YR_MAX_DEPTH 64
static int depth_ok(struct yr *y, const char *data, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, rc = 0;

	if (!yaml_parser_initialize(&p))
		return err_set(y->eb, y->el, TM_ENOMEM, "%s: out of memory", y->file);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev))
			break;
		yaml_event_type_t t = ev.type;
		if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
			if (++depth > YR_MAX_DEPTH)
				rc = err_set(y->eb, y->el, TM_ELIMIT, "%s:%lu:%lu: nested deeper than %d levels",
					     y->file, (unsigned long)ev.start_mark.line + 1,
					     (unsigned long)ev.start_mark.column + 1, YR_MAX_DEPTH);
		} else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		yaml_event_delete(&ev);
		if (rc || t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	return rc;
}

int yr_load(struct yr *y, const char *data, size_t len, yaml_node_t **root)
{
	yaml_parser_t *p = &y->parser;
	int rc;

	*root = NULL;
	y->parser_live = y->doc_live = 0;
	if ((rc = depth_ok(y, data, len)))
		return rc;
	if (!yaml_parser_initialize(p))
		return err_set(y->eb, y->el, TM_ENOMEM, "%s: out of memory", y->file);
	y->parser_live = 1;
	yaml_parser_set_input_string(p, (const unsigned char *)data, len);
	if (!yaml_parser_load(p, &y->doc))
		return err_set(y->eb, y->el, TM_EPROTO, "%s:%lu:%lu: %s%s%s", y->file,
			       (unsigned long)p->problem_mark.line + 1,
			       (unsigned long)p->problem_mark.column + 1,
			       p->problem ? p->problem : "not YAML", p->context ? " " : "",
			       p->context ? p->context : "");
	y->doc_live = 1;
	if (!(*root = yaml_document_get_root_node(&y->doc)))
		return err_set(y->eb, y->el, TM_EPROTO, "%s: empty %s", y->file, y->noun);
	if ((rc = no_aliases(y)) != 0) {
		*root = NULL;
		if (rc == TM_ENOMEM)
			err_set(y->eb, y->el, rc, "%s: out of memory", y->file);
	}
	return rc;
}

void yr_fini(struct yr *y)
{
	if (y->doc_live)
		yaml_document_delete(&y->doc);
	if (y->parser_live)
		yaml_parser_delete(&y->parser);
	y->doc_live = y->parser_live = 0;
}

int yr_name(struct yr *y, const yaml_node_t *n, const char *path, char *dst, size_t max)
{
	if (!yr_is_scalar(n))
		return yr_fail(y, n, path, "expected text");
	if (!yr_slen(n) || yr_slen(n) >= max || memchr(yr_sval(n), 0, yr_slen(n)))
		return yr_fail(y, n, path, "expected a name of 1 to %zu characters", max - 1);
	memcpy(dst, yr_sval(n), yr_slen(n));
	dst[yr_slen(n)] = 0;
	return 0;
}

int yr_text(struct yr *y, const yaml_node_t *n, const char *path, char **out)
{
	if (!yr_is_scalar(n))
		return yr_fail(y, n, path, "expected text");
	if (memchr(yr_sval(n), 0, yr_slen(n)))
		return yr_fail(y, n, path, "text holds a NUL byte");
	if (!(*out = arena_strndup(y->arena, yr_sval(n), yr_slen(n))))
		return TM_ENOMEM;
	return 0;
}

int yr_double(struct yr *y, const yaml_node_t *n, const char *path, double lo, double hi,
	      double *out)
{
	char tmp[64], *end;

	if (!yr_is_scalar(n) || !yr_slen(n) || yr_slen(n) >= sizeof(tmp))
		return yr_fail(y, n, path, "expected a number");
	if (memchr(yr_sval(n), 0, yr_slen(n)))
		return yr_fail(y, n, path, "expected a number, not text holding a NUL byte");
	memcpy(tmp, yr_sval(n), yr_slen(n));
	tmp[yr_slen(n)] = 0;
	errno = 0;
	*out = strtod(tmp, &end);
	if (*end || errno || !isfinite(*out))
		return yr_fail(y, n, path, "expected a number, not \"%s\"", tmp);
	if (*out < lo || *out > hi)
		return yr_fail(y, n, path, "%s is outside %g..%g", tmp, lo, hi);
	return 0;
}

int yr_int(struct yr *y, const yaml_node_t *n, const char *path, int lo, int hi, int *out)
{
	double d;
	int rc = yr_double(y, n, path, lo, hi, &d);

	if (rc)
		return rc;
	if (d != floor(d))
		return yr_fail(y, n, path, "expected a whole number");
	*out = (int)d;
	return 0;
}

int yr_bool(struct yr *y, const yaml_node_t *n, const char *path, int *out)
{
	static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};

	if (yr_is_scalar(n))
		for (int i = 0; i < 3; i++) {
			if (yr_slen(n) == strlen(yes[i]) && !strncasecmp(yr_sval(n), yes[i], yr_slen(n)))
				return *out = 1, 0;
			if (yr_slen(n) == strlen(no[i]) && !strncasecmp(yr_sval(n), no[i], yr_slen(n)))
				return *out = 0, 0;
		}
	return yr_fail(y, n, path, "expected true or false");
}

int yr_date(struct yr *y, const yaml_node_t *n, const char *path, int64_t *out)
{
	if (!yr_is_scalar(n) || !str_to_date(yr_sval(n), yr_slen(n), out))
		return yr_fail(y, n, path, "date is YYYY-MM-DD");
	return 0;
}

/* A non-empty text, or an error naming n and path. */
static int word(struct yr *y, const yaml_node_t *n, const char *path, const char **out)
{
	char *s;
	int rc;

	if ((rc = yr_text(y, n, path, &s)))
		return rc;
	if (!*s)
		return yr_fail(y, n, path, "empty name");
	*out = s;
	return 0;
}

int yr_words(struct yr *y, const yaml_node_t *n, const char *path, size_t max, const char ***out)
{
	size_t cnt;
	const char **w;
	char sub[160];
	int rc;

	if (yr_is_scalar(n)) {
		if (!(w = arena_alloc(y->arena, 2 * sizeof(*w))))
			return TM_ENOMEM;
		if ((rc = word(y, n, path, &w[0])))
			return rc;
		w[1] = NULL;
		*out = w;
		return 0;
	}
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return yr_fail(y, n, path, "expected a name or a list of names");
	cnt = yr_seq_len(n);
	if (cnt > max)
		return yr_fail(y, n, path, "more than %zu items", max);
	if (!(w = arena_alloc(y->arena, (cnt + 1) * sizeof(*w))))
		return TM_ENOMEM;
	for (size_t k = 0; k < cnt; k++) {
		snprintf(sub, sizeof(sub), "%s[%zu]", path, k);
		if ((rc = word(y, yr_item(y, n, k), sub, &w[k])))
			return rc;
	}
	w[cnt] = NULL;
	*out = w;
	return 0;
}

int yr_walk(struct yr *y, yaml_node_t *n, const char *path, void *obj, yr_field_fn fn)
{
	char sub[160], key[64];
	int rc;

	if (!n || n->type != YAML_MAPPING_NODE)
		return yr_fail(y, n, path, "expected a mapping (key: value lines)");
	if (y->max_pairs && yr_map_len(n) > y->max_pairs)
		return yr_fail(y, n, path, "more than %zu entries", y->max_pairs);
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yr_node(y, pr->key), *v = yr_node(y, pr->value);

		if (!yr_is_scalar(k) || !yr_slen(k) || yr_slen(k) >= sizeof(key) || memchr(yr_sval(k), 0, yr_slen(k)))
			return yr_fail(y, k, path, "expected a short key");
		memcpy(key, yr_sval(k), yr_slen(k));
		key[yr_slen(k)] = 0;
		for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < pr; q++) {
			yaml_node_t *k2 = yr_node(y, q->key);
			if (yr_is_scalar(k2) && yr_slen(k2) == yr_slen(k) &&
			    !memcmp(yr_sval(k2), key, yr_slen(k)))
				return yr_fail(y, k, path, "key \"%s\" given twice", key);
		}
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", key);
		rc = fn(y, obj, key, k, v, sub);
		if (rc == 1)
			return yr_fail(y, k, path, "unknown key \"%s\"", key);
		if (rc)
			return rc;
	}
	return 0;
}
