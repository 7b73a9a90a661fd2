/* SPDX-License-Identifier: MIT */
/*
 * test_blocks.c - allocation inside a family's pages: placement, alignment,
 * zeroing, free and coalescing, page release, the general-allocator
 * fallback, and xfree of pointers it must refuse.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mm_test.h"

typedef struct { char bytes[48]; } obj48_t;   /* payload 48, stride 64 */
typedef struct { char bytes[20]; } obj20_t;   /* payload 32, stride 48 */

static int all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i])
			return 0;
	return 1;
}

static void test_objects_are_aligned_and_packed(void)
{
	obj20_t *a, *b, *c;

	CU_ASSERT_EQUAL(MM_REG_STRUCT(obj20_t), 0);
	a = XCALLOC(1, obj20_t);
	b = XCALLOC(1, obj20_t);
	c = XCALLOC(1, obj20_t);
	/* A fresh page: the first payload follows the page header and the
	 * first block header; each next object one stride further on. */
	CU_ASSERT_EQUAL((uintptr_t)a % 16, 0);
	CU_ASSERT_PTR_EQUAL((char *)a, (char *)page_base(a) + PAGE_HDR + BLOCK_HDR);
	CU_ASSERT_EQUAL((char *)b - (char *)a, (long)stride(sizeof(obj20_t)));
	CU_ASSERT_EQUAL((char *)c - (char *)b, (long)stride(sizeof(obj20_t)));
	XFREE(a);
	XFREE(b);
	XFREE(c);
}

static void test_per_page_count_holds(void)
{
	size_t n = per_page(sizeof(obj20_t)), maps;
	obj20_t *objs[1024];

	CU_ASSERT_FATAL(n + 1 <= 1024);
	CU_ASSERT_EQUAL(MM_REG_STRUCT(obj20_t), 0);
	/* n objects fill exactly one page; object n + 1 opens a second one. */
	for (size_t i = 0; i < n; i++)
		objs[i] = XCALLOC(1, obj20_t);
	for (size_t i = 1; i < n; i++)
		CU_ASSERT_PTR_EQUAL(page_base(objs[i]), page_base(objs[0]));
	CU_ASSERT_EQUAL(family("obj20_t")->page_count, 1);
	CU_ASSERT_EQUAL(usage_of("obj20_t").free_blocks, 0);
	maps = os_calls(OS_OP_MAP);
	objs[n] = XCALLOC(1, obj20_t);
	CU_ASSERT_EQUAL(os_calls(OS_OP_MAP), maps + 1);
	CU_ASSERT_PTR_NOT_EQUAL(page_base(objs[n]), page_base(objs[0]));
	CU_ASSERT_EQUAL(family("obj20_t")->page_count, 2);
	for (size_t i = 0; i <= n; i++)
		XFREE(objs[i]);
}

static void test_memory_is_zeroed_when_reused(void)
{
	obj48_t *p, *q, *many;

	CU_ASSERT_EQUAL(MM_REG_STRUCT(obj48_t), 0);
	p = XCALLOC(1, obj48_t);
	many = XCALLOC(3, obj48_t);   /* keeps the page */
	memset(p, 0xab, sizeof(*p));
	memset(many, 0xcd, 3 * sizeof(*many));
	XFREE(p);
	q = XCALLOC(1, obj48_t);
	CU_ASSERT_PTR_EQUAL(q, p);    /* the block just freed is reused... */
	CU_ASSERT_TRUE(all_zero(q, sizeof(*q)));   /* ...and zeroed again */
	XFREE(many);
	many = XCALLOC(3, obj48_t);
	CU_ASSERT_TRUE(all_zero(many, 3 * sizeof(*many)));
	XFREE(q);
	XFREE(many);
}

static void test_units_are_contiguous_in_one_block(void)
{
	obj20_t *five;
	struct mm_usage u;

	CU_ASSERT_EQUAL(MM_REG_STRUCT(obj20_t), 0);
	five = XCALLOC(5, obj20_t);
	u = usage_of("obj20_t");
	/* One block of 5 * 20 = 100 bytes, rounded to 112; the rest of the page
	 * is one free block: room minus two headers and the 112. */
	CU_ASSERT_EQUAL(u.alloc_blocks, 1);
	CU_ASSERT_EQUAL(u.alloc_bytes, 112);
	CU_ASSERT_EQUAL(u.free_blocks, 1);
	CU_ASSERT_EQUAL(u.free_bytes, page_room() - 2 * BLOCK_HDR - 112);
	CU_ASSERT_EQUAL(family("obj20_t")->page_objects, 5);
	XFREE(five);
}

