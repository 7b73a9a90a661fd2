/* SPDX-License-Identifier: MIT */
/*
 * model.c - the reference model of docs/CONTRACT.md.  See model.h.
 *
 * Written from the contract, section by section, and kept deliberately
 * naive: the heap is an array of blocks in address order, and every rule
 * is a linear scan.  Section numbers in comments refer to the contract.
 *
 * Storage for the arrays comes from mmap, not malloc: the differential
 * tester runs the model in the same process as the real allocator, and
 * libc's malloc moving the break in the middle of a sequence would make the
 * real heap jump to a new segment.
 */
#define _GNU_SOURCE
#include "model.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define H ((size_t)MODEL_HDR)

/*
 * Mutants (MODEL_MUTANT != 0): each breaks one rule on purpose, so that
 * `make check-diff-mutants` can prove the differential test catches it.
 *   1  best fit breaks ties by the highest address instead of the lowest
 *   2  first fit instead of best fit
 *   3  os_free coalesces at once (no deferred coalescing)
 *   4  realloc absorbs every following free block before checking the size
 *   5  realloc step 8 is skipped: the last block moves instead of growing
 *   6  realloc step 9 frees the old block before allocating the new one
 *   7  section 4 step 4 is skipped: a free last block is not grown
 * (The numeric constants of model.h can be overridden with -D as well.)
 */

const char *const model_stat_names[MS_COUNT] = {
	[MS_PREALLOC] = "heap preallocations (128 KiB)",
	[MS_COALESCE] = "headers absorbed by coalescing (section 4.1)",
	[MS_FIT_SPLIT] = "best fit, split (4.3)",
	[MS_FIT_WHOLE_SLACK] = "best fit, whole block with slack < 40 (4.3)",
	[MS_FIT_EXACT] = "best fit, exact size (4.3)",
	[MS_FIT_TIE] = "best fit among several equal sizes (4.2)",
	[MS_GROW_LAST] = "free last block grown (4.4)",
	[MS_APPEND] = "block appended at the break (4.5)",
	[MS_MAP] = "mappings made",
	[MS_UNMAP] = "mappings unmapped",
	[MS_FREE_HEAP] = "heap blocks freed",
	[MS_NULL_NO_CALL] = "malloc(0)/calloc(0, n)/free(NULL)",
	[MS_OVERFLOW] = "size overflow -> ENOMEM (6)",
	[MS_FAIL_SBRK] = "failed sbrk (6)",
	[MS_FAIL_MAP] = "failed mmap (6)",
	[MS_RA_NULL] = "realloc(NULL, n) (5.1)",
	[MS_RA_ZERO] = "realloc(p, 0) (5.2)",
	[MS_RA_FREE_BLOCK] = "realloc of a free block (5.3)",
	[MS_RA_MAPPED_MOVE] = "realloc of a mapped block (5.4)",
	[MS_RA_TO_MAP] = "realloc heap -> mapping (5.5)",
	[MS_RA_SHRINK_SPLIT] = "realloc shrink with split (5.6)",
	[MS_RA_SAME_NO_SPLIT] = "realloc shrink/same without split (5.6)",
	[MS_RA_ABSORB_FIT] = "realloc absorbed free neighbours, fits (5.7)",
	[MS_RA_ABSORB_SHORT] = "realloc absorbed free neighbours, still short (5.7)",
	[MS_RA_GROW_HEAP] = "realloc grew the heap in place (5.8)",
	[MS_RA_GROW_DESPITE_FIT] = "  ... although a big enough free block existed (5.8)",
	[MS_RA_MOVE] = "realloc moved within the heap (5.9)",
};

/* ---- storage ---- */

static void grow_array(struct model_block **arr, size_t *cap, size_t need)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return;
	ncap = *cap ? *cap : 1024;
	while (ncap < need)
		ncap *= 2;
	if (*arr)
		p = mremap(*arr, *cap * sizeof(**arr), ncap * sizeof(**arr), MREMAP_MAYMOVE);
	else
		p = mmap(NULL, ncap * sizeof(**arr), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("model: out of memory");
		exit(3);
	}
	*arr = p;
	*cap = ncap;
}

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
}

void model_reset(struct model *m)
{
	m->heap_started = false;
	m->nheap = 0;
	m->nmaps = 0;
	m->next_map_id = 0;
	memset(m->fault, 0, sizeof(m->fault));
}

