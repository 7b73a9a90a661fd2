/* SPDX-License-Identifier: MIT */
/*
 * alloc.c - allocation policy: which path serves a request, realloc's
 * decision order (docs/CONTRACT.md sections 2, 5 and 6), aligned requests,
 * and the validation of every pointer handed back to us.
 *
 * Sizes are checked before the lock is taken, so that rejected calls make no
 * system call; everything else runs under the one allocator lock.
 *
 * Every call that took the lock keeps the count of bytes in use (for the
 * peak of os_stats()) and ends in end_call(): with OSMEM_CHECK=1 in the
 * environment, that runs the heap check and aborts on the first problem.  The
 * variable is read once, at the first call after the C library has set up
 * `environ`; when it is unset, the check costs one predictable branch.
 */
#include "alloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block.h"
#include "fmt.h"
#include "heap.h"
#include "heapcheck.h"
#include "lock.h"
#include "mapcache.h"
#include "mapped.h"
#include "options.h"
#include "os.h"
#include "report.h"
#include "stats.h"
#include "vg.h"

extern char **environ;

/* OSMEM_CHECK: 0 = off, so that the test on every call is against zero. */
enum { CHECK_OFF = 0, CHECK_ON, CHECK_UNREAD };
static int check_mode = CHECK_UNREAD;

static void check_after_call(const char *func)
{
	if (check_mode == CHECK_UNREAD) {
		if (!environ)
			return;   /* too early in the process: read it at a later call */
		check_mode = env_flag("OSMEM_CHECK") ? CHECK_ON : CHECK_OFF;
	}
	if (check_mode == CHECK_ON && heapcheck_locked() != 0) {
		char line[128];
		struct fmt_buf f = FMT_BUF_INIT(line);

		fmt_str(&f, "osmem: OSMEM_CHECK: the heap is corrupt after ");
		fmt_str(&f, func);
		fmt_str(&f, "\n");
		fmt_write(STDERR_FILENO, &f);
		abort();
	}
}

/* The end of every call that took the lock. */
static void end_call(const char *func)
{
	if (__builtin_expect(check_mode != CHECK_OFF, 0))
		check_after_call(func);
	lock_release();
}

/* The start of every call that may read a knob: the lock, and the knobs
 * (OSMEM_OPTIONS) loaded at the first such call. */
static void begin_call(void)
{
	lock_acquire();
	options_ensure_loaded();
}

/* The end of an allocating call: count the new block (NULL: none) as in
 * use, end the call, and hand out its payload. */
static void *end_alloc(struct block_meta *b, const char *func)
{
	if (b)
		stats_in_use_add(b->size);
	end_call(func);
	return b ? block_payload(b) : NULL;
}

/* The knobs (options.c) are read and written under the lock only. */
bool alloc_set_option(const char *name, size_t value)
{
	bool ok;

	begin_call();
	ok = options_set(name, value);
	lock_release();
	return ok;
}

bool alloc_trim(size_t pad)
{
	bool released;

	lock_acquire();
	released = heap_trim(pad);
	released |= mapcache_flush();
	lock_release();
	return released;
}

/* A request of header + asize bytes gets a mapping of its own (mmap_max:
 * unless there are that many already). */
static bool wants_mapping(size_t bytes, size_t map_threshold)
{
	return bytes >= map_threshold && mapped_count() < opt_mmap_max;
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
	if (wants_mapping(HDR + asize, map_threshold))
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
	begin_call();
	b = alloc_block(asize, opt_mmap_threshold);
	return end_alloc(b, "malloc()");
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
	begin_call();
	b = alloc_block(asize, OSMEM_CALLOC_MAPS_AT_PAGE ? os_page_size() : opt_mmap_threshold);
	/* Fresh mappings are zero already; heap blocks and cached mappings may be recycled. */
	if (b && !mapped_zero_filled(b))
		memset(block_payload(b), 0, b->size);
	return end_alloc(b, "calloc()");
}

bool alloc_free(void *ptr, const char *func)
{
	struct block_meta *b;

	lock_acquire();
	b = live_block(ptr, func);
	if (b) {
		stats_in_use_sub(b->size);
		release(b);
	}
	end_call(func);
	return b != NULL;
}

/* Move the payload of `old` into a new block of asize bytes (heap or mapping,
 * by the malloc threshold), then release `old`.  NULL: old is untouched. */
static void *move_block(struct block_meta *old, size_t asize)
{
	struct block_meta *nb = alloc_block(asize, opt_mmap_threshold);

	if (!nb)
		return NULL;
	vg_copy_target(block_payload(nb), nb->size, block_payload(old), old->size);
	memcpy(block_payload(nb), block_payload(old), old->size < asize ? old->size : asize);
	release(old);
	return block_payload(nb);
}

/* Resize the live block b (payload ptr): in place, or by moving. */
static void *resize_block(struct block_meta *b, void *ptr, size_t asize)
{
	if (b->status == STATUS_MAPPED && HDR + asize >= opt_mmap_threshold) {
		struct block_meta *nb = mapped_resize(b, asize);   /* drop-in: mremap, no copy */

		if (nb)
			return block_payload(nb);
	}
	if (b->status == STATUS_MAPPED || HDR + asize >= opt_mmap_threshold)
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

static void *realloc_locked(void *ptr, size_t asize, const char *func)
{
	struct block_meta *b = live_block(ptr, func);
	size_t old_size;
	void *p;

	if (!b) {
		errno = EINVAL;
		return NULL;
	}
	old_size = b->size;
	p = resize_block(b, ptr, asize);
	/* On failure b is still live, possibly grown by absorbed neighbours. */
	stats_in_use_sub(old_size);
	stats_in_use_add(p ? payload_block(p)->size : b->size);
	return p;
}

void *alloc_realloc(void *ptr, size_t size, const char *func)
{
	size_t asize;
	void *p;

	if (!block_size_for(size, &asize))
		return NULL;
	begin_call();
	p = realloc_locked(ptr, asize, func);
	end_call(func);
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
	begin_call();
	if (wants_mapping(HDR + asize + slack, opt_mmap_threshold))
		b = mapped_alloc_aligned(asize, align);
	else
		b = heap_alloc_aligned(asize, align);
	return end_alloc(b, "aligned allocation");
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
	end_call(func);
	return size;
}
