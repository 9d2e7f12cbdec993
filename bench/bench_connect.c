/*
 * bench_connect.c - the machine's own limit for TCP handshakes on loopback:
 * non-blocking connect and close in a loop, as many at once as given, to the
 * addresses and ports named, for a given number of seconds.  No payload is
 * read or written.  Prints handshakes answered per second: completed
 * connects plus refusals and resets (a RST is an answer too: the emulator
 * accepts and resets ports its persona does not serve, and the scanner
 * counts all of these as pairs probed), so the two figures are like for like.
 *
 * usage: bench_connect SECONDS INFLIGHT BASE NHOSTS PORT...
 * (BASE and NHOSTS name consecutive IPv4 addresses in 127.0.0.0/8)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: bench_connect SECONDS INFLIGHT BASE NHOSTS PORT...\n");
		return 2;
	}
	double secs = atof(argv[1]);
	int inflight = atoi(argv[2]), nports = argc - 5, ep = epoll_create1(0), open_ = 0;
	uint32_t base, nhosts = (uint32_t)strtoul(argv[4], NULL, 10);
	struct in_addr a;
	long done = 0, refused = 0, failed = 0, next = 0, why[160] = {0};
	struct epoll_event ev[256];

	if (inet_pton(AF_INET, argv[3], &a) != 1 || (ntohl(a.s_addr) >> 24) != 127) {
		fprintf(stderr, "bench_connect: BASE must be in 127.0.0.0/8\n");
		return 2;
	}
	base = ntohl(a.s_addr);
	double t0 = now(), end = t0 + secs;
	while (now() < end) {
		while (open_ < inflight) {
			struct sockaddr_in sa = {.sin_family = AF_INET};
			int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

			if (fd < 0)
				break;
			sa.sin_addr.s_addr = htonl(base + (uint32_t)(next % nhosts));
			sa.sin_port = htons((uint16_t)atoi(argv[5 + (next / nhosts) % nports]));
			next++;
			if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) && errno != EINPROGRESS) {
				close(fd);
				failed++;
				continue;
			}
			struct epoll_event e = {.events = EPOLLOUT, .data.fd = fd};
			epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
			open_++;
		}
		int n = epoll_wait(ep, ev, 256, 10);
		for (int i = 0; i < n; i++) {
			int err = 0;
			socklen_t l = sizeof(err);

			getsockopt(ev[i].data.fd, SOL_SOCKET, SO_ERROR, &err, &l);
			if (!err)
				done++;
			else if (err == ECONNREFUSED || err == ECONNRESET)
				refused++;
			else
				failed++, why[err > 0 && err < 160 ? err : 0]++;
			close(ev[i].data.fd);
			open_--;
		}
	}
	double el = now() - t0;
	printf("%.0f\n", (done + refused) / el);
	fprintf(stderr, "bench_connect: %ld connected, %ld refused or reset, %ld failed, %.1f s", done, refused, failed, el);
	for (int e = 0; e < 160; e++)
		if (why[e])
			fprintf(stderr, "; %s: %ld", strerror(e), why[e]);
	fprintf(stderr, "\n");
	return 0;
}
