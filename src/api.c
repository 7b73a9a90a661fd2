/* SPDX-License-Identifier: MIT */
/*
 * api.c - the public os_* entry points: the contract's rules for zero sizes,
 * NULL and realloc's first two steps (docs/CONTRACT.md sections 2 and 5);
 * everything else is alloc.c's.  Each body is wrapped in its Valgrind
 * annotation (vg.h), which opens a block's whole capacity to the program as
 * the contract does (section 1: meta->size is the payload capacity).
 */
#include "osmem.h"

#include "alloc.h"
#include "vg.h"

void *os_malloc(size_t size)
{
	return size ? VG_ALLOC(VG_CAPACITY, false, alloc_malloc(size)) : NULL;
}

void *os_calloc(size_t nmemb, size_t size)
{
	return nmemb && size ? VG_ALLOC(VG_CAPACITY, true, alloc_calloc(nmemb, size)) : NULL;
}

void os_free(void *ptr)
{
	if (ptr)
		VG_FREE(ptr, alloc_free(ptr, "os_free()"));
}

void *os_realloc(void *ptr, size_t size)
{
	if (!ptr)
		return os_malloc(size);
	if (size == 0) {
		os_free(ptr);
		return NULL;
	}
	return VG_REALLOC(ptr, VG_CAPACITY, alloc_realloc(ptr, size, "os_realloc()"));
}
