/* SPDX-License-Identifier: MIT */
#include "stats.h"

#include <string.h>

#include "block.h"
#include "lock.h"

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
	lock_release();
}
