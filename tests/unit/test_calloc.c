/* SPDX-License-Identifier: MIT */
/*
 * test_calloc.c - CONTRACT.md section 2 for calloc: zero arguments, the
 * page-size threshold, and zeroed memory, also when a heap block is reused
 * (dirtied, freed and handed back).
 */
#include "osmem_test.h"

static void test_calloc_zero_nmemb_returns_null_without_syscall(void)
{
	CU_ASSERT_PTR_NULL(os_calloc(0, 8));
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(0);
}

static void test_calloc_zero_size_returns_null_without_syscall(void)
{
	CU_ASSERT_PTR_NULL(os_calloc(8, 0));
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(0);
}

static void test_calloc_below_page_size_uses_heap(void)
{
	size_t n = page_size() - HDR - 8;   /* 4056: H + A(n) = 4088 < 4096 */
	void *p = os_calloc(1, n);

	EXPECT_CALLS(1, 0, 0);
	EXPECT_OFF(p, HDR);
	EXPECT_BLOCK(p, n, STATUS_ALLOC);
	EXPECT_BRK(PREALLOC);
}

static void test_calloc_at_page_size_uses_mapping(void)
{
	size_t n = page_size() - HDR - 7;   /* 4057: A(n) = 4064, H + A(n) = 4096 */
	void *p = os_calloc(1, n);

	EXPECT_CALLS(0, 1, 0);
	EXPECT_MMAP_CALL(page_size());
	CU_ASSERT_PTR_EQUAL(meta(p), last_mmap()->ret);
	EXPECT_MAPPED(p, n + 7);
	EXPECT_BRK(0);

	/* The same size through malloc stays far below malloc's threshold. */
	EXPECT_OFF(os_malloc(n), HDR);
	EXPECT_CALLS(1, 0, 0);
}

static void test_calloc_threshold_applies_to_the_product(void)
{
	void *heap = os_calloc(2, 2028);     /* 4056: H + 4056 = 4088 < 4096 */
	void *mapped = os_calloc(2, 2032);   /* 4064: H + 4064 = 4096 */
	void *mapped2 = os_calloc(508, 8);   /* 4064 */

	EXPECT_OFF(heap, HDR);
	EXPECT_BLOCK(heap, 4056, STATUS_ALLOC);
	EXPECT_MAPPED(mapped, 4064);
	EXPECT_MAPPED(mapped2, 4064);
	EXPECT_CALLS(1, 2, 0);
}

static void test_calloc_fresh_heap_block_reads_zero(void)
{
	void *p = os_calloc(10, 100);

	EXPECT_OFF(p, HDR);
	EXPECT_ZEROS(p, 1000);
}

static void test_calloc_mapped_block_reads_zero(void)
{
	void *p = os_calloc(1000, 100);

	EXPECT_MAPPED(p, 100000);
	EXPECT_ZEROS(p, 100000);
}

/* Dirty a heap block of `dirty` bytes followed by a guard, free it, and
 * return it for a calloc of `n` bytes, which must take it back. */
static void check_calloc_zeroes_reused(size_t dirty, size_t n, size_t expect_size)
{
	void *p = os_malloc(dirty);
	void *guard = os_malloc(8);
	void *c;

	fill_pattern(p, dirty, 7);
	os_free(p);
	c = os_calloc(1, n);
	CU_ASSERT_PTR_EQUAL(c, p);
	EXPECT_BLOCK(c, expect_size, STATUS_ALLOC);
	EXPECT_ZEROS(c, n);
	EXPECT_BLOCK(guard, 8, STATUS_ALLOC);
	EXPECT_CALLS(1, 0, 0);
}

static void test_calloc_zeroes_reused_block(void)
{
	check_calloc_zeroes_reused(200, 200, 200);   /* exact best fit */
}

static void test_calloc_zeroes_reused_block_with_slack(void)
{
	check_calloc_zeroes_reused(224, 190, 224);   /* leftover 224 - 192 = 32 < 40: no split */
}

static void test_calloc_zeroes_reused_split_block(void)
{
	check_calloc_zeroes_reused(400, 100, 104);   /* leftover 296 >= 40: split */
}

static void test_calloc_zeroes_coalesced_blocks(void)
{
	void *p[3], *c;

	ALLOC_ALL(p, 64, 64, 8);
	fill_pattern(p[0], 64, 1);
	fill_pattern(p[1], 64, 2);
	os_free(p[0]);
	os_free(p[1]);
	/* Merged: 64 + 32 + 64 = 160 bytes, the absorbed header included. */
	c = os_calloc(4, 40);
	CU_ASSERT_PTR_EQUAL(c, p[0]);
	EXPECT_BLOCK(c, 160, STATUS_ALLOC);
	EXPECT_ZEROS(c, 160);
	EXPECT_CALLS(1, 0, 0);
}

static void test_calloc_zeroes_grown_last_block(void)
{
	void *p[2], *c;

	/* [0] 129000 at 0; [1] 1000 at 129032; rest at 130064: 131072 - 130064 - 32 = 976 */
	ALLOC_ALL(p, 129000, 1000);
	fill_pattern(p[1], 1000, 5);
	os_free(p[1]);
	/* Merged 1000 + 32 + 976 = 2008 < 2400: grown by 2400 - 2008 = 392. */
	c = os_calloc(25, 96);
	EXPECT_CALLS(2, 0, 0);
	CU_ASSERT_PTR_EQUAL(c, p[1]);
	EXPECT_BLOCK(c, 2400, STATUS_ALLOC);
	EXPECT_BRK(PREALLOC + 392);
	EXPECT_ZEROS(c, 2400);
}

CU_TestInfo calloc_tests[] = {
	TEST(test_calloc_zero_nmemb_returns_null_without_syscall),
	TEST(test_calloc_zero_size_returns_null_without_syscall),
	TEST(test_calloc_below_page_size_uses_heap),
	TEST(test_calloc_at_page_size_uses_mapping),
	TEST(test_calloc_threshold_applies_to_the_product),
	TEST(test_calloc_fresh_heap_block_reads_zero),
	TEST(test_calloc_mapped_block_reads_zero),
	TEST(test_calloc_zeroes_reused_block),
	TEST(test_calloc_zeroes_reused_block_with_slack),
	TEST(test_calloc_zeroes_reused_split_block),
	TEST(test_calloc_zeroes_coalesced_blocks),
	TEST(test_calloc_zeroes_grown_last_block),
	CU_TEST_INFO_NULL,
};
