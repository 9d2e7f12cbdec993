/* progress.c - terminal progress line (progress.h). */
#include "progress.h"
#include "../core/esc.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_init(struct progress *p, const char *what, long long total)
{
	memset(p, 0, sizeof(*p));
	p->on = isatty(STDERR_FILENO);
	p->start = p->last = now();
	p->what = what;
	p->total = total > 0 ? total : 0;
}

void progress_update(struct progress *p, long long done, long items, const char *unit)
{
	double t, el;
	struct buf name;

	if (!p->on)
		return;
	t = now();
	if (t - p->last < 0.25)
		return;
	p->last = t;
	el = t - p->start;
	buf_init(&name, 256);
	esc_term(&name, p->what, strlen(p->what) > 60 ? 60 : strlen(p->what));
	fprintf(stderr, "\r\033[K%s: %ld %s, %.0f %s/s", buf_str(&name), items, unit,
		el > 0 ? items / el : 0.0, unit);
	if (p->total && done > 0) {
		double frac = (double)done / p->total, eta = frac > 0 ? el / frac - el : 0;

		if (frac > 1)
			frac = 1;
		fprintf(stderr, ", %.1f/%.1f MB (%.0f%%), ETA %d:%02d", done / 1e6, p->total / 1e6,
			frac * 100, (int)eta / 60, (int)eta % 60);
	}
	p->drawn = 1;
	buf_fini(&name);
}

void progress_end(struct progress *p)
{
	if (p->on && p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = 0;
}
