/* SPDX-License-Identifier: MIT */
/*
 * mm.c - typed allocation with page families (include/osmem_mm.h).
 *
 * Families.  A registered family is a record (name, object size, counters,
 * its pages, its free blocks) in a record page mapped through the OS layer;
 * records are carved one after the other and never freed.  Names are looked
 * up by walking the records: families are few.
 *
 * Pages.  A family holds whole pages, each one os_map(page size):
 *
 *     offset  0  struct mm_page   list link, magic, family, allocated blocks
 *     offset 48  struct mm_block  size, previous block's offset, units, tag
 *     offset 64  payload ...      (16-byte aligned)
 *     ...        more blocks: they tile the page up to its end
 *
 * A block's size leads to the next block and prev_off back to the previous
 * one, so freeing merges with free neighbours in O(1).  A free block keeps its
 * link in the family's free list in its payload.  A block is split only when
 * the rest can hold another object, so every free block holds at least one
 * object and a one-object request takes the free list's head in O(1); larger
 * requests take the first free block that fits.  When a page's last allocated
 * block is freed, the page is one free block again and goes back to the
 * system at once.
 *
 * Ownership.  xfree may be handed anything, so it reads nothing before the
 * registry (mm_registry.c) has said the memory is ours: the base of every
 * page a family holds is registered, so "p's page base is registered" finds
 * the page and its family in O(1).  Then the header 16 bytes before p must
 * carry the tag of an allocated block at that offset (a hash of state and
 * offset): interior pointers and freed blocks fail it.
 *
 * Fallback.  A request whose blocks do not fit in a page (and so every request
 * of a family whose struct does not) comes from the general allocator, with a
 * 16-byte struct mm_fallback (family, units) in front of the objects.  Its
 * address is registered with the low bit set: page bases and objects are
 * 16-byte aligned, so the two kinds of key never meet.
 *
 * Locking.  The allocator lock (lock.h), which is held across fork, guards
 * every record, page and the registry; os_map/os_unmap are called under it,
 * as the OS layer expects.  alloc_* take that lock themselves, so the
 * fallback calls them with the lock released.
 */
#include "mm.h"

#include <errno.h>
#include <string.h>

#include "alloc.h"
#include "lock.h"
#include "mm_registry.h"
#include "os.h"

#define PAGE_MAGIC 0x6d6d2d6d656d736fULL   /* "osmem-mm" */

struct mm_page {
	struct mm_link link;   /* first: a page is its link */
	uint64_t magic;
	struct mm_family *family;
	size_t live_blocks;    /* allocated blocks: the page goes when it reaches 0 */
};

struct mm_block {
	uint32_t size;       /* payload bytes, a multiple of MM_ALIGN */
	uint32_t prev_off;   /* the previous block's offset in the page; 0: none */
	uint32_t units;      /* objects in an allocated block, 0 in a free one */
	uint32_t tag;        /* block_tag(state, own offset) */
};

struct mm_fallback {
	struct mm_family *family;
	size_t units;
};

#define PAGE_HDR ((sizeof(struct mm_page) + MM_ALIGN - 1) & ~(MM_ALIGN - 1))
#define FALLBACK_KEY_BIT ((uintptr_t)1)

_Static_assert(sizeof(struct mm_block) == MM_BLOCK_HDR, "the block header is 16 bytes");
_Static_assert(sizeof(struct mm_fallback) == MM_ALIGN, "fallback objects stay aligned");
_Static_assert(sizeof(struct mm_link) <= MM_ALIGN, "the smallest payload holds a link");

enum block_state { BLOCK_FREE = 0x5a17f4e3u, BLOCK_ALLOC = 0xa11c0c8du };

/* ---- geometry ---- */

static size_t round_to_align(size_t n)
{
	return (n + MM_ALIGN - 1) & ~(MM_ALIGN - 1);
}

size_t mm_page_room(void)
{
	return os_page_size() - PAGE_HDR;
}

/* A request of `bytes` gets one block in a page when header and payload fit. */
static bool fits_in_page(size_t bytes)
{
	return bytes <= mm_page_room() - MM_BLOCK_HDR;
}

size_t mm_objects_per_page(const struct mm_family *f)
{
	if (!f->fits_in_page)
		return 0;
	return mm_page_room() / (MM_BLOCK_HDR + round_to_align(f->size));
}

