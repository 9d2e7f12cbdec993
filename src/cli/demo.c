/*
 * demo.c - `trustmap demo`: the built-in demo network.  Starts the device
 * emulator (trustmap-emu, found beside this binary) with a few thousand
 * devices of a fictional operator on loopback, scans them, lists what the
 * FCC Covered List names, and stops the emulator by its pid.  Installed, the
 * mix comes from PREFIX/share/trustmap/emu/; no python and no source tree are
 * needed (the geo/audit half of `make demo` is scripts/demo's, in the tree).  Everything
 * stays on 127.0.0.0/8; the store is a scratch file unless --db is given.
 */
#include "cli.h"
#include "opt.h"
#include "../core/str.h"
#include "../kb/kb.h"

#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct cfg {
	long hosts;
	long seed;
	const char *db;
	const char *mix;
	const char *kb_dir;
	const char *manifest;
	int keep;
};

static const struct opt opts[] = {
	{"hosts", 0, "N", "devices to emulate (default 2000)", OPT_INT, offsetof(struct cfg, hosts)},
	{"seed", 0, "N", "layout and scan order (default 2026)", OPT_INT, offsetof(struct cfg, seed)},
	{"db", 'd', "URL", "keep the results in this store (default: a scratch file)", OPT_STR,
	 offsetof(struct cfg, db)},
	{"mix", 0, "FILE", "persona weights (default mix-operator.tm of the build tree or PREFIX/share/trustmap/emu)", OPT_STR,
	 offsetof(struct cfg, mix)},
	{"kb-dir", 0, "DIR", "our rules directory", OPT_STR, offsetof(struct cfg, kb_dir)},
	{"manifest", 0, "FILE", "write the emulator's ground truth (address, persona, vendor) here", OPT_STR,
	 offsetof(struct cfg, manifest)},
	{NULL},
};

/* path of a file beside (or one level above) this binary, or NULL */
static int beside(const char *name, char *out, size_t len)
{
	char exe[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *rel[] = {"", "/.."};

	if (n <= 0)
		return -1;
	exe[n] = 0;
	char *d = dirname(exe);
	for (size_t i = 0; i < 2; i++) {
		snprintf(out, len, "%s%s/%s", d, rel[i], name);
		if (access(out, R_OK) == 0)
			return 0;
	}
	return -1;
}

/* the persona mix: the build tree's, else the install's share dir (moved or at PREFIX) */
static int find_mix(char *out, size_t len)
{
	if (!beside("tools/emu/mix-operator.tm", out, len) ||
	    !beside("../tools/emu/mix-operator.tm", out, len) ||
	    !beside("share/trustmap/emu/mix-operator.tm", out, len))
		return 0;
	str_set(out, len, TM_SHARE_DIR "/emu/mix-operator.tm");
	return access(out, R_OK);
}

/* Starts the emulator; returns its pid and the -p spec it serves, or -1. */
static pid_t start_emu(const char *emu, const struct cfg *c, const char *mix, int offset,
		       char *ports, size_t plen)
{
	char hosts[24], seed[24], off[16];
	int out[2];
	pid_t pid;
	posix_spawn_file_actions_t fa;
	FILE *f;
	char line[128];

	snprintf(hosts, sizeof(hosts), "%ld", c->hosts);
	snprintf(seed, sizeof(seed), "%ld", c->seed);
	snprintf(off, sizeof(off), "%d", offset);
	char *argv[] = {(char *)emu, "--hosts", hosts, "--base", "127.30.0.1", "--seed", seed,
			"--mix", (char *)mix, "--port-offset", off,
			c->manifest ? "--manifest" : NULL, (char *)c->manifest, NULL};
	if (pipe(out))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	if (posix_spawn(&pid, emu, &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		close(out[0]);
		close(out[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	f = fdopen(out[0], "r");
	/* the emulator prints "ready" once every socket listens, or exits */
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "ready", 5))
			break;
	if (f)
		fclose(f);
	if (waitpid(pid, NULL, WNOHANG) != 0)
		return -1; /* it exited: a port was taken */
	/* the matching -p spec */
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "'%s' --port-offset %d --print-ports", emu, offset);
	FILE *p = popen(cmd, "r");
	if (!p || !fgets(ports, (int)plen, p)) {
		if (p)
			pclose(p);
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return -1;
	}
	pclose(p);
	ports[strcspn(ports, "\n")] = 0;
	return pid;
}

int cmd_demo(int argc, char **argv)
{
	struct cfg c = {.hosts = 2000, .seed = 2026};
	char emu[600], mix[600], ports[512], db[64] = "", range[64];
	pid_t pid = -1;
	int npos, rc;

	rc = opt_parse(opts, &c, argc, argv, &npos, "[--hosts N] [--seed N] [--db URL]");
	if (rc)
		return rc > 0 ? 0 : 2;
	if (c.hosts < 1 || c.hosts > 65536) {
		fprintf(stderr, "trustmap demo: --hosts is 1 to 65536\n");
		return 2;
	}
	if (beside("trustmap-emu", emu, sizeof(emu))) {
		fprintf(stderr, "trustmap demo: trustmap-emu not found beside trustmap\n");
		return 2;
	}
	if (!c.mix) {
		if (find_mix(mix, sizeof(mix))) {
			fprintf(stderr, "trustmap demo: no persona mix found; use --mix\n");
			return 2;
		}
		c.mix = mix;
	}
	for (int off = 20000; off <= 26000 && pid < 0; off += 1000)
		pid = start_emu(emu, &c, c.mix, off, ports, sizeof(ports));
	if (pid < 0) {
		fprintf(stderr, "trustmap demo: the emulator did not start (ports taken?)\n");
		return 2;
	}
	if (!c.db) {
		int fd;

		str_set(db, sizeof(db), "/tmp/trustmap-demo.XXXXXX");
		if ((fd = mkstemp(db)) < 0) {
			fprintf(stderr, "trustmap demo: %s\n", strerror(errno));
			rc = 2;
			goto out;
		}
		close(fd);
		unlink(db); /* the store creates it */
		c.db = db;
	}
	uint32_t last = (127u << 24 | 30u << 16) + (uint32_t)c.hosts;
	snprintf(range, sizeof(range), "127.30.0.1-127.%u.%u.%u", last >> 16 & 255, last >> 8 & 255,
		 last & 255);
	char seed[24];
	snprintf(seed, sizeof(seed), "%ld", c.seed);
	printf("== the emulator plays %ld devices of a fictional operator on %s\n", c.hosts, range);
	fflush(stdout);
	char *scan_argv[] = {"scan", "--db", (char *)c.db, "-p", ports, "--rate", "20000",
			     "--max-inflight", "2000", "--connect-timeout", "1000",
			     "--read-timeout", "1500", "--seed", seed, range, NULL};
	char *kb_scan[20];
	int k = 0;
	for (int i = 0; scan_argv[i]; i++)
		kb_scan[k++] = scan_argv[i];
	if (c.kb_dir) {
		kb_scan[k++] = "--kb-dir";
		kb_scan[k++] = (char *)c.kb_dir;
	}
	kb_scan[k] = NULL;
	rc = cmd_scan(k, kb_scan);
	if (rc)
		goto out;
	printf("\n== on the FCC Covered List\n");
	fflush(stdout);
	char *list_argv[] = {"assets", "--db", (char *)c.db, "--list", "fcc-covered", NULL};
	rc = cmd_assets(5, list_argv);
out:
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	if (db[0]) {
		char side[80];

		unlink(db);
		snprintf(side, sizeof(side), "%s-wal", db);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", db);
		unlink(side);
	}
	return rc;
}
