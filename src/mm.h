/* SPDX-License-Identifier: MIT */
/*
 * mm.h - page families inside the library: what mm.c (allocation) shares
 * with mm_report.c (the reports) and with the tests.  See mm.c for the design.
 * Everything here expects the allocator lock.
 */
#ifndef OSMEM_MM_INTERNAL_H
#define OSMEM_MM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "osmem_mm.h"

#define MM_ALIGN     ((size_t)16)   /* every object, every block header */
#define MM_BLOCK_HDR ((size_t)16)   /* sizeof(struct mm_block) */

/* A doubly linked list node: a page's link to its family's other pages,
 * and a free block's link (in its payload) to its family's free blocks. */
struct mm_link {
	struct mm_link *prev, *next;
};

struct mm_family {
	char name[MM_MAX_FAMILY_NAME + 1];
	uint32_t size;                 /* bytes per object */
	bool fits_in_page;             /* false: the general allocator serves it all */
	struct mm_family *next;        /* registration order */
	struct mm_link *pages;         /* the pages it holds */
	struct mm_link *free_blocks;   /* the free blocks in them, any order */
	size_t page_count;
	size_t page_objects;           /* objects in use in its pages */
	size_t fallback_objects;       /* objects in use from the general allocator */
	size_t fallback_allocs;        /* live allocations from the general allocator */
};

/* Figures from one walk over a family's pages (payload bytes). */
struct mm_usage {
	size_t alloc_blocks, alloc_bytes;
	size_t free_blocks, free_bytes, largest_free;
};

/* Registered families, in registration order (NULL if none). */
struct mm_family *mm_families(void);

struct mm_family *mm_family_find(const char *name);

/* The page geometry: bytes a page offers to its blocks (headers included)
 * and the objects per page when each block holds one. */
size_t mm_page_room(void);
size_t mm_objects_per_page(const struct mm_family *f);

void mm_family_usage(const struct mm_family *f, struct mm_usage *u);

/* One error line on stderr: "osmem: FUNC: WHAT \"NAME\"" (NAME cut at the
 * name limit, "..." marking the cut) or "osmem: FUNC: WHAT" when name is NULL;
 * mm_complain_ptr: "osmem: FUNC: WHAT 0x...".  (mm_report.c) */
void mm_complain(const char *func, const char *what, const char *name);
void mm_complain_ptr(const char *func, const char *what, const void *ptr);

/* For tests: unmap every page and the registry, forget every family (the
 * general allocator's objects are the tests' to free first). */
void mm_forget_all(void);

#endif /* OSMEM_MM_INTERNAL_H */
