/* SPDX-License-Identifier: MIT */
/*
 * mapped.c - the mapped-block path and its registry.
 *
 * The registry is an open-addressing hash set of header addresses in static
 * storage (the allocator may make no system call beyond those the contract
 * lists, so it cannot map memory for its own metadata).  Lookups are O(1).
 * Should more than REG_MAX mappings be live at once, the surplus is tracked
 * only by the block list, and lookups that miss the table walk the mapped
 * tail of the list: slower, never wrong.
 *
 * Drop-in profile only: freed mappings go to a small cache (mapcache.c) and
 * new blocks take one from it when one fits; realloc resizes a mapping with
 * mremap (mapped_resize), in place when it shrinks.  A block made from a
 * cached or resized mapping gets every byte of its pages as payload, so the
 * mapping is still exactly the pages from its header's to its payload end's.
 *
 * Drop-in profile only, glibc's dynamic threshold: freeing a mapping of len
 * bytes (len up to OSMEM_MMAP_THRESHOLD_MAX) raises opt_mmap_threshold to
 * len + 1 if it was lower, opt_trim_threshold to twice that and
 * opt_madvise_threshold to at least MADVISE_FACTOR times that.  A program
 * that frees a large block will likely ask for one of that size again; from
 * now on the heap serves it, where a freed block is reused without a system
 * call and without faulting its pages in again.  The raised trim threshold
 * keeps such a block's worth of free top instead of handing it back at
 * once; the raised madvise threshold keeps free ranges a few such blocks
 * wide resident, since releasing them means faulting them in again at the
 * next reuse.  len + 1, not len: a request of the same size must not map
 * again (its header + size may be exactly len).  The threshold only rises,
 * so a fresh process maps what it always did, and it stops when the
 * program sets a knob itself (opt_mmap_threshold_dynamic, options.c).
 */
#include "mapped.h"

#include "mapcache.h"
#include "config.h"
#include "options.h"
#include "os.h"
#include "stats.h"

#define REG_SLOTS 4096u                   /* power of two */
#define REG_MAX   (REG_SLOTS / 4 * 3)     /* keep probe sequences short */

static const struct block_meta *reg[REG_SLOTS];
static size_t reg_count;
static size_t unregistered;   /* live mappings that did not fit in reg[] */

static size_t slot_of(const struct block_meta *b)
{
	/* Headers of ordinary mappings are page aligned: the low 12 bits carry
	 * no information. */
	return (size_t)((((uintptr_t)b >> 12) * 0x9e3779b97f4a7c15ULL) >> 52) & (REG_SLOTS - 1);
}

static size_t next_slot(size_t i)
{
	return (i + 1) & (REG_SLOTS - 1);
}

/* Index of b in reg[], or REG_SLOTS if absent. */
static size_t reg_find(const struct block_meta *b)
{
	for (size_t i = slot_of(b); reg[i]; i = next_slot(i))
		if (reg[i] == b)
			return i;
	return REG_SLOTS;
}

static void reg_add(const struct block_meta *b)
{
	size_t i;

	if (reg_count >= REG_MAX) {
		unregistered++;
		return;
	}
	for (i = slot_of(b); reg[i]; i = next_slot(i))
		;
	reg[i] = b;
	reg_count++;
}

/* Linear-probing deletion by backward shift: no tombstones, so lookups stay
 * short however many mappings come and go. */
static void reg_del(const struct block_meta *b)
{
	size_t hole = reg_find(b);

	if (hole == REG_SLOTS) {
		unregistered--;
		return;
	}
	reg[hole] = NULL;
	reg_count--;
	for (size_t i = next_slot(hole); reg[i]; i = next_slot(i)) {
		size_t home = slot_of(reg[i]);

		/* Move reg[i] into the hole unless its home lies cyclically in (hole, i]. */
		if ((i > hole) ? (home <= hole || home > i) : (home <= hole && home > i)) {
			reg[hole] = reg[i];
			reg[i] = NULL;
			hole = i;
		}
	}
}

/* The slow path for mappings beyond the table: walk the list's mapped tail. */
static bool listed_mapping(const struct block_meta *b)
{
	for (const struct block_meta *m = blocks.tail; m && m->status == STATUS_MAPPED; m = m->prev)
		if (m == b)
			return true;
	return false;
}

bool mapped_owns(const struct block_meta *b)
{
	if (reg_find(b) != REG_SLOTS)
		return true;
	return unregistered > 0 && listed_mapping(b);
}

size_t mapped_count(void)
{
	return reg_count + unregistered;
}

static char *page_floor(const void *p)
{
	return (char *)((uintptr_t)p & ~(uintptr_t)(os_page_size() - 1));
}

static struct block_meta *adopt_mapping(struct block_meta *b, size_t asize)
{
	block_init(b, asize, STATUS_MAPPED);
	blist_insert_after(blocks.tail, b);
	reg_add(b);
	stats_mapped_add(HDR + asize);
	return b;
}

