/* SPDX-License-Identifier: MIT */
/*
 * mapcache.h - a small cache of freed mappings (drop-in profile).
 *
 * Repeated large malloc/free pairs would otherwise pay an mmap and a munmap
 * each, plus a page fault per page touched.  Freed mappings are kept, up to
 * opt_mmap_cache_count of them and opt_mmap_cache_bytes in all, oldest
 * evicted first, and a request takes the smallest one that fits without
 * wasting more than an eighth of it.  A mapping shorter than the mapping
 * threshold is never kept: only requests at or above it map.  With both limits 0 (the strict
 * profile) nothing is ever kept.  All functions expect the allocator lock.
 */
#ifndef OSMEM_MAPCACHE_H
#define OSMEM_MAPCACHE_H

#include <stdbool.h>
#include <stddef.h>

#define MAPCACHE_SLOTS 64   /* the most opt_mmap_cache_count may be */

/* Keep the mapping [addr, addr + len) (len a multiple of the page size)
 * instead of unmapping it; false when it is not kept (the caller unmaps). */
bool mapcache_put(void *addr, size_t len);

/* A cached mapping of at least len bytes (a multiple of the page size) and
 * at most len + len / 8 (its length in *got), or NULL. */
void *mapcache_take(size_t len, size_t *got);

/* Unmap the cached mappings shorter than len (the mapping threshold rose
 * past them: no request that maps fits in one). */
void mapcache_drop_smaller(size_t len);

/* Unmap every cached mapping; true if there was any. */
bool mapcache_flush(void);

#endif /* OSMEM_MAPCACHE_H */
