/* SPDX-License-Identifier: MIT */
/*
 * osmem_test.h - shared helpers of the CUnit suites.
 *
 * Every test runs between h_setup() and h_teardown(): the allocator is reset
 * (as in a fresh process), `heap_start` is the break just before the test, so
 * that the first heap allocation puts its header exactly there, and the OS
 * call counters are checkpointed.
 *
 * The EXPECT_* macros assert through CUnit with the caller's file and line.
 * Offsets are from the heap start; struct blk entries give the *header*
 * offset of a block (its payload is 32 bytes further on).
 */
#ifndef OSMEM_TEST_H
#define OSMEM_TEST_H

#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "block_meta.h"
#include "osmem.h"
#include "testing.h"

/* ---- the contract's numbers (docs/CONTRACT.md) ---- */

#define HDR            ((size_t)32)                 /* H = sizeof(struct block_meta) */
#define PREALLOC       ((size_t)128 * 1024)         /* first heap allocation: break += 128 KiB */
#define FIRST_FREE     (PREALLOC - HDR)             /* 131040: the free block it makes */
#define MMAP_THRESHOLD ((size_t)128 * 1024)         /* malloc/realloc: mapped when H + A(n) >= this */
#define MAX_HEAP_REQ   (MMAP_THRESHOLD - HDR - 8)   /* 131032: largest n with H + A(n) < 128 KiB */
#define MIN_SPLIT      (HDR + 8)                    /* 40: smallest leftover that is split off */

/* A(n): n rounded up to a multiple of 8. */
#define A(n) (((size_t)(n) + 7) & ~(size_t)7)

size_t page_size(void);   /* getpagesize(): the calloc threshold (4096 here) */

/* ---- fixtures ---- */

extern char *heap_start;

void h_setup(void);
void h_teardown(void);

/* A CUnit test list entry named after its function. */
#define TEST(fn) { #fn, fn }

/* Say why the current test skips its checks (the caller then returns). */
void skip_test(const char *why);

bool under_valgrind(void);

/* ---- reading blocks ---- */

/* Under Valgrind osmem marks headers NOACCESS (src/vg.h), and the tests
 * read them on purpose: the header of a payload the tests ask for is exempt
 * from memcheck's address errors (its shadow is left alone, so osmem's
 * annotations still see it as NOACCESS). */
void header_readable(const struct block_meta *b);

static inline struct block_meta *meta(const void *payload)
{
	struct block_meta *b = (struct block_meta *)payload - 1;

	header_readable(b);
	return b;
}

/* Silence memcheck for this thread around code that walks headers (list
 * walks, snapshots); nests.  No-ops outside Valgrind. */
void quiet_begin(void);
void quiet_end(void);

/* Offset of an address from the heap start. */
static inline long off(const void *p)
{
	return (long)((const char *)p - heap_start);
}

/* A heap block as a test expects it: header offset, size, status. */
struct blk {
	long hdr;
	size_t size;
	int status;
};
#define USED(hdr, size) { (hdr), (size), STATUS_ALLOC }
#define FREE(hdr, size) { (hdr), (size), STATUS_FREE }

/* ---- assertions with the caller's location ---- */

struct loc {
	const char *file;
	unsigned int line;
};
#define HERE ((struct loc){ __FILE__, __LINE__ })

