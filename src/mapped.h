/* SPDX-License-Identifier: MIT */
/*
 * mapped.h - blocks with a mapping of their own.
 *
 * Each large block is one mmap of exactly HDR + size bytes, released by
 * munmap as soon as it is freed.  A registry answers "is this one of our
 * mappings?" without touching the candidate's memory, which may already be
 * unmapped (a double free).  All functions expect the allocator lock.
 */
#ifndef OSMEM_MAPPED_H
#define OSMEM_MAPPED_H

#include <stdbool.h>
#include <stddef.h>

#include "block.h"

/* A new STATUS_MAPPED block of asize payload bytes (caller checked that
 * HDR + asize does not overflow), or NULL with errno = ENOMEM. */
struct block_meta *mapped_alloc(size_t asize);

/* A mapped block whose payload is aligned to `align` (a power of two);
 * the caller checked that HDR + asize + align does not overflow. */
struct block_meta *mapped_alloc_aligned(size_t asize, size_t align);

/* Unlink and unmap (or keep the mapping in the cache, drop-in). */
void mapped_free(struct block_meta *b);

/* Drop-in: resize b's mapping to hold asize bytes (mremap; nothing is
 * copied, in place when shrinking); the block, maybe moved, or NULL (b is
 * intact) when that is not possible or not enabled (OSMEM_MREMAP). */
struct block_meta *mapped_resize(struct block_meta *b, size_t asize);

/* True when b is a mapped block whose payload the kernel zeroed (not one
 * made from a cached mapping). */
bool mapped_zero_filled(const struct block_meta *b);

/* True when b is the header of one of our live mappings. */
bool mapped_owns(const struct block_meta *b);

/* How many live mappings the registry knows (os_heap_check compares it with the list). */
size_t mapped_count(void);

/* Unmap every mapped block.  For tests. */
void mapped_release_all(void);

#endif /* OSMEM_MAPPED_H */
