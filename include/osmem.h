/* SPDX-License-Identifier: MIT */
/*
 * osmem.h - the os_* allocator API.
 *
 * Semantics (the "strict" profile) are specified exactly in docs/CONTRACT.md:
 * which system calls each call makes, and which addresses it returns.
 * In brief:
 *   - every returned pointer is 8-byte aligned and preceded by a
 *     struct block_meta (see block_meta.h);
 *   - requests below 128 KiB (including the 32-byte header) come from a heap
 *     grown with sbrk, larger ones from their own mmap;
 *   - all entry points are thread-safe;
 *   - on failure they return NULL with errno = ENOMEM (or EINVAL for a bad
 *     pointer passed to os_realloc); they never terminate the process, unless
 *     OSMEM_ABORT_ON_ERROR=1 is set and an invalid pointer is detected.
 */
#ifndef OSMEM_H
#define OSMEM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define OSMEM_API __attribute__((visibility("default")))
#else
#define OSMEM_API
#endif

/* Allocate `size` bytes.  os_malloc(0) returns NULL without a system call. */
OSMEM_API void *os_malloc(size_t size);

/* Release a block.  os_free(NULL) does nothing.  An invalid pointer or a
 * second free of the same block is reported on stderr and otherwise ignored. */
OSMEM_API void os_free(void *ptr);

/* Allocate zeroed memory for `nmemb` objects of `size` bytes.  Returns NULL
 * without a system call when either is 0, and NULL with errno = ENOMEM when
 * nmemb * size overflows. */
OSMEM_API void *os_calloc(size_t nmemb, size_t size);

/* Resize a block, in place when the contract allows it, keeping the first
 * min(old, new) bytes.  os_realloc(NULL, n) is os_malloc(n);
 * os_realloc(p, 0) is os_free(p) and returns NULL.  On failure the old block
 * is left intact and NULL is returned. */
OSMEM_API void *os_realloc(void *ptr, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* OSMEM_H */
