/*
 * restext.h - the pieces of the resume states' text (scan_resume.c,
 * sniff_resume.c) that both write and read: a value escaped onto one line
 * ('%' and newline as %25 and %0a), and space-separated words and numbers
 * read back from a line through bounds, never past its end.
 */
#ifndef TM_RESTEXT_H
#define TM_RESTEXT_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* Appends s escaped, then a newline; nonzero when out of memory. */
int restext_put(struct buf *b, const char *s);
/* [p, p + n) unescaped into a new string (mem_free it); NULL when out of memory or badly escaped. */
char *restext_get(const char *p, size_t n);
/* The next space-separated word of [*p, end): its start and length, *p after it; -1 when there is none. */
int restext_word(const char **p, const char *end, const char **w, size_t *n);
/* The next word as an unsigned decimal number; -1 when there is none or it is not one. */
int restext_u64(const char **p, const char *end, uint64_t *v);

#endif
