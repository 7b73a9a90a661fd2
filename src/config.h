/* SPDX-License-Identifier: MIT */
/*
 * config.h - the numbers that define a profile.
 *
 * The strict profile (build/libosmem.so) uses the defaults, which are fixed
 * by docs/CONTRACT.md.  Other profiles compile the same sources with these
 * macros overridden on the command line.
 */
#ifndef OSMEM_CONFIG_H
#define OSMEM_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* Alignment of every payload and granularity of every block size. */
#ifndef OSMEM_ALIGNMENT
#define OSMEM_ALIGNMENT 8
#endif

/* malloc/realloc requests with header + aligned size at or above this are mapped. */
#ifndef OSMEM_MMAP_THRESHOLD
#define OSMEM_MMAP_THRESHOLD (128 * 1024)
#endif

/* The first heap allocation moves the break by exactly this much. */
#ifndef OSMEM_HEAP_PREALLOC
#define OSMEM_HEAP_PREALLOC (128 * 1024)
#endif

/* calloc maps from one page up (the strict contract), or from the malloc
 * threshold like everything else (0). */
#ifndef OSMEM_CALLOC_MAPS_AT_PAGE
#define OSMEM_CALLOC_MAPS_AT_PAGE 1
#endif

/* Misuse (invalid pointer, double free) is reported and then: ignored (0;
 * OSMEM_ABORT_ON_ERROR=1 in the environment aborts), or always aborts (1, as
 * glibc does). */
#ifndef OSMEM_ABORT_ON_MISUSE
#define OSMEM_ABORT_ON_MISUSE 0
#endif

/* ---- the drop-in's heap and large blocks (docs/DESIGN.md, "Giving memory back") ----
 *
 * OSMEM_DROPIN_HEAP=1 (the Makefile's DROPIN_DEFS) turns on, for the libc
 * drop-in only: coalescing at free time, growth in steps, trimming the top,
 * releasing free pages inside the heap, a cache of freed mappings and mremap.
 * The numbers below are the defaults of the runtime knobs (src/options.c);
 * the strict profile's values switch every one of these off, so its traces
 * stay the contract's. */
#ifndef OSMEM_DROPIN_HEAP
#define OSMEM_DROPIN_HEAP 0
#endif

#if OSMEM_DROPIN_HEAP
#define OSMEM_DEFAULT_ON(dropin, strict) (dropin)
#else
#define OSMEM_DEFAULT_ON(dropin, strict) (strict)
#endif

/* free() merges a block with its free neighbours at once (else: deferred to
 * the next allocation, as the contract says). */
#ifndef OSMEM_COALESCE_ON_FREE
#define OSMEM_COALESCE_ON_FREE OSMEM_DEFAULT_ON(1, 0)
#endif

/* Every heap growth asks this much more, rounded to pages (glibc's M_TOP_PAD). */
#ifndef OSMEM_TOP_PAD
#define OSMEM_TOP_PAD OSMEM_DEFAULT_ON(128 * 1024, 0)
#endif

/* A free top block larger than this is trimmed down to the top pad
 * (M_TRIM_THRESHOLD; needs OSMEM_COALESCE_ON_FREE). */
#ifndef OSMEM_TRIM_THRESHOLD
#define OSMEM_TRIM_THRESHOLD OSMEM_DEFAULT_ON(128 * 1024, SIZE_MAX)
#endif

/* Once this many bytes were freed into one free block, its whole pages go
 * back to the kernel with madvise (needs OSMEM_COALESCE_ON_FREE).  1 MiB, not
 * less: on a churn of blocks up to 64 KiB (bench randchurn) 256 KiB released
 * pages that were faulted in again at once (67k page faults, glibc 10.5k);
 * 1 MiB cut the faults to 20k and the system time by half, peak RSS +0.2 MiB. */
#ifndef OSMEM_MADVISE_THRESHOLD
#define OSMEM_MADVISE_THRESHOLD OSMEM_DEFAULT_ON(1024 * 1024, SIZE_MAX)
#endif

/* The mapping threshold rises when a mapping is freed, to just above its
 * length, up to OSMEM_MMAP_THRESHOLD_MAX, with the trim threshold at twice
 * that (glibc's dynamic threshold): until the program sets the threshold,
 * the trim threshold, the top pad or mmap_max itself. */
#ifndef OSMEM_MMAP_THRESHOLD_DYNAMIC
#define OSMEM_MMAP_THRESHOLD_DYNAMIC OSMEM_DEFAULT_ON(1, 0)
#endif
/* The highest mapping threshold, set or risen (glibc's 64-bit value). */
#ifndef OSMEM_MMAP_THRESHOLD_MAX
#define OSMEM_MMAP_THRESHOLD_MAX (32 * 1024 * 1024)
#endif

/* At most this many live mappings; requests beyond come from the heap (M_MMAP_MAX). */
#ifndef OSMEM_MMAP_MAX
#define OSMEM_MMAP_MAX OSMEM_DEFAULT_ON(65536, SIZE_MAX)
#endif

/* The cache of freed mappings: at most this many, of at most this many bytes
 * in all (0: unmap at once). */
#ifndef OSMEM_MMAP_CACHE_COUNT
#define OSMEM_MMAP_CACHE_COUNT OSMEM_DEFAULT_ON(16, 0)
#endif
#ifndef OSMEM_MMAP_CACHE_BYTES
#define OSMEM_MMAP_CACHE_BYTES OSMEM_DEFAULT_ON(16 * 1024 * 1024, 0)
#endif

/* realloc of a mapped block resizes the mapping (mremap) instead of copying. */
#ifndef OSMEM_MREMAP
#define OSMEM_MREMAP OSMEM_DEFAULT_ON(1, 0)
#endif

/* The knobs are read from the environment variable OSMEM_OPTIONS. */
#ifndef OSMEM_READ_OPTIONS
#define OSMEM_READ_OPTIONS OSMEM_DEFAULT_ON(1, 0)
#endif

#if OSMEM_COALESCE_ON_FREE
_Static_assert(OSMEM_ALIGNMENT >= 16, "free blocks keep a release counter after their links");
#endif

/* Small requests come from size-class zones through per-thread caches
 * (src/zone.c, src/tcache.c): 1 in the drop-in, 0 (off) in the strict profile. */
#ifndef OSMEM_ZONES
#define OSMEM_ZONES 0
#endif

/* The heap's first block starts at a multiple of this (the zones' granule
 * when there are zones, see heap_init). */
#ifndef OSMEM_HEAP_START_ALIGN
#define OSMEM_HEAP_START_ALIGN (OSMEM_ZONES ? 16 * 1024 : OSMEM_ALIGNMENT)
#endif

_Static_assert((OSMEM_ALIGNMENT & (OSMEM_ALIGNMENT - 1)) == 0, "alignment must be a power of two");
_Static_assert(OSMEM_ALIGNMENT >= 8, "alignment below 8 cannot hold the header");

#endif /* OSMEM_CONFIG_H */
