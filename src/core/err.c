/* err.c - names of error codes and the message helper of err.h. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

const char *tm_strerror(int rc)
{
	switch (rc) {
	case TM_OK: return "success";
	case TM_ENOMEM: return "out of memory";
	case TM_EIO: return "input/output error";
	case TM_EPROTO: return "malformed input";
	case TM_ELIMIT: return "limit reached";
	case TM_ETIMEOUT: return "timed out";
	case TM_EINVAL: return "invalid argument";
	case TM_ENOTFOUND: return "not found";
	case TM_EDB: return "store error";
	case TM_EUNSUP: return "not supported";
	}
	return "unknown error";
}

int err_set(char *buf, size_t len, int rc, const char *fmt, ...)
{
	va_list ap;

	if (buf && len) {
		va_start(ap, fmt);
		vsnprintf(buf, len, fmt, ap);
		va_end(ap);
	}
	return rc;
}
