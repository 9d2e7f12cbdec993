/*
 * cost.c - the cost model loader (cost.h, docs/cost.md) and role guessing.
 * The YAML is read through core/yamlrd.h as policy.c reads policies: the
 * file is capped (1 MiB), aliases are refused, and every node is
 * checked against the schema here; the first error aborts the load with
 * file:line:column, the field's path and what is wrong.
 */
#include "cost.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/str.h"
#include "core/yamlrd.h"

#include <ctype.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COST_MAX_BYTES (1u << 20)

static const char *const role_names[CR_N] = {
	"ran-baseband", "ran-radio", "core-router", "router", "aggregation-switch", "switch",
	"access-switch", "firewall", "ont", "cpe", "camera", "nvr", "dvr", "radio", "server", "other",
};

static const int role_class[CR_N] = {
	CC_CORE, CC_ACCESS, CC_CORE, CC_CORE, CC_AGG, CC_AGG, CC_ACCESS, CC_CORE,
	CC_ACCESS, CC_ACCESS, CC_ACCESS, CC_ACCESS, CC_ACCESS, CC_ACCESS, CC_CORE, CC_ACCESS,
};

const char *cost_role_name(int role)
{
	return role >= 0 && role < CR_N ? role_names[role] : "?";
}

int cost_role_find(const char *name)
{
	for (int i = 0; name && i < CR_N; i++)
		if (!strcmp(role_names[i], name))
			return i;
	return -1;
}

int cost_role_class(int role)
{
	return role >= 0 && role < CR_N ? role_class[role] : CC_ACCESS;
}

const char *cost_class_name(int cls)
{
	static const char *const n[] = {"core", "aggregation", "access"};
	return cls >= 0 && cls < 3 ? n[cls] : "?";
}

/* ---- YAML ---- */

struct ctx {
	struct yr y;
	struct cost_model *m;
	int seen_unit[CR_N], seen_weight[CR_N];
	int seen_currency, seen_labour, seen_visit, seen_overhead, seen_roles;
};

/*
 * A sum of money (or a factor): a finite number from lo to hi.  Stricter
 * than yr_double, with messages of its own: a NUL or a long text is named
 * as such, and the bound that was crossed is said.
 */
static int get_num(struct yr *y, const yaml_node_t *n, const char *path, double lo, double hi,
		   double *out)
{
	char tmp[64], *end;

	if (!yr_is_scalar(n) || !yr_slen(n))
		return yr_fail(y, n, path, "expected a number");
	if (yr_slen(n) >= sizeof(tmp) || memchr(yr_sval(n), 0, yr_slen(n)))
		return yr_fail(y, n, path, "expected a number, not a long text");
	memcpy(tmp, yr_sval(n), yr_slen(n));
	tmp[yr_slen(n)] = 0;
	errno = 0;
	*out = strtod(tmp, &end);
	if (*end || errno || !isfinite(*out) || end == tmp)
		return yr_fail(y, n, path, "expected a number, not \"%s\"", tmp);
	if (*out < lo)
		return yr_fail(y, n, path, "%s is %s", tmp, lo == 0 ? "negative" : "too small");
	if (*out > hi)
		return yr_fail(y, n, path, "%s is above %g", tmp, hi);
	return 0;
}

static int role_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
		      const char *path)
{
	struct ctx *c = y->user;
	int r = *(int *)obj;

	(void)k;
	if (!strcmp(key, "unit")) {
		c->seen_unit[r] = 1;
		return get_num(y, v, path, 0, COST_MAX_MONEY, &c->m->unit[r]);
	}
	if (!strcmp(key, "weight")) {
		c->seen_weight[r] = 1;
		if (get_num(y, v, path, 0, 1e6, &c->m->weight[r]))
			return TM_EPROTO;
		if (c->m->weight[r] <= 0)
			return yr_fail(y, v, path, "a risk weight is above 0");
		return 0;
	}
	return 1;
}

