/* SPDX-License-Identifier: MIT */
/*
 * alloc.h - allocation policy shared by the public faces of the library.
 *
 * api.c turns these into the os_* contract; override.c (the libc drop-in)
 * into glibc's malloc family.  Sizes of 0 are the callers' business: these
 * functions serve any size >= 1.  `func` names the caller's entry point in
 * misuse reports, e.g. "os_free()" or "free()".  Each takes the lock itself.
 */
#ifndef OSMEM_ALLOC_H
#define OSMEM_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* Set the knob `name` (src/options.c: mmap_threshold, trim_threshold, ...)
 * if value is in its range; mallopt in the drop-in. */
bool alloc_set_option(const char *name, size_t value);

/* Give back what can be: the heap's free top beyond `pad` bytes, the free
 * pages inside the heap, the cached mappings.  True if anything went back. */
bool alloc_trim(size_t pad);

void *alloc_malloc(size_t size);
void *alloc_calloc(size_t nmemb, size_t size);
/* True when ptr was ours and live, and is released now. */
bool alloc_free(void *ptr, const char *func);

/* size >= 1; NULL with errno EINVAL for a bad pointer, ENOMEM when out of
 * memory (the old block is then intact). */
void *alloc_realloc(void *ptr, size_t size, const char *func);

/* `align` is a power of two; any value up to the mapping limits works. */
void *alloc_aligned(size_t align, size_t size);

/* The payload capacity behind a live pointer (0 for NULL). */
size_t alloc_usable_size(void *ptr, const char *func);

#endif /* OSMEM_ALLOC_H */
