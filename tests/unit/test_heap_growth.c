/* SPDX-License-Identifier: MIT */
/*
 * test_heap_growth.c - CONTRACT.md section 3 and steps 4.4-4.5: the one
 * 128 KiB preallocation, a heap that never shrinks, and growth by exactly
 * H + A(n) (append) or by the missing amount (growing the last block).
 */
#include "osmem_test.h"

/* The first heap allocation, through any entry point, moves the break by
 * 128 KiB once and splits the 131040-byte free block it makes. */
static void check_first_allocation_preallocates(void *p)
{
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(PREALLOC);
	EXPECT_OFF(p, HDR);
	/* rest: 131040 - 104 - 32 = 130904, its header at 32 + 104 = 136 */
	EXPECT_HEAP(USED(0, 104), FREE(136, 130904));
}

static void test_first_heap_malloc_moves_break_by_128KiB(void)
{
	check_first_allocation_preallocates(os_malloc(100));
}

static void test_first_heap_calloc_moves_break_by_128KiB(void)
{
	check_first_allocation_preallocates(os_calloc(4, 25));
}

static void test_first_heap_realloc_moves_break_by_128KiB(void)
{
	check_first_allocation_preallocates(os_realloc(NULL, 100));
}

static void test_preallocation_happens_only_once(void)
{
	static const size_t sizes[] = { 100, 200, 5000, 60000 };
	static const long hdrs[] = { 0, 136, 368, 5400 };   /* each previous + 32 + A(size) */

	for (size_t i = 0; i < 4; i++) {
		EXPECT_OFF(os_malloc(sizes[i]), hdrs[i] + HDR);
		EXPECT_CALLS(i == 0, 0, 0);
		EXPECT_BRK(PREALLOC);
	}
	/* rest: 131072 - (5400 + 32 + 60000) - 32 = 65608 */
	EXPECT_HEAP(USED(0, 104), USED(136, 200), USED(368, 5000), USED(5400, 60000),
		    FREE(65432, 65608));
}

static void test_preallocated_block_is_split_like_any_free_block(void)
{
	void *p = os_malloc(FIRST_FREE - MIN_SPLIT);   /* 131000: leftover exactly 40 */

	EXPECT_OFF(p, HDR);
	EXPECT_HEAP(USED(0, 131000), FREE(131032, 8));
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(PREALLOC);
}

static void test_free_never_shrinks_heap(void)
{
	void *p[2];

	ALLOC_ALL(p, MAX_HEAP_REQ, 5000);   /* the whole preallocation, then an append */
	EXPECT_CALLS(2, 0, 0);
	EXPECT_BRK(PREALLOC + HDR + 5000);
	os_free(p[1]);
	os_free(p[0]);
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(PREALLOC + HDR + 5000);
	EXPECT_HEAP(FREE(0, FIRST_FREE), FREE(PREALLOC, 5000));
}

static void test_shrinking_realloc_never_shrinks_heap(void)
{
	void *p[2];

	ALLOC_ALL(p, MAX_HEAP_REQ, 5000);
	EXPECT_CALLS(2, 0, 0);
	CU_ASSERT_PTR_EQUAL(os_realloc(p[1], 8), p[1]);
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(PREALLOC + HDR + 5000);
	/* leftover 5000 - 8 = 4992: a free block of 4960 at 131072 + 32 + 8 */
	EXPECT_HEAP(USED(0, FIRST_FREE), USED(PREALLOC, 8), FREE(131112, 4960));
}

static void test_append_when_last_block_allocated_moves_break_by_header_plus_size(void)
{
	void *whole = os_malloc(MAX_HEAP_REQ);
	void *b, *c;

	EXPECT_CALLS(1, 0, 0);
	EXPECT_BLOCK(whole, FIRST_FREE, STATUS_ALLOC);
	b = os_malloc(100);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_OFF(b, PREALLOC + HDR);
	EXPECT_BRK(PREALLOC + HDR + 104);   /* 131208 */
	c = os_malloc(1);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_OFF(c, 131208 + HDR);
	EXPECT_BRK(131208 + HDR + 8);
	EXPECT_HEAP(USED(0, FIRST_FREE), USED(PREALLOC, 104), USED(131208, 8));
}

static void test_grow_last_free_block_moves_break_by_missing_amount(void)
{
	void *a = os_malloc(100);
	void *b = os_malloc(131000);   /* the 130904-byte rest is too small: grown by 96 */

	EXPECT_OFF(a, HDR);
	EXPECT_OFF(b, 136 + HDR);     /* the rest keeps its address */
	EXPECT_CALLS(2, 0, 0);
	EXPECT_BRK(PREALLOC + 96);
	EXPECT_HEAP(USED(0, 104), USED(136, 131000));
}

static void test_grow_last_free_block_after_coalescing_by_missing_amount(void)
{
	void *p[2], *q;

	ALLOC_ALL(p, 100, 130000);   /* rest at 136 + 32 + 130000 = 130168: 872 bytes */
	os_free(p[1]);
	q = os_malloc(131000);   /* merged 130000 + 32 + 872 = 130904: grown by 96 */
	CU_ASSERT_PTR_EQUAL(q, p[1]);
	EXPECT_CALLS(2, 0, 0);
	EXPECT_BRK(PREALLOC + 96);
	EXPECT_HEAP(USED(0, 104), USED(136, 131000));
}

static void test_grow_last_allocated_block_in_realloc_by_missing_amount(void)
{
	void *p[2];

	/* [0] 65000 at 0, [1] the exact rest 131040 - 65032 = 66008 at 65032 */
	ALLOC_ALL(p, 65000, 66008);
	EXPECT_CALLS(1, 0, 0);
	CU_ASSERT_PTR_EQUAL(os_realloc(p[1], 70000), p[1]);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(PREALLOC + 70000 - 66008);
	EXPECT_HEAP(USED(0, 65000), USED(65032, 70000));
}

CU_TestInfo heap_growth_tests[] = {
	TEST(test_first_heap_malloc_moves_break_by_128KiB),
	TEST(test_first_heap_calloc_moves_break_by_128KiB),
	TEST(test_first_heap_realloc_moves_break_by_128KiB),
	TEST(test_preallocation_happens_only_once),
	TEST(test_preallocated_block_is_split_like_any_free_block),
	TEST(test_free_never_shrinks_heap),
	TEST(test_shrinking_realloc_never_shrinks_heap),
	TEST(test_append_when_last_block_allocated_moves_break_by_header_plus_size),
	TEST(test_grow_last_free_block_moves_break_by_missing_amount),
	TEST(test_grow_last_free_block_after_coalescing_by_missing_amount),
	TEST(test_grow_last_allocated_block_in_realloc_by_missing_amount),
	CU_TEST_INFO_NULL,
};
