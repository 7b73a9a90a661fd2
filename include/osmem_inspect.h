/* SPDX-License-Identifier: MIT */
/*
 * osmem_inspect.h - look inside osmem: statistics, a consistency check, a
 * dump of every block, and a walk over the blocks for tools.
 *
 * Exported by both libraries (libosmem and the libc drop-in libosmalloc).
 * None of these functions allocates: they write with write(2).  All take the
 * allocator lock, so they see a consistent heap; they cost O(number of
 * blocks) and are meant for debugging, not for hot paths.
 */
#ifndef OSMEM_INSPECT_H
#define OSMEM_INSPECT_H

#include <stddef.h>

#include "osmem.h"   /* OSMEM_API */

#ifdef __cplusplus
extern "C" {
#endif

struct os_stats {
	size_t in_use_bytes;      /* payload of allocated blocks, heap + mapped */
	size_t heap_free_bytes;   /* payload of free heap blocks */
	size_t heap_size;         /* bytes of break memory osmem owns (headers included) */
	size_t mapped_count, mapped_bytes;   /* mapped blocks; their bytes, headers included */
	size_t peak_in_use_bytes, peak_heap_size, peak_mapped_bytes;
	size_t brk_calls, mmap_calls, munmap_calls;   /* calls that reached the kernel */
	size_t blocks, free_blocks, largest_free;     /* all blocks; free heap blocks; largest free payload */
	double fragmentation;     /* 1 - largest_free / heap_free_bytes; 0 when nothing is free */
	size_t heap_in_use_bytes; /* payload of allocated heap blocks (mallinfo2's uordblks) */
	size_t top_free_bytes;    /* payload of the highest heap block when it is free (keepcost) */
};

/* Fill *out with the figures of this moment (peaks and call counts since the
 * start of the process). */
OSMEM_API void os_stats(struct os_stats *out);

/* Print os_stats() on fd, one "name = value" line per field. */
OSMEM_API void os_stats_print(int fd);

/* Verify every invariant of the heap, the mappings and the free-block index.
 * Returns the number of problems found and prints the first 5 on stderr, one
 * line each.  OSMEM_CHECK=1 in the environment runs it after every call and
 * aborts on the first problem. */
OSMEM_API size_t os_heap_check(void);

/* Every allocated block, by region (HEAP : 0x..., MMAP : 0x...), addresses
 * ascending, then "Total : N bytes", on stdout:
 *     HEAP : 0x55A4C6F6E000
 *     0x55A4C6F6E020 - 0x55A4C6F6E088 : 104 bytes
 *     Total : 104 bytes */
OSMEM_API void show_alloc_mem(void);

/* The same, with free heap blocks too (marked "free") and a hex+ASCII dump
 * of the first dump_bytes of each block's payload. */
OSMEM_API void show_alloc_mem_ex(size_t dump_bytes);

/* Block kinds of os_heap_walk. */
#define OS_BLOCK_FREE   0   /* a free heap block */
#define OS_BLOCK_ALLOC  1   /* an allocated heap block */
#define OS_BLOCK_MAPPED 2   /* a block with a mapping of its own */

/* For tools (heap maps): calls fn once per block, in list order (heap blocks
 * by address, then mapped blocks), under the allocator lock.  fn must not
 * call the allocator.  kind: 0 free heap block, 1 allocated heap block, 2
 * mapped block. */
OSMEM_API void os_heap_walk(void (*fn)(void *arg, const void *header, size_t header_bytes,
				       size_t payload_bytes, int kind),
			    void *arg);

#ifdef __cplusplus
}
#endif

#endif /* OSMEM_INSPECT_H */
