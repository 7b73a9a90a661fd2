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
 */
#include "mapped.h"

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

struct block_meta *mapped_alloc(size_t asize)
{
	struct block_meta *b = os_map(HDR + asize);

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

/* The mapping holds the pages from the header's to the payload end's; for an
 * ordinary block that is exactly [b, b + HDR + size). */
void mapped_free(struct block_meta *b)
{
	char *start = page_floor(b);

	reg_del(b);
	blist_remove(b);
	stats_mapped_sub(HDR + b->size);
	os_unmap(start, (size_t)(block_end(b) - start));
}

void mapped_release_all(void)
{
	while (blocks.tail && blocks.tail->status == STATUS_MAPPED)
		mapped_free(blocks.tail);
}