static int roles_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
		       const char *path)
{
	int r = cost_role_find(key);
	char all[400];
	size_t n = 0;

	(void)obj;
	if (r < 0) {
		all[0] = 0;
		for (int i = 0; i < CR_N && n < sizeof(all); i++)
			n += (size_t)snprintf(all + n, sizeof(all) - n, "%s%s", i ? ", " : "",
					      role_names[i]);
		return yr_fail(y, k, "roles", "unknown role \"%s\" (roles: %s)", key, all);
	}
	return yr_walk(y, v, path, &r, role_field);
}

static int regions_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
			 const char *path)
{
	struct ctx *c = y->user;
	struct cost_region *g = &c->m->regions[c->m->nregions];

	(void)obj;
	if (strlen(key) >= sizeof(g->name))
		return yr_fail(y, k, path, "a region name is at most %zu characters",
			       sizeof(g->name) - 1);
	str_set(g->name, sizeof(g->name), key);
	if (get_num(y, v, path, 0, 1000, &g->factor))
		return TM_EPROTO;
	if (g->factor <= 0)
		return yr_fail(y, v, path, "a region factor is above 0");
	c->m->nregions++;
	return 0;
}

static int top_field(struct yr *y, void *obj, const char *key, yaml_node_t *k, yaml_node_t *v,
		     const char *path)
{
	struct ctx *c = y->user;
	struct cost_model *m = c->m;

	(void)obj, (void)k;
	if (!strcmp(key, "version")) {
		if (!yr_is_scalar(v) || yr_slen(v) != 1 || yr_sval(v)[0] != '1')
			return yr_fail(y, v, path, "this trustmap reads cost model version 1");
		return 0;
	}
	if (!strcmp(key, "name"))
		return yr_text(y, v, path, &m->name);
	if (!strcmp(key, "note"))
		return yr_is_scalar(v) ? 0 : yr_fail(y, v, path, "expected text");
	if (!strcmp(key, "currency")) {
		c->seen_currency = 1;
		if (!yr_is_scalar(v) || yr_slen(v) != 3 || !isupper((unsigned char)yr_sval(v)[0]) ||
		    !isupper((unsigned char)yr_sval(v)[1]) ||
		    !isupper((unsigned char)yr_sval(v)[2]))
			return yr_fail(
			    y, v, path,
			    "a currency is an ISO 4217 code of three capital letters (USD, EUR, GBP)");
		memcpy(m->currency, yr_sval(v), 3);
		m->currency[3] = 0;
		return 0;
	}
	if (!strcmp(key, "labour_per_device"))
		return c->seen_labour = 1, get_num(y, v, path, 0, COST_MAX_MONEY, &m->labour);
	if (!strcmp(key, "site_visit"))
		return c->seen_visit = 1, get_num(y, v, path, 0, COST_MAX_MONEY, &m->site_visit);
	if (!strcmp(key, "site_overhead"))
		return c->seen_overhead = 1,
		       get_num(y, v, path, 0, COST_MAX_MONEY, &m->site_overhead);
	if (!strcmp(key, "roles"))
		return c->seen_roles = 1, yr_walk(y, v, path, NULL, roles_field);
	if (!strcmp(key, "regions")) {
		if (!v || v->type != YAML_MAPPING_NODE)
			return yr_fail(y, v, path, "expected a mapping of region names to factors");
		size_t n = yr_map_len(v);
		if (n > COST_MAX_REGIONS)
			return yr_fail(y, v, path, "more than %d regions", COST_MAX_REGIONS);
		if (!(m->regions = arena_alloc(m->arena, (n ? n : 1) * sizeof(*m->regions))))
			return TM_ENOMEM;
		return yr_walk(y, v, path, NULL, regions_field);
	}
	return 1;
}

