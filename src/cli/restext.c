/*
 * restext.c - the resume states' shared text pieces (restext.h).
 */
#include "restext.h"
#include "../core/buf.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <string.h>

int restext_put(struct buf *b, const char *s)
{
	int rc = 0;

	for (; *s; s++)
		if (*s == '%')
			rc |= buf_adds(b, "%25");
		else if (*s == '\n')
			rc |= buf_adds(b, "%0a");
		else
			rc |= buf_addc(b, *s);
	return rc | buf_addc(b, '\n');
}

char *restext_get(const char *p, size_t n)
{
	char *a = mem_alloc(n + 1), *o = a;

	if (!a)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '%') {
			*o++ = p[i];
			continue;
		}
		if (i + 3 <= n && !strncmp(p + i, "%25", 3))
			*o++ = '%';
		else if (i + 3 <= n && !strncmp(p + i, "%0a", 3))
			*o++ = '\n';
		else {
			mem_free(a);
			return NULL;
		}
		i += 2;
	}
	*o = 0;
	return a;
}

int restext_word(const char **p, const char *end, const char **w, size_t *n)
{
	const char *s = *p, *e;

	while (s < end && *s == ' ')
		s++;
	for (e = s; e < end && *e != ' '; e++)
		;
	if (e == s)
		return -1;
	*w = s;
	*n = (size_t)(e - s);
	*p = e;
	return 0;
}

int restext_u64(const char **p, const char *end, uint64_t *v)
{
	const char *q = *p, *w;
	size_t n;

	if (restext_word(&q, end, &w, &n) || !str_to_u64(w, n, v))
		return -1;
	*p = q;
	return 0;
}
