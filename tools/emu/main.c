/*
 * main.c - trustmap-emu, the device emulator: reads the personas, lays
 * --hosts devices out from --base by --mix and --seed, writes the manifest
 * and the pid file, and serves every @network port (shifted by
 * --port-offset) until SIGTERM or SIGINT.  Only 127.0.0.0/8 is accepted.
 * Usage and fields: docs/emulator.md.
 */
#include "emu.h"

#include "core/err.h"
#include "core/str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <dirent.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int private_netns(void);

static volatile int stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

#ifndef TM_SHARE_DIR
#define TM_SHARE_DIR "/usr/local/share/trustmap"
#endif

struct args {
	const char *personas, *mix, *manifest, *log, *pidfile;
	uint64_t hosts, seed, offset, idle, max_conns, workers;
	uint32_t base;
	int print_ports, list;
};

static const char usage[] =
    "usage: trustmap-emu [--hosts N] [--base 127.30.0.1] [--mix FILE] [--seed S]\n"
    "         [--personas FILE] [--manifest FILE] [--log FILE] [--pidfile FILE]\n"
    "         [--port-offset K] [--idle-timeout SECONDS] [--max-conns N] [--workers N]\n"
    "         [--print-ports] [--list-personas]\n";

static int num(const char *s, uint64_t max, uint64_t *out)
{
	return str_to_u64(s, strlen(s), out) && *out <= max ? 0 : -1;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option lo[] = {
	    {"hosts", 1, 0, 'n'},	{"base", 1, 0, 'b'},
	    {"mix", 1, 0, 'm'},		{"seed", 1, 0, 's'},
	    {"personas", 1, 0, 'P'},	{"manifest", 1, 0, 'M'},
	    {"log", 1, 0, 'l'},		{"pidfile", 1, 0, 'p'},
	    {"port-offset", 1, 0, 'o'}, {"idle-timeout", 1, 0, 'i'},
	    {"print-ports", 0, 0, 'r'}, {"list-personas", 0, 0, 'L'},
	    {"max-conns", 1, 0, 'c'},	{"workers", 1, 0, 'w'},
	    {"help", 0, 0, 'h'},	{0, 0, 0, 0},
	};
	struct in_addr in;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (num(optarg, 1u << 24, &a->hosts) < 0)
				return -1;
			break;
		case 's':
			if (num(optarg, UINT64_MAX, &a->seed) < 0)
				return -1;
			break;
		case 'o':
			if (num(optarg, 65535 - 37777, &a->offset) < 0)
				return -1;
			break;
		case 'w':
			if (num(optarg, 64, &a->workers) < 0 || a->workers == 0)
				return -1;
			break;
		case 'c':
			if (num(optarg, 1u << 22, &a->max_conns) < 0 || a->max_conns == 0)
				return -1;
			break;
		case 'i':
			if (num(optarg, 3600, &a->idle) < 0 || a->idle == 0)
				return -1;
			break;
		case 'b':
			if (inet_pton(AF_INET, optarg, &in) != 1)
				return -1;
			a->base = ntohl(in.s_addr);
			break;
		case 'm':
			a->mix = optarg;
			break;
		case 'P':
			a->personas = optarg;
			break;
		case 'M':
			a->manifest = optarg;
			break;
		case 'l':
			a->log = optarg;
			break;
		case 'p':
			a->pidfile = optarg;
			break;
		case 'r':
			a->print_ports = 1;
			break;
		case 'L':
			a->list = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			fputs("a test tool: plays devices on 127.0.0.0/8 for trustmap's tests and demo "
			      "(man trustmap-emu)\n", stdout);
			exit(0);
		default:
			return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

static void print_ports(unsigned offset)
{
	int i;

	for (i = 0; i < EMU_NSLOT; i++)
		printf("%s%u%s:%s", i ? "," : "", emu_slots[i].port + offset,
		       emu_slots[i].udp ? "/udp" : "", emu_slots[i].probe);
	printf("\n");
}

/*
 * personas.tm: beside the binary's build dir (<exe>/../tools/emu/), else an
 * install's share dir (<exe>/../share/trustmap/emu/, then TM_SHARE_DIR/emu/),
 * else the working directory's tools/emu/.
 */
static const char *default_personas(const char *argv0, char *buf, size_t len)
{
	const char *rel[] = {"/../tools/emu/personas.tm", "/../share/trustmap/emu/personas.tm"};
	char exe[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	(void)argv0;
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');

		if (slash)
			*slash = 0;
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(buf, len, "%s%s", exe, rel[i]);
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	if (access(TM_SHARE_DIR "/emu/personas.tm", R_OK) == 0)
		return TM_SHARE_DIR "/emu/personas.tm";
	return "tools/emu/personas.tm";
}

static int write_pid(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f);
}

/*
 * Forks n workers serving the same sockets; waits for a stop signal (or a
 * worker's death), then stops them all by pid.  Returns 0 or TM_EIO.
 */
static int run_workers(unsigned n, struct emu_set *set, struct emu_hosts *h, struct emu_opt *o,
		       int fds[EMU_NSLOT], char *eb, size_t el)
{
	pid_t pid[64];
	unsigned i, started = 0;
	int rc = 0, st;

	for (i = 0; i < n; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			rc = emu_serve(set, h, o, fds, &stop_flag, eb, el);
			if (rc < 0)
				fprintf(stderr, "trustmap-emu: worker: %s\n", eb);
			_exit(rc < 0 ? 1 : 0);
		}
		if (pid[i] < 0) {
			rc = err_set(eb, el, TM_EIO, "fork: %s", strerror(errno));
			break;
		}
		started++;
	}
	while (rc == 0 && !stop_flag) {
		if (waitpid(-1, &st, WNOHANG) > 0) {
			rc = err_set(eb, el, TM_EIO, "a worker stopped unexpectedly");
			break;
		}
		usleep(100000);
	}
	for (i = 0; i < started; i++)
		kill(pid[i], SIGTERM);
	for (i = 0; i < started; i++)
		waitpid(pid[i], &st, 0);
	return rc;
}