static void test_free_coalesces_neighbours(void)
{
	obj48_t *a, *b, *c, *d, *abc;
	struct mm_usage u;
	size_t tail = page_room() - 4 * stride(48) - BLOCK_HDR;   /* after a..d */

	CU_ASSERT_EQUAL(MM_REG_STRUCT(obj48_t), 0);
	a = XCALLOC(1, obj48_t);
	b = XCALLOC(1, obj48_t);
	c = XCALLOC(1, obj48_t);
	d = XCALLOC(1, obj48_t);
	XFREE(a);
	XFREE(c);
	u = usage_of("obj48_t");
	CU_ASSERT_EQUAL(u.free_blocks, 3);          /* a, c, the tail: none touch */
	CU_ASSERT_EQUAL(u.free_bytes, 48 + 48 + tail);
	XFREE(b);
	/* b merges with c after it and a before it: one block of three payloads
	 * and the two headers between them, 3 * 48 + 2 * 16 = 176 bytes. */
	u = usage_of("obj48_t");
	CU_ASSERT_EQUAL(u.free_blocks, 2);
	CU_ASSERT_EQUAL(u.free_bytes, 176 + tail);
	/* Three objects (144 bytes) now fit at a's address; without the merge
	 * only the tail could hold them. */
	abc = XCALLOC(3, obj48_t);
	CU_ASSERT_PTR_EQUAL(abc, a);
	XFREE(d);
	/* d merges with the tail behind it. */
	u = usage_of("obj48_t");
	CU_ASSERT_EQUAL(u.free_blocks, 1);
	CU_ASSERT_EQUAL(u.free_bytes, tail + BLOCK_HDR + 48);
	XFREE(abc);
}

static void test_page_is_unmapped_with_its_last_object(void)
{
	unsigned long maps, unmaps;
	obj48_t *p;
	void *page;

	CU_ASSERT_EQUAL(MM_REG_STRUCT(obj48_t), 0);
	XFREE(XCALLOC(1, obj48_t));   /* the registry and the record page now exist */
	maps = os_calls(OS_OP_MAP);
	unmaps = os_calls(OS_OP_UNMAP);
	p = XCALLOC(1, obj48_t);
	page = page_base(p);
	CU_ASSERT_EQUAL(os_calls(OS_OP_MAP), maps + 1);   /* one page, nothing else */
	CU_ASSERT_TRUE(page_mapped(page));
	XFREE(p);
	CU_ASSERT_EQUAL(os_calls(OS_OP_UNMAP), unmaps + 1);
	CU_ASSERT_FALSE(page_mapped(page));
	CU_ASSERT_EQUAL(family("obj48_t")->page_count, 0);
}

static void test_only_the_empty_page_goes(void)
{
	size_t n = per_page(48);
	obj48_t *objs[1024];
	unsigned long unmaps;
	void *first, *second;

	CU_ASSERT_FATAL(n + 1 <= 1024);
	CU_ASSERT_EQUAL(MM_REG_STRUCT(obj48_t), 0);
	for (size_t i = 0; i <= n; i++)
		objs[i] = XCALLOC(1, obj48_t);
	first = page_base(objs[0]);
	second = page_base(objs[n]);
	unmaps = os_calls(OS_OP_UNMAP);
	XFREE(objs[n]);                     /* the second page's only object */
	CU_ASSERT_EQUAL(os_calls(OS_OP_UNMAP), unmaps + 1);
	CU_ASSERT_FALSE(page_mapped(second));
	CU_ASSERT_TRUE(page_mapped(first));
	for (size_t i = 0; i + 1 < n; i++)  /* all but one: the page stays */
		XFREE(objs[i]);
	CU_ASSERT_TRUE(page_mapped(first));
	CU_ASSERT_EQUAL(os_calls(OS_OP_UNMAP), unmaps + 1);
	XFREE(objs[n - 1]);
	CU_ASSERT_FALSE(page_mapped(first));
	CU_ASSERT_EQUAL(os_calls(OS_OP_UNMAP), unmaps + 2);
}

