/*
 * mem.h - every allocation of trustmap goes through here, so that tests can
 * make the Nth allocation fail (mem_fail_at) and check that nothing leaks or
 * crashes on the way out.  Freeing NULL is a no-op.
 */
#ifndef TM_MEM_H
#define TM_MEM_H

#include <stddef.h>

void *mem_alloc(size_t n);
void *mem_calloc(size_t nmemb, size_t size);
/* On failure returns NULL and leaves p untouched and still owned by the caller. */
void *mem_realloc(void *p, size_t n);
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);
void mem_free(void *p);

/* Test hook: make the n-th allocation from now on fail (1 = the next one); 0 disables. */
void mem_fail_at(unsigned long n);
/* Test hook: how many allocations have been asked for since start. */
unsigned long mem_calls(void);

#endif
