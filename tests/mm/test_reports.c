/* SPDX-License-Identifier: MIT */
/*
 * test_reports.c - the exact text of the three reports for a known sequence.
 *
 * Every figure is derived below from the documented layout (48-byte page
 * header, 16-byte block headers, payloads rounded up to 16) and the page
 * size; the comments give the values for 4096-byte pages.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mm_test.h"

typedef struct { char bytes[24]; } point_t;   /* payload 32, stride 48 */
typedef struct { char bytes[100]; } line_t;   /* payload 112, stride 128 */

static void appendf(char *buf, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

/* The known sequence: page-size independent in shape. */
struct scene {
	size_t n;           /* point_t per page: (4096 - 48) / 48 = 84 */
	size_t points;      /* n + 16: a full page and 16 on a second one */
	size_t big_units;   /* line_t units too many for a page: 4048 / 100 + 1 = 41 */
	point_t *p[2048];
	line_t *three, *big;
	void *huge;
};

static struct scene scene;
static struct capture out;

/* What `report` prints on stdout. */
static const char *stdout_of(void (*report)(void))
{
	capture_begin(&out, STDOUT_FILENO);
	report();
	capture_end(&out);
	return out.text;
}

static void all_usage(void)
{
	mm_print_memory_usage(NULL);
}

static void line_usage(void)
{
	mm_print_memory_usage("line_t");
}

static void usage_and_blocks(void)
{
	mm_print_memory_usage(NULL);
	mm_print_block_usage();
}

static void every_report(void)
{
	mm_print_registered_page_families();
	usage_and_blocks();
}

static void build(struct scene *s)
{
	CU_ASSERT_EQUAL_FATAL(MM_REG_STRUCT(point_t), 0);
	CU_ASSERT_EQUAL_FATAL(MM_REG_STRUCT(line_t), 0);
	CU_ASSERT_EQUAL_FATAL(mm_instantiate_new_page_family("huge_t", (uint32_t)ps()), 0);
	s->n = per_page(sizeof(point_t));
	s->points = s->n + 16;
	CU_ASSERT_FATAL(s->points <= 2048);
	for (size_t i = 0; i < s->points; i++)
		s->p[i] = XCALLOC(1, point_t);
	XFREE(s->p[1]);   /* three free blocks on the first page, */
	XFREE(s->p[3]);   /* each between two allocated ones */
	XFREE(s->p[5]);
	s->three = XCALLOC(3, line_t);
	s->big_units = page_room() / sizeof(line_t) + 1;
	s->big = XCALLOC((int)s->big_units, line_t);
	s->huge = xcalloc("huge_t", 1);
}

static void tear_down(struct scene *s)
{
	for (size_t i = 0; i < s->points; i++)
		if (i != 1 && i != 3 && i != 5)
			XFREE(s->p[i]);
	XFREE(s->three);
	XFREE(s->big);
	xfree(s->huge);
}

/* ---- the figures ---- */

/* point_t free bytes: p[1], p[3], p[5] (32 each) and the second page's tail,
 * which follows 16 blocks: 4048 - 16 * 48 - 16 = 3264.  Total 3360. */
static size_t point_tail(void)
{
	return page_room() - 16 * stride(sizeof(point_t)) - BLOCK_HDR;
}

static size_t point_free(void)
{
	return 3 * r16(sizeof(point_t)) + point_tail();
}

/* line_t: one block of 3 * 100 = 300 -> 304 bytes, the rest of the page is
 * free: 4048 - 16 - 304 - 16 = 3712. */
static size_t line_block(void)
{
	return r16(3 * sizeof(line_t));
}

static size_t line_free(void)
{
	return page_room() - BLOCK_HDR - line_block() - BLOCK_HDR;
}

static void test_registered_families_report(void)
{
	char want[1024] = "";

	build(&scene);
	/* Per page: (4096 - 48) / 48 = 84 point_t, (4096 - 48) / 128 = 31 line_t. */
	appendf(want, sizeof(want), "page families (page size %zu bytes, 3 registered):\n", ps());
	appendf(want, sizeof(want), "  %-32s%9zu bytes  %5zu per page\n", "point_t", sizeof(point_t),
		page_room() / 48);
	appendf(want, sizeof(want), "  %-32s%9zu bytes  %5zu per page\n", "line_t", sizeof(line_t),
		page_room() / 128);
	appendf(want, sizeof(want), "  %-32s%9zu bytes  general allocator (does not fit in a page)\n",
		"huge_t", ps());
	EXPECT_TEXT(stdout_of(mm_print_registered_page_families), want);
	tear_down(&scene);
}

static void test_memory_usage_report(void)
{
	char want[2048] = "", line_only[512] = "";
	size_t point_objects, line_objects;

	build(&scene);
	point_objects = scene.points - 3;             /* 97 */
	line_objects = 3 + scene.big_units;           /* 44 */
	appendf(want, sizeof(want), "memory usage of page families (page size %zu bytes):\n", ps());
	/* Fragmentation: the free bytes outside the largest free block (the
	 * tail), in percent, rounded down: 96 * 100 / 3360 = 2. */
	appendf(want, sizeof(want),
		"  point_t: %zu objects in use (%zu bytes); 2 pages (%zu bytes), %zu bytes free in them, "
		"fragmentation %zu%%\n",
		point_objects, point_objects * 24, 2 * ps(), point_free(),
		(point_free() - point_tail()) * 100 / point_free());
	appendf(line_only, sizeof(line_only),
		"  line_t: %zu objects in use (%zu bytes); 1 page (%zu bytes), %zu bytes free in them, "
		"fragmentation 0%%; general allocator: %zu objects in 1 allocation\n",
		line_objects, line_objects * 100, ps(), line_free(), scene.big_units);
	appendf(want, sizeof(want), "%s", line_only);
	appendf(want, sizeof(want), "  huge_t: 1 object in use (%zu bytes); general allocator: 1 object in "
		"1 allocation (does not fit in a page)\n", ps());
	appendf(want, sizeof(want), "total: %zu objects in use (%zu bytes); 3 pages held (%zu bytes)\n",
		point_objects + line_objects + 1, point_objects * 24 + line_objects * 100 + ps(), 3 * ps());
	EXPECT_TEXT(stdout_of(all_usage), want);
	EXPECT_TEXT(stdout_of(line_usage), line_only);
	tear_down(&scene);
}

static void test_block_usage_report(void)
{
	char want[1024] = "";
	/* The first page's last block keeps the page's remainder after n
	 * strides: 4048 - 84 * 48 = 16 bytes more than its 32. */
	size_t remainder, point_blocks;

	build(&scene);
	remainder = page_room() - scene.n * stride(sizeof(point_t));
	point_blocks = scene.points - 3;   /* one object per block: 97 */
	appendf(want, sizeof(want),
		"block usage of page families (payload bytes; each block also has a 16-byte header):\n");
	appendf(want, sizeof(want),
		"  point_t: %zu allocated blocks (%zu bytes), 4 free blocks (%zu bytes)\n",
		point_blocks, point_blocks * 32 + remainder, point_free());          /* 3120, 3360 */
	appendf(want, sizeof(want),
		"  line_t: 1 allocated block (%zu bytes), 1 free block (%zu bytes); "
		"general allocator: %zu objects in 1 allocation\n",
		line_block(), line_free(), scene.big_units);                         /* 304, 3712 */
	appendf(want, sizeof(want), "  huge_t: no blocks; general allocator: 1 object in 1 allocation "
		"(does not fit in a page)\n");
	EXPECT_TEXT(stdout_of(mm_print_block_usage), want);
	tear_down(&scene);
}

static void test_reports_after_everything_is_freed(void)
{
	char want[1024] = "";

	build(&scene);
	tear_down(&scene);
	appendf(want, sizeof(want), "memory usage of page families (page size %zu bytes):\n", ps());
	appendf(want, sizeof(want),
		"  point_t: 0 objects in use (0 bytes); 0 pages (0 bytes), 0 bytes free in them, fragmentation 0%%\n"
		"  line_t: 0 objects in use (0 bytes); 0 pages (0 bytes), 0 bytes free in them, fragmentation 0%%\n"
		"  huge_t: 0 objects in use (0 bytes); general allocator: 0 objects in 0 allocations "
		"(does not fit in a page)\n"
		"total: 0 objects in use (0 bytes); 0 pages held (0 bytes)\n"
		"block usage of page families (payload bytes; each block also has a 16-byte header):\n"
		"  point_t: 0 allocated blocks (0 bytes), 0 free blocks (0 bytes)\n"
		"  line_t: 0 allocated blocks (0 bytes), 0 free blocks (0 bytes)\n"
		"  huge_t: no blocks; general allocator: 0 objects in 0 allocations (does not fit in a page)\n");
	EXPECT_TEXT(stdout_of(usage_and_blocks), want);
}

static void test_reports_with_no_family(void)
{
	char want[512] = "";

	appendf(want, sizeof(want), "page families (page size %zu bytes, 0 registered):\n", ps());
	appendf(want, sizeof(want), "memory usage of page families (page size %zu bytes):\n", ps());
	appendf(want, sizeof(want), "total: 0 objects in use (0 bytes); 0 pages held (0 bytes)\n"
		"block usage of page families (payload bytes; each block also has a 16-byte header):\n");
	EXPECT_TEXT(stdout_of(every_report), want);
}

CU_TestInfo reports_tests[] = {
	TEST(test_registered_families_report),
	TEST(test_memory_usage_report),
	TEST(test_block_usage_report),
	TEST(test_reports_after_everything_is_freed),
	TEST(test_reports_with_no_family),
	CU_TEST_INFO_NULL,
};
