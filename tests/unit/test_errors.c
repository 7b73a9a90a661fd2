/* SPDX-License-Identifier: MIT */
/*
 * test_errors.c - CONTRACT.md section 6: size computations that overflow
 * fail with ENOMEM before any syscall; os_free(NULL) does nothing.  Failed
 * sbrk/mmap calls are in test_oom.c.
 */
#include <errno.h>
#include <stdint.h>

#include "osmem_test.h"

static void test_calloc_product_overflow_fails_with_enomem_without_syscall(void)
{
	EXPECT_NULL_ERRNO(os_calloc(SIZE_MAX / 2, 3), ENOMEM);
	EXPECT_NULL_ERRNO(os_calloc(2, SIZE_MAX / 2 + 1), ENOMEM);   /* exactly 2^64 */
	EXPECT_NULL_ERRNO(os_calloc(SIZE_MAX, SIZE_MAX), ENOMEM);
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(0);
}

static void test_malloc_rounding_overflow_fails_with_enomem_without_syscall(void)
{
	EXPECT_NULL_ERRNO(os_malloc(SIZE_MAX), ENOMEM);
	EXPECT_NULL_ERRNO(os_malloc(SIZE_MAX - 6), ENOMEM);   /* 2^64 - 7 rounds up to 2^64 */
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(0);
}

static void test_malloc_header_overflow_fails_with_enomem_without_syscall(void)
{
	EXPECT_NULL_ERRNO(os_malloc(SIZE_MAX - 10), ENOMEM);   /* A = 2^64 - 8; + 32 overflows */
	EXPECT_NULL_ERRNO(os_malloc(SIZE_MAX - 38), ENOMEM);   /* A = 2^64 - 32; + 32 = 2^64 */
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(0);
}

static void test_calloc_header_overflow_fails_with_enomem_without_syscall(void)
{
	EXPECT_NULL_ERRNO(os_calloc(1, SIZE_MAX - 10), ENOMEM);
	EXPECT_NULL_ERRNO(os_calloc(SIZE_MAX - 10, 1), ENOMEM);
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(0);
}

static void test_largest_representable_request_reaches_mmap(void)
{
	/* A = 2^64 - 40, H + A = 2^64 - 8: no overflow, so it is mapped, and
	 * the kernel refuses. */
	EXPECT_NULL_ERRNO(os_malloc(SIZE_MAX - 39), ENOMEM);
	EXPECT_CALLS(0, 1, 0);
	EXPECT_BRK(0);
}

static void test_realloc_size_overflow_fails_with_enomem_and_keeps_block(void)
{
	void *heap = os_malloc(100);
	void *mapped = os_malloc(200000);

	fill_pattern(heap, 100, 1);
	fill_pattern(mapped, 200000, 2);
	EXPECT_CALLS(1, 1, 0);
	EXPECT_NULL_ERRNO(os_realloc(heap, SIZE_MAX - 10), ENOMEM);
	EXPECT_NULL_ERRNO(os_realloc(mapped, SIZE_MAX - 10), ENOMEM);
	EXPECT_NULL_ERRNO(os_realloc(NULL, SIZE_MAX - 10), ENOMEM);
	EXPECT_NO_SYSCALL();
	EXPECT_HEAP(USED(0, 104), FREE(136, 130904));
	EXPECT_PATTERN(heap, 100, 1);
	EXPECT_MAPPED(mapped, 200000);
	EXPECT_PATTERN(mapped, 200000, 2);
}

static void test_free_null_does_nothing(void)
{
	void *p;

	os_free(NULL);   /* before any heap */
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(0);
	p = os_malloc(100);
	EXPECT_CALLS(1, 0, 0);
	os_free(NULL);
	EXPECT_NO_SYSCALL();
	EXPECT_BRK(PREALLOC);
	EXPECT_BLOCK(p, 104, STATUS_ALLOC);
	EXPECT_HEAP(USED(0, 104), FREE(136, 130904));
}

CU_TestInfo errors_tests[] = {
	TEST(test_calloc_product_overflow_fails_with_enomem_without_syscall),
	TEST(test_malloc_rounding_overflow_fails_with_enomem_without_syscall),
	TEST(test_malloc_header_overflow_fails_with_enomem_without_syscall),
	TEST(test_calloc_header_overflow_fails_with_enomem_without_syscall),
	TEST(test_largest_representable_request_reaches_mmap),
	TEST(test_realloc_size_overflow_fails_with_enomem_and_keeps_block),
	TEST(test_free_null_does_nothing),
	CU_TEST_INFO_NULL,
};