/* Everything a model must say: the currency, the three site and labour figures, each role's unit and weight. */
static int complete(struct ctx *c, yaml_node_t *root)
{
	struct yr *y = &c->y;

	if (!c->seen_currency)
		return yr_fail(y, root, "currency", "missing (an ISO 4217 code such as USD)");
	if (!c->seen_labour)
		return yr_fail(y, root, "labour_per_device", "missing cost");
	if (!c->seen_visit)
		return yr_fail(y, root, "site_visit", "missing cost");
	if (!c->seen_overhead)
		return yr_fail(y, root, "site_overhead", "missing cost");
	if (!c->seen_roles)
		return yr_fail(y, root, "roles", "missing: every role needs unit: and weight:");
	for (int r = 0; r < CR_N; r++) {
		char path[64];
		snprintf(path, sizeof(path), "roles.%s", role_names[r]);
		if (!c->seen_unit[r])
			return yr_fail(y, root, path, "missing unit cost");
		if (!c->seen_weight[r])
			return yr_fail(y, root, path, "missing risk weight");
	}
	return 0;
}

int cost_parse(const char *file, const char *data, size_t len, struct cost_model **out, char *eb,
	       size_t el)
{
	struct cost_model *m;
	struct ctx c;
	yaml_node_t *root;
	int rc;

	*out = NULL;
	if (len > COST_MAX_BYTES)
		return err_set(eb, el, TM_ELIMIT, "%s: a cost model is at most 1 MiB", file);
	if (!(m = mem_calloc(1, sizeof(*m))) || !(m->arena = arena_new(0))) {
		mem_free(m);
		return err_set(eb, el, TM_ENOMEM, "%s: out of memory", file);
	}
	memset(&c, 0, sizeof(c));
	c.m = m;
	c.y = (struct yr){.file = file,
			  .noun = "cost model",
			  .arena = m->arena,
			  .max_pairs = COST_MAX_REGIONS,
			  .user = &c,
			  .eb = eb,
			  .el = el};
	if ((rc = yr_load(&c.y, data, len, &root)))
		goto out;
	if (!(m->file = arena_strdup(m->arena, file))) {
		rc = TM_ENOMEM;
		goto out;
	}
	if ((rc = yr_walk(&c.y, root, "", NULL, top_field)) || (rc = complete(&c, root)))
		goto out;
	if (!m->name) {
		const char *b = strrchr(file, '/');
		if (!(m->name = arena_strdup(m->arena, b ? b + 1 : file)))
			rc = TM_ENOMEM;
	}
out:
	if (rc == TM_ENOMEM)
		err_set(eb, el, rc, "%s: out of memory", file);
	yr_fini(&c.y);
	if (rc) {
		cost_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int cost_load(const char *path, struct cost_model **out, char *eb, size_t el)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = file_read(path, COST_MAX_BYTES, &data, &len, eb, el)))
		return rc;
	rc = cost_parse(path, data, len, out, eb, el);
	mem_free(data);
	return rc;
}

void cost_free(struct cost_model *m)
{
	if (!m)
		return;
	arena_free(m->arena);
	mem_free(m);
}

double cost_region_factor(const struct cost_model *m, const char *region)
{
	for (int i = 0; region && *region && i < m->nregions; i++)
		if (!strcasecmp(m->regions[i].name, region))
			return m->regions[i].factor;
	return 1;
}

/* ---- role guessing ---- */

/* Role names attribution and inventories use that are not cost roles. */
static const struct {
	const char *word;
	int role;
} synonyms[] = {
	{"ran", CR_RAN_BASEBAND}, {"bbu", CR_RAN_BASEBAND},  {"baseband", CR_RAN_BASEBAND},
	{"enodeb", CR_RAN_BASEBAND}, {"gnodeb", CR_RAN_BASEBAND}, {"rru", CR_RAN_RADIO},
	{"aau", CR_RAN_RADIO},	  {"rrh", CR_RAN_RADIO},     {"olt", CR_AGG_SWITCH},
	{"aggregation", CR_AGG_SWITCH}, {"transport", CR_ROUTER}, {"ap", CR_ACCESS_SWITCH},
	{"wlc", CR_SERVER},	  {"bmc", CR_SERVER},	     {"nas", CR_SERVER},
	{"storage", CR_SERVER},	  {"loadbalancer", CR_FIREWALL}, {"video", CR_CAMERA},
	{"phone", CR_OTHER},	  {"printer", CR_OTHER},
};

