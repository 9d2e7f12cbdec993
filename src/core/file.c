/* file.c - whole-file and line-by-line reading with ceilings (file.h). */
#include "file.h"
#include "err.h"
#include "mem.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int file_read(const char *path, size_t max, char **data, size_t *len, char *eb, size_t el)
{
	FILE *f;
	struct stat st;
	char *p = NULL, *np;
	size_t n = 0, cap = 0, got;
	int rc = TM_EIO;

	*data = NULL;
	*len = 0;
	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return err_set(eb, el, errno == ENOENT ? TM_ENOTFOUND : TM_EIO, "%s: %s", path,
			       strerror(errno));
	/*
	 * A regular file: its size (+1, to see the end without growing) at
	 * once, so that a file of megabytes is not copied at each doubling
	 * (every copy is fresh pages, each a fault).  A file that grows while
	 * read still grows the buffer below.
	 */
	if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (size_t)st.st_size <= max) {
		cap = (size_t)st.st_size + 1;
		if (!(p = mem_alloc(cap + 1))) {
			rc = err_set(eb, el, TM_ENOMEM, "%s: out of memory", path);
			goto out;
		}
	}
	for (;;) {
		if (cap - n < 65536 && (!p || n == cap)) {
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 1)
				cap = max + 1;
			if (cap <= n) {
				rc = err_set(eb, el, TM_ELIMIT, "%s: larger than %zu bytes", path, max);
				goto out;
			}
			np = mem_realloc(p, cap + 1);
			if (!np) {
				rc = err_set(eb, el, TM_ENOMEM, "%s: out of memory", path);
				goto out;
			}
			p = np;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (n > max) {
			rc = err_set(eb, el, TM_ELIMIT, "%s: larger than %zu bytes", path, max);
			goto out;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = err_set(eb, el, TM_EIO, "%s: read error", path);
		goto out;
	}
	if (!p && !(p = mem_alloc(1))) {
		rc = err_set(eb, el, TM_ENOMEM, "%s: out of memory", path);
		goto out;
	}
	p[n] = 0;
	*data = p;
	*len = n;
	p = NULL;
	rc = 0;
out:
	mem_free(p);
	if (f != stdin)
		fclose(f);
	return rc;
}

int lr_open(struct lr *l, const char *path, size_t max, char *eb, size_t el)
{
	memset(l, 0, sizeof(*l));
	l->max = max ? max : 65536;
	if (!strcmp(path, "-")) {
		l->f = stdin;
		return 0;
	}
	l->f = fopen(path, "rb");
	if (!l->f)
		return err_set(eb, el, errno == ENOENT ? TM_ENOTFOUND : TM_EIO, "%s: %s", path,
			       strerror(errno));
	l->own = 1;
	return 0;
}

int lr_next(struct lr *l, const char **line, size_t *len)
{
	size_t n = 0;
	int c;

	l->cut = l->binary = false;
	if (!l->buf) {
		l->cap = l->max + 2; /* room for a \r before the \n, and the NUL */
		l->buf = mem_alloc(l->cap);
		if (!l->buf)
			return TM_ENOMEM;
	}
	c = getc(l->f);
	if (c == EOF)
		return ferror(l->f) ? TM_EIO : 0;
	l->lineno++;
	for (; c != EOF && c != '\n'; c = getc(l->f)) {
		if (c == 0)
			l->binary = true;
		if (n < l->max + 1)
			l->buf[n++] = (char)c;
		else
			l->cut = true;
	}
	if (n && l->buf[n - 1] == '\r' && !l->cut)
		n--;
	if (n > l->max) {
		n = l->max;
		l->cut = true;
	}
	l->buf[n] = 0;
	*line = l->buf;
	*len = n;
	return 1;
}

void lr_close(struct lr *l)
{
	if (l->own && l->f)
		fclose(l->f);
	mem_free(l->buf);
	memset(l, 0, sizeof(*l));
}
