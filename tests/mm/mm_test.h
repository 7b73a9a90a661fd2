/* SPDX-License-Identifier: MIT */
/*
 * mm_test.h - shared helpers of the page-family suites (tests/mm).
 *
 * Every test starts and ends with mm_forget_all(): no family registered, no
 * page held.  The layout numbers below are the documented ones (src/mm.c,
 * docs/DESIGN.md); the tests derive every expected figure from them and from
 * the page size the kernel reports, so they hold for any page size.
 */
#ifndef MM_TEST_H
#define MM_TEST_H

#include <CUnit/CUnit.h>
#include <stddef.h>
#include <stdint.h>

#include "mm.h"
#include "os.h"
#include "osmem_mm.h"

#define PAGE_HDR  ((size_t)48)   /* struct mm_page, rounded up to 16 */
#define BLOCK_HDR ((size_t)16)   /* struct mm_block */

size_t ps(void);                    /* sysconf(_SC_PAGESIZE) */
size_t r16(size_t n);               /* n rounded up to 16: a block's payload */
size_t stride(size_t size);         /* header + payload of a one-object block */
size_t per_page(size_t size);       /* one-object blocks in a page */
size_t page_room(void);             /* ps() - PAGE_HDR: what the blocks tile */

void mm_setup(void);
void mm_teardown(void);

#define TEST(fn) { #fn, fn }

/* Output of one file descriptor, redirected into a memory file meanwhile. */
struct capture {
	int fd, saved, mem;
	size_t len;
	char text[8192];
};
void capture_begin(struct capture *c, int fd);
void capture_end(struct capture *c);   /* c->text: what was written, NUL-terminated */

/* Assert equality of two texts, printing both when they differ. */
#define EXPECT_TEXT(actual, expected) expect_text_at(__FILE__, __LINE__, (actual), (expected))
void expect_text_at(const char *file, int line, const char *actual, const char *expected);

/* The page of an object, and whether that page is mapped right now. */
void *page_base(const void *p);
int page_mapped(const void *page);

/* A family's figures (one walk of its pages). */
struct mm_usage usage_of(const char *name);
struct mm_family *family(const char *name);

#endif /* MM_TEST_H */
