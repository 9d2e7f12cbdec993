/*
 * smap.h - a string -> uint32 map: open addressing, linear probing, FNV-1a,
 * grown at half full.  The map does not own its keys: with smap_put the
 * caller keeps each key alive as long as the map (an arena, a loaded
 * table); smap_put_copy copies a new key into an arena first.  Used where
 * ids (sites, asset keys, operator names) are interned into indexes.
 */
#ifndef TM_SMAP_H
#define TM_SMAP_H

#include <stddef.h>
#include <stdint.h>

struct arena;

struct smap {
	const char **key;
	uint32_t *val;
	size_t cap, n;
};

/* An empty map is all zeroes (struct smap m = {0}). */
uint64_t smap_hash(const char *s);
/* The value of key, or -1. */
long smap_get(const struct smap *m, const char *key);
/* Adds key -> val unless key is present; returns the stored value (the old one when present), -1 on ENOMEM. */
long smap_put(struct smap *m, const char *key, uint32_t val);
/* As smap_put, but a new key is copied into ar first. */
long smap_put_copy(struct smap *m, struct arena *ar, const char *key, uint32_t val);
void smap_free(struct smap *m);

#endif
