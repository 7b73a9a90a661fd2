/* SPDX-License-Identifier: MIT */
/*
 * mm_report.c - what page families print: the three reports (stdout) and
 * their error lines (stderr).
 *
 * No stdio inside the allocator: every line is assembled with the heap-free
 * formatter (fmt.h) in a stack buffer and written with one write(2).  The
 * reports hold the allocator lock while they walk the families, so that the
 * figures of one report belong to one moment.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "lock.h"
#include "mm.h"
#include "os.h"

#define NAME_COLUMN 32   /* = MM_MAX_FAMILY_NAME: every name fits */

/* ---- formatting ---- */

static void pad_to(struct fmt_buf *f, size_t column)
{
	while (f->len < column && f->len < f->cap)
		fmt_str(f, " ");
}

/* v right-aligned in `width` columns. */
static void dec_right(struct fmt_buf *f, unsigned long long v, size_t width)
{
	char digits[24];
	struct fmt_buf d = FMT_BUF_INIT(digits);

	fmt_dec(&d, v);
	digits[d.len] = '\0';   /* at most 20 digits */
	pad_to(f, f->len + (d.len < width ? width - d.len : 0));
	fmt_str(f, digits);
}

/* "1 page", "2 pages". */
static void count(struct fmt_buf *f, unsigned long long n, const char *noun)
{
	fmt_dec(f, n);
	fmt_str(f, " ");
	fmt_str(f, noun);
	if (n != 1)
		fmt_str(f, "s");
}

/* "(N bytes)" */
static void bytes_in_parens(struct fmt_buf *f, unsigned long long n)
{
	fmt_str(f, " (");
	fmt_dec(f, n);
	fmt_str(f, " bytes)");
}

static void end_line(int fd, struct fmt_buf *f)
{
	fmt_str(f, "\n");
	fmt_write(fd, f);
}

/* ---- errors ---- */

static void complain_start(struct fmt_buf *f, const char *func, const char *what)
{
	fmt_str(f, "osmem: ");
	fmt_str(f, func);
	fmt_str(f, ": ");
	fmt_str(f, what);
}

void mm_complain(const char *func, const char *what, const char *name)
{
	char line[192], cut[MM_MAX_FAMILY_NAME + 1];
	struct fmt_buf f = FMT_BUF_INIT(line);

	complain_start(&f, func, what);
	if (name) {
		size_t n = strnlen(name, MM_MAX_FAMILY_NAME + 1);

		memcpy(cut, name, n > MM_MAX_FAMILY_NAME ? MM_MAX_FAMILY_NAME : n);
		cut[n > MM_MAX_FAMILY_NAME ? MM_MAX_FAMILY_NAME : n] = '\0';
		fmt_str(&f, " \"");
		fmt_str(&f, cut);
		fmt_str(&f, n > MM_MAX_FAMILY_NAME ? "...\"" : "\"");
	}
	end_line(STDERR_FILENO, &f);
}

void mm_complain_ptr(const char *func, const char *what, const void *ptr)
{
	char line[160];
	struct fmt_buf f = FMT_BUF_INIT(line);

	complain_start(&f, func, what);
	fmt_str(&f, " ");
	fmt_hex(&f, (uintptr_t)ptr);
	end_line(STDERR_FILENO, &f);
}

/* ---- the reports ---- */

static void page_size_heading(struct fmt_buf *f, const char *title)
{
	fmt_str(f, title);
	fmt_str(f, " (page size ");
	fmt_dec(f, os_page_size());
	fmt_str(f, " bytes");
}

void mm_print_registered_page_families(void)
{
	char line[192];
	struct fmt_buf f = FMT_BUF_INIT(line);
	size_t n = 0;

	lock_acquire();
	for (struct mm_family *fam = mm_families(); fam; fam = fam->next)
		n++;
	page_size_heading(&f, "page families");
	fmt_str(&f, ", ");
	fmt_dec(&f, n);
	fmt_str(&f, " registered):");
	end_line(STDOUT_FILENO, &f);
	for (struct mm_family *fam = mm_families(); fam; fam = fam->next) {
		f.len = 0;
		fmt_str(&f, "  ");
		fmt_str(&f, fam->name);
		pad_to(&f, 2 + NAME_COLUMN);
		dec_right(&f, fam->size, 9);
		fmt_str(&f, " bytes  ");
		if (fam->fits_in_page) {
			dec_right(&f, mm_objects_per_page(fam), 5);
			fmt_str(&f, " per page");
		} else {
			fmt_str(&f, "general allocator (does not fit in a page)");
		}
		end_line(STDOUT_FILENO, &f);
	}
	lock_release();
}

