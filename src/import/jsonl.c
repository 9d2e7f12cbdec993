/*
 * jsonl.c - observation JSON Lines, trustmap's own interchange format: one
 * JSON object a line, either one observation
 *   {"time":1700000000,"addr":"192.0.2.1","port":22,"proto":"tcp",
 *    "kind":"ssh_banner","value":"SSH-2.0-HUAWEI-1.5"}
 * or a device with several ("obs" elements inherit the outer fields):
 *   {"mac":"..","addr":"..","obs":[{"kind":"mac","value":".."},...]}
 * Each line is parsed by jansson (json_loadb, NUL allowed in strings) after
 * the line reader has capped its length.  A record is checked whole before
 * any of its observations is delivered.  docs/import.md has every field.
 */
#include "imp_int.h"

#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <jansson.h>
#include <string.h>

struct jl {
	struct imp_run *r;
	unsigned long line;
	const char *text; /* the raw line, for error columns */
	size_t tlen;
	struct buf val;	 /* decoded value_b64 */
	char macval[18]; /* the normalised value of a mac observation */
};

/* 1-based column of the member "key": in the raw line (its first occurrence as a key), else 1. */
static unsigned long key_col(const struct jl *j, const char *key)
{
	char pat[40];
	int n = snprintf(pat, sizeof(pat), "\"%s\"", key);
	const char *p = j->text, *end = j->text + j->tlen, *q;

	if (n <= 0 || (size_t)n >= sizeof(pat))
		return 1;
	while ((q = memmem(p, (size_t)(end - p), pat, (size_t)n)) != NULL) {
		const char *c = q + n;

		while (c < end && (*c == ' ' || *c == '\t'))
			c++;
		if (c < end && *c == ':')
			return (unsigned long)(q - j->text) + 1;
		p = q + 1;
	}
	return 1;
}

#define BAD(j, key, ...) imp_bad((j)->r, (j)->line, key_col(j, key), __VA_ARGS__)

/* A string field copied into dst (of size cap); bad when not a string or too long. */
static int text_field(struct jl *j, const char *key, json_t *v, char *dst, size_t cap)
{
	const char *s;
	size_t n;

	if (!json_is_string(v))
		return BAD(j, key, "field %s must be a string", key);
	s = json_string_value(v);
	n = json_string_length(v);
	if (n >= cap || memchr(s, 0, n))
		return BAD(j, key, "field %s longer than %zu bytes or holding NUL", key, cap - 1);
	str_copy(dst, cap, s, n);
	return 0;
}

static int time_field(struct jl *j, json_t *v, struct obs *o)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		o->time = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v) && json_real_value(v) >= 0 && json_real_value(v) < 9.2e18) {
		o->time = (int64_t)json_real_value(v);
		return 0;
	}
	if (json_is_string(v) && imp_time(json_string_value(v), json_string_length(v), &o->time))
		return 0;
	return BAD(j, "time", "bad time (want seconds since 1970 or \"YYYY-MM-DDTHH:MM:SSZ\")");
}

static int addr_field(struct jl *j, json_t *v, struct obs *o)
{
	if (!json_is_string(v) || (json_string_length(v) &&
				   !imp_addr(json_string_value(v), json_string_length(v), o->addr)))
		return BAD(j, "addr", "bad address");
	if (!json_string_length(v))
		o->addr[0] = 0;
	return 0;
}

static int mac_field(struct jl *j, json_t *v, struct obs *o)
{
	if (!json_is_string(v) || (json_string_length(v) &&
				   !imp_mac(json_string_value(v), json_string_length(v), o->mac)))
		return BAD(j, "mac", "bad MAC address");
	if (!json_string_length(v))
		o->mac[0] = 0;
	return 0;
}

static int port_field(struct jl *j, json_t *v, struct obs *o)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 65535)
		return BAD(j, "port", "port must be an integer from 0 to 65535");
	o->port = (uint16_t)json_integer_value(v);
	return 0;
}

