/* SPDX-License-Identifier: MIT */
/*
 * replay.c - replay one trace record.  See replay.h.
 *
 * A free or realloc of a pointer the trace never returned (allocated before
 * tracing began) cannot be replayed on a pointer of ours: the free is
 * skipped, the realloc becomes an allocation.  When a realloc that failed in
 * the recording succeeds here, the old block is gone: the old record's live
 * pointer follows the new block so that the trace's later free of it frees
 * the right block, once.
 */
#define _GNU_SOURCE
#include "replay.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#ifdef REPLAY_STRICT
#include <osmem.h>

const char replay_api[] = "os_*";

static void *strict_resize_array(void *p, size_t nmemb, size_t size)
{
	size_t total;

	return __builtin_mul_overflow(nmemb, size, &total) ? NULL : os_realloc(p, total);
}

#define ALLOC(size) os_malloc(size)
#define CALLOC(n, size) os_calloc(n, size)
#define REALLOC(p, size) os_realloc(p, size)
#define REALLOCARRAY(p, n, size) strict_resize_array(p, n, size)
#define FREE(p) os_free(p)
#define MEMALIGN(align, size) ((void)(align), os_malloc(size))
#define ALIGNED_ALLOC(align, size) ((void)(align), os_malloc(size))
#define POSIX_MEMALIGN(align, size) ((void)(align), os_malloc(size))
#define VALLOC(size) os_malloc(size)
#define PVALLOC(size) os_malloc(size)
#else
const char replay_api[] = "libc";

static void *posix_aligned(size_t align, size_t size)
{
	void *p;

	return posix_memalign(&p, align, size) == 0 ? p : NULL;
}

/* pvalloc, as glibc and osmem's drop-in define it (Valgrind refuses to run
 * pvalloc itself, and the replay must run under Valgrind). */
static void *page_rounded_memalign(size_t size)
{
	size_t page = (size_t)getpagesize();

	return size > SIZE_MAX - page ? NULL : memalign(page, (size + page - 1) & ~(page - 1));
}

#define ALLOC(size) malloc(size)
#define CALLOC(n, size) calloc(n, size)
#define REALLOC(p, size) realloc(p, size)
#define REALLOCARRAY(p, n, size) reallocarray(p, n, size)
#define FREE(p) free(p)
#define MEMALIGN(align, size) memalign(align, size)
#define ALIGNED_ALLOC(align, size) aligned_alloc(align, size)
#define POSIX_MEMALIGN(align, size) posix_aligned(align, size)
#define VALLOC(size) valloc(size)
#define PVALLOC(size) page_rounded_memalign(size)
#endif

/* realloc and reallocarray.  A resize that failed when recorded but works
 * here has freed the old block: the old record now stands for the new one. */
static void *resize(const struct trace_file *t, size_t i, void **live, void *old)
{
	const struct osmem_trace_record *r = &t->rec[i];
	void *p = r->op == OSMEM_TRACE_REALLOC ? REALLOC(old, r->size) : REALLOCARRAY(old, r->arg, r->size);

	if (p && !r->result && trace_requested(r) && t->src[i] != TRACE_NO_SRC)
		live[t->src[i]] = p;
	return p;
}

void *replay_record(const struct trace_file *t, size_t i, void **live)
{
	const struct osmem_trace_record *r = &t->rec[i];
	void *old = t->src[i] == TRACE_NO_SRC ? NULL : live[t->src[i]];
	void *p = NULL;

	switch (r->op) {
	case OSMEM_TRACE_MALLOC:
		p = ALLOC(r->size);
		break;
	case OSMEM_TRACE_CALLOC:
		p = CALLOC(r->arg, r->size);
		break;
	case OSMEM_TRACE_FREE:
		if (!r->ptr || old)   /* free(NULL) is a call too; an unknown pointer is not ours */
			FREE(old);
		break;
	case OSMEM_TRACE_REALLOC:
	case OSMEM_TRACE_REALLOCARRAY:
		p = resize(t, i, live, old);
		break;
	case OSMEM_TRACE_MEMALIGN:
		p = MEMALIGN(r->arg, r->size);
		break;
	case OSMEM_TRACE_ALIGNED_ALLOC:
		p = ALIGNED_ALLOC(r->arg, r->size);
		break;
	case OSMEM_TRACE_POSIX_MEMALIGN:
		p = POSIX_MEMALIGN(r->arg, r->size);
		break;
	case OSMEM_TRACE_VALLOC:
		p = VALLOC(r->size);
		break;
	case OSMEM_TRACE_PVALLOC:
		p = PVALLOC(r->size);
		break;
	default:
		break;
	}
	live[i] = p;
	return p;
}
