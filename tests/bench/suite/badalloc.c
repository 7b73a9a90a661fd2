/* SPDX-License-Identifier: MIT */
/*
 * badalloc.c - a deliberately wrong allocator, for testing the benchmark's
 * workloads: each must FAIL under it rather than report a time.
 *
 * It is glibc's malloc (through __libc_malloc and friends) with one classic
 * bug added: on every 64th malloc it writes 16 bytes of "bookkeeping" into
 * the block it returned on the previous malloc of this thread, which the
 * program still owns (as an allocator that keeps metadata in a block it
 * wrongly thinks free).  The workloads' pattern checks must notice.
 *
 * Preload it: LD_PRELOAD=build/bench/suite/libbadalloc.so build/bench/suite/churn
 * (the smoke test, run.py --smoke, does).
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stddef.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

extern void *__libc_malloc(size_t size);
extern void __libc_free(void *p);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static __thread void *previous;     /* this thread's last block, while live */
static __thread unsigned calls;

EXPORT void *malloc(size_t size)
{
	void *p = __libc_malloc(size);
	if (++calls % 64 == 0 && previous) {
		size_t n = malloc_usable_size(previous);
		memset(previous, 0x5a, n < 16 ? n : 16);
	}
	previous = p;
	return p;
}

EXPORT void free(void *p)
{
	if (p && p == previous)
		previous = NULL;
	__libc_free(p);
}

EXPORT void *calloc(size_t n, size_t size)
{
	return __libc_calloc(n, size);
}

EXPORT void *realloc(void *p, size_t size)
{
	if (p && p == previous)
		previous = NULL;
	return __libc_realloc(p, size);
}
