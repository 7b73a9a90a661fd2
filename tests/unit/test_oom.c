/* SPDX-License-Identifier: MIT */
/*
 * test_oom.c - CONTRACT.md section 6: a failed sbrk or mmap returns NULL
 * with ENOMEM, leaks nothing (the block list and the break are unchanged),
 * keeps a realloc'ed block intact, and the next allocation after the fault
 * behaves exactly as the contract says.  Faults are injected with
 * os_fault_inject (they never reach the kernel, so os_calls does not count
 * them); one test uses real resource limits in a child process.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "osmem_test.h"

/* Fail the next call of `op`. */
static void fail_next(enum os_op op)
{
	os_fault_inject(op, 0, 1);
}

/* ---- sbrk failing ---- */

static void check_failed_preallocation(void *(*alloc_100)(void))
{
	fail_next(OS_OP_SBRK);
	EXPECT_NULL_ERRNO(alloc_100(), ENOMEM);
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(0);
	/* No heap was made: the next try preallocates as in a fresh process. */
	EXPECT_OFF(alloc_100(), HDR);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(PREALLOC);
	EXPECT_HEAP(USED(0, 104), FREE(136, 130904));
}

static void *malloc_100(void)
{
	return os_malloc(100);
}

static void *calloc_100(void)
{
	return os_calloc(100, 1);
}

static void *realloc_null_100(void)
{
	return os_realloc(NULL, 100);
}

static void test_failed_preallocation_in_malloc_leaves_no_heap(void)
{
	check_failed_preallocation(malloc_100);
}

static void test_failed_preallocation_in_calloc_leaves_no_heap(void)
{
	check_failed_preallocation(calloc_100);
}

static void test_failed_preallocation_in_realloc_leaves_no_heap(void)
{
	check_failed_preallocation(realloc_null_100);
}

static void test_failed_growth_of_last_free_block_leaves_heap_unchanged(void)
{
	void *p = os_malloc(100);
	struct snapshot before;

	snapshot_take(&before, meta(p));
	fail_next(OS_OP_SBRK);
	EXPECT_NULL_ERRNO(os_malloc(131000), ENOMEM);   /* would grow the rest by 96 */
	EXPECT_UNCHANGED(&before);
	EXPECT_HEAP(USED(0, 104), FREE(136, 130904));
	EXPECT_CALLS(1, 0, 0);
	EXPECT_OFF(os_malloc(131000), 136 + HDR);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(PREALLOC + 96);
}

static void test_failed_append_leaves_heap_unchanged(void)
{
	void *p = os_malloc(MAX_HEAP_REQ);
	struct snapshot before;

	snapshot_take(&before, meta(p));
	fail_next(OS_OP_SBRK);
	EXPECT_NULL_ERRNO(os_malloc(100), ENOMEM);
	EXPECT_UNCHANGED(&before);
	EXPECT_HEAP(USED(0, FIRST_FREE));
	EXPECT_CALLS(1, 0, 0);
	EXPECT_OFF(os_malloc(100), PREALLOC + HDR);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(PREALLOC + HDR + 104);
}

static void test_failed_growth_in_realloc_keeps_block(void)
{
	void *p[2];
	struct snapshot before;

	ALLOC_ALL(p, MAX_HEAP_REQ, 64);
	os_free(p[0]);
	fill_pattern(p[1], 64, 1);
	snapshot_take(&before, meta(p[1]));
	fail_next(OS_OP_SBRK);
	EXPECT_NULL_ERRNO(os_realloc(p[1], 128), ENOMEM);
	EXPECT_UNCHANGED(&before);
	EXPECT_BLOCK(p[1], 64, STATUS_ALLOC);
	EXPECT_PATTERN(p[1], 64, 1);
	EXPECT_CALLS(2, 0, 0);
	CU_ASSERT_PTR_EQUAL(os_realloc(p[1], 128), p[1]);   /* grown by 64 now */
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(PREALLOC + HDR + 128);
}

