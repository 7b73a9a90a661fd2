/* SPDX-License-Identifier: MIT */
/*
 * test_layout.c - CONTRACT.md section 1: the header in front of every
 * payload, payload sizes and alignment, contiguous heap blocks, one list.
 */
#include <stddef.h>

#include "osmem_test.h"

static void test_header_is_32_bytes_with_size_status_prev_next(void)
{
	CU_ASSERT_EQUAL(sizeof(struct block_meta), 32);
	CU_ASSERT_EQUAL(offsetof(struct block_meta, size), 0);
	CU_ASSERT_EQUAL(offsetof(struct block_meta, status), 8);
	CU_ASSERT_EQUAL(offsetof(struct block_meta, prev), 16);
	CU_ASSERT_EQUAL(offsetof(struct block_meta, next), 24);
}

static void test_status_values_are_0_1_2(void)
{
	CU_ASSERT_EQUAL(STATUS_FREE, 0);
	CU_ASSERT_EQUAL(STATUS_ALLOC, 1);
	CU_ASSERT_EQUAL(STATUS_MAPPED, 2);
}

static void test_returned_pointer_is_block_address_plus_32(void)
{
	void *p = os_malloc(100), *m;

	/* The first heap block's header sits at the heap start. */
	EXPECT_OFF(p, HDR);
	CU_ASSERT_PTR_EQUAL(meta(p), heap_start);
	EXPECT_BLOCK(p, A(100), STATUS_ALLOC);
	CU_ASSERT_PTR_NULL(meta(p)->prev);
	EXPECT_CALLS(1, 0, 0);

	m = os_malloc(200000);
	EXPECT_CALLS(0, 1, 0);
	CU_ASSERT_PTR_EQUAL(meta(m), last_mmap()->ret);   /* mapping + 32 */
	EXPECT_MAPPED(m, 200000);
}

static void test_header_size_is_payload_capacity(void)
{
	void *p = os_malloc(1);
	void *hole = os_malloc(200);
	void *guard = os_malloc(8);
	void *q;

	EXPECT_BLOCK(p, 8, STATUS_ALLOC);
	os_free(hole);
	q = os_malloc(168);   /* leftover 200 - 168 = 32 < 40: the slack stays in the block */
	CU_ASSERT_PTR_EQUAL(q, hole);
	EXPECT_BLOCK(q, 200, STATUS_ALLOC);
	fill_pattern(p, 8, 1);   /* every byte of the capacity is usable */
	fill_pattern(q, 200, 2);
	EXPECT_PATTERN(p, 8, 1);
	EXPECT_PATTERN(q, 200, 2);
	EXPECT_BLOCK(guard, 8, STATUS_ALLOC);
	EXPECT_CALLS(1, 0, 0);
}

static void test_freed_heap_block_reads_status_free(void)
{
	void *p = os_malloc(100);
	void *q = os_malloc(100);

	EXPECT_CALLS(1, 0, 0);
	os_free(p);
	EXPECT_NO_SYSCALL();
	EXPECT_BLOCK(p, 104, STATUS_FREE);
	EXPECT_BLOCK(q, 104, STATUS_ALLOC);
}

static void test_mapped_block_reads_status_mapped(void)
{
	void *m = os_malloc(MMAP_THRESHOLD);
	void *c = os_calloc(1, page_size());

	EXPECT_MAPPED(m, MMAP_THRESHOLD);
	EXPECT_MAPPED(c, page_size());
	EXPECT_CALLS(0, 2, 0);
}

static void test_payload_sizes_are_multiples_of_8(void)
{
	long hdr = 0;

	/* Each request splits the big free block: the leftover is always >= 40. */
	for (size_t n = 1; n <= 80; n++) {
		void *p = os_malloc(n);

		EXPECT_OFF(p, hdr + HDR);
		EXPECT_BLOCK(p, A(n), STATUS_ALLOC);
		hdr += HDR + A(n);
	}
	EXPECT_CALLS(1, 0, 0);
	EXPECT_BLOCK(os_calloc(3, 7), 24, STATUS_ALLOC);
	EXPECT_MAPPED(os_malloc(200001), 200008);
}

