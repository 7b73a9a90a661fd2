/* SPDX-License-Identifier: MIT */
/*
 * api.c - the public os_* entry points: the contract's rules for zero sizes,
 * NULL and realloc's first two steps (docs/CONTRACT.md sections 2 and 5);
 * everything else is alloc.c's.
 */
#include "osmem.h"

#include "alloc.h"

void *os_malloc(size_t size)
{
	return size ? alloc_malloc(size) : NULL;
}

void *os_calloc(size_t nmemb, size_t size)
{
	return nmemb && size ? alloc_calloc(nmemb, size) : NULL;
}

void os_free(void *ptr)
{
	if (ptr)
		alloc_free(ptr, "os_free()");
}

void *os_realloc(void *ptr, size_t size)
{
	if (!ptr)
		return os_malloc(size);
	if (size == 0) {
		os_free(ptr);
		return NULL;
	}
	return alloc_realloc(ptr, size, "os_realloc()");
}