/* The last block made from a cached mapping: its payload holds old data. */
static const struct block_meta *recycled;

bool mapped_zero_filled(const struct block_meta *b)
{
	return b->status == STATUS_MAPPED && b != recycled;
}

static size_t page_round(size_t n)
{
	return (size_t)align_up((void *)n, os_page_size());
}

struct block_meta *mapped_alloc(size_t asize)
{
	size_t got;
	struct block_meta *b = mapcache_take(page_round(HDR + asize), &got);

	if (b) {
		recycled = b;
		return adopt_mapping(b, got - HDR);
	}
	b = os_map(HDR + asize);
	return b ? adopt_mapping(b, asize) : NULL;
}

/* Map align bytes more than needed, place the payload on the first aligned
 * address past the header, and give back the whole pages on either side, so
 * that the mapping is always the pages from the header's to the payload end's. */
struct block_meta *mapped_alloc_aligned(size_t asize, size_t align)
{
	size_t len = HDR + asize + align;
	char *map = os_map(len), *payload, *lo, *hi;

	if (!map)
		return NULL;
	payload = align_up(map + HDR, align);
	lo = page_floor(payload - HDR);
	hi = align_up(payload + asize, os_page_size());
	if (lo > map)
		os_unmap(map, (size_t)(lo - map));
	if (hi < map + len)
		os_unmap(hi, (size_t)(map + len - hi));
	return adopt_mapping((struct block_meta *)(payload - HDR), asize);
}

/* Measured on the benchmark's `large` workload (blocks 64 KiB..4 MiB, so
 * the threshold settles just above 4 MiB): with 4, 6 and 8 times the
 * threshold, osmem took about 1.5x, 0.95x and 0.65x glibc's time, at 0.99x,
 * 1.01x and 1.01x its peak RSS: below 8, refaulting costs more than the
 * memory it saves. */
#define MADVISE_FACTOR 8

/* The dynamic threshold (see the top of the file), for a freed mapping of
 * len bytes; true if the threshold rose.  Cached mappings below the new
 * threshold can no longer serve any request that maps: they go back. */
static bool raise_threshold_past(size_t len)
{
	size_t t = len < OSMEM_MMAP_THRESHOLD_MAX ? len + 1 : OSMEM_MMAP_THRESHOLD_MAX;

	if (!opt_mmap_threshold_dynamic || len > OSMEM_MMAP_THRESHOLD_MAX || t <= opt_mmap_threshold)
		return false;
	opt_mmap_threshold = t;
	opt_trim_threshold = 2 * t;
	if (opt_madvise_threshold < MADVISE_FACTOR * t)
		opt_madvise_threshold = MADVISE_FACTOR * t;
	mapcache_drop_smaller(t);
	return true;
}

/* The mapping holds the pages from the header's to the payload end's; for an
 * ordinary block that is exactly [b, b + HDR + size). */
void mapped_free(struct block_meta *b)
{
	char *start = page_floor(b);
	size_t len = page_round((size_t)(block_end(b) - start));

	reg_del(b);
	blist_remove(b);
	if (b == recycled)
		recycled = NULL;
	stats_mapped_sub(HDR + b->size);
	if (raise_threshold_past(len) || !mapcache_put(start, len))
		os_unmap(start, (size_t)(block_end(b) - start));
}

/* Re-register b's header at its new address nb, whole pages up to new_end as payload. */
static struct block_meta *adopt_moved(struct block_meta *nb, char *new_end)
{
	return adopt_mapping(nb, (size_t)(new_end - (char *)(nb + 1)));
}

struct block_meta *mapped_resize(struct block_meta *b, size_t asize)
{
	char *start = page_floor(b), *map;
	size_t off = (size_t)((char *)b - start);
	size_t old_len = page_round((size_t)(block_end(b) - start)), new_len;

	if (!OSMEM_MREMAP || asize > SIZE_MAX - off - HDR - os_page_size())
		return NULL;   /* (the length would not round to a page) */
	new_len = page_round(off + HDR + asize);
	if (new_len <= old_len) {   /* in place: give back the pages past the new end */
		if (new_len < old_len && !os_remap(start, old_len, new_len))
			return NULL;
		stats_mapped_sub(HDR + b->size);
		b->size = new_len - off - HDR;
		stats_mapped_add(HDR + b->size);
		return b;
	}
	reg_del(b);
	blist_remove(b);
	if (b == recycled)
		recycled = NULL;
	stats_mapped_sub(HDR + b->size);
	map = os_remap(start, old_len, new_len);
	if (!map) {   /* the old mapping is intact: put the block back */
		adopt_mapping(b, b->size);
		return NULL;
	}
	return adopt_moved((struct block_meta *)(map + off), map + new_len);
}

void mapped_release_all(void)
{
	while (blocks.tail && blocks.tail->status == STATUS_MAPPED)
		mapped_free(blocks.tail);
}