static void expect_aligned(struct loc at, const void *p, const char *how, size_t n)
{
	check_at(at, p != NULL && (uintptr_t)p % 8 == 0, "%s(%zu) returned %p", how, n, p);
}

static void test_every_returned_pointer_is_8_byte_aligned(void)
{
	/* heap and mapped sizes, for each threshold */
	static const size_t sizes[] = { 1, 3, 7, 9, 13, 100, 4057, 4097, 131033, 200001 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];

		expect_aligned(HERE, os_malloc(n), "os_malloc", n);
		expect_aligned(HERE, os_calloc(1, n), "os_calloc", n);
		expect_aligned(HERE, os_realloc(os_malloc(5), n), "os_realloc", n);
	}
}

static void test_heap_blocks_are_contiguous_from_heap_start(void)
{
	static const size_t sizes[] = { 1, 9, 100, 4000, 17 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	struct blk exp[N + 1];
	void *p[N];
	long hdr = 0;

	alloc_all(p, sizes, N);
	for (size_t i = 0; i < N; i++) {
		exp[i] = (struct blk)USED(hdr, A(sizes[i]));
		EXPECT_OFF(p[i], hdr + HDR);
		hdr += HDR + A(sizes[i]);   /* the next header follows the payload */
	}
	exp[N] = (struct blk)FREE(hdr, PREALLOC - hdr - HDR);   /* the rest of the preallocation */
	expect_heap(HERE, exp, N + 1);
	EXPECT_CALLS(1, 0, 0);
}

/* How many times the list from `head` holds the header `want`. */
static int times_listed(const struct block_meta *head, const void *want)
{
	int seen = 0;

	quiet_begin();   /* headers are NOACCESS under Valgrind */
	for (const struct block_meta *b = head; b; b = b->next)
		seen += b == want;
	quiet_end();
	return seen;
}

static const struct block_meta *head_of(const void *payload)
{
	const struct block_meta *b = meta(payload);

	quiet_begin();
	while (b->prev)
		b = b->prev;
	quiet_end();
	return b;
}

static int list_length(const struct block_meta *head)
{
	int n = 0;

	quiet_begin();
	for (const struct block_meta *b = head; b; b = b->next)
		n++;
	quiet_end();
	return n;
}

static void test_heap_and_mapped_blocks_share_one_list(void)
{
	void *a = os_malloc(100);
	void *m1 = os_malloc(200000);
	void *b = os_malloc(300);
	void *m2 = os_calloc(1, 5000);
	const struct block_meta *head = head_of(a);

	CU_ASSERT_EQUAL(times_listed(head, meta(a)), 1);
	CU_ASSERT_EQUAL(times_listed(head, meta(b)), 1);
	CU_ASSERT_EQUAL(times_listed(head, meta(m1)), 1);
	CU_ASSERT_EQUAL(times_listed(head, meta(m2)), 1);
	CU_ASSERT_EQUAL(times_listed(head, heap_start + 472), 1);   /* the rest: 136 + 32 + A(300) */
	CU_ASSERT_EQUAL(list_length(head), 5);
	EXPECT_CONSISTENT(meta(m2));

	os_free(m1);   /* unmapped: it leaves the list */
	head = head_of(a);
	CU_ASSERT_EQUAL(times_listed(head, meta(a)), 1);
	CU_ASSERT_EQUAL(times_listed(head, meta(m2)), 1);
	CU_ASSERT_EQUAL(list_length(head), 4);
	EXPECT_CONSISTENT(meta(a));
}

CU_TestInfo layout_tests[] = {
	TEST(test_header_is_32_bytes_with_size_status_prev_next),
	TEST(test_status_values_are_0_1_2),
	TEST(test_returned_pointer_is_block_address_plus_32),
	TEST(test_header_size_is_payload_capacity),
	TEST(test_freed_heap_block_reads_status_free),
	TEST(test_mapped_block_reads_status_mapped),
	TEST(test_payload_sizes_are_multiples_of_8),
	TEST(test_every_returned_pointer_is_8_byte_aligned),
	TEST(test_heap_blocks_are_contiguous_from_heap_start),
	TEST(test_heap_and_mapped_blocks_share_one_list),
	CU_TEST_INFO_NULL,
};
