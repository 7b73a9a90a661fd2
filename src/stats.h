/* SPDX-License-Identifier: MIT */
/*
 * stats.h - figures about the heap and the mappings, from one walk of the
 * block list (O(number of blocks): for reports, not for hot paths).
 */
#ifndef OSMEM_STATS_H
#define OSMEM_STATS_H

#include <stddef.h>

struct heap_figures {
	size_t heap_bytes;       /* heap blocks, headers included */
	size_t in_use_bytes;     /* payload of allocated heap blocks */
	size_t free_bytes;       /* payload of free heap blocks */
	size_t alloc_blocks;
	size_t free_blocks;
	size_t largest_free;
	size_t top_free;         /* the last heap block's payload, if it is free */
	size_t mapped_blocks;
	size_t mapped_bytes;     /* mapped blocks, headers included */
};

/* Takes the allocator lock. */
void stats_collect(struct heap_figures *f);

#endif /* OSMEM_STATS_H */
