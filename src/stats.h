/* SPDX-License-Identifier: MIT */
/*
 * stats.h - the figures of os_stats() (include/osmem_inspect.h).
 *
 * Current figures come from one walk of the block list when asked (O(number
 * of blocks): for reports, not for hot paths).  Peaks cannot be recovered by
 * a walk, so a few running counters are kept where blocks change, under the
 * allocator lock: bytes handed out (alloc.c), mapped bytes (mapped.c), the
 * heap's size (heap.c).  Each update is an add and a compare.
 */
#ifndef OSMEM_STATS_H
#define OSMEM_STATS_H

#include <stddef.h>

#include "os.h"

struct stats_running {
	size_t in_use, peak_in_use;   /* payload handed out, heap + mapped */
	size_t mapped, peak_mapped;   /* mapped blocks, headers included */
	size_t peak_heap;             /* heap size (break bytes owned) */
	unsigned long calls_base[OS_OP_COUNT];   /* os_calls() at the last stats_reset() */
};

extern struct stats_running stats_running;

/* value += bytes, and keep its peak. */
static inline void stats_raise(size_t *value, size_t *peak, size_t bytes)
{
	*value += bytes;
	if (*value > *peak)
		*peak = *value;
}

static inline void stats_in_use_add(size_t bytes)
{
	stats_raise(&stats_running.in_use, &stats_running.peak_in_use, bytes);
}

static inline void stats_in_use_sub(size_t bytes)
{
	stats_running.in_use -= bytes;
}

static inline void stats_mapped_add(size_t bytes)
{
	stats_raise(&stats_running.mapped, &stats_running.peak_mapped, bytes);
}

static inline void stats_mapped_sub(size_t bytes)
{
	stats_running.mapped -= bytes;
}

static inline void stats_heap_grew(size_t heap_size)
{
	if (heap_size > stats_running.peak_heap)
		stats_running.peak_heap = heap_size;
}

/* "label<value>\n" on fd, written without the heap. */
void stats_print_line(int fd, const char *label, size_t value);

/* Start the counters afresh, system call counts included (tests:
 * osmem_test_reset).  The caller holds the lock. */
void stats_reset(void);

#endif /* OSMEM_STATS_H */
