/* SPDX-License-Identifier: MIT */
/*
 * test_realloc.c - CONTRACT.md section 5, in its decision order, with the
 * data kept across every kind of move (heap in place, heap to heap, heap to
 * mapping, mapping to heap, mapping to mapping).
 */
#include "osmem_test.h"

/* ---- 5.1 - 5.3 ---- */

static void test_realloc_null_is_malloc(void)
{
	void *p = os_realloc(NULL, 100);
	void *m = os_realloc(NULL, MAX_HEAP_REQ + 1);   /* H + A = 131072: mapped */

	EXPECT_OFF(p, HDR);
	EXPECT_HEAP(USED(0, 104), FREE(136, 130904));
	EXPECT_MAPPED(m, 131040);
	EXPECT_CALLS(1, 1, 0);
	EXPECT_BRK(PREALLOC);
}

static void test_realloc_null_to_zero_returns_null_without_syscall(void)
{
	CU_ASSERT_PTR_NULL(os_realloc(NULL, 0));
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(0);
}

static void test_realloc_to_zero_frees_heap_block_and_returns_null(void)
{
	void *p = os_malloc(100);

	EXPECT_CALLS(1, 0, 0);
	CU_ASSERT_PTR_NULL(os_realloc(p, 0));
	EXPECT_NO_SYSCALL();
	EXPECT_HEAP(FREE(0, 104), FREE(136, 130904));
}

static void test_realloc_to_zero_unmaps_mapped_block_and_returns_null(void)
{
	void *p = os_malloc(200000);
	void *hdr = meta(p);

	EXPECT_CALLS(0, 1, 0);
	CU_ASSERT_PTR_NULL(os_realloc(p, 0));
	EXPECT_CALLS(0, 0, 1);
	EXPECT_MUNMAP_CALL(hdr, HDR + 200000);
}

static void test_realloc_of_free_block_returns_null_and_does_nothing(void)
{
	void *p[2];
	struct snapshot before;
	struct capture err;

	ALLOC_ALL(p, 100, 8);
	os_free(p[0]);
	snapshot_take(&before, meta(p[1]));
	capture_stderr(&err);   /* whatever the library says about it */
	CU_ASSERT_PTR_NULL(os_realloc(p[0], 50));
	CU_ASSERT_PTR_NULL(os_realloc(p[0], 500));
	restore_stderr(&err);
	EXPECT_UNCHANGED(&before);
	EXPECT_HEAP(FREE(0, 104), USED(136, 8), FREE(176, 131072 - 176 - HDR));
}

/* ---- 5.4: a mapped block always moves ---- */

/* realloc a filled mapped block of `from` bytes to `to` (both mapped). */
static void check_mapped_block_moves(size_t from, size_t to)
{
	void *p = os_malloc(from), *q;
	void *old_hdr = meta(p);

	fill_pattern(p, from, 4);
	EXPECT_CALLS(0, 1, 0);
	q = os_realloc(p, to);
	EXPECT_CALLS(0, 1, 1);
	CU_ASSERT_PTR_NOT_EQUAL(q, p);
	EXPECT_MMAP_CALL(HDR + A(to));
	CU_ASSERT_PTR_EQUAL(meta(q), last_mmap()->ret);
	EXPECT_MUNMAP_CALL(old_hdr, HDR + A(from));
	CU_ASSERT(last_mmap()->seq < last_munmap()->seq);   /* the new block first */
	EXPECT_MAPPED(q, A(to));
	EXPECT_PATTERN(q, from < to ? from : to, 4);
	EXPECT_BRK(0);
}

static void test_realloc_mapped_block_moves_even_when_shrinking(void)
{
	check_mapped_block_moves(300000, 200000);
}

static void test_realloc_mapped_block_moves_even_at_same_size(void)
{
	check_mapped_block_moves(300000, 300000);
}

static void test_realloc_mapped_block_moves_when_growing(void)
{
	check_mapped_block_moves(200000, 300000);
}

