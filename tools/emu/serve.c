/*
 * serve.c - the emulator's sockets and event loop: one listening TCP socket
 * per port of @network on the wildcard address (port + offset), one UDP
 * socket per UDP port with IP_PKTINFO, all on one epoll.  The persona is the
 * one of the address dialled (getsockname() on the accepted socket, the
 * packet info of a datagram, whose reply leaves from that same address).
 * Nothing outside 127.0.0.0/8 is ever answered (unless the emulator runs in a
 * network namespace of its own, made by a test: see main.c).  Every connection and
 * datagram is logged as "ADDR PORT tcp|udp".
 */
#include "serve.h"

#include "core/err.h"
#include "core/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TAG_LISTEN (1ULL << 40) /* epoll data: TAG | slot << 32 | fd */
#define TAG_UDP	   (2ULL << 40)

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Writes the buffered log lines: whole lines per write(2), so workers sharing the file never
 * interleave. */
static void log_flush(struct srv *s)
{
	size_t off = 0;

	while (off < s->loglen) {
		ssize_t w = write(s->opt->logfd, s->logbuf + off, s->loglen - off);
		if (w <= 0 && errno != EINTR)
			break; /* a full disk loses log lines, not the emulator */
		if (w > 0)
			off += (size_t)w;
	}
	s->loglen = 0;
}

static void log_hit(struct srv *s, uint32_t addr, unsigned port, const char *proto)
{
	int n;

	if (s->opt->logfd < 0)
		return;
	if (s->loglen + 64 > sizeof s->logbuf)
		log_flush(s);
	n = snprintf(s->logbuf + s->loglen, sizeof s->logbuf - s->loglen, "%u.%u.%u.%u %u %s\n",
		     addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255, port, proto);
	if (n > 0 && (size_t)n < sizeof s->logbuf - s->loglen)
		s->loglen += (size_t)n;
}

static int open_socket(int slot, unsigned port, char *eb, size_t el)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int udp = emu_slots[slot].udp, one = 1;
	int fd =
	    socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (fd < 0)
		return err_set(eb, el, TM_EIO, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (udp) {
		/* one socket plays this port for every emulated device, so it gets the room of many
		   devices' buffers: 16 MiB where allowed (root), else as much as net.core.rmem_max */
		int room = 16 << 20;

		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &room, sizeof room) < 0)
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &room, sizeof room);
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || (!udp && listen(fd, 65535) < 0)) {
		int e = errno;
		close(fd);
		return err_set(eb, el, TM_EIO, "port %u/%s: %s", port, udp ? "udp" : "tcp",
			       strerror(e));
	}
	return fd;
}

static void on_accept(struct srv *s, int lfd, int slot)
{
	unsigned port = emu_slots[slot].port + s->opt->port_offset;
	int k;

	for (k = 0; k < 1024; k++) {
		struct sockaddr_in sa;
		socklen_t sl = sizeof sa;
		const struct emu_persona *p;
		uint32_t a;
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		s->accepted++;
		if (getsockname(fd, (struct sockaddr *)&sa, &sl) < 0 || sa.sin_family != AF_INET) {
			close(fd);
			continue;
		}
		a = ntohl(sa.sin_addr.s_addr);
		if ((a >> 24) != 127 && !s->opt->any_addr) { /* loopback only, but in a test's netns */
			conn_reset_fd(fd);
			continue;
		}
		log_hit(s, a, port, "tcp");
		p = emu_hosts_get(s->hosts, s->set, a);
		if (!p || !(p->slots & (1u << slot))) { /* a closed port: refuse with a reset */
			conn_reset_fd(fd);
			continue;
		}
		conn_start(s, fd, p, slot);
	}
}

/* The HTTP port a persona's SSDP LOCATION names (80, else 8080, else 8000; offset added). */
static unsigned http_port(const struct srv *s, const struct emu_persona *p)
{
	int slot = (p->slots & (1u << EMU_HTTP))       ? EMU_HTTP
		   : (p->slots & (1u << EMU_HTTP8080)) ? EMU_HTTP8080
						       : EMU_HTTP8000;

	return emu_slots[slot].port + s->opt->port_offset;
}