static void test_failed_move_in_realloc_keeps_block(void)
{
	void *p[2], *q;
	struct snapshot before;

	ALLOC_ALL(p, 64, FIRST_FREE - 96);   /* 64 at 0, then the exact rest (130944) at 96 */
	fill_pattern(p[0], 64, 2);
	snapshot_take(&before, meta(p[0]));
	fail_next(OS_OP_SBRK);
	EXPECT_NULL_ERRNO(os_realloc(p[0], 500), ENOMEM);   /* must append: no room */
	EXPECT_UNCHANGED(&before);
	EXPECT_BLOCK(p[0], 64, STATUS_ALLOC);
	EXPECT_PATTERN(p[0], 64, 2);
	EXPECT_CALLS(1, 0, 0);
	q = os_realloc(p[0], 500);
	EXPECT_OFF(q, PREALLOC + HDR);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(PREALLOC + HDR + 504);
	EXPECT_PATTERN(q, 64, 2);
	EXPECT_HEAP(FREE(0, 64), USED(96, FIRST_FREE - 96), USED(PREALLOC, 504));
}

static void test_failed_preallocation_in_realloc_keeps_mapped_block(void)
{
	void *m = os_malloc(200000), *q;
	struct snapshot before;

	fill_pattern(m, 200000, 3);
	snapshot_take(&before, meta(m));
	fail_next(OS_OP_SBRK);
	EXPECT_NULL_ERRNO(os_realloc(m, 100), ENOMEM);
	EXPECT_UNCHANGED(&before);   /* in particular, not unmapped */
	EXPECT_MAPPED(m, 200000);
	EXPECT_PATTERN(m, 200000, 3);
	EXPECT_CALLS(0, 1, 0);
	q = os_realloc(m, 100);
	EXPECT_OFF(q, HDR);
	EXPECT_CALLS(1, 0, 1);
	EXPECT_PATTERN(q, 100, 3);
}

/* ---- mmap failing ---- */

/* With a heap block present, a failed mapping lists nothing new. */
static void check_failed_mapping(void *(*alloc)(void), size_t mapped_size)
{
	void *p = os_malloc(100);
	struct snapshot before;

	snapshot_take(&before, meta(p));
	fail_next(OS_OP_MAP);
	EXPECT_NULL_ERRNO(alloc(), ENOMEM);
	EXPECT_UNCHANGED(&before);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_MAPPED(alloc(), mapped_size);
	EXPECT_CALLS(0, 1, 0);
}

static void *malloc_200000(void)
{
	return os_malloc(200000);
}

static void *calloc_5000(void)
{
	return os_calloc(1000, 5);
}

static void test_failed_mmap_in_malloc_lists_nothing(void)
{
	check_failed_mapping(malloc_200000, 200000);
}

static void test_failed_mmap_in_calloc_lists_nothing(void)
{
	check_failed_mapping(calloc_5000, 5000);
}

static void test_failed_mmap_in_realloc_keeps_heap_block(void)
{
	void *p[2];
	struct snapshot before;

	ALLOC_ALL(p, 100, 8);
	fill_pattern(p[0], 100, 4);
	snapshot_take(&before, meta(p[0]));
	fail_next(OS_OP_MAP);
	EXPECT_NULL_ERRNO(os_realloc(p[0], 200000), ENOMEM);
	EXPECT_UNCHANGED(&before);
	EXPECT_BLOCK(p[0], 104, STATUS_ALLOC);
	EXPECT_PATTERN(p[0], 100, 4);
	EXPECT_MAPPED(os_realloc(p[0], 200000), 200000);
	EXPECT_CALLS(1, 1, 0);
	EXPECT_BLOCK(p[0], 104, STATUS_FREE);
}

static void test_failed_mmap_in_realloc_keeps_mapped_block(void)
{
	void *m = os_malloc(200000), *q;
	struct snapshot before;

	fill_pattern(m, 200000, 5);
	snapshot_take(&before, meta(m));
	fail_next(OS_OP_MAP);
	EXPECT_NULL_ERRNO(os_realloc(m, 300000), ENOMEM);
	EXPECT_UNCHANGED(&before);   /* not unmapped */
	EXPECT_MAPPED(m, 200000);
	EXPECT_PATTERN(m, 200000, 5);
	EXPECT_CALLS(0, 1, 0);
	q = os_realloc(m, 300000);
	EXPECT_MAPPED(q, 300000);
	EXPECT_PATTERN(q, 200000, 5);
	EXPECT_CALLS(0, 1, 1);
}