static int proto_field(struct jl *j, json_t *v, struct obs *o)
{
	json_int_t n = json_is_integer(v) ? json_integer_value(v) : -1;

	if (n == 0 || n == 6 || n == 17) {
		o->proto = (uint8_t)n;
		return 0;
	}
	if (json_is_string(v) && !json_string_length(v)) {
		o->proto = 0;
		return 0;
	}
	if (json_is_string(v) &&
	    imp_proto(json_string_value(v), json_string_length(v), &o->proto) && o->proto != 132)
		return 0;
	return BAD(j, "proto", "proto must be \"tcp\", \"udp\", 6 or 17");
}

static int kind_field(struct jl *j, json_t *v, struct obs *o)
{
	if (!json_is_string(v))
		return BAD(j, "kind", "field kind must be a string");
	o->kind = obs_kind_from_name(json_string_value(v), json_string_length(v));
	if (o->kind == OBS_NONE) {
		char shown[48];

		str_copy(shown, sizeof(shown), json_string_value(v), json_string_length(v));
		return BAD(j, "kind", "unknown kind \"%s\"", shown);
	}
	return 0;
}

static int value_field(struct jl *j, json_t *v, struct obs *o)
{
	if (!json_is_string(v))
		return BAD(j, "value", "field value must be a string");
	obs_set_value(o, json_string_value(v), json_string_length(v));
	return 0;
}

static int b64_field(struct jl *j, json_t *v, struct obs *o)
{
	buf_reset(&j->val);
	if (!json_is_string(v) ||
	    imp_b64(&j->val, json_string_value(v), json_string_length(v)) != 0)
		return BAD(j, "value_b64", "value_b64 is not base64");
	obs_set_value(o, j->val.p ? j->val.p : "", j->val.len);
	return 0;
}

static int flag_field(struct jl *j, const char *key, json_t *v, struct obs *o, unsigned flag)
{
	if (!json_is_boolean(v))
		return BAD(j, key, "field %s must be true or false", key);
	if (json_is_true(v))
		o->flags |= flag;
	return 0;
}

/* Applies one member of an object to o; unknown members are ignored. */
static int member(struct jl *j, const char *key, json_t *v, struct obs *o)
{
	if (!strcmp(key, "time"))
		return time_field(j, v, o);
	if (!strcmp(key, "source"))
		return text_field(j, key, v, o->source, sizeof(o->source));
	if (!strcmp(key, "addr"))
		return addr_field(j, v, o);
	if (!strcmp(key, "scope"))
		return text_field(j, key, v, o->scope, sizeof(o->scope));
	if (!strcmp(key, "mac"))
		return mac_field(j, v, o);
	if (!strcmp(key, "ref"))
		return text_field(j, key, v, o->ref, sizeof(o->ref));
	if (!strcmp(key, "site"))
		return text_field(j, key, v, o->site, sizeof(o->site));
	if (!strcmp(key, "port"))
		return port_field(j, v, o);
	if (!strcmp(key, "proto"))
		return proto_field(j, v, o);
	if (!strcmp(key, "kind"))
		return kind_field(j, v, o);
	if (!strcmp(key, "probe"))
		return text_field(j, key, v, o->probe, sizeof(o->probe));
	if (!strcmp(key, "value"))
		return value_field(j, v, o);
	if (!strcmp(key, "value_b64"))
		return b64_field(j, v, o);
	if (!strcmp(key, "truncated"))
		return flag_field(j, key, v, o, OBS_TRUNCATED);
	if (!strcmp(key, "malformed"))
		return flag_field(j, key, v, o, OBS_MALFORMED);
	return 0;
}

/* Applies every member of obj but "obs" to o; stops at the first bad one. */
static int members(struct jl *j, json_t *obj, struct obs *o)
{
	const char *key;
	json_t *v;
	int rc;

	json_object_foreach(obj, key, v)
	{
		if (strcmp(key, "obs") && (rc = member(j, key, v, o)) != 0)
			return rc;
	}
	return 0;
}

