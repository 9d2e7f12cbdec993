/*
 * watch.c - `trustmap watch --every 1h --policy FILE [--hook CMD] [--once]
 * TARGET...`: for cron and monitoring.  Each round runs `trustmap scan` of
 * the targets and `trustmap audit --format jsonl` against the policy (this
 * same binary, as child processes, so a round is exactly what the two
 * commands do by hand), and compares the findings with the previous round's
 * (kept in a state file, so that --once from cron compares with the last
 * cron run).  A finding is new when no finding of the previous round had
 * the same kind, rule, asset, address, zone and listed maker.  New findings
 * go to the hook command's standard input as JSON Lines (the audit's own
 * lines); without a hook, watch exits with status 1 at the first round that
 * has any.  The first round ever compares with nothing: all its findings
 * are new.
 */
#include "cli.h"
#include "common.h"
#include "opt.h"
#include "../core/buf.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct cfg {
	struct common c;
	const char *every, *policy, *hook, *state, *ports, *rate, *ctimeout, *rtimeout;
	int once;
};

static const struct opt watch_opts[] = {
	{"every", 0, "INTERVAL", "time between rounds: 90s, 15m, 1h, 1d (default 1h)", OPT_STR,
	 offsetof(struct cfg, every)},
	{"policy", 0, "FILE", "the policy to audit against (required)", OPT_STR, offsetof(struct cfg, policy)},
	{"hook", 0, "CMD", "run CMD (sh -c) with the new findings as JSON Lines on its input", OPT_STR,
	 offsetof(struct cfg, hook)},
	{"once", 0, NULL, "one round, then exit (cron)", OPT_FLAG, offsetof(struct cfg, once)},
	{"state", 0, "FILE", "the previous round's findings (default: DB.watch, or trustmap.watch)", OPT_STR,
	 offsetof(struct cfg, state)},
	{"db", 'd', "URL", "store (default $TRUSTMAP_DB or trustmap.db)", OPT_STR, offsetof(struct cfg, c.db)},
	{"ports", 'p', "SPEC", "scan these ports (trustmap scan -p)", OPT_STR, offsetof(struct cfg, ports)},
	{"rate", 0, "N", "scan rate (trustmap scan --rate)", OPT_STR, offsetof(struct cfg, rate)},
	{"connect-timeout", 0, "MS", "trustmap scan --connect-timeout", OPT_STR, offsetof(struct cfg, ctimeout)},
	{"read-timeout", 0, "MS", "trustmap scan --read-timeout", OPT_STR, offsetof(struct cfg, rtimeout)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, c.kb_dir)},
	{"no-nmap", 0, NULL, "do not load nmap-service-probes", OPT_FLAG, offsetof(struct cfg, c.no_nmap)},
	{NULL},
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* "90", "90s", "15m", "1h", "2d" in seconds; -1 when not understood. */
static long interval(const char *s)
{
	size_t n = strlen(s);
	long mul = 1;
	uint64_t v;

	if (n && strchr("smhd", s[n - 1])) {
		mul = s[n - 1] == 's' ? 1 : s[n - 1] == 'm' ? 60 : s[n - 1] == 'h' ? 3600 : 86400;
		n--;
	}
	if (!n || !str_to_u64(s, n, &v) || v < 1 || v > 366u * 86400 / (uint64_t)mul)
		return -1;
	return (long)v * mul;
}

/*
 * Runs this binary with args; its standard output into out (NULL: left
 * alone).  Returns its exit status, or -1 when it could not run.
 */
