/* SPDX-License-Identifier: MIT */
/*
 * heap.h - the sbrk heap: blocks, split, coalesce, growth, best fit.
 *
 * All functions expect the allocator lock to be held.  Sizes passed in are
 * already aligned and below the mapping threshold.
 */
#ifndef OSMEM_HEAP_H
#define OSMEM_HEAP_H

#include <stdbool.h>
#include <stddef.h>

#include "block.h"
#include "freeidx.h"

/* Section 4 of the contract: coalesce, best fit with split, grow the last
 * free block, or append.  Returns an STATUS_ALLOC block with size >= asize,
 * or NULL with errno = ENOMEM. */
struct block_meta *heap_alloc(size_t asize);

/* Like heap_alloc, with the payload aligned to `align` (a power of two above
 * OSMEM_ALIGNMENT; the caller checked that the padded size stays below the
 * mapping threshold). */
struct block_meta *heap_alloc_aligned(size_t asize, size_t align);

/* Mark a heap block free.  Coalescing is deferred to the next allocation
 * (strict), or done at once, with trimming and page release (drop-in). */
void heap_free(struct block_meta *b);

enum heap_resize_result {
	RESIZE_IN_PLACE,   /* b now has size >= asize, same address */
	RESIZE_MUST_MOVE,  /* b may have grown by absorbing neighbours; still too small */
	RESIZE_FAILED,     /* the heap could not grow: errno = ENOMEM */
};

/* Realloc steps 6-8: shrink with split, absorb following free blocks, or
 * grow the heap when b is the last block. */
enum heap_resize_result heap_resize(struct block_meta *b, size_t asize);

/* Drop-in: give back the free top of the heap beyond pad bytes and the
 * whole pages of every free block; true if anything went back. */
bool heap_trim(size_t pad);

/* True when a header at b would lie inside the address range the heap has
 * ever owned (foreign segments in between included: the seal tells them apart). */
bool heap_range_holds(const struct block_meta *b);

/* A sealed heap header at b is consistent with the heap: its size and links
 * are in range.  Uses only b's own header, so validating a pointer costs no
 * extra cache misses. */
bool heap_block_plausible(const struct block_meta *b);

/* Forget the heap (its memory is left behind): the next heap allocation
 * preallocates afresh at the current break.  For tests. */
void heap_forget(void);

/* ---- read-only views, for os_heap_check and os_stats ---- */

struct heap_shape {
	const char *lo, *top;            /* first byte of the heap, end of the newest segment */
	const struct block_meta *last;   /* the highest heap block */
	size_t owned;    /* bytes the break was moved by for us (the heap's size) */
	size_t unused;   /* of those, bytes in no block; blocks (headers included) + unused == owned */
};

void heap_shape(struct heap_shape *out);

/* Visit the coalescing queue (see fidx_visitor; where = FILED_QUEUE). */
bool heap_queue_walk(fidx_visitor visit, void *arg, size_t *budget);

#endif /* OSMEM_HEAP_H */
