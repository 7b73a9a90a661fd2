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

/* Small requests come from size-class zones through per-thread caches
 * (src/zone.c, src/tcache.c): 1 in the drop-in, 0 (off) in the strict profile. */
#ifndef OSMEM_ZONES
#define OSMEM_ZONES 0
#endif

_Static_assert((OSMEM_ALIGNMENT & (OSMEM_ALIGNMENT - 1)) == 0, "alignment must be a power of two");
_Static_assert(OSMEM_ALIGNMENT >= 8, "alignment below 8 cannot hold the header");

#endif /* OSMEM_CONFIG_H */
