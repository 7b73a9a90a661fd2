/* SPDX-License-Identifier: MIT */
#include "testing.h"

#include "block.h"
#include "heap.h"
#include "lock.h"
#include "mapped.h"
#include "stats.h"
#include "vg.h"

/* Walks and unmaps headers memcheck sees as NOACCESS: silenced like an entry point. */
void osmem_test_reset(void)
{
	bool quiet = vg_quiet_begin();

	lock_acquire();
	vg_forget_blocks();
	mapped_release_all();
	heap_forget();
	blocks.head = NULL;
	blocks.tail = NULL;
	stats_reset();
	lock_release();
	vg_quiet_end(quiet);
}
