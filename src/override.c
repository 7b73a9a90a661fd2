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
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "fmt.h"
#include "os.h"
#include "osmem_inspect.h"
#include "report.h"
#include "stats.h"
#include "trace.h"
#include "vg.h"
#include "tcache.h"

#define EXPORT __attribute__((visibility("default")))

static bool power_of_two(size_t x)
{
	return x && (x & (x - 1)) == 0;
}

/* ---- the bodies of the entry points, without their trace and Valgrind
 * wrappers (which an entry point calling another must not run twice) ---- */

static void *malloc_impl(size_t size)
{
#if OSMEM_ZONES
	if (__builtin_expect(tcache_serves(size), 1))
		return tcache_malloc_small(size);
	if (size == 0 && tcache_serves(1))
		return tcache_malloc_small(1);
#endif
	return alloc_malloc(size ? size : 1);
}

/* true when ptr (not NULL) was ours and is released. */
static bool free_impl(void *ptr)
{
#if OSMEM_ZONES
	if (tcache_free(ptr, "free()"))
		return true;
#endif
	return alloc_free(ptr, "free()");
}

/* nmemb and size are not 0. */
static void *calloc_impl(size_t nmemb, size_t size)
{
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

/* ptr is not NULL, size is not 0. */
static void *realloc_impl(void *ptr, size_t size)
{
#if OSMEM_ZONES
	if (zone_class_of(ptr) >= 0)
		return tcache_realloc(ptr, size, "realloc()");
#endif
	return alloc_realloc(ptr, size, "realloc()");
}

/* `align` is a power of two; what malloc gives is aligned enough up to the
 * profile's alignment (and may come from a zone). */
static void *aligned(size_t align, size_t size)
{
	if (align <= OSMEM_ALIGNMENT)
		return malloc_impl(size);
	return alloc_aligned(align, size ? size : 1);
}

static size_t usable_size_impl(void *ptr)
{
#if OSMEM_ZONES
	if (zone_class_of(ptr) >= 0)
		return tcache_usable_size(ptr, "malloc_usable_size()");
#endif
	return alloc_usable_size(ptr, "malloc_usable_size()");
}

EXPORT void *malloc(size_t size)
{
	TRACE_HOOK(trace_malloc(size));
	return VG_ALLOC(size, false, malloc_impl(size));
}

EXPORT void free(void *ptr)
{
	TRACE_HOOK_VOID(trace_free(ptr));
	if (ptr)
		VG_FREE(ptr, free_impl(ptr));
}

EXPORT void cfree(void *ptr)
{
	free(ptr);
}

EXPORT void *calloc(size_t nmemb, size_t size)
{
	TRACE_HOOK(trace_calloc(nmemb, size));
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	return VG_ALLOC(nmemb * size, true, calloc_impl(nmemb, size));
}

EXPORT void *realloc(void *ptr, size_t size)
{
	TRACE_HOOK(trace_realloc(ptr, size));
	if (!ptr)
		return malloc(size);
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	return VG_REALLOC(ptr, size, realloc_impl(ptr, size));
}

EXPORT void *reallocarray(void *ptr, size_t nmemb, size_t size)
{
	size_t total;

	TRACE_HOOK(trace_reallocarray(ptr, nmemb, size));
	if (__builtin_mul_overflow(nmemb, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(ptr, total);
}

EXPORT void *memalign(size_t align, size_t size)
{
	TRACE_HOOK(trace_memalign(align, size));
	/* glibc rounds a non-power-of-two alignment up rather than failing. */
	if (align > SIZE_MAX / 2 + 1) {
		errno = EINVAL;
		return NULL;
	}
	while (!power_of_two(align))
		align = align ? (align | (align - 1)) + 1 : 1;
	return VG_ALLOC(size, false, aligned(align, size));
}

EXPORT void *aligned_alloc(size_t align, size_t size)
{
	TRACE_HOOK(trace_aligned_alloc(align, size));
	if (!power_of_two(align)) {
		errno = EINVAL;
		return NULL;
	}
	return VG_ALLOC(size, false, aligned(align, size));
}

EXPORT int posix_memalign(void **memptr, size_t align, size_t size)
{
	int saved = errno;   /* POSIX: the result is the error, errno is left alone */
	void *p;

	TRACE_HOOK(trace_posix_memalign(memptr, align, size));
	if (!power_of_two(align) || align % sizeof(void *) != 0)
		return EINVAL;
	p = VG_ALLOC(size, false, aligned(align, size));
	errno = saved;
	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

EXPORT void *valloc(size_t size)
{
	TRACE_HOOK(trace_valloc(size));
	return memalign(os_page_size(), size);
}

EXPORT void *pvalloc(size_t size)
{
	size_t page = os_page_size();

	TRACE_HOOK(trace_pvalloc(size));
	if (size > SIZE_MAX - page) {
		errno = ENOMEM;
		return NULL;
	}
	return memalign(page, (size + page - 1) & ~(page - 1));
}

EXPORT size_t malloc_usable_size(void *ptr)
{
	return VG_USABLE(ptr, usable_size_impl(ptr));
}

/* glibc's parameters that have a knob here (src/options.c); 1 when the
 * value is in the knob's range, 0 otherwise and for other parameters. */
EXPORT int mallopt(int param, int value)
{
	static const struct {
		int param;
		const char *knob;
	} knobs[] = {
		{ M_MMAP_THRESHOLD, "mmap_threshold" },
		{ M_TRIM_THRESHOLD, "trim_threshold" },
		{ M_TOP_PAD, "top_pad" },
		{ M_MMAP_MAX, "mmap_max" },
	};

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		if (knobs[i].param != param)
			continue;
		if (value < 0 || !alloc_set_option(knobs[i].knob, (size_t)value))
			return 0;
#if OSMEM_ZONES
		if (param == M_MMAP_THRESHOLD)   /* zones serve nothing the threshold maps */
			zone_follow_mmap_threshold((size_t)value);
#endif
		return 1;
	}
	return 0;
}

/* The free top of the heap beyond pad, free pages inside it, cached mappings. */
EXPORT int malloc_trim(size_t pad)
{
	return alloc_trim(pad);
}

EXPORT struct mallinfo2 mallinfo2(void)
{
	struct os_stats s;
	struct mallinfo2 mi = { 0 };

	os_stats(&s);   /* (it flushes the caller's thread cache first) */
	mi.arena = s.heap_size;
	mi.ordblks = s.free_blocks;
	mi.hblks = s.mapped_count;
	mi.hblkhd = s.mapped_bytes;
	mi.uordblks = s.heap_in_use_bytes;
	mi.fordblks = s.heap_free_bytes;
	mi.keepcost = s.top_free_bytes;
	return mi;
}

/* glibc's layout, on stderr, written without the heap. */
EXPORT void malloc_stats(void)
{
	struct os_stats s;

	os_stats(&s);   /* (it flushes the caller's thread cache first) */
	stats_print_line(STDERR_FILENO, "Arena 0:\nsystem bytes     = ", s.heap_size);
	stats_print_line(STDERR_FILENO, "in use bytes     = ", s.heap_in_use_bytes);
	stats_print_line(STDERR_FILENO, "Total (incl. mmap):\nsystem bytes     = ", s.heap_size + s.mapped_bytes);
	stats_print_line(STDERR_FILENO, "in use bytes     = ", s.heap_in_use_bytes + s.mapped_bytes);
	stats_print_line(STDERR_FILENO, "mmap regions     = ", s.mapped_count);
	stats_print_line(STDERR_FILENO, "mmap bytes       = ", s.mapped_bytes);
}

/* OSMEM_SHOW_STATS=1: os_stats() on stderr when the program ends.  A
 * destructor rather than atexit(), which may allocate.  Some programs close
 * stderr on their way out (coreutils do), so when the variable is set, a
 * copy of fd 2 is taken at startup (close-on-exec, numbered high out of the
 * program's way); otherwise nothing is touched. */
static int show_stats_fd = -1;

__attribute__((constructor)) static void show_stats_setup(void)
{
	if (env_flag("OSMEM_SHOW_STATS")) {
		show_stats_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 100);
		if (show_stats_fd < 0)
			show_stats_fd = STDERR_FILENO;
	}
}

__attribute__((destructor)) static void show_stats_at_exit(void)
{
	if (show_stats_fd >= 0)
		os_stats_print(show_stats_fd);
}