static void test_realloc_mapped_block_to_heap_size_moves_to_heap(void)
{
	void *p = os_malloc(200000), *q;
	void *old_hdr = meta(p);

	fill_pattern(p, 200000, 5);
	EXPECT_CALLS(0, 1, 0);
	q = os_realloc(p, 100);   /* the first heap allocation: it preallocates */
	EXPECT_CALLS(1, 0, 1);
	EXPECT_OFF(q, HDR);
	EXPECT_BRK(PREALLOC);
	EXPECT_MUNMAP_CALL(old_hdr, HDR + 200000);
	EXPECT_PATTERN(q, 100, 5);
	EXPECT_HEAP(USED(0, 104), FREE(136, 130904));
}

/* ---- 5.5: a heap block reaching the malloc threshold moves to a mapping ---- */

static void test_realloc_heap_block_reaching_threshold_moves_to_mapping(void)
{
	void *p = os_malloc(100), *q;

	fill_pattern(p, 100, 6);
	EXPECT_CALLS(1, 0, 0);
	q = os_realloc(p, MAX_HEAP_REQ + 1);   /* H + A = 32 + 131040 = 131072 */
	EXPECT_CALLS(0, 1, 0);
	EXPECT_MMAP_CALL(PREALLOC);
	EXPECT_MAPPED(q, 131040);
	EXPECT_PATTERN(q, 100, 6);
	EXPECT_HEAP(FREE(0, 104), FREE(136, 130904));   /* freed, not merged yet */
}

static void test_realloc_heap_block_below_threshold_stays_on_heap(void)
{
	void *p = os_malloc(100);

	fill_pattern(p, 100, 7);
	/* absorbs the rest: 104 + 32 + 130904 = 131040 >= 131032, leftover 8 */
	CU_ASSERT_PTR_EQUAL(os_realloc(p, MAX_HEAP_REQ), p);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, FIRST_FREE));
	EXPECT_PATTERN(p, 100, 7);
}

static void test_realloc_uses_malloc_threshold_for_calloc_blocks(void)
{
	void *p = os_calloc(1, 100);

	/* 32 + 5000 >= 4096 would map a calloc, but realloc follows malloc's
	 * threshold: the block absorbs the rest and splits it. */
	CU_ASSERT_PTR_EQUAL(os_realloc(p, 5000), p);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 5000), FREE(5032, 131072 - 5032 - HDR));
}

/* ---- 5.6: shrinking or same size stays in place ---- */

/* A 200-byte block (filled) followed by an 8-byte guard; rest at 272. */
static void *block_200_with_guard(void)
{
	void *p[2];

	ALLOC_ALL(p, 200, 8);
	fill_pattern(p[0], 200, 8);
	return p[0];
}

static void test_realloc_shrink_stays_in_place_and_splits_leftover(void)
{
	void *p = block_200_with_guard();

	CU_ASSERT_PTR_EQUAL(os_realloc(p, 100), p);
	EXPECT_CALLS(1, 0, 0);
	/* leftover 200 - 104 = 96: a free block of 64 at 32 + 104 */
	EXPECT_HEAP(USED(0, 104), FREE(136, 64), USED(232, 8), FREE(272, 130768));
	EXPECT_PATTERN(p, 100, 8);
}

static void test_realloc_shrink_keeps_leftover_below_40(void)
{
	void *p = block_200_with_guard();

	CU_ASSERT_PTR_EQUAL(os_realloc(p, 161), p);   /* A = 168, leftover 32 */
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 200), USED(232, 8), FREE(272, 130768));
	EXPECT_PATTERN(p, 161, 8);
}

static void test_realloc_same_size_stays_in_place(void)
{
	void *p = block_200_with_guard();

	CU_ASSERT_PTR_EQUAL(os_realloc(p, 200), p);
	CU_ASSERT_PTR_EQUAL(os_realloc(p, 193), p);   /* A(193) = 200 */
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 200), USED(232, 8), FREE(272, 130768));
	EXPECT_PATTERN(p, 193, 8);
}

/* ---- 5.7: growing absorbs the following free blocks one at a time ---- */

/* Blocks of 64 at 0 (filled, returned), 96 and 192 (both freed), a guard of
 * 8 at 288, the rest at 328. */
