/* SPDX-License-Identifier: MIT */
#include "stats.h"

#include <string.h>

#include "block.h"
#include "lock.h"
#include "zone.h"

static void count_block(struct heap_figures *f, const struct block_meta *b)
{
	switch (b->status) {
	case STATUS_MAPPED:
		f->mapped_blocks++;
		f->mapped_bytes += HDR + b->size;
		return;
	case STATUS_FREE:
		f->free_blocks++;
		f->free_bytes += b->size;
		if (b->size > f->largest_free)
			f->largest_free = b->size;
		break;
	default:
		f->alloc_blocks++;
		f->in_use_bytes += b->size;
		break;
	}
	f->heap_bytes += HDR + b->size;
}

#if OSMEM_ZONES
/* A zone is one allocated heap block: count only its taken objects as in
 * use (objects in thread caches are taken), its free objects as free. */
static void count_zone(const struct zone_info *z, void *arg)
{
	struct heap_figures *f = arg;
	size_t taken = (z->objects - z->free_objects) * z->object_size;

	f->in_use_bytes -= z->bytes - taken;
	f->free_bytes += z->free_objects * z->object_size;
}
#endif

void stats_collect(struct heap_figures *f)
{
	const struct block_meta *last_heap = NULL;

	memset(f, 0, sizeof(*f));
	lock_acquire();
	for (const struct block_meta *b = blocks.head; b; b = b->next) {
		count_block(f, b);
		if (b->status != STATUS_MAPPED)
			last_heap = b;
	}
	if (last_heap && last_heap->status == STATUS_FREE)
		f->top_free = last_heap->size;
#if OSMEM_ZONES
	zone_walk(count_zone, NULL, f);
#endif
	lock_release();
}
