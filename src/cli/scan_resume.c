/*
 * scan_resume.c - the resume state's text (scan_resume.h):
 *
 *   trustmap-scan-resume 1
 *   seed 1234
 *   arg -p                      one line per argument; '%' and newline as %25 %0a
 *   arg 22,80
 *   loops 2
 *   loop BASE ISSUED J...       per event loop: positions below BASE are finished,
 *   loop BASE ISSUED J...       and so are BASE + J for each J (J < ISSUED - BASE)
 *   obs 5120                    observations committed with this state (so a resumed run
 *                               counts them all; a state without the line counts from 0)
 *   complete 0
 *
 * Read back with a bounded line reader: a state edited by hand is refused
 * with the line it went wrong on, never trusted past its bounds.
 */
#include "scan_resume.h"
#include "restext.h"
#include "../core/err.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <string.h>

#define RESUME_MAGIC "trustmap-scan-resume 1"

uint64_t scan_progress_done(const struct scan_progress *p)
{
	uint64_t n = 0;

	for (int i = 0; p && i < p->n; i++) {
		const struct scan_slice *s = &p->v[i];
		n += s->base;
		for (uint64_t j = s->base; j < s->issued && j - s->base < SCAN_WINDOW; j++)
			n += (uint64_t)scan_slice_done(s, j);
	}
	return n;
}

static int put_arg(struct buf *b, const char *a)
{
	return buf_adds(b, "arg ") | restext_put(b, a);
}

int scan_resume_format(struct buf *b, uint64_t seed, int nargs, char *const *args, const struct scan_progress *p,
		       int complete, uint64_t nobs)
{
	int rc = buf_printf(b, RESUME_MAGIC "\nseed %llu\n", (unsigned long long)seed);

	for (int i = 0; i < nargs; i++)
		rc |= put_arg(b, args[i]);
	rc |= buf_printf(b, "loops %d\n", p->n);
	for (int i = 0; i < p->n; i++) {
		const struct scan_slice *s = &p->v[i];
		rc |= buf_printf(b, "loop %llu %llu", (unsigned long long)s->base, (unsigned long long)s->issued);
		for (uint64_t j = s->base; j < s->issued && j - s->base < SCAN_WINDOW; j++)
			if (scan_slice_done(s, j))
				rc |= buf_printf(b, " %llu", (unsigned long long)(j - s->base));
		rc |= buf_addc(b, '\n');
	}
	rc |= buf_printf(b, "obs %llu\ncomplete %d\n", (unsigned long long)nobs, complete ? 1 : 0);
	return rc ? TM_ENOMEM : 0;
}

void scan_resume_fini(struct scan_resume *r)
{
	for (int i = 0; i < r->nargs; i++)
		mem_free(r->args[i]);
	mem_free(r->args);
	mem_free(r->prog.v);
	memset(r, 0, sizeof(*r));
}

static int parse_loop(struct scan_slice *s, const char *p, const char *end)
{
	uint64_t j;

	if (restext_u64(&p, end, &s->base) || restext_u64(&p, end, &s->issued) || s->issued < s->base ||
	    s->issued - s->base > SCAN_WINDOW)
		return -1;
	while (p < end) {
		if (restext_u64(&p, end, &j) || j >= s->issued - s->base)
			return -1;
		s->done[((s->base + j) % SCAN_WINDOW) / 8] |= (uint8_t)(1u << ((s->base + j) % 8));
	}
	/* bit at base itself set: normalise, as scan_slice_mark would have */
	if (s->issued > s->base && scan_slice_done(s, s->base)) {
		uint64_t b = s->base;
		s->done[(b % SCAN_WINDOW) / 8] &= (uint8_t)~(1u << (b % 8));
		scan_slice_mark(s, b);
	}
	return 0;
}

int scan_resume_parse(const char *text, struct scan_resume *r, char *eb, size_t el)
{
	const char *p = text, *nl, *end = text + strlen(text);
	int line = 0, loops = -1, nloop = 0, rc = TM_EPROTO, seen_end = 0, seen_obs = 0;
	uint64_t v;

	memset(r, 0, sizeof(*r));
	for (; p < end; p = nl + 1) {
		size_t n;
		line++;
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		n = (size_t)(nl - p);
		if (line == 1) {
			if (n != strlen(RESUME_MAGIC) || memcmp(p, RESUME_MAGIC, n))
				goto bad;
		} else if (n > 5 && !memcmp(p, "seed ", 5)) {
			if (!str_to_u64(p + 5, n - 5, &r->seed))
				goto bad;
		} else if (n >= 4 && !memcmp(p, "arg ", 4)) {
			char **a;
			if (loops >= 0 || r->nargs >= 4096 ||
			    !(a = mem_realloc(r->args, (size_t)(r->nargs + 1) * sizeof(*a))))
				goto bad;
			r->args = a;
			if (!(r->args[r->nargs] = restext_get(p + 4, n - 4)))
				goto bad;
			r->nargs++;
		} else if (n > 6 && !memcmp(p, "loops ", 6)) {
			if (loops >= 0 || !str_to_u64(p + 6, n - 6, &v) || v < 1 || v > 256 ||
			    !(r->prog.v = mem_calloc((size_t)v, sizeof(*r->prog.v))))
				goto bad;
			loops = r->prog.n = (int)v;
		} else if (n > 5 && !memcmp(p, "loop ", 5)) {
			if (loops < 0 || nloop >= loops || parse_loop(&r->prog.v[nloop], p + 5, nl))
				goto bad;
			nloop++;
		} else if (n > 4 && !memcmp(p, "obs ", 4)) {
			if (seen_obs++ || !str_to_u64(p + 4, n - 4, &r->nobs) || r->nobs > (1ull << 53))
				goto bad;
		} else if (n == 10 && (!memcmp(p, "complete 0", 10) || !memcmp(p, "complete 1", 10))) {
			r->complete = p[9] == '1';
			seen_end = 1;
		} else if (n)
			goto bad;
		if (nl == end)
			break;
	}
	if (line < 1 || loops < 0 || nloop != loops || !seen_end) {
		line = 0;
		goto bad;
	}
	return 0;
bad:
	scan_resume_fini(r);
	if (line)
		return err_set(eb, el, rc, "resume state, line %d: not understood", line);
	return err_set(eb, el, rc, "resume state: incomplete (no loops or no end)");
}