/* "; general allocator: N objects in A allocations" when it serves any. */
static void fallback_share(struct fmt_buf *f, const struct mm_family *fam)
{
	if (fam->fits_in_page && fam->fallback_allocs == 0)
		return;
	fmt_str(f, "; general allocator: ");
	count(f, fam->fallback_objects, "object");
	fmt_str(f, " in ");
	count(f, fam->fallback_allocs, "allocation");
	if (!fam->fits_in_page)
		fmt_str(f, " (does not fit in a page)");
}

static void print_family_usage(const struct mm_family *fam)
{
	char line[320];
	struct fmt_buf f = FMT_BUF_INIT(line);
	size_t objects = fam->page_objects + fam->fallback_objects;
	struct mm_usage u;

	mm_family_usage(fam, &u);
	fmt_str(&f, "  ");
	fmt_str(&f, fam->name);
	fmt_str(&f, ": ");
	count(&f, objects, "object");
	fmt_str(&f, " in use");
	bytes_in_parens(&f, (unsigned long long)objects * fam->size);
	if (fam->fits_in_page) {
		fmt_str(&f, "; ");
		count(&f, fam->page_count, "page");
		bytes_in_parens(&f, fam->page_count * os_page_size());
		fmt_str(&f, ", ");
		fmt_dec(&f, u.free_bytes);
		fmt_str(&f, " bytes free in them, fragmentation ");
		/* The share of the free bytes that a request as large as
		 * possible could not use: those outside the largest block. */
		fmt_dec(&f, u.free_bytes ? (u.free_bytes - u.largest_free) * 100 / u.free_bytes : 0);
		fmt_str(&f, "%");
	}
	fallback_share(&f, fam);
	end_line(STDOUT_FILENO, &f);
}

static void print_usage_totals(void)
{
	char line[192];
	struct fmt_buf f = FMT_BUF_INIT(line);
	unsigned long long objects = 0, bytes = 0, pages = 0;

	for (struct mm_family *fam = mm_families(); fam; fam = fam->next) {
		objects += fam->page_objects + fam->fallback_objects;
		bytes += (unsigned long long)(fam->page_objects + fam->fallback_objects) * fam->size;
		pages += fam->page_count;
	}
	fmt_str(&f, "total: ");
	count(&f, objects, "object");
	fmt_str(&f, " in use");
	bytes_in_parens(&f, bytes);
	fmt_str(&f, "; ");
	count(&f, pages, "page");
	fmt_str(&f, " held");
	bytes_in_parens(&f, pages * os_page_size());
	end_line(STDOUT_FILENO, &f);
}

void mm_print_memory_usage(const char *name)
{
	char line[128];
	struct fmt_buf f = FMT_BUF_INIT(line);
	struct mm_family *only = NULL;

	lock_acquire();
	if (name && !(only = mm_family_find(name))) {
		lock_release();
		mm_complain("mm_print_memory_usage()", "unknown page family", name);
		errno = EINVAL;
		return;
	}
	if (only) {
		print_family_usage(only);
	} else {
		page_size_heading(&f, "memory usage of page families");
		fmt_str(&f, "):");
		end_line(STDOUT_FILENO, &f);
		for (struct mm_family *fam = mm_families(); fam; fam = fam->next)
			print_family_usage(fam);
		print_usage_totals();
	}
	lock_release();
}

static void print_family_blocks(const struct mm_family *fam)
{
	char line[256];
	struct fmt_buf f = FMT_BUF_INIT(line);
	struct mm_usage u;

	mm_family_usage(fam, &u);
	fmt_str(&f, "  ");
	fmt_str(&f, fam->name);
	fmt_str(&f, ": ");
	if (fam->fits_in_page) {
		count(&f, u.alloc_blocks, "allocated block");
		bytes_in_parens(&f, u.alloc_bytes);
		fmt_str(&f, ", ");
		count(&f, u.free_blocks, "free block");
		bytes_in_parens(&f, u.free_bytes);
	} else {
		fmt_str(&f, "no blocks");
	}
	fallback_share(&f, fam);
	end_line(STDOUT_FILENO, &f);
}

void mm_print_block_usage(void)
{
	char line[128];
	struct fmt_buf f = FMT_BUF_INIT(line);

	lock_acquire();
	fmt_str(&f, "block usage of page families (payload bytes; each block also has a ");
	fmt_dec(&f, MM_BLOCK_HDR);
	fmt_str(&f, "-byte header):");
	end_line(STDOUT_FILENO, &f);
	for (struct mm_family *fam = mm_families(); fam; fam = fam->next)
		print_family_blocks(fam);
	lock_release();
}
