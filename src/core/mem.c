/*
 * mem.c - allocation wrappers with a fault-injection counter (see mem.h).
 * The counters are atomic: threads (scan loops, the scanner's writer)
 * allocate at once.
 */
#include "mem.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_ulong calls;
static atomic_ulong fail_at;

static int should_fail(void)
{
	unsigned long f = atomic_load_explicit(&fail_at, memory_order_relaxed);

	atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
	while (f && !atomic_compare_exchange_weak_explicit(&fail_at, &f, f - 1, memory_order_relaxed,
							   memory_order_relaxed))
		;
	return f == 1;
}

void *mem_alloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *mem_calloc(size_t nmemb, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *mem_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

char *mem_strndup(const char *s, size_t n)
{
	size_t l = strnlen(s, n);
	char *d = mem_alloc(l + 1);

	if (!d)
		return NULL;
	memcpy(d, s, l);
	d[l] = 0;
	return d;
}

char *mem_strdup(const char *s)
{
	return mem_strndup(s, strlen(s));
}

void mem_free(void *p)
{
	free(p);
}

void mem_fail_at(unsigned long n)
{
	fail_at = n;
}

unsigned long mem_calls(void)
{
	return calls;
}