bool check_at(struct loc at, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* p is a payload at this offset from the heap start. */
#define EXPECT_OFF(p, o) expect_off(HERE, (p), (long)(o))
/* p's header reads this size and status. */
#define EXPECT_BLOCK(p, size, status) expect_block(HERE, (p), (size), (status))
/* The break is this far from the heap start. */
#define EXPECT_BRK(o) expect_brk(HERE, (long)(o))
/* sbrk/mmap/munmap calls (os_calls) since the last EXPECT_CALLS or setup. */
#define EXPECT_CALLS(s, m, u) expect_calls(HERE, (s), (m), (u))
#define EXPECT_NO_SYSCALL() EXPECT_CALLS(0, 0, 0)
/* The heap blocks of the list, in order, are exactly these (mapped blocks
 * are skipped); the list links are consistent. */
#define EXPECT_HEAP(...) \
	expect_heap(HERE, (const struct blk[]){ __VA_ARGS__ }, \
		    sizeof((const struct blk[]){ __VA_ARGS__ }) / sizeof(struct blk))
/* p is a mapped block of this size, listed, and was the last mmap. */
#define EXPECT_MAPPED(p, size) expect_mapped(HERE, (p), (size))
/* The last mmap call was mmap(NULL, len, PROT_READ|PROT_WRITE,
 * MAP_PRIVATE|MAP_ANONYMOUS, -1, 0). */
#define EXPECT_MMAP_CALL(len) expect_mmap_call(HERE, (len))
/* The last munmap call was munmap(hdr, len) and the range is gone. */
#define EXPECT_MUNMAP_CALL(hdr, len) expect_munmap_call(HERE, (hdr), (len))
/* `expr` (a pointer) is NULL and sets errno to err (errno is cleared first). */
#define EXPECT_NULL_ERRNO(expr, err) expect_null_errno(HERE, (errno = 0, (expr)), (err))
#define EXPECT_PATTERN(p, n, seed) expect_pattern(HERE, (p), (n), (seed))
#define EXPECT_ZEROS(p, n) expect_zeros(HERE, (p), (n))

void expect_off(struct loc at, const void *p, long o);
void expect_block(struct loc at, const void *p, size_t size, int status);
void expect_brk(struct loc at, long o);
void expect_calls(struct loc at, unsigned long sbrk, unsigned long map, unsigned long unmap);
void expect_heap(struct loc at, const struct blk *exp, size_t n);
void expect_mapped(struct loc at, const void *p, size_t size);
void expect_mmap_call(struct loc at, size_t len);
void expect_munmap_call(struct loc at, const void *hdr, size_t len);
void expect_null_errno(struct loc at, const void *p, int err);
void expect_pattern(struct loc at, const void *p, size_t n, unsigned int seed);
void expect_zeros(struct loc at, const void *p, size_t n);

/* ---- data ---- */

void fill_pattern(void *p, size_t n, unsigned int seed);
/* Index of the first byte that differs from the pattern, or n. */
size_t pattern_mismatch(const void *p, size_t n, unsigned int seed);

/* os_malloc(sizes[i]) into out[i], each checked non-NULL. */
void alloc_all(void **out, const size_t *sizes, size_t n);
#define ALLOC_ALL(out, ...) \
	alloc_all((out), (const size_t[]){ __VA_ARGS__ }, \
		  sizeof((const size_t[]){ __VA_ARGS__ }) / sizeof(size_t))

/* ---- whole-allocator state ---- */

/* The blocks of the list (the first 64), the break and the OS call counters. */
struct snapshot {
	struct block_meta blocks[64];
	const struct block_meta *where[64];
	size_t n;
	void *brk;
	unsigned long calls[OS_OP_COUNT];
};

/* Walk the list that `any` (a header) belongs to. */
void snapshot_take(struct snapshot *s, const struct block_meta *any);
#define EXPECT_UNCHANGED(before) expect_unchanged(HERE, (before))
void expect_unchanged(struct loc at, const struct snapshot *before);

/* The list is well formed: links agree, heap blocks are 8-aligned with sizes
 * multiple of 8 and tile memory within each segment, and mapped blocks are
 * page aligned.  `any` is the header of any listed block. */
#define EXPECT_CONSISTENT(any) expect_consistent(HERE, (any))
void expect_consistent(struct loc at, const struct block_meta *any);

/* ---- OS call trace (trace.c interposes sbrk, mmap and munmap) ---- */

struct mmap_call {
	void *addr;
	size_t len;
	int prot, flags, fd;
	off_t offset;
	void *ret;
	unsigned long seq;   /* order among all traced mmap/munmap calls */
};

struct munmap_call {
	void *addr;
	size_t len;
	int ret;
	unsigned long seq;
};

const struct mmap_call *last_mmap(void);
const struct munmap_call *last_munmap(void);

/* Start tracking the break from `brk` (setup). */
void trace_break_from(char *brk);
/* Lower the break back to `brk` unless memory above it may belong to
 * somebody else (libc malloc moved the break during the test). */
void trace_release_break(char *brk);

/* ---- stderr capture ---- */

struct capture {
	int saved_fd;
	int read_fd;
	char text[1024];
	size_t len;
};

void capture_stderr(struct capture *c);
void restore_stderr(struct capture *c);
/* Exactly one line was written, starting with "osmem: ". */
#define EXPECT_ONE_REPORT(c) expect_one_report(HERE, (c))
#define EXPECT_NO_REPORT(c) expect_no_report(HERE, (c))
void expect_one_report(struct loc at, const struct capture *c);
void expect_no_report(struct loc at, const struct capture *c);

/* ---- child processes ---- */

/* Run fn in a forked child and return its wait status.  fn reports a failure
 * with child_fail(), which exits with status 1 after sending the message to
 * the parent; returning from fn exits with 0.  The message of a failed
 * child is stored in `why` ("" when it sent none). */
int run_in_child(void (*fn)(void), char *why, size_t why_len);
void child_fail(const char *msg) __attribute__((noreturn));
#define CHILD_EXPECT(cond) \
	do { \
		if (!(cond)) \
			child_fail(__FILE__ ": " #cond); \
	} while (0)

#endif /* OSMEM_TEST_H */
