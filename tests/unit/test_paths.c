/* SPDX-License-Identifier: MIT */
/*
 * test_paths.c - CONTRACT.md section 2 for malloc and free: which requests
 * are mapped, the exact mmap/munmap calls, and that mappings are never
 * reused.  calloc's own threshold is in test_calloc.c, realloc's in
 * test_realloc.c.
 */
#include <errno.h>

#include "osmem_test.h"

static void test_malloc_zero_returns_null_without_syscall(void)
{
	CU_ASSERT_PTR_NULL(os_malloc(0));
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(0);
}

static void test_malloc_below_threshold_uses_heap(void)
{
	void *p = os_malloc(MAX_HEAP_REQ);   /* H + A(n) = 32 + 131032 = 131064 < 131072 */

	EXPECT_CALLS(1, 0, 0);
	EXPECT_OFF(p, HDR);
	/* The preallocated 131040-byte block: leftover 8 < 40, handed over whole. */
	EXPECT_BLOCK(p, FIRST_FREE, STATUS_ALLOC);
	EXPECT_HEAP(USED(0, FIRST_FREE));
	EXPECT_BRK(PREALLOC);
}

static void test_malloc_at_threshold_uses_mapping(void)
{
	void *p = os_malloc(MAX_HEAP_REQ + 1);   /* H + A(n) = 32 + 131040 = 131072 */

	EXPECT_CALLS(0, 1, 0);
	EXPECT_MMAP_CALL(HDR + 131040);
	CU_ASSERT_PTR_EQUAL(meta(p), last_mmap()->ret);
	EXPECT_MAPPED(p, 131040);
	EXPECT_BRK(0);
}

static void test_mapping_length_is_header_plus_aligned_size_unrounded(void)
{
	void *p = os_malloc(199999);   /* A = 200000; 200032 is not a multiple of the page size */

	EXPECT_CALLS(0, 1, 0);
	EXPECT_MMAP_CALL(200032);
	CU_ASSERT_PTR_EQUAL(meta(p), last_mmap()->ret);
	EXPECT_MAPPED(p, 200000);
	fill_pattern(p, 200000, 3);   /* the whole payload is usable */
	EXPECT_PATTERN(p, 200000, 3);
}

static void test_free_unmaps_mapped_block_at_once(void)
{
	void *p = os_malloc(200000);
	void *hdr = meta(p);

	EXPECT_CALLS(0, 1, 0);
	os_free(p);
	EXPECT_CALLS(0, 0, 1);
	EXPECT_MUNMAP_CALL(hdr, HDR + 200000);
}

static void test_mapped_memory_is_never_reused(void)
{
	void *p = os_malloc(200000);
	void *q;

	os_free(p);
	EXPECT_CALLS(0, 1, 1);
	q = os_malloc(200000);   /* a new mapping, wherever the kernel puts it */
	EXPECT_CALLS(0, 1, 0);
	CU_ASSERT_PTR_EQUAL(meta(q), last_mmap()->ret);
	EXPECT_MAPPED(q, 200000);
	q = os_malloc(200000);   /* while q is live too */
	EXPECT_CALLS(0, 1, 0);
	EXPECT_MAPPED(q, 200000);
}

static void test_program_that_only_maps_never_touches_break(void)
{
	void *m = os_malloc(200000);
	void *c = os_calloc(1, 5000);
	void *r = os_realloc(m, 300000);   /* mapped -> mapped */

	os_free(c);
	os_free(r);
	EXPECT_CALLS(0, 3, 3);
	EXPECT_BRK(0);
}

CU_TestInfo paths_tests[] = {
	TEST(test_malloc_zero_returns_null_without_syscall),
	TEST(test_malloc_below_threshold_uses_heap),
	TEST(test_malloc_at_threshold_uses_mapping),
	TEST(test_mapping_length_is_header_plus_aligned_size_unrounded),
	TEST(test_free_unmaps_mapped_block_at_once),
	TEST(test_mapped_memory_is_never_reused),
	TEST(test_program_that_only_maps_never_touches_break),
	CU_TEST_INFO_NULL,
};