void model_destroy(struct model *m)
{
	if (m->heap)
		munmap(m->heap, m->capheap * sizeof(*m->heap));
	if (m->maps)
		munmap(m->maps, m->capmaps * sizeof(*m->maps));
	memset(m, 0, sizeof(*m));
}

void model_fault_inject(struct model *m, enum model_fault_op op, unsigned long skip,
			unsigned long fail)
{
	m->fault[op].skip = skip;
	m->fault[op].fail = fail;
}

/* ---- the heap array ---- */

static void heap_insert(struct model *m, size_t i, struct model_block b)
{
	grow_array(&m->heap, &m->capheap, m->nheap + 1);
	memmove(&m->heap[i + 1], &m->heap[i], (m->nheap - i) * sizeof(b));
	m->heap[i] = b;
	m->nheap++;
}

static void heap_remove(struct model *m, size_t i)
{
	memmove(&m->heap[i], &m->heap[i + 1], (m->nheap - i - 1) * sizeof(m->heap[0]));
	m->nheap--;
}

static size_t block_end(const struct model_block *b)
{
	return b->off + H + b->size;
}

size_t model_heap_end(const struct model *m)
{
	return m->nheap ? block_end(&m->heap[m->nheap - 1]) : 0;
}

/* Index of the heap block at header offset `off`, or -1. */
static long heap_index(const struct model *m, size_t off)
{
	for (size_t i = 0; i < m->nheap; i++)
		if (m->heap[i].off == off)
			return (long)i;
	return -1;
}

static long map_index(const struct model *m, size_t id)
{
	for (size_t i = 0; i < m->nmaps; i++)
		if (m->maps[i].off == id)
			return (long)i;
	return -1;
}

const struct model_block *model_find(const struct model *m, struct model_loc p)
{
	long i;

	if (p.where == MW_HEAP && p.val >= H) {
		i = heap_index(m, p.val - H);
		return i < 0 ? NULL : &m->heap[i];
	}
	if (p.where == MW_MAP) {
		i = map_index(m, p.val);
		return i < 0 ? NULL : &m->maps[i];
	}
	return NULL;
}

/* ---- results ---- */

static void result_init(struct model_result *r)
{
	memset(r, 0, sizeof(*r));
	r->ret.where = MW_NULL;
}

static void fail_enomem(struct model_result *r)
{
	/* (counted by the callers that detect an overflow) */
	r->ret.where = MW_NULL;
	r->ret.val = 0;
	r->err = ENOMEM;
}

static struct model_call *add_call(struct model_result *r, enum model_call_kind kind, size_t arg)
{
	struct model_call *c;

