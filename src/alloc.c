/* SPDX-License-Identifier: MIT */
/*
 * alloc.c - allocation policy: which path serves a request, realloc's
 * decision order (docs/CONTRACT.md sections 2, 5 and 6), aligned requests,
 * and the validation of every pointer handed back to us.
 *
 * Sizes are checked before the lock is taken, so that rejected calls make no
 * system call; everything else runs under the one allocator lock.
 */
#include "alloc.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "block.h"
#include "heap.h"
#include "lock.h"
#include "mapped.h"
#include "os.h"
#include "report.h"
#include "vg.h"

/* Read and written under the lock only. */
static size_t alloc_mmap_threshold = OSMEM_MMAP_THRESHOLD;

void alloc_set_mmap_threshold(size_t bytes)
{
	lock_acquire();
	alloc_mmap_threshold = bytes;
	lock_release();
}

/* Payload size for a request of n bytes; false (errno = ENOMEM) when the
 * block (header included) cannot be represented. */
static bool block_size_for(size_t n, size_t *asize)
{
	if (!align_size(n, asize) || *asize > SIZE_MAX - HDR) {
		errno = ENOMEM;
		return false;
	}
	return true;
}

/* A new block: mapped when header + asize reaches map_threshold. */
static struct block_meta *alloc_block(size_t asize, size_t map_threshold)
{
	if (HDR + asize >= map_threshold)
		return mapped_alloc(asize);
	return heap_alloc(asize);
}

/* The block behind a pointer the caller passed in, if it is one of ours and
 * live; NULL after reporting what is wrong with it.  O(1): the mapping
 * registry, or a range check, the header's seal and the plausibility of its
 * fields. */
static struct block_meta *live_block(void *ptr, const char *func)
{
	struct block_meta *b = (struct block_meta *)((uintptr_t)ptr - HDR);

	if (!is_aligned(ptr) || (uintptr_t)ptr < HDR) {
		report_bad_pointer(func, "invalid pointer", ptr);
		return NULL;
	}
	if (mapped_owns(b))
		return b;
	if (heap_range_holds(b) && block_sealed(b)) {
		if (b->status == STATUS_FREE) {
			report_bad_pointer(func, "double free or use after free of", ptr);
			return NULL;
		}
		if (b->status == STATUS_ALLOC && heap_block_plausible(b))
			return b;
	}
	report_bad_pointer(func, "invalid pointer", ptr);
	return NULL;
}

static void release(struct block_meta *b)
{
	if (b->status == STATUS_MAPPED)
		mapped_free(b);
	else
		heap_free(b);
}

void *alloc_malloc(size_t size)
{
	struct block_meta *b;
	size_t asize;

	if (!block_size_for(size, &asize))
		return NULL;
	lock_acquire();
	b = alloc_block(asize, alloc_mmap_threshold);
	lock_release();
	return b ? block_payload(b) : NULL;
}

void *alloc_calloc(size_t nmemb, size_t size)
{
	struct block_meta *b;
	size_t total, asize;

	if (__builtin_mul_overflow(nmemb, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	if (!block_size_for(total, &asize))
		return NULL;
	lock_acquire();
	b = alloc_block(asize, OSMEM_CALLOC_MAPS_AT_PAGE ? os_page_size() : alloc_mmap_threshold);
	/* Fresh mappings are zero already; heap blocks may be recycled. */
	if (b && b->status != STATUS_MAPPED)
		memset(block_payload(b), 0, b->size);
	lock_release();
	return b ? block_payload(b) : NULL;
}

bool alloc_free(void *ptr, const char *func)
{
	struct block_meta *b;

	lock_acquire();
	b = live_block(ptr, func);
	if (b)
		release(b);
	lock_release();
	return b != NULL;
}

/* Move the payload of `old` into a new block of asize bytes (heap or mapping,
 * by the malloc threshold), then release `old`.  NULL: old is untouched. */
static void *move_block(struct block_meta *old, size_t asize)
{
	struct block_meta *nb = alloc_block(asize, alloc_mmap_threshold);

	if (!nb)
		return NULL;
	vg_copy_target(block_payload(nb), nb->size, block_payload(old), old->size);
	memcpy(block_payload(nb), block_payload(old), old->size < asize ? old->size : asize);
	release(old);
	return block_payload(nb);
}

static void *realloc_locked(void *ptr, size_t asize, const char *func)
{
	struct block_meta *b = live_block(ptr, func);

	if (!b) {
		errno = EINVAL;
		return NULL;
	}
	if (b->status == STATUS_MAPPED || HDR + asize >= alloc_mmap_threshold)
		return move_block(b, asize);
	switch (heap_resize(b, asize)) {
	case RESIZE_IN_PLACE:
		return ptr;
	case RESIZE_FAILED:
		return NULL;
	case RESIZE_MUST_MOVE:
		break;
	}
	return move_block(b, asize);
}

void *alloc_realloc(void *ptr, size_t size, const char *func)
{
	size_t asize;
	void *p;

	if (!block_size_for(size, &asize))
		return NULL;
	lock_acquire();
	p = realloc_locked(ptr, asize, func);
	lock_release();
	return p;
}

void *alloc_aligned(size_t align, size_t size)
{
	struct block_meta *b;
	size_t asize, slack = align + HDR + OSMEM_ALIGNMENT;   /* room to slide to an aligned spot */

	if (align <= OSMEM_ALIGNMENT)
		return alloc_malloc(size);
	if (!block_size_for(size, &asize) || align > SIZE_MAX / 2 || asize > SIZE_MAX - HDR - slack) {
		errno = ENOMEM;
		return NULL;
	}
	lock_acquire();
	if (HDR + asize + slack >= alloc_mmap_threshold)
		b = mapped_alloc_aligned(asize, align);
	else
		b = heap_alloc_aligned(asize, align);
	lock_release();
	return b ? block_payload(b) : NULL;
}

size_t alloc_usable_size(void *ptr, const char *func)
{
	struct block_meta *b;
	size_t size;

	if (!ptr)
		return 0;
	lock_acquire();
	b = live_block(ptr, func);
	size = b ? b->size : 0;
	lock_release();
	return size;
}
