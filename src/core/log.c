/* log.c - standard-error diagnostics of log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static enum log_level level = LOG_WARN;

void log_set_level(enum log_level l)
{
	level = l;
}

enum log_level log_get_level(void)
{
	return level;
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	static const char *names[] = {"error", "warning", "info", "debug"};
	va_list ap;

	if (l > level)
		return;
	fprintf(stderr, "trustmap: %s: ", names[l]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
