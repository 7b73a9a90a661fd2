/* SPDX-License-Identifier: MIT */
/*
 * test_foreign_brk.c - another break mover between osmem calls: libc malloc
 * growing its heap, or a plain sbrk.  osmem must never hand out or grow a
 * block across the foreign memory: its next growth starts a new segment at
 * the current break, blocks of both segments stay valid, and neither
 * coalescing nor realloc merges across the gap.
 *
 * Under valgrind libc malloc is replaced and never moves the break: its
 * variants are skipped there.
 */
#include <stdlib.h>
#include <unistd.h>

#include "osmem_test.h"

struct mover {
	bool (*move)(void);   /* false: could not move the break */
};

static bool move_with_sbrk(void)
{
	return sbrk(4096) != (void *)-1;
}

#define LIBC_BLOCKS 8192   /* 8 MiB of 1 KiB blocks: glibc's heap must grow */

static void *libc_blocks[LIBC_BLOCKS];
static size_t libc_count;

/* libc malloc until glibc grows its heap with sbrk. */
static bool move_with_libc_malloc(void)
{
	char *before = sbrk(0);

	while (libc_count < LIBC_BLOCKS && sbrk(0) == before) {
		libc_blocks[libc_count] = malloc(1024);
		if (!libc_blocks[libc_count])
			break;
		libc_count++;
	}
	return sbrk(0) != before;
}

static void release_libc_blocks(void)
{
	while (libc_count)
		free(libc_blocks[--libc_count]);
}

static const struct mover by_sbrk = { move_with_sbrk };
static const struct mover by_libc_malloc = { move_with_libc_malloc };

/* Let m move the break; the new break, or NULL when the test is skipped. */
static char *move_break(const struct mover *m)
{
	if (!m->move()) {
		skip_test("libc malloc does not move the break here (valgrind replaces it)");
		return NULL;
	}
	return sbrk(0);
}

/* test_<scenario>_after_sbrk and test_<scenario>_after_libc_malloc */
#define WITH_EACH_MOVER(scenario) \
	static void test_##scenario##_after_sbrk(void) \
	{ \
		scenario(&by_sbrk); \
	} \
	static void test_##scenario##_after_libc_malloc(void) \
	{ \
		scenario(&by_libc_malloc); \
		release_libc_blocks(); \
	}
