/* SPDX-License-Identifier: MIT */
/*
 * mapcache.c - the cache of freed mappings.  See mapcache.h.
 *
 * A plain array in insertion order (oldest first): with at most
 * MAPCACHE_SLOTS entries a linear scan is cheaper than any index, and
 * eviction of the oldest is a shift.  The cache's contents are page ranges,
 * not blocks: whoever takes one writes a fresh header into it.
 */
#include "mapcache.h"

#include "options.h"
#include "os.h"

struct cached_map {
	void *addr;
	size_t len;
};

static struct cached_map slots[MAPCACHE_SLOTS];
static size_t count, bytes;

static void drop_slot(size_t i)
{
	bytes -= slots[i].len;
	count--;
	for (; i < count; i++)
		slots[i] = slots[i + 1];
}

static void evict_oldest(void)
{
	struct cached_map m = slots[0];

	drop_slot(0);
	os_unmap(m.addr, m.len);
}

bool mapcache_put(void *addr, size_t len)
{
	size_t max_count = opt_mmap_cache_count < MAPCACHE_SLOTS ? opt_mmap_cache_count : MAPCACHE_SLOTS;

	if (max_count == 0 || len > opt_mmap_cache_bytes || len < opt_mmap_threshold)
		return false;
	while (count > 0 && (count >= max_count || bytes + len > opt_mmap_cache_bytes))
		evict_oldest();
	slots[count].addr = addr;
	slots[count].len = len;
	count++;
	bytes += len;
	return true;
}

void *mapcache_take(size_t len, size_t *got)
{
	size_t best = count;
	void *addr;

	for (size_t i = 0; i < count; i++)
		if (slots[i].len >= len && slots[i].len - len <= slots[i].len / 8 &&
		    (best == count || slots[i].len < slots[best].len))
			best = i;
	if (best == count)
		return NULL;
	addr = slots[best].addr;
	*got = slots[best].len;
	drop_slot(best);
	return addr;
}

void mapcache_drop_smaller(size_t len)
{
	size_t i = 0;

	while (i < count) {
		struct cached_map m = slots[i];

		if (m.len >= len) {
			i++;
			continue;
		}
		drop_slot(i);
		os_unmap(m.addr, m.len);
	}
}

bool mapcache_flush(void)
{
	bool any = count > 0;

	while (count > 0)
		evict_oldest();
	return any;
}
