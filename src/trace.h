/* SPDX-License-Identifier: MIT */
/*
 * trace.h - OSMEM_TRACE=file: record every call of the malloc family (the
 * libc drop-in only; the format is include/osmem_trace.h, docs/TRACE.md).
 *
 * Each entry point of override.c starts with one TRACE_HOOK line.  With
 * tracing off that line is a load and a branch predicted not taken.  With
 * tracing on, the outermost call of a thread goes to trace_<name>(), which
 * takes the trace lock, calls the public entry point again (now one level
 * deep, so the hook lets it through to the real body), records the call and
 * its result, and releases the lock.  Nested calls (realloc -> malloc,
 * valloc -> memalign) are part of their caller's record, never their own.
 */
#ifndef OSMEM_TRACE_INTERNAL_H
#define OSMEM_TRACE_INTERNAL_H

#include <stddef.h>

extern int trace_on;   /* set once, by the constructor, when OSMEM_TRACE names a file */
extern __thread unsigned trace_depth __attribute__((tls_model("initial-exec")));

#define TRACE_WANTED() (__builtin_expect(trace_on, 0) && trace_depth == 0)

/* In a function returning a value: `TRACE_HOOK(trace_malloc(size));` */
#define TRACE_HOOK(call) do { if (TRACE_WANTED()) return call; } while (0)
/* In a function returning void: `TRACE_HOOK_VOID(trace_free(ptr));` */
#define TRACE_HOOK_VOID(call) do { if (TRACE_WANTED()) { call; return; } } while (0)

void *trace_malloc(size_t size);
void trace_free(void *ptr);
void *trace_calloc(size_t nmemb, size_t size);
void *trace_realloc(void *ptr, size_t size);
void *trace_reallocarray(void *ptr, size_t nmemb, size_t size);
void *trace_memalign(size_t align, size_t size);
void *trace_aligned_alloc(size_t align, size_t size);
int trace_posix_memalign(void **memptr, size_t align, size_t size);
void *trace_valloc(size_t size);
void *trace_pvalloc(size_t size);

#endif /* OSMEM_TRACE_INTERNAL_H */
