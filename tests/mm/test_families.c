/* SPDX-License-Identifier: MIT */
/*
 * test_families.c - registration, and every error case of osmem_mm.h: each
 * returns -1 or NULL with the documented errno and prints exactly one line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mm_test.h"

typedef struct { char bytes[44]; } rec44_t;

static const char name32[] = "abcdefghijklmnopqrstuvwxyz012345";     /* 32 bytes */
static const char name33[] = "abcdefghijklmnopqrstuvwxyz0123456";    /* 33 bytes */

static void test_register_struct(void)
{
	struct mm_family *f;

	CU_ASSERT_EQUAL(MM_REG_STRUCT(rec44_t), 0);
	f = family("rec44_t");   /* MM_REG_STRUCT names the family after the type */
	CU_ASSERT_EQUAL(f->size, 44);
	CU_ASSERT_TRUE(f->fits_in_page);
	CU_ASSERT_EQUAL(mm_instantiate_new_page_family("other", 8), 0);
	CU_ASSERT_PTR_EQUAL(mm_families(), f);          /* registration order */
	CU_ASSERT_PTR_EQUAL(mm_families()->next, family("other"));
}

static void test_name_at_the_limit_is_accepted(void)
{
	CU_ASSERT_EQUAL(sizeof(name32) - 1, MM_MAX_FAMILY_NAME);
	CU_ASSERT_EQUAL(mm_instantiate_new_page_family(name32, 1), 0);
	CU_ASSERT_STRING_EQUAL(family(name32)->name, name32);
}

static void test_struct_larger_than_a_page_falls_back(void)
{
	/* The largest one-object block a page holds has page_room() - 16 bytes
	 * of payload; one byte more (rounded to 16 more) does not fit. */
	CU_ASSERT_EQUAL(mm_instantiate_new_page_family("fits", (uint32_t)(page_room() - BLOCK_HDR)), 0);
	CU_ASSERT_EQUAL(mm_instantiate_new_page_family("too_big", (uint32_t)(page_room() - BLOCK_HDR + 1)), 0);
	CU_ASSERT_TRUE(family("fits")->fits_in_page);
	CU_ASSERT_FALSE(family("too_big")->fits_in_page);
}

/* Register (name, size) and expect -1, errno `err` and exactly `line` on stderr. */
static void expect_refused(const char *name, uint32_t size, int err, const char *line)
{
	struct capture c;
	int rc;

	errno = 0;
	capture_begin(&c, STDERR_FILENO);
	rc = mm_instantiate_new_page_family(name, size);
	capture_end(&c);
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_EQUAL(errno, err);
	EXPECT_TEXT(c.text, line);
}

static void test_duplicate_name(void)
{
	CU_ASSERT_EQUAL(MM_REG_STRUCT(rec44_t), 0);
	expect_refused("rec44_t", 12, EEXIST,
		       "osmem: mm_instantiate_new_page_family(): page family already registered: \"rec44_t\"\n");
	CU_ASSERT_EQUAL(family("rec44_t")->size, 44);   /* the first registration stands */
	CU_ASSERT_PTR_NULL(mm_families()->next);
}

static void test_name_too_long(void)
{
	/* The line shows the first 32 bytes and marks the cut. */
	expect_refused(name33, 8, ENAMETOOLONG,
		       "osmem: mm_instantiate_new_page_family(): page family name longer than 32 bytes: "
		       "\"abcdefghijklmnopqrstuvwxyz012345...\"\n");
	CU_ASSERT_PTR_NULL(mm_families());
}

static void test_size_zero(void)
{
	expect_refused("empty_t", 0, EINVAL,
		       "osmem: mm_instantiate_new_page_family(): size 0 for page family \"empty_t\"\n");
	CU_ASSERT_PTR_NULL(mm_families());
}

static void test_no_name(void)
{
	const char *line = "osmem: mm_instantiate_new_page_family(): a page family needs a name\n";

	expect_refused(NULL, 8, EINVAL, line);
	expect_refused("", 8, EINVAL, line);
	CU_ASSERT_PTR_NULL(mm_families());
}

/* xcalloc(name, units) must return NULL, errno EINVAL and print `line`. */
static void expect_xcalloc_refused(const char *name, int units, const char *line)
{
	struct capture c;
	void *p;

	errno = 0;
	capture_begin(&c, STDERR_FILENO);
	p = xcalloc(name, units);
	capture_end(&c);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_EQUAL(errno, EINVAL);
	EXPECT_TEXT(c.text, line);
}

static void test_xcalloc_unknown_family(void)
{
	CU_ASSERT_EQUAL(MM_REG_STRUCT(rec44_t), 0);
	expect_xcalloc_refused("nope_t", 1, "osmem: xcalloc(): unknown page family \"nope_t\"\n");
	expect_xcalloc_refused(NULL, 1, "osmem: xcalloc(): unknown page family\n");
	CU_ASSERT_EQUAL(family("rec44_t")->page_count, 0);
}

static void test_xcalloc_without_units(void)
{
	const char *line = "osmem: xcalloc(): fewer than 1 unit of page family \"rec44_t\"\n";

	CU_ASSERT_EQUAL(MM_REG_STRUCT(rec44_t), 0);
	expect_xcalloc_refused("rec44_t", 0, line);
	expect_xcalloc_refused("rec44_t", -5, line);
	CU_ASSERT_EQUAL(family("rec44_t")->page_count, 0);
}

static void test_memory_usage_of_unknown_family(void)
{
	struct capture out, err;

	errno = 0;
	capture_begin(&out, STDOUT_FILENO);
	capture_begin(&err, STDERR_FILENO);
	mm_print_memory_usage("nope_t");
	capture_end(&err);
	capture_end(&out);
	CU_ASSERT_EQUAL(errno, EINVAL);
	EXPECT_TEXT(err.text, "osmem: mm_print_memory_usage(): unknown page family \"nope_t\"\n");
	EXPECT_TEXT(out.text, "");
}

static void test_mm_init_is_optional_and_idempotent(void)
{
	rec44_t *r;

	mm_init();
	mm_init();
	CU_ASSERT_EQUAL(MM_REG_STRUCT(rec44_t), 0);
	r = XCALLOC(1, rec44_t);
	CU_ASSERT_PTR_NOT_NULL(r);
	XFREE(r);
}

CU_TestInfo families_tests[] = {
	TEST(test_register_struct),
	TEST(test_name_at_the_limit_is_accepted),
	TEST(test_struct_larger_than_a_page_falls_back),
	TEST(test_duplicate_name),
	TEST(test_name_too_long),
	TEST(test_size_zero),
	TEST(test_no_name),
	TEST(test_xcalloc_unknown_family),
	TEST(test_xcalloc_without_units),
	TEST(test_memory_usage_of_unknown_family),
	TEST(test_mm_init_is_optional_and_idempotent),
	CU_TEST_INFO_NULL,
};
