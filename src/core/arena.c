/* arena.c - the bump allocator of arena.h: a list of blocks, newest first. */
#include "arena.h"
#include "mem.h"

#include <stdint.h>
#include <string.h>

struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;
	size_t chunk;
	size_t used;
};

struct arena *arena_new(size_t chunk)
{
	struct arena *a = mem_calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->chunk = chunk ? chunk : 64 * 1024;
	return a;
}

void arena_free(struct arena *a)
{
	struct block *b, *n;

	if (!a)
		return;
	for (b = a->head; b; b = n) {
		n = b->next;
		mem_free(b);
	}
	mem_free(a);
}

void arena_reset(struct arena *a)
{
	struct block *b, *n;

	if (!a || !a->head)
		return;
	for (b = a->head->next; b; b = n) {
		n = b->next;
		mem_free(b);
	}
	a->head->next = NULL;
	a->head->used = 0;
	a->used = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct block *b = a->head;
	size_t need = (n + 15) & ~(size_t)15, size;
	void *p;

	if (n > SIZE_MAX / 2)
		return NULL;
	if (!b || b->size - b->used < need) {
		size = need > a->chunk ? need : a->chunk;
		b = mem_alloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		/* a big one-off block goes behind the current one so the current keeps filling */
		if (a->head && need > a->chunk) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->used;
	b->used += need;
	a->used += n;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	size_t l = strnlen(s, n);
	char *d = arena_alloc(a, l + 1);

	if (!d)
		return NULL;
	memcpy(d, s, l);
	d[l] = 0;
	return d;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

size_t arena_used(const struct arena *a)
{
	return a ? a->used : 0;
}