/*
 * Words in attribution text, most specific first.  A trailing '*' matches
 * any word that starts so ("hg8*" matches "HG8245H"); otherwise the whole
 * word (letters and digits) must match.
 */
static const struct {
	const char *word;
	int role;
} guesses[] = {
	{"bbu*", CR_RAN_BASEBAND}, {"baseband", CR_RAN_BASEBAND}, {"enodeb", CR_RAN_BASEBAND},
	{"gnodeb", CR_RAN_BASEBAND}, {"nodeb", CR_RAN_BASEBAND},  {"lmt", CR_RAN_BASEBAND},
	{"rru*", CR_RAN_RADIO},	   {"aau*", CR_RAN_RADIO},	  {"rrh", CR_RAN_RADIO},
	{"ne40e*", CR_CORE_ROUTER}, {"ne5000e", CR_CORE_ROUTER}, {"ne8000*", CR_CORE_ROUTER},
	{"asr9k", CR_CORE_ROUTER}, {"crs", CR_CORE_ROUTER},	  {"t8000", CR_CORE_ROUTER},
	{"nvr", CR_NVR},	   {"ds-7*", CR_NVR},		  {"ds-9*", CR_NVR},
	{"dvr", CR_DVR},	   {"xvr", CR_DVR},
	{"ipc", CR_CAMERA},	   {"camera", CR_CAMERA},	  {"ds-2cd*", CR_CAMERA},
	{"ipcam*", CR_CAMERA},	   {"webcam", CR_CAMERA},	  {"dome", CR_CAMERA},
	{"echolife", CR_ONT},	   {"ont", CR_ONT},		  {"onu", CR_ONT},
	{"hg8*", CR_ONT},	   {"f660", CR_ONT},		  {"f670*", CR_ONT},
	{"gpon", CR_ONT},	   {"ma5800*", CR_AGG_SWITCH},	  {"ma5600*", CR_AGG_SWITCH},
	{"c600", CR_AGG_SWITCH},   {"olt", CR_AGG_SWITCH},
	{"cpe", CR_CPE},	   {"b315*", CR_CPE},		  {"b525*", CR_CPE},
	{"b535*", CR_CPE},	   {"modem", CR_CPE},		  {"gateway", CR_CPE},
	{"hytera", CR_RADIO},	   {"dmr", CR_RADIO},		  {"tetra", CR_RADIO},
	{"repeater", CR_RADIO},	   {"dispatch", CR_RADIO},
	{"firewall", CR_FIREWALL}, {"usg*", CR_FIREWALL},	  {"fortigate*", CR_FIREWALL},
	{"asa", CR_FIREWALL},	   {"srx*", CR_FIREWALL},	  {"eudemon*", CR_FIREWALL},
	{"s12700*", CR_AGG_SWITCH}, {"s9700*", CR_AGG_SWITCH},	  {"ce12800*", CR_AGG_SWITCH},
	{"s2700*", CR_ACCESS_SWITCH}, {"s3700*", CR_ACCESS_SWITCH}, {"s1720*", CR_ACCESS_SWITCH},
	{"switch", CR_SWITCH},	   {"s5700*", CR_SWITCH},	  {"s6700*", CR_SWITCH},
	{"catalyst", CR_SWITCH},   {"nexus", CR_SWITCH},	  {"c2960*", CR_ACCESS_SWITCH},
	{"router", CR_ROUTER},	   {"ar*", CR_ROUTER},		  {"isr*", CR_ROUTER},
	{"asr*", CR_ROUTER},	   {"zxr10", CR_ROUTER},	  {"mx*", CR_ROUTER},
	{"ilo", CR_SERVER},	   {"idrac", CR_SERVER},	  {"server", CR_SERVER},
	{"linux", CR_SERVER},	   {"windows", CR_SERVER},
};