static int run_self(char *const *args, struct buf *out)
{
	int pfd[2] = {-1, -1}, st;
	pid_t pid;
	char tmp[4096];
	ssize_t r;

	if (out && pipe(pfd))
		return -1;
	if ((pid = fork()) < 0) {
		if (out) {
			close(pfd[0]);
			close(pfd[1]);
		}
		return -1;
	}
	if (!pid) {
		if (out) {
			dup2(pfd[1], STDOUT_FILENO);
			close(pfd[0]);
			close(pfd[1]);
		} else
			dup2(STDERR_FILENO, STDOUT_FILENO); /* the scan's table is not watch's output */
		execv("/proc/self/exe", args);
		_exit(127);
	}
	if (out) {
		close(pfd[1]);
		while ((r = read(pfd[0], tmp, sizeof(tmp))) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 || buf_add(out, tmp, (size_t)r))
				break;
		}
		close(pfd[0]);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A finding's identity from its audit JSON line, into key; -1 when the line is not one. */
static int finding_key(const char *line, size_t n, struct buf *key)
{
	static const char *const fields[] = {"finding", "rule", "asset", "addr", "zone", "listed", "group"};
	json_error_t je;
	json_t *j = json_loadb(line, n, 0, &je);

	if (!j || !json_is_object(j)) {
		json_decref(j);
		return -1;
	}
	buf_reset(key);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_t *v = json_object_get(j, fields[i]);
		const char *s = json_is_string(v) ? json_string_value(v) : "";
		for (; *s; s++) /* one line per key in the state file */
			buf_addc(key, *s == '\n' || *s == '\t' ? ' ' : *s);
		buf_addc(key, '\t');
	}
	json_decref(j);
	return 0;
}