static void on_datagram(struct srv *s, int fd, int slot)
{
	unsigned port = emu_slots[slot].port + s->opt->port_offset;
	int k;

	for (k = 0; k < 256; k++) {
		uint8_t in[2048], out[2048];
		char cb[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct sockaddr_in from;
		struct iovec iv = {in, sizeof in};
		struct msghdr mh = {&from, sizeof from, &iv, 1, cb, sizeof cb, 0};
		struct cmsghdr *cm;
		struct in_addr dst = {0};
		const struct emu_persona *p;
		ssize_t r = recvmsg(fd, &mh, 0);
		size_t n;
		uint32_t a;

		if (r < 0)
			return;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
			if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO)
				memcpy(&dst,
				       &((struct in_pktinfo *)(void *)CMSG_DATA(cm))->ipi_addr,
				       sizeof dst);
		a = ntohl(dst.s_addr);
		if ((a >> 24) != 127 && !s->opt->any_addr)
			continue;
		s->datagrams++;
		log_hit(s, a, port, "udp");
		p = emu_hosts_get(s->hosts, s->set, a);
		if (!p || !(p->slots & (1u << slot)))
			continue;
		n = emu_udp_answer(p, emu_slots[slot].kind, in, (size_t)r, a, http_port(s, p), out,
				   sizeof out);
		if (n) {
			struct in_pktinfo *pi;
			struct iovec ov = {out, n};
			struct msghdr om = {&from, sizeof from, &ov, 1, cb, CMSG_SPACE(sizeof *pi),
					    0};
			memset(cb, 0, sizeof cb);
			cm = CMSG_FIRSTHDR(&om);
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof *pi);
			pi = (struct in_pktinfo *)(void *)CMSG_DATA(cm);
			pi->ipi_spec_dst = dst; /* reply from the address dialled */
			if (sendmsg(fd, &om, MSG_NOSIGNAL) < 0) {
				/* a lost answer is what UDP does */
			}
		}
	}
}

int emu_listen(const struct emu_opt *o, int fds[EMU_NSLOT], char *eb, size_t el)
{
	int i, rc;

	for (i = 0; i < EMU_NSLOT; i++)
		fds[i] = -1;
	for (i = 0; i < EMU_NSLOT; i++) {
		fds[i] = open_socket(i, emu_slots[i].port + o->port_offset, eb, el);
		if (fds[i] < 0) {
			rc = fds[i];
			emu_unlisten(fds);
			return rc;
		}
	}
	return 0;
}

void emu_unlisten(int fds[EMU_NSLOT])
{
	int i;

	for (i = 0; i < EMU_NSLOT; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* Puts every socket on this process's epoll; workers sharing them wake one at a time. */
static int watch_all(struct srv *s, const int fds[EMU_NSLOT], char *eb, size_t el)
{
	int i;

	for (i = 0; i < EMU_NSLOT; i++) {
		struct epoll_event ev = {.events = EPOLLIN | EPOLLEXCLUSIVE};
		ev.data.u64 = (emu_slots[i].udp ? TAG_UDP : TAG_LISTEN) | (uint64_t)i << 32 |
			      (uint32_t)fds[i];
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fds[i], &ev) < 0)
			return err_set(eb, el, TM_EIO, "epoll_ctl: %s", strerror(errno));
	}
	return 0;
}

/* Raises the descriptor limit to the hard limit; returns the table size to use. */
static int fd_room(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	if (rl.rlim_max > (1u << 20))
		rl.rlim_max = 1u << 20;
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	return (int)rl.rlim_cur;
}

static void sweep(struct srv *s)
{
	int fd;

	for (fd = 0; fd < s->hi; fd++)
		if (s->conns[fd])
			conn_tick(s, s->conns[fd]);
	if (s->opt->logfd >= 0)
		log_flush(s);
}

static void loop(struct srv *s, volatile int *stop)
{
	struct epoll_event ev[512];
	int64_t next_sweep = 0;

	while (!*stop) {
		int n = epoll_wait(s->ep, ev, 512, 100), i;
		s->now = mono_ms();
		for (i = 0; i < n; i++) {
			uint64_t d = ev[i].data.u64;
			int fd = (int)(uint32_t)d, slot = (int)((d >> 32) & 0xff);
			if (d & TAG_LISTEN)
				on_accept(s, fd, slot);
			else if (d & TAG_UDP)
				on_datagram(s, fd, slot);
			else if (fd < s->nconns && s->conns[fd])
				conn_event(s, s->conns[fd], ev[i].events);
		}
		if (s->now >= next_sweep) {
			sweep(s);
			next_sweep = s->now + 100;
		}
	}
}

int emu_serve(const struct emu_set *set, const struct emu_hosts *h, const struct emu_opt *o,
	      const int fds[EMU_NSLOT], volatile int *stop, char *eb, size_t el)
{
	struct srv s = {set, h, o, -1, NULL, 0, 0, 0, 0, 0, 0, 0, 0, {0}};
	int i, rc;

	s.nconns = fd_room();
	/* keep descriptors spare, so an accept never fails and a peer over the cap gets its reset
	 */
	s.cap = o->max_conns;
	if (s.nconns < 256)
		s.cap = 64;
	else if (s.cap > (unsigned)s.nconns - 128)
		s.cap = (unsigned)s.nconns - 128;
	s.conns = mem_calloc((size_t)s.nconns, sizeof *s.conns);
	s.ep = epoll_create1(EPOLL_CLOEXEC);
	if (!s.conns || s.ep < 0) {
		rc = err_set(eb, el, TM_ENOMEM, "cannot set up the event loop");
		goto out;
	}
	s.now = mono_ms();
	if ((rc = watch_all(&s, fds, eb, el)) < 0)
		goto out;
	loop(&s, stop);
out:
	for (i = 0; s.conns && i < s.hi; i++)
		if (s.conns[i])
			conn_close(&s, s.conns[i]);
	if (s.ep >= 0)
		close(s.ep);
	mem_free(s.conns);
	if (o->logfd >= 0)
		log_flush(&s);
	return rc;
}
