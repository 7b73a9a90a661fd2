/* SPDX-License-Identifier: MIT */
/*
 * heap.c - the sbrk heap.
 *
 * Design (docs/CONTRACT.md sections 3-5, docs/DESIGN.md):
 *
 *  - The heap is one or more segments of break memory.  The first heap
 *    allocation moves the break by OSMEM_HEAP_PREALLOC and makes it one free
 *    block.  Later growth extends the newest segment in place; if anybody
 *    else (libc malloc, say) moved the break since we last did, the next
 *    growth starts a new segment at the current break instead, so we never
 *    treat their memory as ours.  Blocks are physically adjacent only within
 *    a segment, and coalescing and growth check physical adjacency.
 *
 *  - Heap blocks occupy the front of the block list, in address order;
 *    `heap.last` is the last of them.  Mapped blocks follow.
 *
 *  - Coalescing is deferred: free() only flips the status; the next
 *    allocation merges every run of free neighbours first.  realloc merges
 *    one following neighbour at a time.
 *
 *  - Every free block is in exactly one of two places: the free-block index
 *    (freeidx.c), or the coalescing queue of blocks that became free since
 *    the last allocation.  Only queued blocks can have free neighbours, so
 *    the next allocation merges around them alone and files the results in
 *    the index: amortised O(1) per free, plus the index's O(log n).
 *
 *  - Drop-in profile (OSMEM_COALESCE_ON_FREE, docs/DESIGN.md "Giving memory
 *    back"): free() merges with its free neighbours at once and files the
 *    result in the index, so the queue stays empty and no two free blocks
 *    touch.  Every growth asks opt_top_pad bytes more, the break on a page
 *    boundary, so that small requests do not each move the break.  A free
 *    top block larger than opt_trim_threshold is cut down to opt_top_pad
 *    (brk down).  Each free block counts, after its links, the bytes freed
 *    into it since its pages were last released; past opt_madvise_threshold
 *    its whole pages go back with madvise, once, however often it merges.
 */
#include "heap.h"

#include <errno.h>
#include <stdint.h>

#include "freeidx.h"
#include "options.h"
#include "os.h"
#include "stats.h"

static struct {
	char *lo;                 /* first byte of the first segment; NULL: no heap yet */
	char *top;                /* end of the newest segment = our idea of the break */
	struct block_meta *last;  /* highest heap block */
	size_t owned;             /* break bytes we moved the break by, in all segments */
	size_t unused;            /* of those, bytes in no block: alignment pads, tails */
} heap;

#define MIN_SPLIT_REMAINDER (HDR + OSMEM_ALIGNMENT)

bool heap_range_holds(const struct block_meta *b)
{
	uintptr_t a = (uintptr_t)b;

	return heap.lo && a >= (uintptr_t)heap.lo && a <= (uintptr_t)heap.top - HDR;
}

/* ---- the coalescing queue: free blocks not yet merged and indexed ---- */

static blkref queue_head = REF_NIL;

static void queue_push(struct block_meta *b)
{
	reflist_push(&queue_head, b);
	block_set_filing(b, FILED_QUEUE);
}

static void queue_remove(struct block_meta *b)
{
	reflist_remove(&queue_head, b);
	block_set_filing(b, FILED_NONE);
}

/* Take a free block out of whichever of the two structures holds it. */
static void detach_free(struct block_meta *b)
{
	if (block_filing(b) == FILED_QUEUE)
		queue_remove(b);
	else
		fidx_remove(b);
}

bool heap_block_plausible(const struct block_meta *b)
{
	if (b->size % OSMEM_ALIGNMENT != 0 || b->size > (size_t)(heap.top - (const char *)(b + 1)))
		return false;
	if (b->prev ? (b->prev >= b || (char *)b->prev < heap.lo) : blocks.head != b)
		return false;
	return b == heap.last || (b->next && (char *)b->next >= block_end(b) && (char *)b->next < heap.top);
}