static void *block_64_then_two_free_64(void)
{
	void *p[4];

	ALLOC_ALL(p, 64, 64, 64, 8);
	fill_pattern(p[0], 64, 9);
	os_free(p[1]);
	os_free(p[2]);
	return p[0];
}

static void test_realloc_grow_absorbs_next_free_block_in_place(void)
{
	void *p[3];

	ALLOC_ALL(p, 64, 64, 8);
	fill_pattern(p[0], 64, 10);
	os_free(p[1]);
	/* 64 + 32 + 64 = 160 >= 104; leftover 56: a free block of 24 at 136 */
	CU_ASSERT_PTR_EQUAL(os_realloc(p[0], 100), p[0]);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 104), FREE(136, 24), USED(192, 8), FREE(232, 131072 - 232 - HDR));
	EXPECT_PATTERN(p[0], 64, 10);
}

static void test_realloc_grow_stops_absorbing_once_big_enough(void)
{
	void *p = block_64_then_two_free_64();

	/* The first neighbour suffices (160 >= 104): the second stays apart,
	 * which a full coalescing would have merged. */
	CU_ASSERT_PTR_EQUAL(os_realloc(p, 100), p);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 104), FREE(136, 24), FREE(192, 64), USED(288, 8),
		    FREE(328, 131072 - 328 - HDR));
	EXPECT_PATTERN(p, 64, 9);
}

static void test_realloc_grow_absorbs_following_blocks_one_at_a_time(void)
{
	void *p = block_64_then_two_free_64();

	/* 160 < 200, then 160 + 32 + 64 = 256 >= 200; leftover 56: 24 at 232 */
	CU_ASSERT_PTR_EQUAL(os_realloc(p, 200), p);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 200), FREE(232, 24), USED(288, 8), FREE(328, 131072 - 328 - HDR));
	EXPECT_PATTERN(p, 64, 9);
}

static void test_realloc_absorbed_blocks_stay_absorbed_when_still_too_small(void)
{
	void *p[3], *q;

	ALLOC_ALL(p, 64, 64, 8);
	fill_pattern(p[0], 64, 11);
	os_free(p[1]);
	/* 160 < 504 and the guard stops it: move to the rest at 232, split
	 * (130808 - 536 = 130272 left at 768); the old block is freed at 160. */
	q = os_realloc(p[0], 500);
	EXPECT_OFF(q, 232 + HDR);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(FREE(0, 160), USED(192, 8), USED(232, 504), FREE(768, 130272));
	EXPECT_PATTERN(q, 64, 11);
}

/* ---- 5.8: the last block grows the heap in place ---- */

static void test_realloc_grow_last_block_extends_heap_in_place(void)
{
	void *p[2];

	ALLOC_ALL(p, MAX_HEAP_REQ, 64);   /* the whole preallocation, then 64 appended */
	os_free(p[0]);
	fill_pattern(p[1], 64, 12);
	EXPECT_CALLS(2, 0, 0);
	/* Grown by 128 - 64, although the free 131040-byte block would fit. */
	CU_ASSERT_PTR_EQUAL(os_realloc(p[1], 128), p[1]);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(PREALLOC + HDR + 128);
	EXPECT_HEAP(FREE(0, FIRST_FREE), USED(PREALLOC, 128));
	EXPECT_PATTERN(p[1], 64, 12);
}

static void test_realloc_grow_absorbs_free_last_block_then_extends_heap(void)
{
	void *p[2];

	ALLOC_ALL(p, 100, 130000);   /* rest at 130168: 872 bytes */
	fill_pattern(p[1], 130000, 13);
	/* 130000 + 32 + 872 = 130904 < 131000, now last: grown by 96 */
	CU_ASSERT_PTR_EQUAL(os_realloc(p[1], 131000), p[1]);
	EXPECT_CALLS(2, 0, 0);
	EXPECT_BRK(PREALLOC + 96);
	EXPECT_HEAP(USED(0, 104), USED(136, 131000));
	EXPECT_PATTERN(p[1], 130000, 13);
}

/* ---- 5.9: otherwise move, allocating while the old block is still in use ---- */

