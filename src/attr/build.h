/*
 * build.h - rebuilding assets from the observations in a store: group them
 * into devices (same MAC, same address in the same scope, same inventory id:
 * any shared identity ties two observations together), attribute each group,
 * and write assets and their evidence in one transaction.
 */
#ifndef TM_BUILD_H
#define TM_BUILD_H

#include <stddef.h>

struct kb;
struct store;

struct build_stats {
	long obs;    /* observations read */
	long assets; /* assets written */
	long evidence;
	long attributed; /* assets with a vendor */
};

/* Replaces every asset and evidence row of st.  On error the store is unchanged. */
int attr_build(const struct kb *kb, struct store *st, struct build_stats *bs, char *eb, size_t el);

#endif
