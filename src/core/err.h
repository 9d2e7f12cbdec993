/*
 * err.h - the one error vocabulary of trustmap.  Module functions return 0 or
 * a negative TM_E* code; a human message, naming file:line or packet number,
 * goes into a caller's buffer through err_set().
 */
#ifndef TM_ERR_H
#define TM_ERR_H

#include <stddef.h>

enum tm_err {
	TM_OK = 0,
	TM_ENOMEM = -1,	   /* allocation failed (or was made to fail by a test) */
	TM_EIO = -2,	   /* a system call failed */
	TM_EPROTO = -3,	   /* malformed input */
	TM_ELIMIT = -4,	   /* a ceiling was reached (length, count, depth) */
	TM_ETIMEOUT = -5,  /* a deadline passed */
	TM_EINVAL = -6,	   /* bad argument or option */
	TM_ENOTFOUND = -7, /* no such file, asset, vendor ... */
	TM_EDB = -8,	   /* the store refused */
	TM_EUNSUP = -9,	   /* valid but not supported here */
};

#define TM_ERRLEN 512

/* A short constant name for a code ("malformed input", ...). */
const char *tm_strerror(int rc);

/*
 * Format a message into buf (of size len, may be NULL or 0 to drop it) and
 * return rc, so that callers can write `return err_set(eb, n, TM_EPROTO, ...)`.
 */
int err_set(char *buf, size_t len, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