void heap_forget(void)
{
	heap.lo = NULL;
	heap.top = NULL;
	heap.last = NULL;
	heap.owned = 0;
	heap.unused = 0;
	queue_head = REF_NIL;
}

void heap_shape(struct heap_shape *out)
{
	out->lo = heap.lo;
	out->top = heap.top;
	out->last = heap.last;
	out->owned = heap.owned;
	out->unused = heap.unused;
}

bool heap_queue_walk(fidx_visitor visit, void *arg, size_t *budget)
{
	return reflist_walk(queue_head, visit, arg, 0, FILED_QUEUE, budget);
}

/* Every successful sbrk of ours: `len` more bytes owned, `unused` of them
 * outside any block.  Keeps "blocks + unused == owned" (os_heap_check). */
static void account_growth(size_t len, size_t unused)
{
	heap.owned += len;
	heap.unused += unused;
	stats_heap_grew(heap.owned);
}

static size_t align_pad(const char *p)
{
	return (size_t)(align_up(p, OSMEM_ALIGNMENT) - p);
}

/* b and its list successor touch in memory (same segment, both on the heap). */
static bool next_is_adjacent(const struct block_meta *b)
{
	return b != heap.last && block_end(b) == (char *)b->next;
}

static bool next_is_free_neighbour(const struct block_meta *b)
{
	return next_is_adjacent(b) && b->next->status == STATUS_FREE;
}

/* Merge b's (free, adjacent) successor into b.  The absorbed header keeps
 * its seal and STATUS_FREE, so a late second free of it is still reported
 * as a double free rather than a wild pointer. */
static void join_next(struct block_meta *b)
{
	struct block_meta *n = b->next;

	b->size += HDR + n->size;
	if (n == heap.last)
		heap.last = b;
	blist_remove(n);
}

static void absorb_next(struct block_meta *b)
{
	detach_free(b->next);
	join_next(b);
}

/* Link a new block placed at the end of the heap. */
static void link_at_top(struct block_meta *b)
{
	blist_insert_after(heap.last, b);
	heap.last = b;
}

/* The free-block index addresses blocks by 32-bit offsets from heap.lo:
 * the heap may not reach beyond REF_SPAN bytes from it. */
static bool within_span(const char *start, size_t len)
{
	return len <= REF_SPAN && (size_t)(start - heap.lo) <= REF_SPAN - len;
}

/* The last block ends exactly at the break we own, so it can grow in place. */
static bool last_touches_top(void)
{
	return heap.last && block_end(heap.last) == heap.top;
}

/* ---- drop-in: merging at free time, trimming the top, releasing pages ---- */

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* A free block's count of bytes freed into it since its pages were last
 * released: 4 bytes after its links (every drop-in payload has 16 or more). */
static uint32_t *unreleased_word(struct block_meta *b)
{
	return (uint32_t *)((char *)block_payload(b) + sizeof(struct free_links));
}

static size_t unreleased(struct block_meta *b)
{
	return OSMEM_COALESCE_ON_FREE ? *unreleased_word(b) : 0;
}

static void set_unreleased(struct block_meta *b, size_t n)
{
	if (OSMEM_COALESCE_ON_FREE)
		*unreleased_word(b) = (uint32_t)min_size(n, UINT32_MAX);
}

static bool prev_is_free_neighbour(const struct block_meta *b)
{
	return b->prev && block_end(b->prev) == (const char *)b && b->prev->status == STATUS_FREE;
}

/* b is free and in no structure: merge it with its free neighbours (each
 * filed, and not touching another free block) and return the result, its
 * count the sum of theirs. */
static struct block_meta *merge_free_neighbours(struct block_meta *b)
{
	size_t count = unreleased(b);

	while (next_is_free_neighbour(b)) {
		count += HDR + unreleased(b->next);
		absorb_next(b);
	}
	if (prev_is_free_neighbour(b)) {
		count += HDR + unreleased(b->prev);
		b = b->prev;
		detach_free(b);
		join_next(b);
	}
	set_unreleased(b, count);
	return b;
}

