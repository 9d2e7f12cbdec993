/*
 * xp.c - the real transport: non-blocking sockets with CLOEXEC, no delay
 * and no lingering.
 */
#include "xp.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#define UDP_RCVBUF (4 << 20) /* replies of thousands of waiting pairs; the kernel caps it at rmem_max */

static int real_connect(void *ctx, int type, const struct sockaddr *sa, socklen_t len)
{
	int fd, one = 1;

	(void)ctx;
	fd = socket(sa->sa_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (type == SOCK_STREAM)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, sa, len) && errno != EINPROGRESS) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

static int real_result(void *ctx, int fd)
{
	int e = 0;
	socklen_t l = sizeof(e);

	(void)ctx;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l))
		return -errno;
	return -e;
}

static ssize_t real_read(void *ctx, int fd, void *p, size_t n)
{
	ssize_t r;

	(void)ctx;
	r = read(fd, p, n);
	return r < 0 ? -errno : r;
}

static ssize_t real_write(void *ctx, int fd, const void *p, size_t n)
{
	ssize_t r;

	(void)ctx;
	r = send(fd, p, n, MSG_NOSIGNAL);
	return r < 0 ? -errno : r;
}

static ssize_t real_sendto(void *ctx, int fd, const void *p, size_t n, const struct sockaddr *sa, socklen_t len)
{
	ssize_t r;

	(void)ctx;
	r = sendto(fd, p, n, MSG_NOSIGNAL, sa, len);
	return r < 0 ? -errno : r;
}

static ssize_t real_recvfrom(void *ctx, int fd, void *p, size_t n, struct sockaddr *sa, socklen_t *len)
{
	ssize_t r;

	(void)ctx;
	r = recvfrom(fd, p, n, 0, sa, len);
	return r < 0 ? -errno : r;
}

static void real_close(void *ctx, int fd)
{
	(void)ctx;
	close(fd);
}

static int real_udp_socket(void *ctx, int family)
{
	int fd, one = 1, sz = UDP_RCVBUF;

	(void)ctx;
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
	else
		setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return fd;
}

static int real_recv_err(void *ctx, int fd, struct sockaddr *sa, socklen_t *len, int *err)
{
	union {
		char b[512];
		struct cmsghdr align;
	} ctl;
	char data[64];
	struct iovec iov = {data, sizeof(data)};
	struct msghdr m = {.msg_name = sa, .msg_namelen = *len, .msg_iov = &iov, .msg_iovlen = 1,
			   .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b)};

	(void)ctx;
	if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return -errno;
	*len = m.msg_namelen;
	*err = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
		    (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
			struct sock_extended_err ee;
			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			*err = (int)ee.ee_errno;
		}
	return 0;
}

const struct xp xp_real = {
	real_connect, real_result, real_read, real_write, real_sendto, real_recvfrom, real_close, NULL,
	real_udp_socket, real_recv_err,
};
