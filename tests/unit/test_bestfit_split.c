/* SPDX-License-Identifier: MIT */
/*
 * test_bestfit_split.c - CONTRACT.md steps 4.2-4.3: best fit (smallest
 * sufficient size, lowest address among equals), the 40-byte split rule, no
 * syscall when a free block serves the request; and the worked example.
 */
#include "osmem_test.h"

/* Free blocks of 200, 104 and 152 bytes, each followed by an 8-byte guard:
 * headers at 0, 272 and 448; guards at 232, 408 and 632; rest at 672. */
static void make_holes_200_104_152(void **p)
{
	ALLOC_ALL(p, 200, 8, 104, 8, 152, 8);
	os_free(p[0]);
	os_free(p[2]);
	os_free(p[4]);
	EXPECT_CALLS(1, 0, 0);
}

static void test_best_fit_picks_smallest_block_that_fits(void)
{
	void *p[6];

	make_holes_200_104_152(p);
	/* 104 fits exactly; first fit would take 200, worst fit the rest. */
	EXPECT_OFF(os_malloc(100), 272 + HDR);
	EXPECT_NO_SYSCALL();
	/* 152 is the smallest that holds 105..152 */
	EXPECT_OFF(os_malloc(150), 448 + HDR);
	EXPECT_NO_SYSCALL();
	EXPECT_HEAP(FREE(0, 200), USED(232, 8), USED(272, 104), USED(408, 8), USED(448, 152),
		    USED(632, 8), FREE(672, 131072 - 672 - HDR));
}

static void test_best_fit_breaks_ties_by_lowest_address(void)
{
	void *p[6];

	/* headers: 104 at 0, 8 at 136, 200 at 176, 8 at 408, 104 at 448, 8 at 584 */
	ALLOC_ALL(p, 104, 8, 200, 8, 104, 8);
	os_free(p[4]);   /* freed in reverse address order */
	os_free(p[2]);
	os_free(p[0]);
	EXPECT_OFF(os_malloc(100), HDR);
	EXPECT_OFF(os_malloc(100), 448 + HDR);   /* then the other 104, before the 200 */
	EXPECT_OFF(os_malloc(100), 176 + HDR);   /* 200 - 104 = 96 >= 40: split */
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 104), USED(136, 8), USED(176, 104), FREE(312, 64), USED(408, 8),
		    USED(448, 104), USED(584, 8), FREE(624, 131072 - 624 - HDR));
}

static void test_best_fit_holds_for_blocks_of_any_size(void)
{
	void *p[10];

	/* Holes of 20000 (header 0), 9000 (20072), 10000 (29144), 15000 (39216)
	 * and 10000 (54288), each followed by an 8-byte guard; rest at 64360. */
	ALLOC_ALL(p, 20000, 8, 9000, 8, 10000, 8, 15000, 8, 10000, 8);
	for (int i = 8; i >= 0; i -= 2)
		os_free(p[i]);
	/* A = 9504: the two 10000s are best, the lower first; each split
	 * leaves 10000 - 9504 - 32 = 464. */
	EXPECT_OFF(os_malloc(9500), 29144 + HDR);
	EXPECT_OFF(os_malloc(9500), 54288 + HDR);
	EXPECT_OFF(os_malloc(12000), 39216 + HDR);   /* 15000; leaves 2968 */
	EXPECT_OFF(os_malloc(19000), HDR);           /* 20000; leaves 968 at 19032 */
	EXPECT_OFF(os_malloc(900), 19032 + HDR);     /* 968 beats 2968 and 9000; leaves 32 */
	EXPECT_CALLS(1, 0, 0);
	EXPECT_HEAP(USED(0, 19000), USED(19032, 904), FREE(19968, 32), USED(20032, 8),
		    FREE(20072, 9000), USED(29104, 8), USED(29144, 9504), FREE(38680, 464),
		    USED(39176, 8), USED(39216, 12000), FREE(51248, 2968), USED(54248, 8),
		    USED(54288, 9504), FREE(63824, 464), USED(64320, 8), FREE(64360, 66680));
}