/* Give back the break memory above b's first `keep` payload bytes (rounded
 * up to a page boundary); b is the last block, free, in no structure.  Only
 * when nobody else moved the break since we did. */
static bool trim_top(struct block_meta *b, size_t keep)
{
	char *payload = block_payload(b), *new_top;

	if (b != heap.last || !last_touches_top() || os_break() != heap.top)
		return false;
	keep = keep > OSMEM_ALIGNMENT ? keep : OSMEM_ALIGNMENT;   /* room for the links and the count */
	if (keep >= (size_t)(heap.top - payload))
		return false;
	new_top = align_up(payload + keep, os_page_size());
	if (new_top >= heap.top || !os_sbrk_down((size_t)(heap.top - new_top)))
		return false;
	heap.owned -= (size_t)(heap.top - new_top);
	heap.top = new_top;
	b->size = (size_t)(new_top - payload);
	set_unreleased(b, min_size(unreleased(b), HDR + b->size));
	return true;
}

/* madvise the whole pages of a free block past its header, links and count. */
static bool release_pages(struct block_meta *b)
{
	size_t page = os_page_size();
	char *lo = align_up((char *)block_payload(b) + OSMEM_ALIGNMENT, page);
	char *hi = (char *)((uintptr_t)block_end(b) & ~(uintptr_t)(page - 1));
	bool done = hi > lo && os_release_pages(lo, (size_t)(hi - lo));

	set_unreleased(b, 0);   /* once per range, even if the kernel refused */
	return done;
}

/* File a free block that is in no structure: queue it (strict: coalescing
 * waits for the next allocation), or merge it now, trim or release what
 * the knobs say, and index it (drop-in). */
static void file_free(struct block_meta *b)
{
	if (!OSMEM_COALESCE_ON_FREE) {
		queue_push(b);
		return;
	}
	b = merge_free_neighbours(b);
	if (b == heap.last && b->size > opt_trim_threshold)
		trim_top(b, opt_top_pad);
	if (unreleased(b) >= opt_madvise_threshold)
		release_pages(b);
	fidx_insert(b);
}

bool heap_trim(size_t pad)
{
	bool released = false;

	if (!OSMEM_COALESCE_ON_FREE || !heap.lo)
		return false;
	if (heap.last && heap.last->status == STATUS_FREE) {
		struct block_meta *top = heap.last;

		detach_free(top);
		released = trim_top(top, pad);
		fidx_insert(top);
	}
	for (struct block_meta *b = blocks.head; b && b->status != STATUS_MAPPED; b = b->next)
		if (b->status == STATUS_FREE && unreleased(b) > 0)
			released |= release_pages(b);
	return released;
}

/* Turn break memory [start, start + len) that we own into a free block at
 * the end of the heap, if it can hold one. */
static void adopt_segment(char *start, size_t len)
{
	size_t pad = align_pad(start);

	heap.top = start + len;
	if (len < pad + MIN_SPLIT_REMAINDER || !within_span(start, len)) {
		account_growth(len, len);   /* unusable; it stays ours, unused */
		return;
	}
	struct block_meta *b = (struct block_meta *)(start + pad);

	block_init(b, (len - pad - HDR) & ~(size_t)(OSMEM_ALIGNMENT - 1), STATUS_FREE);
	account_growth(len, len - HDR - b->size);
	link_at_top(b);
	set_unreleased(b, 0);   /* fresh from the kernel */
	file_free(b);
}

/* The first block starts at an OSMEM_HEAP_START_ALIGN boundary: in the
 * drop-in, the zones' granule, so that the heap's layout relative to its
 * start does not depend on where the kernel put the break (traces replay to
 * the same offsets).  The strict profile asks exactly the preallocation. */
