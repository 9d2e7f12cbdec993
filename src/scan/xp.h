/*
 * xp.h - the socket transport of the scanner behind a struct of function
 * pointers, so that tests can put a fake underneath (socketpairs fed with
 * recorded server bytes) and the engine never knows.  Every call returns a
 * descriptor or byte count >= 0, or -errno.
 */
#ifndef TM_SCAN_XP_H
#define TM_SCAN_XP_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

struct xp {
	/* A non-blocking TCP (SOCK_STREAM) or UDP (SOCK_DGRAM, connected) socket to sa. */
	int (*connect_nonblock)(void *ctx, int type, const struct sockaddr *sa, socklen_t len);
	/* 0 once the connection is up, -errno when it failed. */
	int (*connect_result)(void *ctx, int fd);
	ssize_t (*read)(void *ctx, int fd, void *p, size_t n);
	ssize_t (*write)(void *ctx, int fd, const void *p, size_t n);
	ssize_t (*sendto)(void *ctx, int fd, const void *p, size_t n, const struct sockaddr *sa, socklen_t len);
	ssize_t (*recvfrom)(void *ctx, int fd, void *p, size_t n, struct sockaddr *sa, socklen_t *len);
	void (*close)(void *ctx, int fd);
	void *ctx;
	/*
	 * The stateless UDP side (NULL in a transport without it: UDP pairs then fail as errors).
	 * udp_socket: one non-blocking, unconnected datagram socket of family (AF_INET, AF_INET6)
	 * that reports ICMP errors on its error queue (IP_RECVERR).
	 * recv_err: takes one entry off fd's error queue: the original destination into sa, the
	 * error (ECONNREFUSED for a port unreachable) into *err; 0, or -EAGAIN when it is empty.
	 */
	int (*udp_socket)(void *ctx, int family);
	int (*recv_err)(void *ctx, int fd, struct sockaddr *sa, socklen_t *len, int *err);
};

/* The kernel's sockets. */
extern const struct xp xp_real;

#endif
