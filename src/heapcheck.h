/* SPDX-License-Identifier: MIT */
/*
 * heapcheck.h - the heap's consistency check (os_heap_check, OSMEM_CHECK=1).
 */
#ifndef OSMEM_HEAPCHECK_H
#define OSMEM_HEAPCHECK_H

#include <stddef.h>

/* The number of problems found; the first HEAPCHECK_PRINTED are printed on
 * stderr.  The caller holds the allocator lock. */
size_t heapcheck_locked(void);

#define HEAPCHECK_PRINTED 5

#endif /* OSMEM_HEAPCHECK_H */