static bool heap_init(void)
{
	size_t lead_room = OSMEM_HEAP_START_ALIGN > OSMEM_ALIGNMENT ? OSMEM_HEAP_START_ALIGN : 0;
	char *start = os_sbrk(OSMEM_HEAP_PREALLOC + lead_room), *first;

	if (!start)
		return false;
	first = lead_room ? align_up(start, OSMEM_HEAP_START_ALIGN) : start;
	heap.lo = first + align_pad(first);
	fidx_reset(heap.lo);
	if (first != start)
		account_growth((size_t)(first - start), (size_t)(first - start));   /* owned, in no block */
	adopt_segment(first, OSMEM_HEAP_PREALLOC + lead_room - (size_t)(first - start));
	return true;
}

/* Move the break, now at brk, up by need bytes, or in the drop-in by need +
 * top pad so that the new break is on a page boundary (falling back to need
 * if the kernel refuses that much).  Returns the old break and the increment
 * in *got; NULL (errno = ENOMEM) on failure. */
static char *grow_break(const char *brk, size_t need, size_t *got)
{
	size_t step = need, padded;
	char *old = NULL;

	if (opt_top_pad > 0 && !__builtin_add_overflow(need, opt_top_pad, &padded) && within_span(brk, padded))
		step = (size_t)(align_up(brk + padded, os_page_size()) - brk);
	if (step != need && within_span(brk, step))
		old = os_sbrk(step);
	if (!old) {
		step = need;
		if (!within_span(brk, step)) {
			errno = ENOMEM;
			return NULL;
		}
		old = os_sbrk(step);
	}
	*got = step;
	return old;
}

enum extend_result { EXTEND_OK, EXTEND_FOREIGN, EXTEND_FAILED };

/* Move the break up by at least need bytes so that the newest segment grows
 * in place (by the top pad more, see grow_break).  EXTEND_FOREIGN: somebody
 * else owns the memory at our top now. */
static enum extend_result extend_top(size_t need)
{
	size_t got;
	char *old;

	if (os_break() != heap.top)
		return EXTEND_FOREIGN;
	old = grow_break(heap.top, need, &got);
	if (!old)
		return EXTEND_FAILED;
	if (old != heap.top) {
		/* Lost a race with another break mover: the memory is ours,
		 * but not contiguous with the segment. */
		adopt_segment(old, got);
		return EXTEND_FOREIGN;
	}
	heap.top += got;
	account_growth(got, 0);   /* the caller's last block takes all of it */
	return EXTEND_OK;
}

/* Give b exactly asize bytes when its surplus can stand alone as a free
 * block, and return that block (not yet filed anywhere); otherwise b keeps
 * the slack and the result is NULL. */
static struct block_meta *split(struct block_meta *b, size_t asize)
{
	struct block_meta *rest;

	if (b->size - asize < MIN_SPLIT_REMAINDER)
		return NULL;
	rest = (struct block_meta *)((char *)block_payload(b) + asize);
	block_init(rest, b->size - asize - HDR, STATUS_FREE);
	blist_insert_after(b, rest);
	if (b == heap.last)
		heap.last = rest;
	b->size = asize;
	return rest;
}

/* Split, and file the surplus as a free block: its successor may be free. */
static void split_and_file(struct block_meta *b, size_t asize)
{
	struct block_meta *rest = split(b, asize);

	if (rest) {
		set_unreleased(rest, HDR + rest->size);   /* maybe touched: count it all */
		file_free(rest);
	}
}

/* The first block of the run of free neighbours that b belongs to. */
static struct block_meta *run_start(struct block_meta *b)
{
	while (b->prev && block_end(b->prev) == (char *)b && b->prev->status == STATUS_FREE)
		b = b->prev;
	return b;
}

/* Contract step 4.1: merge every run of free neighbours.  Runs only exist
 * around queued blocks, so merging around each of them is enough; every
 * block walked over is absorbed, so the cost is amortised O(1) per free. */
static void coalesce_queued(void)
{
	while (queue_head != REF_NIL) {
		struct block_meta *s = run_start(block_of(queue_head));

		detach_free(s);
		while (next_is_free_neighbour(s))
			absorb_next(s);
		fidx_insert(s);
	}
}

/* Append a new allocated block at the current break.  If someone else moved
 * the break, this silently starts a new segment. */
