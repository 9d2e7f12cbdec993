/*
 * arena.h - a bump allocator for data that lives exactly as long as one unit
 * of work (a packet, a probe, a loaded file): many small allocations, one
 * arena_free() or arena_reset() at the end.  Allocation is 16-byte aligned.
 */
#ifndef TM_ARENA_H
#define TM_ARENA_H

#include <stddef.h>

struct arena;

/* chunk: bytes per block (0 for a default of 64 KiB).  NULL on failure. */
struct arena *arena_new(size_t chunk);
void arena_free(struct arena *a);
/* Drops every allocation but keeps the first block for reuse. */
void arena_reset(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* Bytes handed out so far (for memory accounting in tests and benches). */
size_t arena_used(const struct arena *a);

#endif