/* Fills o from base and obj, checking what an observation needs. */
static int one(struct jl *j, const struct obs *base, json_t *obj, struct obs *o)
{
	int rc;

	*o = *base;
	if (!json_is_object(obj))
		return BAD(j, "obs", "obs elements must be objects");
	rc = members(j, obj, o);
	if (rc)
		return rc;
	if (o->kind == OBS_NONE)
		return BAD(j, "kind", "missing kind");
	if (json_object_get(obj, "value") && json_object_get(obj, "value_b64"))
		return BAD(j, "value_b64", "both value and value_b64 given");
	if (!o->value && o->kind == OBS_MAC && o->mac[0])
		obs_set_value(o, o->mac, strlen(o->mac));
	if (!o->value)
		return BAD(j, "kind", "missing value (value or value_b64)");
	if (o->kind == OBS_MAC) {
		if (!imp_mac((const char *)o->value, o->len, j->macval))
			return BAD(j, "value",
				   "the value of a mac observation must be a MAC address");
		obs_set_value(o, j->macval, strlen(j->macval));
	}
	return 0;
}

/*
 * Checks (emit = 0) or delivers (emit = 1) the observations of one parsed
 * record.  Returns 0, IMP_SKIP when the record was bad and skipped, or an error.
 */
static int record(struct jl *j, json_t *root, int emit)
{
	struct obs base, o;
	json_t *list = json_object_get(root, "obs"), *el;
	size_t i;
	int rc;

	imp_obs_init(&base, "jsonl");
	if (!list) {
		rc = one(j, &base, root, &o);
		return rc || !emit ? rc : imp_emit(j->r, j->line, &o);
	}
	if (!json_is_array(list))
		return BAD(j, "obs", "obs must be an array");
	rc = members(j, root, &base);
	json_array_foreach(list, i, el)
	{
		if (rc)
			break;
		rc = one(j, &base, el, &o);
		if (!rc && emit)
			rc = imp_emit(j->r, j->line, &o);
	}
	return rc;
}

static int line(struct jl *j, const char *p, size_t n)
{
	json_error_t je;
	json_t *root;
	int rc;

	j->text = p;
	j->tlen = n;
	root = json_loadb(p, n, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &je);
	if (!root && json_error_code(&je) == json_error_out_of_memory)
		return err_set(j->r->eb, j->r->el, TM_ENOMEM, "%s:%lu: out of memory", j->r->file,
			       j->line);
	if (!root)
		return imp_bad(j->r, j->line, je.column > 0 ? (unsigned long)je.column : 1,
			       "invalid JSON: %s", je.text);
	if (!json_is_object(root))
		rc = imp_bad(j->r, j->line, 1, "a record must be a JSON object");
	else if ((rc = record(j, root, 0)) == 0)
		rc = record(j, root, 1);
	json_decref(root);
	return rc;
}

static int run(struct imp_run *r, struct imp_lines *l)
{
	struct jl j = {.r = r};
	const char *p;
	size_t n;
	int rc;

	json_set_alloc_funcs(mem_alloc, mem_free);
	buf_init(&j.val, IMP_LINE_MAX);
	while ((rc = imp_lines_next(l, &p, &n)) == 1) {
		r->st->bytes += (long long)n + 1;
		const char *t = p;
		size_t tn = n;

		j.line = l->lineno;
		str_trim(&t, &tn);
		if (!tn && !l->binary)
			continue;
		r->st->records++;
		if (l->cut)
			rc = imp_bad(r, j.line, IMP_LINE_MAX + 1, "line longer than %d bytes",
				     IMP_LINE_MAX);
		else if (l->binary)
			rc = imp_bad(r, j.line,
				     (unsigned long)((const char *)memchr(p, 0, n) - p) + 1,
				     "binary data (NUL byte) in a text line");
		else
			rc = line(&j, p, n);
		if (rc != 0 && rc != IMP_SKIP)
			break;
	}
	if (rc == IMP_SKIP)
		rc = 0;
	buf_fini(&j.val);
	return rc;
}

int imp_jsonl(const char *path, const struct imp_sink *k, int skip_bad, struct imp_stats *st,
	      char *eb, size_t el)
{
	return imp_drive_lines(path, 0, NULL, 0, run, k, skip_bad, st, eb, el);
}

int imp_jsonl_mem(const char *file, const char *data, size_t len, const struct imp_sink *k,
		  int skip_bad, struct imp_stats *st, char *eb, size_t el)
{
	return imp_drive_lines(file, 1, data, len, run, k, skip_bad, st, eb, el);
}