/* Does w's first n bytes match s at i (ASCII case-insensitive), ending a word there (prefix: see below)? */
static int word_at(const char *s, size_t i, const char *w, size_t n, int prefix)
{
	const char *p = s + i;
	size_t j = 0;

	while (j < n && tolower((unsigned char)p[j]) == tolower((unsigned char)w[j]))
		j++;
	if (j < n)
		return 0;
	/* a prefix ("ar*") matches "AR2220" but not "Arista": a short one must be followed by no letter */
	return prefix ? !isalpha((unsigned char)p[n]) || n > 3 : !isalnum((unsigned char)p[n]);
}

/*
 * A text and the places where a run of letters and digits starts in it,
 * found once for all ~80 guess words: a word that starts with a letter or
 * digit (all of them) can match only there.  n < 0: more places than fit,
 * every place is tried.
 */
struct wstarts {
	const char *s;
	size_t len;
	uint32_t at[128];
	int n;
};

static void wstarts_of(struct wstarts *x, const char *s)
{
	x->s = s, x->len = strlen(s), x->n = 0;
	for (size_t i = 0; i < x->len; i++) {
		if (!isalnum((unsigned char)s[i]) || (i && isalnum((unsigned char)s[i - 1])))
			continue;
		if (x->n == (int)(sizeof(x->at) / sizeof(x->at[0])) || i > UINT32_MAX) {
			x->n = -1;
			return;
		}
		x->at[x->n++] = (uint32_t)i;
	}
}

/*
 * Does word w (with an optional trailing '*') occur in x's text as a word?
 * The same answer as searching every place and keeping a match that starts
 * a word, without that search's cost of the text's length times the word's
 * for every guess word.
 */
static int has_word(const struct wstarts *x, const char *w)
{
	size_t n = strlen(w);
	int prefix = n && w[n - 1] == '*';

	if (prefix)
		n--;
	if (!n || n >= 32 || n > x->len)
		return 0;
	if (x->n < 0 || !isalnum((unsigned char)w[0])) {
		for (size_t i = 0; i + n <= x->len; i++)
			if ((!i || !isalnum((unsigned char)x->s[i - 1])) && word_at(x->s, i, w, n, prefix))
				return 1;
		return 0;
	}
	for (int k = 0; k < x->n && x->at[k] + n <= x->len; k++)
		if (word_at(x->s, x->at[k], w, n, prefix))
			return 1;
	return 0;
}

int cost_guess_role(const char *role, const char *const *text, int *guessed)
{
	*guessed = 0;
	if (role && *role) {
		char low[32];
		str_set(low, sizeof(low), role);
		str_lower(low);
		int r = cost_role_find(low);
		if (r >= 0)
			return r;
		for (size_t i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++)
			if (!strcmp(synonyms[i].word, low))
				return synonyms[i].role;
	}
	*guessed = 1;
	struct wstarts ws[8];
	size_t nt = 0;

	for (const char *const *t = text; t && *t; t++)
		nt++;
	if (nt <= sizeof(ws) / sizeof(ws[0])) {
		for (size_t k = 0; k < nt; k++)
			wstarts_of(&ws[k], text[k]);
		for (size_t i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++)
			for (size_t k = 0; k < nt; k++)
				if (ws[k].len && has_word(&ws[k], guesses[i].word))
					return guesses[i].role;
		return CR_OTHER;
	}
	for (size_t i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++)
		for (const char *const *t = text; *t; t++) {
			struct wstarts one;

			if (!**t)
				continue;
			wstarts_of(&one, *t);
			if (has_word(&one, guesses[i].word))
				return guesses[i].role;
		}
	return CR_OTHER;
}
