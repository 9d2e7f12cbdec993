/*
 * smap.c - the string -> uint32 map of smap.h.
 */
#include "smap.h"
#include "arena.h"
#include "mem.h"

#include <string.h>

uint64_t smap_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int smap_grow(struct smap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	const char **k = mem_calloc(cap, sizeof(*k));
	uint32_t *v = mem_calloc(cap, sizeof(*v));

	if (!k || !v) {
		mem_free(k);
		mem_free(v);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->key[i])
			continue;
		size_t j = smap_hash(m->key[i]) & (cap - 1);
		while (k[j])
			j = (j + 1) & (cap - 1);
		k[j] = m->key[i], v[j] = m->val[i];
	}
	mem_free(m->key);
	mem_free(m->val);
	m->key = k, m->val = v, m->cap = cap;
	return 0;
}

long smap_get(const struct smap *m, const char *key)
{
	if (!m->cap)
		return -1;
	for (size_t j = smap_hash(key) & (m->cap - 1); m->key[j]; j = (j + 1) & (m->cap - 1))
		if (!strcmp(m->key[j], key))
			return m->val[j];
	return -1;
}

static long smap_insert(struct smap *m, struct arena *ar, const char *key, uint32_t val)
{
	long old = smap_get(m, key);

	if (old >= 0)
		return old;
	if ((m->n + 1) * 2 > m->cap && smap_grow(m))
		return -1;
	if (ar && !(key = arena_strdup(ar, key)))
		return -1;
	size_t j = smap_hash(key) & (m->cap - 1);
	while (m->key[j])
		j = (j + 1) & (m->cap - 1);
	m->key[j] = key, m->val[j] = val;
	m->n++;
	return val;
}

long smap_put(struct smap *m, const char *key, uint32_t val)
{
	return smap_insert(m, NULL, key, val);
}

long smap_put_copy(struct smap *m, struct arena *ar, const char *key, uint32_t val)
{
	return smap_insert(m, ar, key, val);
}

void smap_free(struct smap *m)
{
	mem_free(m->key);
	mem_free(m->val);
	memset(m, 0, sizeof(*m));
}
