/* SPDX-License-Identifier: MIT */
/*
 * freeidx.h - the free-block index: best fit in O(log n), inside free blocks.
 *
 * The allocator may make no system call beyond those the contract lists, so
 * the index cannot have memory of its own: it lives in the payloads of the
 * free blocks it indexes.  The smallest free block has 8 payload bytes, so a
 * node is two 32-bit references (block offset from the heap base in units of
 * the alignment) rather than two pointers.  That bounds the heap's span to
 * 2^32 alignment units (32 GiB at 8-byte alignment); growth beyond fails with
 * ENOMEM.
 *
 * The same 8 bytes serve the heap's coalescing queue (heap.c) and the bins'
 * unsorted lists: a free block is in exactly one structure, and the seal's
 * filing bits say which (block.h).
 */
#ifndef OSMEM_FREEIDX_H
#define OSMEM_FREEIDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "block.h"

typedef uint32_t blkref;

#define REF_NIL  UINT32_MAX
#define REF_SPAN ((size_t)REF_NIL * OSMEM_ALIGNMENT)   /* bytes addressable from the base */

/* Two references at the start of a free block's payload. */
struct free_links {
	blkref a;   /* treap: left child;  lists: previous */
	blkref b;   /* treap: right child; lists: next */
};

extern char *ref_base;

static inline blkref ref_of(const struct block_meta *b)
{
	return (blkref)(((const char *)b - ref_base) / OSMEM_ALIGNMENT);
}

static inline struct block_meta *block_of(blkref r)
{
	return (struct block_meta *)(ref_base + (size_t)r * OSMEM_ALIGNMENT);
}

static inline struct free_links *links_of(struct block_meta *b)
{
	return (struct free_links *)block_payload(b);
}

/* Doubly linked lists of free blocks threaded through their free_links, for
 * the heap's coalescing queue and the bins' unsorted lists. */
void reflist_push(blkref *head, struct block_meta *b);
void reflist_remove(blkref *head, struct block_meta *b);

/* Empty the index; references count from `base` (the heap's first byte). */
void fidx_reset(char *base);

void fidx_insert(struct block_meta *b);   /* b is free, not indexed, size settled */
void fidx_remove(struct block_meta *b);   /* b is indexed, size unchanged since insert */

/* Remove and return the indexed block with the smallest size >= asize, the
 * lowest address among equal sizes; NULL if none. */
struct block_meta *fidx_take_best_fit(size_t asize);

#endif /* OSMEM_FREEIDX_H */
