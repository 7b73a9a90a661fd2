/* SPDX-License-Identifier: MIT */
/*
 * override.c - the libc drop-in (build/libosmalloc.so only): glibc's malloc
 * family with glibc's semantics, served by osmem.
 *
 * Rules that differ from the os_* contract, as glibc has them:
 *   - malloc(0) and calloc with a zero count return a unique pointer;
 *   - realloc(p, 0) frees p and returns NULL; realloc(NULL, n) is malloc(n);
 *   - an invalid or double free is reported and aborts (OSMEM_ABORT_ON_MISUSE);
 *   - every pointer is 16-byte aligned (the profile's OSMEM_ALIGNMENT).
 *
 * Small requests go to the calling thread's cache of zone objects first
 * (tcache.h, zone.h; OSMEM_ZONES), everything else and any request the zones
 * cannot serve to alloc.c.  free() asks the zone registry first (O(1)).
 *
 * Nothing here may allocate through libc or call dlsym: this file *is*
 * malloc, and the dynamic loader calls it before any constructor has run.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "fmt.h"
#include "os.h"
#include "stats.h"
#include "tcache.h"

#define EXPORT __attribute__((visibility("default")))

static bool power_of_two(size_t x)
{
	return x && (x & (x - 1)) == 0;
}

/* `align` is a power of two; what malloc gives is aligned enough up to the
 * profile's alignment (and may come from a zone). */
static void *aligned(size_t align, size_t size)
{
	if (align <= OSMEM_ALIGNMENT)
		return malloc(size);
	return alloc_aligned(align, size ? size : 1);
}

EXPORT void *malloc(size_t size)
{
#if OSMEM_ZONES
	if (__builtin_expect(tcache_serves(size), 1))
		return tcache_malloc_small(size);
	if (size == 0 && tcache_serves(1))
		return tcache_malloc_small(1);
#endif
	return alloc_malloc(size ? size : 1);
}

EXPORT void free(void *ptr)
{
#if OSMEM_ZONES
	if (tcache_free(ptr, "free()"))
		return;
#endif
	if (ptr)
		alloc_free(ptr, "free()");
}

EXPORT void cfree(void *ptr)
{
	free(ptr);
}

EXPORT void *calloc(size_t nmemb, size_t size)
{
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
#if OSMEM_ZONES
	size_t total;
	void *p;

	if (!__builtin_mul_overflow(nmemb, size, &total) && (p = tcache_malloc(total))) {
		memset(p, 0, zone_class_size(zone_class_of_size(total)));   /* objects are recycled */
		return p;
	}
#endif
	return alloc_calloc(nmemb, size);
}

EXPORT void *realloc(void *ptr, size_t size)
{
	if (!ptr)
		return malloc(size);
	if (size == 0) {
		free(ptr);
		return NULL;
	}
#if OSMEM_ZONES
	if (zone_class_of(ptr) >= 0)
		return tcache_realloc(ptr, size, "realloc()");
#endif
	return alloc_realloc(ptr, size, "realloc()");
}

EXPORT void *reallocarray(void *ptr, size_t nmemb, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(nmemb, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(ptr, total);
}

EXPORT void *memalign(size_t align, size_t size)
{
	/* glibc rounds a non-power-of-two alignment up rather than failing. */
	if (align > SIZE_MAX / 2 + 1) {
		errno = EINVAL;
		return NULL;
	}
	while (!power_of_two(align))
		align = align ? (align | (align - 1)) + 1 : 1;
	return aligned(align, size);
}

EXPORT void *aligned_alloc(size_t align, size_t size)
{
	if (!power_of_two(align)) {
		errno = EINVAL;
		return NULL;
	}
	return aligned(align, size);
}

EXPORT int posix_memalign(void **memptr, size_t align, size_t size)
{
	int saved = errno;   /* POSIX: the result is the error, errno is left alone */
	void *p;

	if (!power_of_two(align) || align % sizeof(void *) != 0)
		return EINVAL;
	p = aligned(align, size);
	errno = saved;
	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

EXPORT void *valloc(size_t size)
{
	return memalign(os_page_size(), size);
}

EXPORT void *pvalloc(size_t size)
{
	size_t page = os_page_size();

	if (size > SIZE_MAX - page) {
		errno = ENOMEM;
		return NULL;
	}
	return memalign(page, (size + page - 1) & ~(page - 1));
}

EXPORT size_t malloc_usable_size(void *ptr)
{
#if OSMEM_ZONES
	if (zone_class_of(ptr) >= 0)
		return tcache_usable_size(ptr, "malloc_usable_size()");
#endif
	return alloc_usable_size(ptr, "malloc_usable_size()");
}

/* Only the mapping threshold is a knob of this profile so far; other
 * parameters are refused (0), as glibc refuses ones it does not know. */
EXPORT int mallopt(int param, int value)
{
	if (param == M_MMAP_THRESHOLD && value >= 0 && value <= 32 * 1024 * 1024) {
		alloc_set_mmap_threshold((size_t)value);
#if OSMEM_ZONES
		zone_follow_mmap_threshold((size_t)value);
#endif
		return 1;
	}
	return 0;
}

/* The heap never shrinks in this profile: nothing to give back. */
EXPORT int malloc_trim(size_t pad)
{
	(void)pad;
	return 0;
}

/* The figures, with the calling thread's cached objects given back first so
 * that they count as free (other threads' caches count as in use). */
static void collect(struct heap_figures *f)
{
#if OSMEM_ZONES
	tcache_flush_all();
#endif
	stats_collect(f);
}

EXPORT struct mallinfo2 mallinfo2(void)
{
	struct heap_figures f;
	struct mallinfo2 mi = { 0 };

	collect(&f);
	mi.arena = f.heap_bytes;
	mi.ordblks = f.free_blocks;
	mi.hblks = f.mapped_blocks;
	mi.hblkhd = f.mapped_bytes;
	mi.uordblks = f.in_use_bytes;
	mi.fordblks = f.free_bytes;
	mi.keepcost = f.top_free;
	return mi;
}

static void stat_line(const char *label, size_t value)
{
	char line[96];
	struct fmt_buf f = FMT_BUF_INIT(line);

	fmt_str(&f, label);
	fmt_dec(&f, value);
	fmt_str(&f, "\n");
	fmt_write(STDERR_FILENO, &f);
}

/* glibc's layout, on stderr, written without the heap. */
EXPORT void malloc_stats(void)
{
	struct heap_figures f;

	collect(&f);
	stat_line("Arena 0:\nsystem bytes     = ", f.heap_bytes);
	stat_line("in use bytes     = ", f.in_use_bytes);
	stat_line("Total (incl. mmap):\nsystem bytes     = ", f.heap_bytes + f.mapped_bytes);
	stat_line("in use bytes     = ", f.in_use_bytes + f.mapped_bytes);
	stat_line("mmap regions     = ", f.mapped_blocks);
	stat_line("mmap bytes       = ", f.mapped_bytes);
}