static struct block_meta *append_block(size_t asize)
{
	for (int attempt = 0; attempt < 4; attempt++) {
		char *brk = os_break();
		size_t pad = align_pad(brk), got;
		char *old;

		if (asize > SIZE_MAX - pad - HDR) {
			errno = ENOMEM;
			return NULL;
		}
		old = grow_break(brk, pad + HDR + asize, &got);
		if (!old)
			return NULL;
		if (old != brk) {
			adopt_segment(old, got);   /* raced: keep it as free space, retry */
			continue;
		}
		struct block_meta *b = (struct block_meta *)(old + pad);

		block_init(b, got - pad - HDR, STATUS_ALLOC);
		link_at_top(b);
		heap.top = old + got;
		account_growth(got, pad);
		split_and_file(b, asize);   /* the top pad, if any */
		return b;
	}
	errno = ENOMEM;
	return NULL;
}

struct block_meta *heap_alloc(size_t asize)
{
	struct block_meta *b;

	if (!heap.lo && !heap_init())
		return NULL;

	coalesce_queued();
	b = fidx_take_best_fit(asize);
	if (b) {
		/* After coalescing, b was a whole run of free blocks: the surplus
		 * has no free neighbour and goes straight into the index. */
		size_t was_unreleased = unreleased(b);
		struct block_meta *rest = split(b, asize);

		if (rest) {
			set_unreleased(rest, min_size(was_unreleased, HDR + rest->size));
			fidx_insert(rest);
		}
		b->status = STATUS_ALLOC;
		return b;
	}
	if (last_touches_top() && heap.last->status == STATUS_FREE) {
		b = heap.last;
		switch (extend_top(asize - b->size)) {
		case EXTEND_OK:
			fidx_remove(b);
			b->size = (size_t)(heap.top - (char *)block_payload(b));
			b->status = STATUS_ALLOC;
			split_and_file(b, asize);   /* the top pad, if any */
			return b;
		case EXTEND_FAILED:
			return NULL;
		case EXTEND_FOREIGN:
			break;
		}
	}
	return append_block(asize);
}

/* Over-allocate, then slide the payload up to the first aligned address that
 * leaves room for a free block in front (a gap of 0 needs no block). */
struct block_meta *heap_alloc_aligned(size_t asize, size_t align)
{
	struct block_meta *b = heap_alloc(asize + align + MIN_SPLIT_REMAINDER), *nb;
	char *p, *q;

	if (!b)
		return NULL;
	p = block_payload(b);
	q = align_up(p, align);
	if (q != p) {
		while ((size_t)(q - p) < MIN_SPLIT_REMAINDER)
			q += align;
		nb = (struct block_meta *)(q - HDR);
		block_init(nb, (size_t)(block_end(b) - q), STATUS_ALLOC);
		blist_insert_after(b, nb);
		if (b == heap.last)
			heap.last = nb;
		b->size = (size_t)((char *)nb - p);
		heap_free(b);
		b = nb;
	}
	split_and_file(b, asize);
	return b;
}

void heap_free(struct block_meta *b)
{
	b->status = STATUS_FREE;
	set_unreleased(b, HDR + b->size);
	file_free(b);
}

enum heap_resize_result heap_resize(struct block_meta *b, size_t asize)
{
	while (b->size < asize && next_is_free_neighbour(b))
		absorb_next(b);
	if (b->size >= asize) {
		split_and_file(b, asize);
		return RESIZE_IN_PLACE;
	}
	if (b == heap.last && last_touches_top()) {
		switch (extend_top(asize - b->size)) {
		case EXTEND_OK:
			b->size = (size_t)(heap.top - (char *)block_payload(b));
			split_and_file(b, asize);   /* the top pad, if any */
			return RESIZE_IN_PLACE;
		case EXTEND_FAILED:
			return RESIZE_FAILED;
		case EXTEND_FOREIGN:
			break;
		}
	}
	return RESIZE_MUST_MOVE;
}