static void test_realloc_move_allocates_before_freeing_old_block(void)
{
	void *p[3], *q;

	ALLOC_ALL(p, 64, 64, 8);
	os_free(p[0]);
	fill_pattern(p[1], 64, 14);
	/* Freed first, blocks 0 and 1 would merge into 160 >= 152 at 0; instead
	 * the rest at 232 serves (split: 130808 - 184 = 130624 at 416). */
	q = os_realloc(p[1], 150);
	EXPECT_OFF(q, 232 + HDR);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(FREE(0, 64), FREE(96, 64), USED(192, 8), USED(232, 152), FREE(416, 130624));
	EXPECT_PATTERN(q, 64, 14);
}

static void test_realloc_move_takes_best_fit_block(void)
{
	void *p[4], *q;

	/* 152 at 0, 8 at 184, 64 at 224, 8 at 320, rest at 360 */
	ALLOC_ALL(p, 152, 8, 64, 8);
	os_free(p[0]);
	fill_pattern(p[2], 64, 15);
	q = os_realloc(p[2], 150);
	CU_ASSERT_PTR_EQUAL(q, p[0]);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 152), USED(184, 8), FREE(224, 64), USED(320, 8),
		    FREE(360, 131072 - 360 - HDR));
	EXPECT_PATTERN(q, 64, 15);
}

/* ---- data across every path ---- */

static void test_realloc_keeps_min_of_old_and_new_bytes_on_every_path(void)
{
	static const struct {
		size_t from, to;
	} moves[] = {
		{ 100, 50 },         /* heap, in place (shrink) */
		{ 100, 3000 },       /* heap, moved past the guard */
		{ 100, 200000 },     /* heap -> mapping */
		{ 200000, 100 },     /* mapping -> heap */
		{ 200000, 300000 },  /* mapping -> mapping, growing */
		{ 300000, 150000 },  /* mapping -> mapping, shrinking */
	};

	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		size_t from = moves[i].from, to = moves[i].to;
		void *p = os_malloc(from);
		void *guard = os_malloc(8);
		void *q;

		fill_pattern(p, from, (unsigned int)i);
		q = os_realloc(p, to);
		EXPECT_PATTERN(q, from < to ? from : to, (unsigned int)i);
		os_free(q);
		os_free(guard);
	}
}

CU_TestInfo realloc_tests[] = {
	TEST(test_realloc_null_is_malloc),
	TEST(test_realloc_null_to_zero_returns_null_without_syscall),
	TEST(test_realloc_to_zero_frees_heap_block_and_returns_null),
	TEST(test_realloc_to_zero_unmaps_mapped_block_and_returns_null),
	TEST(test_realloc_of_free_block_returns_null_and_does_nothing),
	TEST(test_realloc_mapped_block_moves_even_when_shrinking),
	TEST(test_realloc_mapped_block_moves_even_at_same_size),
	TEST(test_realloc_mapped_block_moves_when_growing),
	TEST(test_realloc_mapped_block_to_heap_size_moves_to_heap),
	TEST(test_realloc_heap_block_reaching_threshold_moves_to_mapping),
	TEST(test_realloc_heap_block_below_threshold_stays_on_heap),
	TEST(test_realloc_uses_malloc_threshold_for_calloc_blocks),
	TEST(test_realloc_shrink_stays_in_place_and_splits_leftover),
	TEST(test_realloc_shrink_keeps_leftover_below_40),
	TEST(test_realloc_same_size_stays_in_place),
	TEST(test_realloc_grow_absorbs_next_free_block_in_place),
	TEST(test_realloc_grow_stops_absorbing_once_big_enough),
	TEST(test_realloc_grow_absorbs_following_blocks_one_at_a_time),
	TEST(test_realloc_absorbed_blocks_stay_absorbed_when_still_too_small),
	TEST(test_realloc_grow_last_block_extends_heap_in_place),
	TEST(test_realloc_grow_absorbs_free_last_block_then_extends_heap),
	TEST(test_realloc_move_allocates_before_freeing_old_block),
	TEST(test_realloc_move_takes_best_fit_block),
	TEST(test_realloc_keeps_min_of_old_and_new_bytes_on_every_path),
	CU_TEST_INFO_NULL,
};
