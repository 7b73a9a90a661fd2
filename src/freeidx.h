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
 * The same 8 bytes serve the heap's coalescing queue (heap.c) and the 8-byte
 * bin's unsorted list; a bin's pairing heap (freeidx.c) adds a third
 * reference at payload offset 12.  A free block is in exactly one structure,
 * and the seal's filing bits say which (block.h): FILED_UNSORTED stands for
 * a bin's heap too.
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
	blkref a;   /* treap: left child;  lists: previous; heap: first child */
	blkref b;   /* treap: right child; lists: next;     heap: next sibling */
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

/* ---- read-only iteration, for os_heap_check (heapcheck.c) ----
 *
 * visit() is called for each reference before the block behind it is read;
 * returning false means "do not follow it" (it points outside the heap, say).
 * bin_size is the size every block of that bin must have, 0 for the large
 * tree and for lists outside the index; where is the filing the block's seal
 * must show.  Corrupted links may loop: a walk visits at most *budget nodes
 * in all, and returns false when it stopped for that reason. */
typedef bool (*fidx_visitor)(void *arg, blkref r, size_t bin_size, enum filing where);

bool reflist_walk(blkref head, fidx_visitor visit, void *arg, size_t bin_size, enum filing where,
		  size_t *budget);

/* Every node of the index: each bin's heap (or unsorted list and treap), then the large tree. */
bool fidx_walk(fidx_visitor visit, void *arg, size_t *budget);

/* The bin size a free block of `size` bytes is filed under: size itself for
 * an exact-size bin, 0 for the large tree. */
size_t fidx_bin_size(size_t size);

/* How many bins' bits in the non-empty bitmap disagree with their contents. */
size_t fidx_bitmap_mismatches(void);

#endif /* OSMEM_FREEIDX_H */