static void test_free_block_is_used_before_growing_heap(void)
{
	void *p[3];

	/* 1000 at 0, 8 at 1032, 129904 at 1072; rest 131072 - 131008 - 32 = 32 at 131008 */
	ALLOC_ALL(p, 1000, 8, 129904);
	os_free(p[0]);
	/* The last block (32 bytes, free) is too small, but best fit comes first. */
	EXPECT_OFF(os_malloc(500), HDR);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(PREALLOC);
	/* 1000 - 504 = 496: a free block of 464 at 32 + 504 = 536 */
	EXPECT_HEAP(USED(0, 504), FREE(536, 464), USED(1032, 8), USED(1072, 129904),
		    FREE(131008, 32));
}

/* One free block of 200 bytes followed by a guard: malloc(n) takes it. */
static void *reuse_hole_of_200(size_t n)
{
	void *p[2], *q;

	ALLOC_ALL(p, 200, 8);
	os_free(p[0]);
	q = os_malloc(n);
	CU_ASSERT_PTR_EQUAL(q, p[0]);
	EXPECT_CALLS(1, 0, 0);
	return q;
}

static void test_split_when_leftover_is_exactly_40(void)
{
	EXPECT_BLOCK(reuse_hole_of_200(160), 160, STATUS_ALLOC);
	/* leftover 40: a free block of 8 right after the payload, at 32 + 160 */
	EXPECT_HEAP(USED(0, 160), FREE(192, 8), USED(232, 8), FREE(272, 130768));
}

static void test_split_leftover_is_free_block_right_after_payload(void)
{
	EXPECT_BLOCK(reuse_hole_of_200(1), 8, STATUS_ALLOC);
	/* leftover 192: a free block of 160 at 32 + 8 */
	EXPECT_HEAP(USED(0, 8), FREE(40, 160), USED(232, 8), FREE(272, 130768));
}

static void test_no_split_when_leftover_is_below_40(void)
{
	/* A(161) = 168, leftover 32: the whole block, slack included */
	EXPECT_BLOCK(reuse_hole_of_200(161), 200, STATUS_ALLOC);
	EXPECT_HEAP(USED(0, 200), USED(232, 8), FREE(272, 130768));
}

static void test_exact_fit_is_handed_over_without_split(void)
{
	EXPECT_BLOCK(reuse_hole_of_200(200), 200, STATUS_ALLOC);
	EXPECT_HEAP(USED(0, 200), USED(232, 8), FREE(272, 130768));
}

static void test_worked_example_of_the_contract(void)
{
	void *p, *q, *r, *s;

	p = os_malloc(100);
	EXPECT_OFF(p, HDR);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(0x20000);
	EXPECT_HEAP(USED(0, 104), FREE(136, 130904));   /* 131040 - 32 - 104 */

	q = os_malloc(200);
	EXPECT_OFF(q, 0xa8);   /* 32 + 104 + 32 */
	EXPECT_NO_SYSCALL();
	EXPECT_HEAP(USED(0, 104), USED(136, 200), FREE(368, 130672));

	os_free(p);
	EXPECT_NO_SYSCALL();
	EXPECT_BLOCK(p, 104, STATUS_FREE);

	r = os_malloc(64);   /* 104 beats 130672; leftover 40: a free block of 8 */
	EXPECT_OFF(r, HDR);
	EXPECT_NO_SYSCALL();
	EXPECT_HEAP(USED(0, 64), FREE(96, 8), USED(136, 200), FREE(368, 130672));

	s = os_calloc(1, 5000);   /* 32 + 5000 >= 4096 */
	EXPECT_CALLS(0, 1, 0);
	EXPECT_MMAP_CALL(5032);
	CU_ASSERT_PTR_EQUAL(meta(s), last_mmap()->ret);
	EXPECT_MAPPED(s, 5000);
	EXPECT_HEAP(USED(0, 64), FREE(96, 8), USED(136, 200), FREE(368, 130672));
}

CU_TestInfo bestfit_split_tests[] = {
	TEST(test_best_fit_picks_smallest_block_that_fits),
	TEST(test_best_fit_breaks_ties_by_lowest_address),
	TEST(test_best_fit_holds_for_blocks_of_any_size),
	TEST(test_free_block_is_used_before_growing_heap),
	TEST(test_split_when_leftover_is_exactly_40),
	TEST(test_split_leftover_is_free_block_right_after_payload),
	TEST(test_no_split_when_leftover_is_below_40),
	TEST(test_exact_fit_is_handed_over_without_split),
	TEST(test_worked_example_of_the_contract),
	CU_TEST_INFO_NULL,
};