/* Whether key (NUL-terminated) is a line of the state text prev. */
static int in_state(const char *prev, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = prev; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		if (l == kl && !memcmp(p, key, kl))
			return 1;
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* Reads the state file (NULL when there is none yet: first round). */
static char *read_state(const char *path)
{
	FILE *f = fopen(path, "r");
	struct buf b;
	char tmp[4096];
	size_t r;

	if (!f)
		return NULL;
	buf_init(&b, 0);
	buf_adds(&b, "");
	while ((r = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, r);
	fclose(f);
	return buf_take(&b);
}

static int write_state(const char *path, const struct buf *keys)
{
	char tmp[1040];
	FILE *f;
	int bad;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!(f = fopen(tmp, "w")))
		return -1;
	bad = keys->len && fwrite(keys->p, 1, keys->len, f) != keys->len;
	if (fclose(f) || bad || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Runs the hook with the new findings on its standard input; its exit status, -1 when it could not run. */
static int run_hook(const char *cmd, const struct buf *lines)
{
	FILE *p;
	int st;

	fflush(stdout);
	if (!(p = popen(cmd, "w")))
		return -1;
	if (lines->len)
		fwrite(lines->p, 1, lines->len, p);
	st = pclose(p);
	return st < 0 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* One round: 0 nothing new (or the hook took it), 1 new findings and no hook, 2 an error. */
static int round_(const struct cfg *cfg, char **scan_args, char **audit_args, const char *state_path, long nround)
{
	struct buf out, keys, key, fresh;
	char *prev = NULL;
	int rc = 2, st, first;
	long nnew = 0, nall = 0;

	buf_init(&out, 0);
	buf_init(&keys, 0);
	buf_init(&key, 0);
	buf_init(&fresh, 0);
	if ((st = run_self(scan_args, NULL)) != 0) {
		fprintf(stderr, "trustmap watch: round %ld: the scan failed (exit status %d)\n", nround, st);
		goto out;
	}
	if ((st = run_self(audit_args, &out)) != 0 && st != 1) { /* 1: there are findings */
		fprintf(stderr, "trustmap watch: round %ld: the audit failed (exit status %d)\n", nround, st);
		goto out;
	}
	prev = read_state(state_path);
	first = prev == NULL;
	for (const char *p = out.p; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		if (l && !finding_key(p, l, &key)) {
			nall++;
			buf_add(&keys, key.p, key.len);
			buf_addc(&keys, '\n');
			if (!in_state(prev, buf_str(&key))) {
				nnew++;
				buf_add(&fresh, p, l);
				buf_addc(&fresh, '\n');
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	if (write_state(state_path, &keys)) {
		fprintf(stderr, "trustmap watch: cannot write %s: %s\n", state_path, strerror(errno));
		goto out;
	}
	printf("watch round %ld: %ld findings, %ld new%s\n", nround, nall, nnew,
	       first ? " (first round: nothing to compare with)" : "");
	fflush(stdout);
	rc = 0;
	if (!nnew)
		goto out;
	if (!cfg->hook) {
		fwrite(fresh.p, 1, fresh.len, stdout);
		rc = 1;
	} else if ((st = run_hook(cfg->hook, &fresh)) != 0) {
		fprintf(stderr, "trustmap watch: round %ld: the hook failed (exit status %d)\n", nround, st);
		rc = 2;
	}
out:
	mem_free(prev);
	buf_fini(&out);
	buf_fini(&keys);
	buf_fini(&key);
	buf_fini(&fresh);
	return rc;
}

int cmd_watch(int argc, char **argv)
{
	struct cfg cfg = {0};
	char *scan_args[64], *audit_args[24], state_path[1024], policy[1024];
	const char *db;
	int npos, rc, ns = 0, na = 0;
	long every, nround = 0;

	rc = opt_parse(watch_opts, &cfg, argc, argv, &npos, "--policy FILE [--every 1h] [--hook CMD] [--once] TARGET...");
	if (rc)
		return rc > 0 ? 0 : 2;
	if (!cfg.policy || !npos) {
		fprintf(stderr, "trustmap watch: --policy FILE and at least one TARGET are needed (see --help)\n");
		return 2;
	}
	if ((every = interval(cfg.every ? cfg.every : "1h")) < 0) {
		fprintf(stderr, "trustmap watch: --every wants a time like 90s, 15m, 1h or 1d, not '%s'\n", cfg.every);
		return 2;
	}
	if (npos > 40) {
		fprintf(stderr, "trustmap watch: at most 40 targets (use ranges)\n");
		return 2;
	}
	db = cfg.c.db && *cfg.c.db ? cfg.c.db : getenv("TRUSTMAP_DB");
	if (!db || !*db)
		db = "trustmap.db";
	if (cfg.state)
		str_set(state_path, sizeof(state_path), cfg.state);
	else if (strstr(db, "://"))
		str_set(state_path, sizeof(state_path), "trustmap.watch");
	else
		snprintf(state_path, sizeof(state_path), "%s.watch", !strncmp(db, "sqlite:", 7) ? db + 7 : db);
	str_set(policy, sizeof(policy), cfg.policy);

	scan_args[ns++] = "trustmap";
	scan_args[ns++] = "scan";
	scan_args[ns++] = "--db";
	scan_args[ns++] = (char *)db;
	if (cfg.ports) {
		scan_args[ns++] = "-p";
		scan_args[ns++] = (char *)cfg.ports;
	}
	if (cfg.rate) {
		scan_args[ns++] = "--rate";
		scan_args[ns++] = (char *)cfg.rate;
	}
	if (cfg.ctimeout) {
		scan_args[ns++] = "--connect-timeout";
		scan_args[ns++] = (char *)cfg.ctimeout;
	}
	if (cfg.rtimeout) {
		scan_args[ns++] = "--read-timeout";
		scan_args[ns++] = (char *)cfg.rtimeout;
	}
	audit_args[na++] = "trustmap";
	audit_args[na++] = "audit";
	audit_args[na++] = "--db";
	audit_args[na++] = (char *)db;
	audit_args[na++] = "--policy";
	audit_args[na++] = policy;
	audit_args[na++] = "--format";
	audit_args[na++] = "jsonl";
	audit_args[na++] = "--evidence";
	audit_args[na++] = "0";
	if (cfg.c.kb_dir) {
		scan_args[ns++] = audit_args[na++] = "--kb-dir";
		scan_args[ns++] = audit_args[na++] = (char *)cfg.c.kb_dir;
	}
	if (cfg.c.no_nmap)
		scan_args[ns++] = "--no-nmap";
	for (int i = 1; i <= npos; i++)
		scan_args[ns++] = argv[i];
	scan_args[ns] = NULL;
	audit_args[na] = NULL;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN); /* a hook that does not read its input */
	for (;;) {
		struct timespec ts = {.tv_sec = every};
		rc = round_(&cfg, scan_args, audit_args, state_path, ++nround);
		if (cfg.once || rc == 1 || stop_flag)
			break;
		if (rc == 2)
			fprintf(stderr, "trustmap watch: trying again in %ld s\n", every);
		while (!stop_flag && nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		if (stop_flag)
			break;
	}
	return rc;
}
