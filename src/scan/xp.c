/*
 * xp.c - the real transport: non-blocking sockets with CLOEXEC, no delay
 * and no lingering.
 */
#include "xp.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

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

const struct xp xp_real = {
	real_connect, real_result, real_read, real_write, real_sendto, real_recvfrom, real_close, NULL,
};