static struct mm_page *page_of(const void *p)
{
	return (struct mm_page *)((uintptr_t)p & ~(uintptr_t)(os_page_size() - 1));
}

static size_t offset_in_page(const void *p)
{
	return (uintptr_t)p & (os_page_size() - 1);
}

/* ---- blocks ---- */

static uint32_t block_tag(enum block_state state, size_t offset)
{
	return (uint32_t)state ^ (uint32_t)(offset * 0x9e3779b1u);
}

static void block_set_state(struct mm_block *b, enum block_state state)
{
	b->tag = block_tag(state, offset_in_page(b));
}

static bool block_in_state(const struct mm_block *b, enum block_state state)
{
	return b->tag == block_tag(state, offset_in_page(b));
}

static void *block_payload(struct mm_block *b)
{
	return b + 1;
}

static struct mm_block *first_block(struct mm_page *pg)
{
	return (struct mm_block *)((char *)pg + PAGE_HDR);
}

/* The next block in the page, NULL after the last. */
static struct mm_block *block_after(struct mm_block *b)
{
	char *next = (char *)block_payload(b) + b->size;

	return offset_in_page(next) ? (struct mm_block *)next : NULL;
}

static struct mm_block *block_before(struct mm_block *b)
{
	return b->prev_off ? (struct mm_block *)((char *)page_of(b) + b->prev_off) : NULL;
}

/* Write a block's header; the block after it learns where it starts. */
static void block_format(struct mm_block *b, size_t size, uint32_t prev_off)
{
	struct mm_block *next;

	b->size = (uint32_t)size;
	b->prev_off = prev_off;
	b->units = 0;
	block_set_state(b, BLOCK_FREE);
	next = block_after(b);
	if (next)
		next->prev_off = (uint32_t)offset_in_page(b);
}

/* ---- lists ---- */

static void link_push(struct mm_link **head, struct mm_link *n)
{
	n->prev = NULL;
	n->next = *head;
	if (*head)
		(*head)->prev = n;
	*head = n;
}

static void link_remove(struct mm_link **head, struct mm_link *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else
		*head = n->next;
	if (n->next)
		n->next->prev = n->prev;
}

static struct mm_link *free_link(struct mm_block *b)
{
	return block_payload(b);
}

static struct mm_block *link_block(struct mm_link *l)
{
	return (struct mm_block *)l - 1;
}

/* ---- family records ---- */

struct record_page {
	struct record_page *next;
	size_t used;   /* records carved from it */
};

#define RECORDS_START round_to_align(sizeof(struct record_page))

static struct record_page *record_pages;
static struct mm_family *families_head, *families_tail;

static struct mm_family *family_record_new(void)
{
	struct record_page *rp = record_pages;

	if (!rp || RECORDS_START + (rp->used + 1) * sizeof(struct mm_family) > os_page_size()) {
		rp = os_map(os_page_size());   /* zero-filled */
		if (!rp)
			return NULL;
		rp->next = record_pages;
		record_pages = rp;
	}
	return (struct mm_family *)((char *)rp + RECORDS_START) + rp->used++;
}

struct mm_family *mm_families(void)
{
	return families_head;
}

