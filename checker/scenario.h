/* SPDX-License-Identifier: MIT */
/*
 * scenario.h - the harness every checker scenario is written against.
 *
 * A scenario is a main() that calls the t_* wrappers below instead of the
 * os_* functions.  Each wrapper brackets its os_* call with two marker
 * system calls that strace shows:
 *
 *     write(-1, "osmem-enter os_malloc(100)", 26)
 *     ...brk/mmap/munmap made by os_malloc...
 *     write(-1, "osmem-leave 0x5581f6a3b020 (size 104, alloc)", 44)
 *
 * The writes fail with EBADF and have no other effect.  checker/run keeps
 * the system calls between the markers and rewrites addresses relative to
 * the heap start and to each mapping.  The note_* functions emit a
 * standalone "osmem-note" marker describing something the contract makes
 * observable (a header, errno, zeroed memory).
 *
 * Rules for scenarios: no stdio and no libc malloc (both would move the same
 * break, and glibc's sbrk queries the break with brk(NULL) only the first
 * time, which the contract expects to see inside the first heap
 * allocation); no brk/mmap/munmap of their own.  The harness formats every
 * number by hand for the same reason.
 */
#ifndef CHECKER_SCENARIO_H
#define CHECKER_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "block_meta.h"
#include "osmem.h"

/* ---- traced os_* calls ----
 * The leave marker shows the returned pointer and, when it is not NULL, the
 * size and status read from its header; os_free's shows "void". */
void *t_malloc(size_t size);
void *t_calloc(size_t nmemb, size_t size);
void *t_realloc(void *ptr, size_t size);
void t_free(void *ptr);

/* One-size-argument forms, to pass as an alloc_fn: they trace as
 * "os_calloc(1, size)" and "os_realloc(NULL, size)". */
typedef void *(*alloc_fn)(size_t size);
void *t_calloc1(size_t size);
void *t_realloc_null(size_t size);

/* t_free() each of ptrs[0..n-1], in order. */
void t_free_all(void *const *ptrs, size_t n);

/* ---- shared setups (traced) ---- */

/* With alloc, allocate a block of each of sizes[0..n-1], each followed by an
 * 8-byte guard block (allocated with alloc too), then t_free the n blocks:
 * n free holes that coalescing cannot merge.  holes[] receives them. */
void make_holes(alloc_fn alloc, const size_t *sizes, size_t n, void **holes);

/* t_malloc each of sizes[0..n-1] in turn (n >= 1); the last payload returned. */
void *malloc_each(const size_t *sizes, size_t n);

/*
 * The standard holes: make_holes with sizes 400, 800, 1200.  On a fresh heap
 * (the first call preallocates) the layout is:
 *
 *     hole0  H+0x20   size 400  free      block [0, 432)
 *     guard  H+0x1d0  size 8              block [432, 472)
 *     hole1  H+0x1f8  size 800  free      block [472, 1304)
 *     guard  H+0x538  size 8              block [1304, 1344)
 *     hole2  H+0x560  size 1200 free      block [1344, 2576)
 *     guard  H+0xa30  size 8              block [2576, 2616)
 *     rest   H+0xa58  size 128424 free    block [2616, 131072), the last block
 */
#define STD_HOLES 3
void make_std_holes(alloc_fn alloc, void *holes[STD_HOLES]);

/* ---- notes: one "osmem-note" marker each ---- */

/* The header in front of a payload: "block <ptr> (size N, <status>)". */
void note_block(const void *payload);

/* The errno the last traced os_* call left: "errno ENOMEM" ("errno 0" when
 * it did not set one; the wrappers clear errno before each call). */
void note_errno(void);

/* Whether n bytes at p all read as zero: "zero <p> N" or "NONZERO <p> N". */
void note_zeroed(const void *p, size_t n);

/* Whether the first n bytes at p still hold fill()'s pattern (realloc must
 * copy them): "kept <p> N" or "LOST <p> N". */
void note_filled(const void *p, size_t n);

/* ---- untraced helpers ---- */

/* Fill n bytes at p with a position-dependent, never-zero pattern. */
void fill(void *p, size_t n);

/* The header in front of a payload. */
static inline struct block_meta *meta_of(const void *payload)
{
	return (struct block_meta *)payload - 1;
}

/* The payload of the heap block that physically follows payload's block. */
static inline void *next_payload(const void *payload)
{
	return (char *)payload + meta_of(payload)->size + sizeof(struct block_meta);
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif /* CHECKER_SCENARIO_H */