#define TESTS_WITH_EACH_MOVER(scenario) \
	TEST(test_##scenario##_after_sbrk), TEST(test_##scenario##_after_libc_malloc)

static void first_heap_allocation_preallocates_at_current_break(const struct mover *m)
{
	char *f = move_break(m);
	void *p;

	if (!f)
		return;
	p = os_malloc(100);
	EXPECT_OFF(p, off(f) + HDR);
	EXPECT_BLOCK(p, 104, STATUS_ALLOC);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BRK(off(f) + PREALLOC);
}
WITH_EACH_MOVER(first_heap_allocation_preallocates_at_current_break)

static void append_starts_new_segment_at_current_break(const struct mover *m)
{
	void *whole = os_malloc(MAX_HEAP_REQ);
	char *f = move_break(m);
	void *b;

	if (!f)
		return;
	EXPECT_BLOCK(whole, FIRST_FREE, STATUS_ALLOC);
	EXPECT_CALLS(1, 0, 0);
	b = os_malloc(100);
	EXPECT_CALLS(1, 0, 0);
	EXPECT_OFF(b, off(f) + HDR);
	EXPECT_BRK(off(f) + HDR + 104);
	EXPECT_HEAP(USED(0, FIRST_FREE), USED(off(f), 104));
}
WITH_EACH_MOVER(append_starts_new_segment_at_current_break)

static void last_free_block_is_not_grown_across_foreign_memory(const struct mover *m)
{
	void *a = os_malloc(100);
	char *f = move_break(m);
	void *b;

	if (!f)
		return;
	/* Without the foreign move, the 130904-byte rest would grow by 96. */
	b = os_malloc(131000);
	EXPECT_OFF(b, off(f) + HDR);
	EXPECT_CALLS(2, 0, 0);
	EXPECT_BRK(off(f) + HDR + 131000);
	EXPECT_BLOCK(a, 104, STATUS_ALLOC);
	EXPECT_HEAP(USED(0, 104), FREE(136, 130904), USED(off(f), 131000));
}
WITH_EACH_MOVER(last_free_block_is_not_grown_across_foreign_memory)

static void realloc_does_not_grow_last_block_across_foreign_memory(const struct mover *m)
{
	void *p[2], *q;
	char *f;

	ALLOC_ALL(p, 65000, 66008);   /* [1] is the exact rest: last, allocated */
	fill_pattern(p[1], 66008, 1);
	f = move_break(m);
	if (!f)
		return;
	q = os_realloc(p[1], 70000);   /* cannot grow in place: moved to a new segment */
	EXPECT_OFF(q, off(f) + HDR);
	EXPECT_CALLS(2, 0, 0);
	EXPECT_BRK(off(f) + HDR + 70000);
	EXPECT_PATTERN(q, 66008, 1);
	EXPECT_HEAP(USED(0, 65000), FREE(65032, 66008), USED(off(f), 70000));
}
WITH_EACH_MOVER(realloc_does_not_grow_last_block_across_foreign_memory)

static void coalescing_never_merges_across_the_gap(const struct mover *m)
{
	void *a = os_malloc(100), *b, *c;
	char *f = move_break(m);

	if (!f)
		return;
	b = os_malloc(131000);   /* a new segment at f */
	os_free(b);
	/* The rest (130904) and b (131000) are neighbours in the list only:
	 * merged they would serve this at 168; b alone serves it, split with
	 * leftover 131000 - 130952 = 48. */
	c = os_malloc(130950);
	EXPECT_OFF(c, off(f) + HDR);
	EXPECT_CALLS(2, 0, 0);
	EXPECT_BLOCK(a, 104, STATUS_ALLOC);
	EXPECT_HEAP(USED(0, 104), FREE(136, 130904), USED(off(f), 130952),
		    FREE(off(f) + HDR + 130952, 16));
}
WITH_EACH_MOVER(coalescing_never_merges_across_the_gap)

static void realloc_never_absorbs_across_the_gap(const struct mover *m)
{
	void *p[2], *b, *q;
	char *f;

	ALLOC_ALL(p, 65000, 66008);
	fill_pattern(p[1], 66008, 2);
	f = move_break(m);
	if (!f)
		return;
	b = os_malloc(10000);   /* a new segment at f */
	EXPECT_OFF(b, off(f) + HDR);
	os_free(b);
	/* Absorbing b would make 66008 + 32 + 10000 >= 70000 in place.  Instead
	 * p[1] moves; b, the free last block, grows by 60000 and serves. */
	q = os_realloc(p[1], 70000);
	CU_ASSERT_PTR_EQUAL(q, b);
	EXPECT_CALLS(3, 0, 0);
	EXPECT_BRK(off(f) + HDR + 70000);
	EXPECT_PATTERN(q, 66008, 2);
	EXPECT_HEAP(USED(0, 65000), FREE(65032, 66008), USED(off(f), 70000));
}
WITH_EACH_MOVER(realloc_never_absorbs_across_the_gap)

static void blocks_of_both_segments_stay_valid_and_writable(const struct mover *m)
{
	void *p[5];
	struct capture err;
	char *f;

	/* 1000 at 0, 2000 at 1032, the exact rest 131040 - 3064 = 127976 at 3064 */
	ALLOC_ALL(p, 1000, 2000, 127976);
	f = move_break(m);
	if (!f)
		return;
	ALLOC_ALL(p + 3, 3000, 500);   /* at f and f + 3032 */
	EXPECT_OFF(p[3], off(f) + HDR);
	EXPECT_OFF(p[4], off(f) + 3032 + HDR);
	for (unsigned int i = 0; i < 5; i++)
		fill_pattern(p[i], meta(p[i])->size, i);

	capture_stderr(&err);
	CU_ASSERT_PTR_EQUAL(os_realloc(p[1], 100), p[1]);    /* shrinks in place */
	CU_ASSERT_PTR_EQUAL(os_realloc(p[4], 5000), p[4]);   /* last: grows in place */
	os_free(p[0]);
	os_free(p[3]);
	restore_stderr(&err);
	EXPECT_NO_REPORT(&err);
	EXPECT_PATTERN(p[1], 100, 1);
	EXPECT_PATTERN(p[2], 127976, 2);
	EXPECT_PATTERN(p[4], 500, 4);
	EXPECT_CONSISTENT(meta(p[2]));

	capture_stderr(&err);
	os_free(p[1]);
	os_free(p[2]);
	os_free(p[4]);
	restore_stderr(&err);
	EXPECT_NO_REPORT(&err);
	EXPECT_CALLS(4, 0, 0);   /* preallocation, two appends, one growth */
}
WITH_EACH_MOVER(blocks_of_both_segments_stay_valid_and_writable)

static void test_misaligned_foreign_break_keeps_payloads_aligned(void)
{
	void *whole = os_malloc(MAX_HEAP_REQ), *b;
	char *f;

	sbrk(13);
	f = sbrk(0);
	b = os_malloc(100);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL((uintptr_t)b % 8, 0);
	CU_ASSERT((char *)meta(b) >= f);
	CU_ASSERT((char *)b + 104 <= (char *)sbrk(0));
	EXPECT_BLOCK(b, 104, STATUS_ALLOC);
	EXPECT_BLOCK(whole, FIRST_FREE, STATUS_ALLOC);
	EXPECT_CONSISTENT(meta(b));
}

CU_TestInfo foreign_brk_tests[] = {
	TESTS_WITH_EACH_MOVER(first_heap_allocation_preallocates_at_current_break),
	TESTS_WITH_EACH_MOVER(append_starts_new_segment_at_current_break),
	TESTS_WITH_EACH_MOVER(last_free_block_is_not_grown_across_foreign_memory),
	TESTS_WITH_EACH_MOVER(realloc_does_not_grow_last_block_across_foreign_memory),
	TESTS_WITH_EACH_MOVER(coalescing_never_merges_across_the_gap),
	TESTS_WITH_EACH_MOVER(realloc_never_absorbs_across_the_gap),
	TESTS_WITH_EACH_MOVER(blocks_of_both_segments_stay_valid_and_writable),
	TEST(test_misaligned_foreign_break_keeps_payloads_aligned),
	CU_TEST_INFO_NULL,
};
