/* SPDX-License-Identifier: MIT */
/* helpers.c - see mm_test.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lock.h"
#include "mm_test.h"

size_t ps(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

size_t r16(size_t n)
{
	return (n + 15) / 16 * 16;
}

size_t stride(size_t size)
{
	return BLOCK_HDR + r16(size);
}

size_t page_room(void)
{
	return ps() - PAGE_HDR;
}

size_t per_page(size_t size)
{
	/* The blocks tile [PAGE_HDR, page end); the last one keeps the
	 * remainder, which is smaller than a stride (or it would be split). */
	return page_room() / stride(size);
}

void mm_setup(void)
{
	mm_forget_all();
}

void mm_teardown(void)
{
	mm_forget_all();
}

void capture_begin(struct capture *c, int fd)
{
	fflush(NULL);   /* the suite's own stdio output goes first */
	c->fd = fd;
	c->len = 0;
	c->text[0] = '\0';
	c->mem = memfd_create("mm-capture", 0);
	c->saved = dup(fd);
	CU_ASSERT_FATAL(c->mem >= 0 && c->saved >= 0);
	dup2(c->mem, fd);
}

void capture_end(struct capture *c)
{
	ssize_t got;

	dup2(c->saved, c->fd);
	close(c->saved);
	got = pread(c->mem, c->text, sizeof(c->text) - 1, 0);
	c->len = got > 0 ? (size_t)got : 0;
	c->text[c->len] = '\0';
	close(c->mem);
}

void expect_text_at(const char *file, int line, const char *actual, const char *expected)
{
	int same = strcmp(actual, expected) == 0;

	if (!same)
		fprintf(stderr, "\n%s:%d: got:\n%s\n--- expected:\n%s\n---\n", file, line, actual, expected);
	CU_assertImplementation(same, (unsigned)line, "text as expected", file, "", CU_FALSE);
}

void *page_base(const void *p)
{
	return (void *)((uintptr_t)p & ~(uintptr_t)(ps() - 1));
}

int page_mapped(const void *page)
{
	unsigned char resident;

	/* mincore fails with ENOMEM on an address range that is not mapped
	 * (and, unlike msync, valgrind lets it ask). */
	if (mincore((void *)page, ps(), &resident) == 0)
		return 1;
	CU_ASSERT_EQUAL(errno, ENOMEM);
	return 0;
}

struct mm_family *family(const char *name)
{
	struct mm_family *f;

	lock_acquire();
	f = mm_family_find(name);
	lock_release();
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	return f;
}

struct mm_usage usage_of(const char *name)
{
	struct mm_family *f = family(name);
	struct mm_usage u;

	lock_acquire();
	mm_family_usage(f, &u);
	lock_release();
	return u;
}