struct mm_family *mm_family_find(const char *name)
{
	for (struct mm_family *f = families_head; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

void mm_init(void)
{
	/* Everything is set up on first use; the page size is cached here only
	 * so that a caller may pay for it early. */
	lock_acquire();
	(void)os_page_size();
	lock_release();
}

/* errno value for a name or size that cannot be registered (0 if fine),
 * after reporting it. */
static int registration_error(const char *name, uint32_t size)
{
	static const char func[] = "mm_instantiate_new_page_family()";

	if (!name || !name[0]) {
		mm_complain(func, "a page family needs a name", NULL);
		return EINVAL;
	}
	if (strnlen(name, MM_MAX_FAMILY_NAME + 1) > MM_MAX_FAMILY_NAME) {
		mm_complain(func, "page family name longer than 32 bytes:", name);
		return ENAMETOOLONG;
	}
	if (size == 0) {
		mm_complain(func, "size 0 for page family", name);
		return EINVAL;
	}
	if (mm_family_find(name)) {
		mm_complain(func, "page family already registered:", name);
		return EEXIST;
	}
	return 0;
}

int mm_instantiate_new_page_family(const char *name, uint32_t size)
{
	struct mm_family *f = NULL;
	int err;

	lock_acquire();
	err = registration_error(name, size);
	if (!err && !(f = family_record_new()))
		err = ENOMEM;
	if (f) {
		memcpy(f->name, name, strlen(name) + 1);
		f->size = size;
		f->fits_in_page = fits_in_page(round_to_align(size));
		if (families_tail)
			families_tail->next = f;
		else
			families_head = f;
		families_tail = f;
	}
	lock_release();
	if (err == ENOMEM)
		mm_complain("mm_instantiate_new_page_family()", "out of memory for page family", name);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* ---- pages ---- */

/* A fresh page for f; its one free block is on f's free list. */
static struct mm_block *page_new(struct mm_family *f)
{
	struct mm_page *pg = os_map(os_page_size());

	if (!pg)
		return NULL;
	if (!mmreg_add((uintptr_t)pg)) {
		os_unmap(pg, os_page_size());
		errno = ENOMEM;
		return NULL;
	}
	pg->magic = PAGE_MAGIC;
	pg->family = f;
	link_push(&f->pages, &pg->link);
	f->page_count++;
	block_format(first_block(pg), mm_page_room() - MM_BLOCK_HDR, 0);
	link_push(&f->free_blocks, free_link(first_block(pg)));
	return first_block(pg);
}

/* The page's blocks have all been freed and merged into one, off the list. */
static void page_release(struct mm_family *f, struct mm_page *pg)
{
	link_remove(&f->pages, &pg->link);
	f->page_count--;
	pg->magic = 0;
	mmreg_remove((uintptr_t)pg);
	os_unmap(pg, os_page_size());
}

static struct mm_block *free_block_for(struct mm_family *f, size_t need)
{
	for (struct mm_link *l = f->free_blocks; l; l = l->next)
		if (link_block(l)->size >= need)
			return link_block(l);
	return NULL;
}

/* Cut b down to `need` when the rest can hold another object of f. */
static void split_off_rest(struct mm_family *f, struct mm_block *b, size_t need)
{
	size_t rest_room = b->size - need;
	struct mm_block *rest;

	if (rest_room < MM_BLOCK_HDR + round_to_align(f->size))
		return;
	rest = (struct mm_block *)((char *)block_payload(b) + need);
	b->size = (uint32_t)need;
	block_format(rest, rest_room - MM_BLOCK_HDR, (uint32_t)offset_in_page(b));
	link_push(&f->free_blocks, free_link(rest));
}

static void *page_alloc(struct mm_family *f, uint32_t units, size_t need)
{
	struct mm_block *b = free_block_for(f, need);

	if (!b && !(b = page_new(f)))
		return NULL;
	link_remove(&f->free_blocks, free_link(b));
	split_off_rest(f, b, need);
	b->units = units;
	block_set_state(b, BLOCK_ALLOC);
	page_of(b)->live_blocks++;
	f->page_objects += units;
	memset(block_payload(b), 0, b->size);
	return block_payload(b);
}

/* Free b swallows the free block after it (which leaves the free list). */
static void absorb_next(struct mm_family *f, struct mm_block *b)
{
	struct mm_block *next = block_after(b);

	link_remove(&f->free_blocks, free_link(next));
	block_format(b, b->size + MM_BLOCK_HDR + next->size, b->prev_off);
}

/* Free b and merge it with its free neighbours; the page goes back to the
 * system when b was its last allocated block. */
static void page_free(struct mm_page *pg, struct mm_block *b)
{
	struct mm_family *f = pg->family;
	struct mm_block *next = block_after(b), *prev = block_before(b);

	f->page_objects -= b->units;
	block_format(b, b->size, b->prev_off);
	link_push(&f->free_blocks, free_link(b));
	if (next && block_in_state(next, BLOCK_FREE))
		absorb_next(f, b);
	if (prev && block_in_state(prev, BLOCK_FREE)) {
		absorb_next(f, prev);
		b = prev;
	}
	if (--pg->live_blocks == 0) {
		link_remove(&f->free_blocks, free_link(b));
		page_release(f, pg);
	}
}

enum pointer_verdict { POINTER_LIVE, POINTER_FREED, POINTER_INVALID };

/* What p is in a page of ours: the payload of an allocated block, of a freed
 * one, or neither. */
static enum pointer_verdict page_pointer(const void *p, struct mm_block **block)
{
	size_t off = offset_in_page(p);
	struct mm_block *b = (struct mm_block *)p - 1;

	if (off % MM_ALIGN || off < PAGE_HDR + MM_BLOCK_HDR)
		return POINTER_INVALID;
	*block = b;
	if (block_in_state(b, BLOCK_ALLOC))
		return POINTER_LIVE;
	return block_in_state(b, BLOCK_FREE) ? POINTER_FREED : POINTER_INVALID;
}

/* ---- the general allocator's share ---- */

static uintptr_t fallback_key(const void *objects)
{
	return (uintptr_t)objects | FALLBACK_KEY_BIT;
}

static void *fallback_alloc(struct mm_family *f, size_t units, size_t bytes)
{
	struct mm_fallback *fb = alloc_aligned(MM_ALIGN, sizeof(*fb) + bytes);
	bool registered;

	if (!fb)
		return NULL;
	memset(fb, 0, sizeof(*fb) + bytes);
	fb->family = f;
	fb->units = units;
	lock_acquire();
	registered = mmreg_add(fallback_key(fb + 1));
	if (registered) {
		f->fallback_objects += units;
		f->fallback_allocs++;
	}
	lock_release();
	if (!registered) {
		alloc_free(fb, "xcalloc()");
		errno = ENOMEM;
		return NULL;
	}
	return fb + 1;
}

/* Under the lock: forget the fallback object at p; what to give back to the
 * general allocator. */
static struct mm_fallback *fallback_forget(void *p)
{
	struct mm_fallback *fb = (struct mm_fallback *)p - 1;

	mmreg_remove(fallback_key(p));
	fb->family->fallback_objects -= fb->units;
	fb->family->fallback_allocs--;
	return fb;
}

/* ---- the entry points ---- */

void *xcalloc(const char *name, int units)
{
	struct mm_family *f;
	size_t bytes;
	void *p;

	lock_acquire();
	f = name ? mm_family_find(name) : NULL;
	lock_release();
	if (!f || units < 1) {
		mm_complain("xcalloc()", f ? "fewer than 1 unit of page family" : "unknown page family", name);
		errno = EINVAL;
		return NULL;
	}
	bytes = (size_t)units * f->size;   /* < 2^31 * 2^32: no overflow */
	if (!fits_in_page(round_to_align(bytes)))
		return fallback_alloc(f, (size_t)units, bytes);
	lock_acquire();
	p = page_alloc(f, (uint32_t)units, round_to_align(bytes));
	lock_release();
	return p;
}

void xfree(void *p)
{
	enum pointer_verdict verdict = POINTER_INVALID;
	struct mm_fallback *fb = NULL;
	struct mm_block *b;

	if (!p)
		return;
	lock_acquire();
	if (mmreg_has((uintptr_t)page_of(p))) {
		verdict = page_pointer(p, &b);
		if (verdict == POINTER_LIVE)
			page_free(page_of(p), b);
	} else if ((uintptr_t)p % MM_ALIGN == 0 && mmreg_has(fallback_key(p))) {
		fb = fallback_forget(p);
		verdict = POINTER_LIVE;
	}
	lock_release();
	if (fb)
		alloc_free(fb, "xfree()");
	if (verdict != POINTER_LIVE)
		mm_complain_ptr("xfree()", verdict == POINTER_FREED ? "double free of" : "invalid pointer", p);
}

/* ---- reports' walk, tests' reset ---- */

void mm_family_usage(const struct mm_family *f, struct mm_usage *u)
{
	memset(u, 0, sizeof(*u));
	for (struct mm_link *l = f->pages; l; l = l->next) {
		for (struct mm_block *b = first_block((struct mm_page *)l); b; b = block_after(b)) {
			if (block_in_state(b, BLOCK_FREE)) {
				u->free_blocks++;
				u->free_bytes += b->size;
				if (b->size > u->largest_free)
					u->largest_free = b->size;
			} else {
				u->alloc_blocks++;
				u->alloc_bytes += b->size;
			}
		}
	}
}

void mm_forget_all(void)
{
	lock_acquire();
	for (struct mm_family *f = families_head; f; f = f->next)
		while (f->pages) {
			struct mm_link *pg = f->pages;

			link_remove(&f->pages, pg);
			os_unmap(pg, os_page_size());
		}
	while (record_pages) {
		struct record_page *rp = record_pages;

		record_pages = rp->next;
		os_unmap(rp, os_page_size());
	}
	families_head = families_tail = NULL;
	mmreg_forget();
	lock_release();
}