static void test_family_larger_than_a_page_uses_the_general_allocator(void)
{
	uint32_t size = (uint32_t)ps();   /* with its header, never fits in a page */
	unsigned long maps;
	char *p;

	CU_ASSERT_EQUAL(mm_instantiate_new_page_family("huge_t", size), 0);
	maps = os_calls(OS_OP_MAP);
	p = xcalloc("huge_t", 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL((uintptr_t)p % 16, 0);
	CU_ASSERT_TRUE(all_zero(p, 2 * (size_t)size));
	memset(p, 1, 2 * (size_t)size);   /* all of it is writable (valgrind checks) */
	CU_ASSERT_EQUAL(family("huge_t")->page_count, 0);
	CU_ASSERT_EQUAL(family("huge_t")->fallback_objects, 2);
	CU_ASSERT_EQUAL(family("huge_t")->fallback_allocs, 1);
	/* 2 pages + 48 bytes come from the heap (below the 128 KiB mapping
	 * threshold); at most the registry was mapped on the way. */
	CU_ASSERT_TRUE(os_calls(OS_OP_MAP) <= maps + 1);
	xfree(p);
	CU_ASSERT_EQUAL(family("huge_t")->fallback_objects, 0);
	CU_ASSERT_EQUAL(family("huge_t")->fallback_allocs, 0);
}

static void test_large_request_of_a_small_family_uses_the_general_allocator(void)
{
	/* More objects than a page's one block can hold (payload page_room() - 16). */
	int units = (int)((page_room() - BLOCK_HDR) / 48) + 1;
	obj48_t *many, *one;

	CU_ASSERT_EQUAL(MM_REG_STRUCT(obj48_t), 0);
	many = XCALLOC(units, obj48_t);
	one = XCALLOC(1, obj48_t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(many);
	CU_ASSERT_TRUE(all_zero(many, (size_t)units * 48));
	CU_ASSERT_EQUAL(family("obj48_t")->fallback_objects, (size_t)units);
	CU_ASSERT_EQUAL(family("obj48_t")->page_objects, 1);
	CU_ASSERT_EQUAL(family("obj48_t")->page_count, 1);
	XFREE(many);
	XFREE(one);
	CU_ASSERT_EQUAL(family("obj48_t")->fallback_objects, 0);
	CU_ASSERT_EQUAL(family("obj48_t")->page_count, 0);
}

/* xfree(p) must leave everything as it was and print exactly `line` (which
 * names p: the format is filled in here). */
static void expect_xfree_refused(void *p, const char *what)
{
	char line[128];
	struct capture c;

	snprintf(line, sizeof(line), "osmem: xfree(): %s %p\n", what, p);
	capture_begin(&c, STDERR_FILENO);
	xfree(p);
	capture_end(&c);
	EXPECT_TEXT(c.text, line);
}

static void test_xfree_refuses_what_it_did_not_return(void)
{
	obj48_t *keep, *p, *gone, *big;
	int local;
	void *released;
	struct mm_usage before;

	CU_ASSERT_EQUAL(MM_REG_STRUCT(obj48_t), 0);
	keep = XCALLOC(1, obj48_t);
	p = XCALLOC(1, obj48_t);
	before = usage_of("obj48_t");
	expect_xfree_refused(&local, "invalid pointer");                 /* the stack */
	expect_xfree_refused((char *)p + 16, "invalid pointer");         /* inside an object */
	expect_xfree_refused((char *)p + 1, "invalid pointer");          /* misaligned */
	expect_xfree_refused(page_base(p), "invalid pointer");           /* the page header */
	CU_ASSERT_EQUAL(usage_of("obj48_t").alloc_blocks, before.alloc_blocks);   /* nothing freed */
	XFREE(p);
	expect_xfree_refused(p, "double free of");   /* its page is still held */
	/* A pointer into a page given back: not read, only looked up. */
	CU_ASSERT_EQUAL(mm_instantiate_new_page_family("lone_t", 8), 0);
	gone = xcalloc("lone_t", 1);
	released = page_base(gone);
	xfree(gone);
	CU_ASSERT_FALSE(page_mapped(released));
	expect_xfree_refused(gone, "invalid pointer");
	/* A general-allocator object freed twice is unknown the second time. */
	big = XCALLOC((int)ps(), obj48_t);
	XFREE(big);
	expect_xfree_refused(big, "invalid pointer");
	XFREE(keep);
}

static void test_xfree_null_is_silent(void)
{
	struct capture c;

	capture_begin(&c, STDERR_FILENO);
	xfree(NULL);
	XFREE(NULL);
	capture_end(&c);
	EXPECT_TEXT(c.text, "");
}

CU_TestInfo blocks_tests[] = {
	TEST(test_objects_are_aligned_and_packed),
	TEST(test_per_page_count_holds),
	TEST(test_memory_is_zeroed_when_reused),
	TEST(test_units_are_contiguous_in_one_block),
	TEST(test_free_coalesces_neighbours),
	TEST(test_page_is_unmapped_with_its_last_object),
	TEST(test_only_the_empty_page_goes),
	TEST(test_family_larger_than_a_page_uses_the_general_allocator),
	TEST(test_large_request_of_a_small_family_uses_the_general_allocator),
	TEST(test_xfree_refuses_what_it_did_not_return),
	TEST(test_xfree_null_is_silent),
	CU_TEST_INFO_NULL,
};
