/* common.c - helpers shared by the subcommands (common.h). */
#include "common.h"
#include "cli.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"
#include "../kb/kb.h"
#include "../kb/kbver.h"
#include "../kb/vendor.h"
#include "../report/table.h"
#include "../store/store.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct kb *cli_kb(const char *cmd, const struct common *c)
{
	struct kb_opts o = {.kb_dir = c->kb_dir, .lists = c->lists,
			    .skip = c->no_nmap ? KB_SKIP_NMAP : 0};
	struct kb *kb;
	char eb[TM_ERRLEN];

	if (kb_load(&kb, &o, eb, sizeof(eb))) {
		fprintf(stderr, "trustmap %s: %s\n", cmd, eb);
		return NULL;
	}
	return kb;
}

/* The real URLs behind the arguments cli_hide_db_passwords() rewrote: {shown, real} pairs. */
static char *db_shown[4], *db_real[4];
static int ndb;

void cli_hide_db_passwords(int argc, char **argv)
{
	for (int i = 1; i < argc && ndb < 4; i++) {
		char *u = strstr(argv[i], "postgres");
		char shown[1024];
		size_t pre;

		if (!u || (strncmp(u, "postgresql://", 13) && strncmp(u, "postgres://", 11)))
			continue;
		pre = (size_t)(u - argv[i]);
		if (!store_url_redact(shown, sizeof(shown), u) || !(db_real[ndb] = mem_strdup(u)))
			continue;
		memcpy(u, shown, strlen(shown) + 1); /* never longer than the original */
		memset(u + strlen(shown), 0, strlen(db_real[ndb]) - strlen(shown));
		db_shown[ndb++] = argv[i] + pre;
	}
}

/* The URL to open: --db, else TRUSTMAP_DB, else the default; a rewritten argument's real text. */
static const char *db_url(const struct common *c)
{
	const char *u = c->db && *c->db ? c->db : getenv("TRUSTMAP_DB");

	for (int i = 0; u && i < ndb; i++)
		if (!strcmp(u, db_shown[i]))
			return db_real[i];
	return u;
}

struct store *cli_store(const char *cmd, const struct common *c)
{
	struct store *st;
	char eb[TM_ERRLEN];

	struct kb_opts o = {.kb_dir = c->kb_dir};
	struct kb_ver v[KBV_N];
	char line[STORE_KB_LEN];

	if (store_open(&st, db_url(c), eb, sizeof(eb))) {
		fprintf(stderr, "trustmap %s: %s\n", cmd, eb);
		return NULL;
	}
	/* every run this handle starts records the knowledge in use (kbver.h) */
	kb_versions(&o, v);
	store_set_kb(st, kb_versions_line(v, line, sizeof(line)));
	return st;
}

int cli_format(const char *cmd, const struct common *c)
{
	int f = rep_format_parse(c->format ? c->format : "table");

	if (f < 0)
		fprintf(stderr, "trustmap %s: --format is table, jsonl or csv, not '%s'\n", cmd,
			c->format);
	return f;
}

const char *cli_lists(const struct kb *kb, int vendor, const char *role, char *out, size_t outlen)
{
	size_t n = 0;

	if (outlen)
		out[0] = 0;
	if (vendor < 0)
		return out;
	for (int l = 0; l < vreg_list_count(kb->vr); l++) {
		if (!vreg_in_list(kb->vr, l, vendor, role, -1))
			continue;
		if (n)
			n += str_set(out + n, outlen - n, ",");
		n += str_set(out + n, outlen - n, vreg_list_name(kb->vr, l));
	}
	return out;
}

int cli_unescape(const char *s, struct buf *out)
{
	int rc = 0;

	for (; *s && !rc; s++) {
		if (*s != '\\' || !s[1]) {
			rc = buf_addc(out, *s);
			continue;
		}
		s++;
		switch (*s) {
		case 'r': rc = buf_addc(out, '\r'); break;
		case 'n': rc = buf_addc(out, '\n'); break;
		case 't': rc = buf_addc(out, '\t'); break;
		case '\\': rc = buf_addc(out, '\\'); break;
		case 'x':
			if (str_hexval((unsigned char)s[1]) >= 0 && str_hexval((unsigned char)s[2]) >= 0) {
				rc = buf_addc(out, (char)(str_hexval((unsigned char)s[1]) << 4 |
							  str_hexval((unsigned char)s[2])));
				s += 2;
				break;
			}
			/* fall through */
		default:
			rc = buf_addc(out, '\\');
			if (!rc)
				rc = buf_addc(out, *s);
		}
	}
	return rc;
}

static int run_find_one(void *vc, const struct run_rec *r)
{
	struct run_find *f = vc;

	if (r->id != f->id)
		return 0;
	f->r = *r;
	f->found = 1;
	return 1;
}

int cli_run_find(struct store *st, struct run_find *f)
{
	f->found = 0;
	return store_run_iter(st, run_find_one, f) < 0 ? -1 : 0;
}
