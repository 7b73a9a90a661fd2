/* SPDX-License-Identifier: MIT */
/*
 * test_coalesce.c - CONTRACT.md step 4.1: os_free only marks a heap block
 * free; the next heap allocation (malloc, calloc, or a realloc that moves)
 * first merges every run of adjacent free blocks.
 */
#include "osmem_test.h"

static void test_free_only_marks_block_free(void)
{
	void *p[3];

	ALLOC_ALL(p, 64, 64, 64);
	EXPECT_CALLS(1, 0, 0);
	os_free(p[0]);
	os_free(p[1]);
	EXPECT_NO_SYSCALL();
	/* Two adjacent free blocks, both headers still listed: nothing merged. */
	EXPECT_HEAP(FREE(0, 64), FREE(96, 64), USED(192, 64), FREE(288, 131072 - 288 - HDR));
}

/*
 * Eight 64-byte blocks (headers 0, 96, ..., 672; rest at 768) with the runs
 * {0, 1} and {3, 4} freed.  `alloc` asks for 150 bytes (A = 152) and may use
 * block 6, whose status afterwards is `status6`.  Both runs become 160-byte
 * blocks (64 + 32 + 64); best fit takes the lower one whole (leftover 8).
 */
static void check_runs_merged_before_best_fit(void *(*alloc)(void **blocks), int status6)
{
	void *p[8], *q;

	ALLOC_ALL(p, 64, 64, 64, 64, 64, 64, 64, 64);
	fill_pattern(p[6], 64, 6);
	os_free(p[0]);
	os_free(p[1]);
	os_free(p[3]);
	os_free(p[4]);
	q = alloc(p);
	EXPECT_OFF(q, HDR);
	EXPECT_BLOCK(q, 160, STATUS_ALLOC);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 160), USED(192, 64), FREE(288, 160), USED(480, 64),
		    { 576, 64, status6 }, USED(672, 64), FREE(768, 131072 - 768 - HDR));
}

static void *malloc_150(void **blocks)
{
	(void)blocks;
	return os_malloc(150);
}

static void *calloc_150(void **blocks)
{
	(void)blocks;
	return os_calloc(3, 50);
}

/* Block 6 cannot grow in place (block 7 is allocated, 6 is not last). */
static void *realloc_block6_to_150(void **blocks)
{
	void *q = os_realloc(blocks[6], 150);

	EXPECT_PATTERN(q, 64, 6);
	return q;
}

static void test_malloc_merges_every_run_of_free_blocks_first(void)
{
	check_runs_merged_before_best_fit(malloc_150, STATUS_ALLOC);
}

static void test_calloc_merges_every_run_of_free_blocks_first(void)
{
	check_runs_merged_before_best_fit(calloc_150, STATUS_ALLOC);
}

static void test_moving_realloc_merges_every_run_of_free_blocks_first(void)
{
	check_runs_merged_before_best_fit(realloc_block6_to_150, STATUS_FREE);
}

static void test_merged_size_adds_32_per_absorbed_header(void)
{
	void *p[4];

	ALLOC_ALL(p, 64, 64, 64, 8);
	os_free(p[0]);
	os_free(p[1]);
	os_free(p[2]);
	/* 3 * 64 + 2 * 32 = 256: an exact fit, handed over whole */
	EXPECT_OFF(os_malloc(256), HDR);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 256), USED(288, 8), FREE(328, 131072 - 328 - HDR));
}

static void test_freed_last_block_merges_with_free_rest(void)
{
	void *p[2];

	ALLOC_ALL(p, 64, 64);
	os_free(p[1]);
	EXPECT_HEAP(USED(0, 64), FREE(96, 64), FREE(192, 130848));
	/* 64 + 32 + 130848 = 130944 holds A = 130904 without growing the heap;
	 * leftover 40: a free block of 8 at 96 + 32 + 130904 */
	EXPECT_OFF(os_malloc(130900), 96 + HDR);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(PREALLOC);
	EXPECT_HEAP(USED(0, 64), USED(96, 130904), FREE(131032, 8));
}

static void test_free_blocks_separated_by_allocated_block_stay_apart(void)
{
	void *p[4];

	ALLOC_ALL(p, 64, 64, 64, 8);
	os_free(p[0]);
	os_free(p[2]);
	EXPECT_OFF(os_malloc(8), HDR);   /* both 64-byte blocks fit: the lower one, split */
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 8), FREE(40, 24), USED(96, 64), FREE(192, 64), USED(288, 8),
		    FREE(328, 131072 - 328 - HDR));
}

CU_TestInfo coalesce_tests[] = {
	TEST(test_free_only_marks_block_free),
	TEST(test_malloc_merges_every_run_of_free_blocks_first),
	TEST(test_calloc_merges_every_run_of_free_blocks_first),
	TEST(test_moving_realloc_merges_every_run_of_free_blocks_first),
	TEST(test_merged_size_adds_32_per_absorbed_header),
	TEST(test_freed_last_block_merges_with_free_rest),
	TEST(test_free_blocks_separated_by_allocated_block_stay_apart),
	CU_TEST_INFO_NULL,
};