static void test_sbrk_then_mmap_failures_leave_heap_usable(void)
{
	void *p[2];

	ALLOC_ALL(p, 100, 200000);
	fail_next(OS_OP_SBRK);
	os_fault_inject(OS_OP_MAP, 1, 1);   /* the first mapping succeeds, the second fails */
	EXPECT_NULL_ERRNO(os_malloc(131000), ENOMEM);
	EXPECT_MAPPED(os_malloc(150000), 150000);
	EXPECT_NULL_ERRNO(os_calloc(1, 150000), ENOMEM);
	EXPECT_CALLS(1, 2, 0);
	EXPECT_CONSISTENT(meta(p[0]));
	/* And everything works per contract again. */
	EXPECT_OFF(os_malloc(131000), 136 + HDR);
	EXPECT_OFF(os_malloc(8), PREALLOC + 96 + HDR);   /* appended after the grown block */
	EXPECT_CALLS(2, 0, 0);
	EXPECT_HEAP(USED(0, 104), USED(136, 131000), USED(PREALLOC + 96, 8));
}

/* ---- real limits ---- */

static bool set_soft_limit(int resource, rlim_t value)
{
	struct rlimit lim;

	if (getrlimit(resource, &lim) != 0)
		return false;
	lim.rlim_cur = value <= lim.rlim_max ? value : lim.rlim_max;
	return setrlimit(resource, &lim) == 0;
}

static void real_limits_child(void)
{
	struct rlimit data, as;
	char *brk0 = sbrk(0);
	void *p;

	CHILD_EXPECT(getrlimit(RLIMIT_DATA, &data) == 0 && getrlimit(RLIMIT_AS, &as) == 0);

	/* RLIMIT_DATA at 0: brk cannot move. */
	CHILD_EXPECT(set_soft_limit(RLIMIT_DATA, 0));
	errno = 0;
	CHILD_EXPECT(os_malloc(100) == NULL && errno == ENOMEM);
	CHILD_EXPECT(sbrk(0) == brk0);
	CHILD_EXPECT(setrlimit(RLIMIT_DATA, &data) == 0);

	/* RLIMIT_AS far below the current size: no mapping, no brk either. */
	CHILD_EXPECT(set_soft_limit(RLIMIT_AS, 1 << 20));
	errno = 0;
	CHILD_EXPECT(os_malloc(200000) == NULL && errno == ENOMEM);
	errno = 0;
	CHILD_EXPECT(os_calloc(1, 5000) == NULL && errno == ENOMEM);
	errno = 0;
	CHILD_EXPECT(os_malloc(100) == NULL && errno == ENOMEM);
	CHILD_EXPECT(setrlimit(RLIMIT_AS, &as) == 0);

	/* Limits lifted: the first heap allocation still preallocates here. */
	p = os_malloc(100);
	CHILD_EXPECT((char *)p == brk0 + HDR && (char *)sbrk(0) == brk0 + PREALLOC);
	p = os_malloc(200000);
	CHILD_EXPECT(p != NULL && meta(p)->status == STATUS_MAPPED);
}

static void test_real_rlimits_make_sbrk_and_mmap_fail_with_enomem(void)
{
	char why[256];
	int status;

	if (under_valgrind()) {
		skip_test("valgrind emulates brk regardless of RLIMIT_DATA and needs more "
			  "address space than a low RLIMIT_AS leaves");
		return;
	}
	status = run_in_child(real_limits_child, why, sizeof(why));
	CU_ASSERT_TRUE(WIFEXITED(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		check_at(HERE, false, "child: %s (status %#x)", why, status);
}

CU_TestInfo oom_tests[] = {
	TEST(test_failed_preallocation_in_malloc_leaves_no_heap),
	TEST(test_failed_preallocation_in_calloc_leaves_no_heap),
	TEST(test_failed_preallocation_in_realloc_leaves_no_heap),
	TEST(test_failed_growth_of_last_free_block_leaves_heap_unchanged),
	TEST(test_failed_append_leaves_heap_unchanged),
	TEST(test_failed_growth_in_realloc_keeps_block),
	TEST(test_failed_move_in_realloc_keeps_block),
	TEST(test_failed_preallocation_in_realloc_keeps_mapped_block),
	TEST(test_failed_mmap_in_malloc_lists_nothing),
	TEST(test_failed_mmap_in_calloc_lists_nothing),
	TEST(test_failed_mmap_in_realloc_keeps_heap_block),
	TEST(test_failed_mmap_in_realloc_keeps_mapped_block),
	TEST(test_sbrk_then_mmap_failures_leave_heap_usable),
	TEST(test_real_rlimits_make_sbrk_and_mmap_fail_with_enomem),
	CU_TEST_INFO_NULL,
};