static int run(struct args *a, struct emu_set *set, char *eb, size_t el)
{
	struct emu_hosts h;
	struct emu_opt o = {(unsigned)a->offset, (unsigned)a->idle * 1000, (unsigned)a->max_conns,
			    -1, private_netns()};
	struct sigaction sa;
	int fds[EMU_NSLOT], rc;

	if ((rc = emu_hosts_make(&h, set, a->mix, a->seed, a->base, (uint32_t)a->hosts, eb, el)) <
	    0)
		return rc;
	if (a->manifest && (rc = emu_manifest_write(&h, set, a->manifest, eb, el)) < 0)
		goto out;
	if (a->log && (o.logfd = open(a->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
				      0644)) < 0) {
		rc = err_set(eb, el, TM_EIO, "%s: %s", a->log, strerror(errno));
		goto out;
	}
	if ((rc = emu_tls_init(set, eb, el)) < 0)
		goto out;
	if (a->pidfile && write_pid(a->pidfile) < 0) {
		rc = err_set(eb, el, TM_EIO, "%s: %s", a->pidfile, strerror(errno));
		goto out;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((rc = emu_listen(&o, fds, eb, el)) == 0) {
		printf("ready\n");
		fflush(stdout);
		if (a->workers > 1)
			rc = run_workers((unsigned)a->workers, set, &h, &o, fds, eb, el);
		else
			rc = emu_serve(set, &h, &o, fds, &stop_flag, eb, el);
		emu_unlisten(fds);
	}
	if (a->pidfile)
		unlink(a->pidfile);
out:
	emu_tls_fini(set);
	if (o.logfd >= 0)
		close(o.logfd);
	emu_hosts_free(&h);
	return rc;
}

/*
 * Are we inside a named network namespace (made with `ip netns add`, as the
 * tests do)?  Then the addresses are the namespace's own veth pairs and the
 * emulator may answer them.  Recognised as `ip netns identify` does: our
 * namespace is one of the bind mounts under /run/netns.
 */
static int private_netns(void)
{
	struct stat self, st;
	DIR *d;
	struct dirent *e;
	char p[300];
	int found = 0;

	if (stat("/proc/self/ns/net", &self) || !(d = opendir("/run/netns")))
		return 0;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/run/netns/%s", e->d_name);
		found = stat(p, &st) == 0 && st.st_ino == self.st_ino && st.st_dev == self.st_dev;
	}
	closedir(d);
	return found;
}

int main(int argc, char **argv)
{
	struct args a = {0};
	struct emu_set set;
	char eb[TM_ERRLEN], pbuf[4096];
	size_t i;
	int rc;

	a.hosts = 256;
	a.offset = 20000;
	a.idle = 10;
	a.max_conns = 100000;
	a.workers = 1;
	a.base = 0x7f1e0001; /* 127.30.0.1 */
	if (parse_args(argc, argv, &a) < 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (a.print_ports) {
		print_ports((unsigned)a.offset);
		return 0;
	}
	if (a.hosts == 0 || (private_netns() ? (uint64_t)a.base + a.hosts - 1 > 0xffffffffULL
					      : (a.base >> 24) != 127 ||
						    (uint64_t)a.base + a.hosts - 1 > 0x7fffffffULL)) {
		fprintf(stderr, "trustmap-emu: --base and --hosts must stay inside 127.0.0.0/8 "
				"(other addresses only inside a network namespace of its own)\n");
		return 2;
	}
	if (!a.personas)
		a.personas = default_personas(argv[0], pbuf, sizeof pbuf);
	if ((rc = emu_set_load(&set, a.personas, eb, sizeof eb)) < 0) {
		fprintf(stderr, "trustmap-emu: %s\n", eb);
		return 1;
	}
	if (a.list) {
		for (i = 0; i < set.n; i++)
			printf("%s %s %s\n", set.p[i].id, set.p[i].vendor ? set.p[i].vendor : "-",
			       emu_hostile_names[set.p[i].hostile]);
		emu_set_free(&set);
		return 0;
	}
	rc = run(&a, &set, eb, sizeof eb);
	if (rc < 0)
		fprintf(stderr, "trustmap-emu: %s\n", eb);
	emu_set_free(&set);
	return rc < 0 ? 1 : 0;
}
