/* SPDX-License-Identifier: MIT */
/*
 * block.h - one block: header arithmetic, the integrity seal, the block list.
 *
 * Layout (x86-64):
 *
 *     offset  0  size_t size        payload capacity, a multiple of OSMEM_ALIGNMENT
 *     offset  8  int status         STATUS_FREE / STATUS_ALLOC / STATUS_MAPPED
 *     offset 12  uint32_t seal      (the struct's padding) integrity word, see below
 *     offset 16  block_meta *prev   the one list of all blocks
 *     offset 24  block_meta *next
 *     offset 32  payload ...
 *
 * The seal is a keyed hash of the header's own address.  A pointer that was
 * never returned by us almost never has a valid seal 32 bytes before it, so
 * free() can reject foreign and interior pointers in O(1) without walking the
 * heap.  The key comes from the kernel's AT_RANDOM bytes (no system call).
 * Headers absorbed by coalescing keep their seal and STATUS_FREE, so a late
 * second free of them still reads as a double free.
 */
#ifndef OSMEM_BLOCK_H
#define OSMEM_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "block_meta.h"
#include "config.h"

#define HDR ((size_t)sizeof(struct block_meta))

_Static_assert(sizeof(struct block_meta) == 32, "the contract fixes the header at 32 bytes");
_Static_assert(offsetof(struct block_meta, prev) - offsetof(struct block_meta, status) - sizeof(int)
	       >= sizeof(uint32_t), "the seal lives in the padding after status");

#define SEAL_OFFSET (offsetof(struct block_meta, status) + sizeof(int))

static inline void *block_payload(struct block_meta *b)
{
	return b + 1;
}

static inline struct block_meta *payload_block(void *p)
{
	return (struct block_meta *)p - 1;
}

/* First byte after the block's payload. */
static inline char *block_end(const struct block_meta *b)
{
	return (char *)(b + 1) + b->size;
}

/* Round n up to the alignment; false if that overflows. */
static inline bool align_size(size_t n, size_t *out)
{
	if (n > SIZE_MAX - (OSMEM_ALIGNMENT - 1))
		return false;
	*out = (n + OSMEM_ALIGNMENT - 1) & ~(size_t)(OSMEM_ALIGNMENT - 1);
	return true;
}

/* The first address at or above p that is a multiple of align (a power of two). */
static inline char *align_up(const void *p, size_t align)
{
	return (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
}

static inline bool is_aligned(const void *p)
{
	return ((uintptr_t)p & (OSMEM_ALIGNMENT - 1)) == 0;
}

/* ---- integrity seal ----
 *
 * Bits 31..2: a keyed hash of the header's address.  Bits 1..0: for free heap
 * blocks, which structure the block is filed in (its payload links belong to
 * that structure); FILED_NONE otherwise. */

enum filing {
	FILED_NONE = 0,      /* not free, or in a treap of the free-block index */
	FILED_QUEUE = 1,     /* the heap's coalescing queue */
	FILED_UNSORTED = 2,  /* a bin's unsorted list or pairing heap (freeidx.h) */
};

#define SEAL_FILING_MASK 3u

uint32_t block_seal_for(const struct block_meta *b);   /* filing bits clear */

static inline uint32_t block_seal_read(const struct block_meta *b)
{
	uint32_t s;

	memcpy(&s, (const char *)b + SEAL_OFFSET, sizeof(s));
	return s;
}

static inline void block_seal_write(struct block_meta *b, uint32_t s)
{
	memcpy((char *)b + SEAL_OFFSET, &s, sizeof(s));
}

static inline void block_seal(struct block_meta *b)
{
	block_seal_write(b, block_seal_for(b));
}

static inline bool block_sealed(const struct block_meta *b)
{
	return (block_seal_read(b) & ~SEAL_FILING_MASK) == block_seal_for(b);
}

static inline enum filing block_filing(const struct block_meta *b)
{
	return (enum filing)(block_seal_read(b) & SEAL_FILING_MASK);
}

static inline void block_set_filing(struct block_meta *b, enum filing f)
{
	block_seal_write(b, block_seal_for(b) | (uint32_t)f);
}

/* Write a complete header for a block not yet in the list. */
static inline void block_init(struct block_meta *b, size_t size, int status)
{
	b->size = size;
	b->status = status;
	b->prev = NULL;
	b->next = NULL;
	block_seal(b);
}

/* ---- the list of all blocks: heap blocks by address, then mapped blocks ---- */

struct block_list {
	struct block_meta *head;
	struct block_meta *tail;
};

extern struct block_list blocks;

/* Insert b after pos (pos == NULL: at the head). */
void blist_insert_after(struct block_meta *pos, struct block_meta *b);
void blist_remove(struct block_meta *b);

#endif /* OSMEM_BLOCK_H */