	if (r->ncalls >= MODEL_MAX_CALLS) {
		fprintf(stderr, "model: more than %d kernel calls in one operation\n", MODEL_MAX_CALLS);
		abort();
	}
	c = &r->calls[r->ncalls++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->arg = arg;
	c->ok = true;
	return c;
}

/* Does an injected fault fail this call?  Same rule as os_fault_inject():
 * nothing pending -> no; else skip first, then fail. */
static bool fault_fires(struct model *m, enum model_fault_op op)
{
	if (m->fault[op].fail == 0)
		return false;
	if (m->fault[op].skip > 0) {
		m->fault[op].skip--;
		return false;
	}
	m->fault[op].fail--;
	return true;
}

/* ---- the kernel calls ---- */

/* Move the break by `inc`; the old break is the heap end (section 3: the
 * heap is contiguous).  False if the call fails. */
static bool do_sbrk(struct model *m, struct model_result *r, size_t inc)
{
	struct model_call *c = add_call(r, MC_SBRK, inc);

	c->at = model_heap_end(m);
	if (fault_fires(m, MODEL_FAULT_SBRK)) {
		c->ok = false;
		c->injected = true;
		m->stats[MS_FAIL_SBRK]++;
		return false;
	}
	return true;
}

/* mmap(NULL, len, ...): a new mapped block of `size` payload bytes at the
 * end of the list.  Returns its id, or -1. */
static long do_map(struct model *m, struct model_result *r, size_t size)
{
	size_t len = H + size;
	struct model_call *c = add_call(r, MC_MAP, len);

	if (fault_fires(m, MODEL_FAULT_MAP)) {
		c->ok = false;
		c->injected = true;
		m->stats[MS_FAIL_MAP]++;
		return -1;
	}
	if (len > MODEL_KERNEL_MAP_LIMIT) {
		c->ok = false;
		m->stats[MS_FAIL_MAP]++;
		return -1;
	}
	m->stats[MS_MAP]++;
	c->id = m->next_map_id++;
	grow_array(&m->maps, &m->capmaps, m->nmaps + 1);
	m->maps[m->nmaps++] = (struct model_block){ c->id, size, MODEL_MAPPED };
	return (long)c->id;
}

/* munmap(block, H + size) of the mapped block at index i; it leaves the list. */
static void do_unmap(struct model *m, struct model_result *r, size_t i)
{
	struct model_call *c = add_call(r, MC_UNMAP, H + m->maps[i].size);

	c->id = m->maps[i].off;
	m->stats[MS_UNMAP]++;
	memmove(&m->maps[i], &m->maps[i + 1], (m->nmaps - i - 1) * sizeof(m->maps[0]));
	m->nmaps--;
}

/* ---- sizes (section 6: overflow is ENOMEM) ---- */

/* A(n), false if rounding overflows. */
static bool align8(size_t n, size_t *out)
{
	if (n > SIZE_MAX - 7)
		return false;
	*out = (n + 7) & ~(size_t)7;
	return true;
}

/* A(n), also checking that H + A(n) does not overflow. */
static bool aligned_size(size_t n, size_t *out)
{
	return align8(n, out) && *out <= SIZE_MAX - H;
}

/* ---- section 4: allocating on the heap ---- */

/* Split heap block i so that it keeps `a` bytes, when the leftover is at
 * least 40 (the leftover becomes a free block right after the payload). */
static void split(struct model *m, size_t i, size_t a)
{
	struct model_block *b = &m->heap[i];

	if (b->size - a >= MODEL_SPLIT_MIN) {
		struct model_block rest = { b->off + H + a, b->size - a - H, MODEL_FREE };

		b->size = a;
		heap_insert(m, i + 1, rest);
	}
}

/* Step 1: every run of adjacent free blocks becomes one block. */
static void coalesce_all(struct model *m)
{
	for (size_t i = 0; i < m->nheap; i++) {
		if (m->heap[i].status != MODEL_FREE)
			continue;
		while (i + 1 < m->nheap && m->heap[i + 1].status == MODEL_FREE) {
			m->heap[i].size += H + m->heap[i + 1].size;
			heap_remove(m, i + 1);
			m->stats[MS_COALESCE]++;
		}
	}
}

/* Section 3: the first heap allocation moves the break by 128 KiB, making
 * one free block of 128 KiB - 32. */
static bool preallocate(struct model *m, struct model_result *r)
{
	if (m->heap_started)
		return true;
	if (!do_sbrk(m, r, MODEL_PREALLOC))
		return false;
	m->heap_started = true;
	m->stats[MS_PREALLOC]++;
	m->nheap = 0;
	heap_insert(m, 0, (struct model_block){ 0, MODEL_PREALLOC - H, MODEL_FREE });
	return true;
}

/* Section 4.  Returns the index of the new STATUS_ALLOC block, or -1. */
static long heap_alloc(struct model *m, struct model_result *r, size_t a)
{
	long best = -1;

	if (!preallocate(m, r))
		return -1;

	/* 1. coalesce */
	coalesce_all(m);

	/* 2. best fit: smallest size >= a, lowest address among equals */
	for (size_t i = 0; i < m->nheap; i++) {
		if (m->heap[i].status != MODEL_FREE || m->heap[i].size < a)
			continue;
#if MODEL_MUTANT == 1
		if (best < 0 || m->heap[i].size <= m->heap[best].size)
#elif MODEL_MUTANT == 2
		if (best < 0)
#else
		if (best < 0 || m->heap[i].size < m->heap[best].size)
#endif
			best = (long)i;
	}

	/* 3. found: split or hand over the whole block */
	if (best >= 0) {
		size_t ties = 0;

		for (size_t i = 0; i < m->nheap; i++)
			ties += m->heap[i].status == MODEL_FREE && m->heap[i].size == m->heap[best].size;
		m->stats[MS_FIT_TIE] += ties > 1;
		m->stats[m->heap[best].size == a ? MS_FIT_EXACT
			 : m->heap[best].size - a >= MODEL_SPLIT_MIN ? MS_FIT_SPLIT
			 : MS_FIT_WHOLE_SLACK]++;
		m->heap[best].status = MODEL_ALLOC;
		split(m, (size_t)best, a);
		return best;
	}

	/* 4. the last block is free: grow it by the missing amount */
	struct model_block *last = &m->heap[m->nheap - 1];

	if (last->status == MODEL_FREE && MODEL_MUTANT != 7) {
		m->stats[MS_GROW_LAST]++;
		if (!do_sbrk(m, r, a - last->size))
			return -1;
		last->size = a;
		last->status = MODEL_ALLOC;
		return (long)m->nheap - 1;
	}

	/* 5. append a new block at the break */
	size_t end = model_heap_end(m);

	m->stats[MS_APPEND]++;
	if (!do_sbrk(m, r, H + a))
		return -1;
	heap_insert(m, m->nheap, (struct model_block){ end, a, MODEL_ALLOC });
	return (long)m->nheap - 1;
}

/* ---- section 2: which path ---- */

/* Allocate a = A(n) bytes on the heap or in a mapping by `threshold`. */
static void alloc_aligned(struct model *m, struct model_result *r, size_t a, size_t threshold)
{
	if (H + a >= threshold) {
		long id = do_map(m, r, a);

		if (id < 0) {
			fail_enomem(r);
			return;
		}
		r->ret.where = MW_MAP;
		r->ret.val = (size_t)id;
	} else {
		long i = heap_alloc(m, r, a);

		if (i < 0) {
			fail_enomem(r);
			return;
		}
		r->ret.where = MW_HEAP;
		r->ret.val = m->heap[i].off + H;
	}
}

void model_malloc(struct model *m, size_t size, struct model_result *r)
{
	size_t a;

	result_init(r);
	if (size == 0) {
		m->stats[MS_NULL_NO_CALL]++;
		return;                      /* NULL, no syscall */
	}
	if (!aligned_size(size, &a)) {
		m->stats[MS_OVERFLOW]++;
		fail_enomem(r);
		return;
	}
	alloc_aligned(m, r, a, MODEL_MMAP_THRESHOLD);
}

void model_calloc(struct model *m, size_t nmemb, size_t size, struct model_result *r)
{
	size_t a;

	result_init(r);
	if (nmemb == 0 || size == 0) {
		m->stats[MS_NULL_NO_CALL]++;
		return;                      /* NULL, no syscall */
	}
	if (nmemb > SIZE_MAX / size || !aligned_size(nmemb * size, &a)) {
		m->stats[MS_OVERFLOW]++;
		fail_enomem(r);
		return;
	}
	alloc_aligned(m, r, a, MODEL_PAGE_SIZE);
}

/* ---- free ---- */

void model_free(struct model *m, struct model_loc p, struct model_result *r)
{
	long i;

	result_init(r);
	if (p.where == MW_NULL) {
		m->stats[MS_NULL_NO_CALL]++;
		return;                      /* os_free(NULL) does nothing */
	}
	if (p.where == MW_MAP) {
		i = map_index(m, p.val);
		if (i < 0) {
			r->undefined = true;
			return;
		}
		do_unmap(m, r, (size_t)i);   /* munmap at once */
		return;
	}
	i = p.val >= H ? heap_index(m, p.val - H) : -1;
	if (i < 0 || m->heap[i].status != MODEL_ALLOC) {
		r->undefined = true;         /* not a live block: outside the contract */
		return;
	}
	m->heap[i].status = MODEL_FREE;      /* only marked; coalescing is deferred */
	m->stats[MS_FREE_HEAP]++;
#if MODEL_MUTANT == 3
	coalesce_all(m);
#endif
}

/* ---- section 5: realloc ---- */

void model_realloc(struct model *m, struct model_loc p, size_t size, struct model_result *r)
{
	size_t a;
	long i;

	/* 1. ptr == NULL: malloc */
	if (p.where == MW_NULL) {
		m->stats[MS_RA_NULL]++;
		model_malloc(m, size, r);
		return;
	}
	/* 2. size == 0: free, return NULL */
	if (size == 0) {
		m->stats[MS_RA_ZERO]++;
		model_free(m, p, r);
		return;
	}
	result_init(r);
	if (!model_find(m, p)) {
		r->undefined = true;
		return;
	}
	/* 3. a free block: NULL, nothing else */
	if (p.where == MW_HEAP && m->heap[heap_index(m, p.val - H)].status == MODEL_FREE) {
		m->stats[MS_RA_FREE_BLOCK]++;
		return;
	}
	if (!aligned_size(size, &a)) {
		m->stats[MS_OVERFLOW]++;
		fail_enomem(r);
		return;
	}

	/* 4. a mapped block always moves: new block first, then munmap the old */
	if (p.where == MW_MAP) {
		m->stats[MS_RA_MAPPED_MOVE]++;
		alloc_aligned(m, r, a, MODEL_MMAP_THRESHOLD);
		if (r->ret.where == MW_NULL)
			return;              /* ENOMEM, old block intact */
		do_unmap(m, r, (size_t)map_index(m, p.val));
		return;
	}

	i = heap_index(m, p.val - H);

	/* 5. a heap block reaching the malloc threshold moves to a mapping */
	if (H + a >= MODEL_MMAP_THRESHOLD) {
		long id;

		m->stats[MS_RA_TO_MAP]++;
		id = do_map(m, r, a);
		if (id < 0) {
			fail_enomem(r);
			return;
		}
		m->heap[i].status = MODEL_FREE;
		r->ret.where = MW_MAP;
		r->ret.val = (size_t)id;
		return;
	}

	r->ret = p;                          /* in place unless step 9 */

	/* 6. shrinking or same size: stay, split with the 40-byte rule */
	if (a <= m->heap[i].size) {
		m->stats[m->heap[i].size - a >= MODEL_SPLIT_MIN ? MS_RA_SHRINK_SPLIT
								 : MS_RA_SAME_NO_SPLIT]++;
		split(m, (size_t)i, a);
		return;
	}

	/* 7. absorb following free blocks one at a time */
	bool absorbed = false;

	while ((size_t)i + 1 < m->nheap && m->heap[i + 1].status == MODEL_FREE) {
		m->heap[i].size += H + m->heap[i + 1].size;
		heap_remove(m, (size_t)i + 1);
		absorbed = true;
#if MODEL_MUTANT == 4
		continue;
#endif
		if (m->heap[i].size >= a) {
			m->stats[MS_RA_ABSORB_FIT]++;
			split(m, (size_t)i, a);
			return;
		}
	}
#if MODEL_MUTANT == 4
	if (m->heap[i].size >= a) {
		split(m, (size_t)i, a);
		return;
	}
#endif
	m->stats[MS_RA_ABSORB_SHORT] += absorbed;

	/* 8. the last heap block: grow the heap by the missing amount */
	if ((size_t)i == m->nheap - 1 && MODEL_MUTANT != 5) {
		m->stats[MS_RA_GROW_HEAP]++;
		for (size_t k = 0; k < m->nheap; k++) {
			if (m->heap[k].status == MODEL_FREE && m->heap[k].size >= a) {
				m->stats[MS_RA_GROW_DESPITE_FIT]++;
				break;
			}
		}
		if (!do_sbrk(m, r, a - m->heap[i].size)) {
			fail_enomem(r);      /* absorbed blocks stay absorbed */
			return;
		}
		m->heap[i].size = a;
		return;
	}

	/* 9. move: section 4 with the old block still allocated, then free it */
	size_t old_off = m->heap[i].off;
	long j;

	m->stats[MS_RA_MOVE]++;
#if MODEL_MUTANT == 6
	m->heap[i].status = MODEL_FREE;
#endif
	j = heap_alloc(m, r, a);
	if (j < 0) {
#if MODEL_MUTANT == 6
		if (heap_index(m, old_off) >= 0)
			m->heap[heap_index(m, old_off)].status = MODEL_ALLOC;
#endif
		fail_enomem(r);
		return;
	}
	r->ret.where = MW_HEAP;
	r->ret.val = m->heap[j].off + H;
#if MODEL_MUTANT != 6
	m->heap[heap_index(m, old_off)].status = MODEL_FREE;
#endif
}
