/* SPDX-License-Identifier: MIT */
/*
 * heapcheck.c - os_heap_check(): verify the invariants of docs/DESIGN.md.
 *
 * Three passes, each reading only what earlier checks proved safe to read:
 *
 *  1. The block list, from its head.  A block is read only if its address is
 *     inside the heap's range or a mapping the registry knows; anything else
 *     ends the walk (a smashed link must not crash the checker).  Per block:
 *     prev link, seal, status, size in range; heap blocks in address order
 *     and not overlapping, before every mapped block; runs of adjacent free
 *     blocks only around a block in the coalescing queue (the deferred
 *     window); free blocks counted by the structure their seal names.
 *     At the end: the tail, heap.last, "blocks + unused bytes == bytes the
 *     break was moved by" (a gap between two blocks is legal: a segment
 *     boundary, another break mover's memory), listed mappings == registry.
 *  2. The coalescing queue and the free-block index: every reference inside
 *     the heap, every node a free block whose seal names that structure and
 *     whose size fits its bin, each structure holding as many blocks as the
 *     list says (so every free block is filed exactly once), the bins'
 *     bitmap.  Walks are bounded by the list's count of free blocks, so a
 *     looping link ends them.  Skipped when pass 1 could not finish.
 *
 * Problems are counted; the first HEAPCHECK_PRINTED are printed, one line
 * each, with the heap-free formatter.  Problems that follow from another
 * (a size too large also breaks the byte total) are each counted: the
 * tests reason the counts out.
 */
#include "heapcheck.h"

#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include "block.h"
#include "fmt.h"
#include "freeidx.h"
#include "heap.h"
#include "lock.h"
#include "mapped.h"
#include "osmem_inspect.h"
#include "vg.h"

#define FILINGS 3   /* FILED_NONE (a treap), FILED_QUEUE, FILED_UNSORTED */

struct check {
	struct heap_shape h;
	size_t problems;

	/* pass 1 */
	const struct block_meta *prev;        /* the block visited before */
	const struct block_meta *prev_heap;   /* the heap block visited before */
	bool prev_heap_size_ok;
	bool in_mapped_tail;
	bool sizes_ok;             /* every heap size in range: `covered` means something */
	size_t covered;            /* heap blocks' bytes, headers included */
	size_t mapped;             /* mapped blocks listed */
	size_t filed[FILINGS];     /* free heap blocks by the filing their seal names */
	const struct block_meta *run_start;   /* the current run of adjacent free blocks */
	size_t run_len;
	bool run_queued;

	/* pass 2 */
	size_t found[FILINGS];     /* nodes met in each structure */
};

/* Indexed by enum filing. */
static const char *const filing_count[FILINGS] = {
	"free blocks in the treaps vs. marked so",
	"free blocks in the coalescing queue vs. marked so",
	"free blocks in the unsorted bin lists vs. marked so",
};

static void problem_line(struct check *c, const void *block, const char *what, const size_t *got,
			 const size_t *want)
{
	char line[200];
	struct fmt_buf f = FMT_BUF_INIT(line);

	if (++c->problems > HEAPCHECK_PRINTED)
		return;
	fmt_str(&f, "osmem: heap check: ");
	if (block) {
		fmt_hex(&f, (uintptr_t)block);
		fmt_str(&f, ": ");
	}
	fmt_str(&f, what);
	if (got) {
		fmt_str(&f, ": ");
		fmt_dec(&f, *got);
		fmt_str(&f, ", expected ");
		fmt_dec(&f, *want);
	}
	fmt_str(&f, "\n");
	fmt_write(STDERR_FILENO, &f);
}

static void problem(struct check *c, const void *block, const char *what)
{
	problem_line(c, block, what, NULL, NULL);
}

static void expect_count(struct check *c, const char *what, size_t got, size_t want)
{
	if (got != want)
		problem_line(c, NULL, what, &got, &want);
}

/* ---- pass 1: the list ---- */

static void close_run(struct check *c)
{
	if (c->run_len >= 2 && !c->run_queued)
		problem(c, c->run_start, "adjacent free blocks outside the coalescing window");
	c->run_len = 0;
	c->run_queued = false;
}

static bool follows_free_neighbour(const struct check *c, const struct block_meta *b)
{
	const struct block_meta *p = c->prev_heap;

	return p && c->prev_heap_size_ok && p->status == STATUS_FREE && block_end(p) == (const char *)b;
}

static void check_free(struct check *c, const struct block_meta *b)
{
	enum filing where = block_filing(b);

	if (where >= FILINGS)
		problem(c, b, "free block with invalid filing bits");
	else
		c->filed[where]++;
	if (!follows_free_neighbour(c, b)) {
		close_run(c);
		c->run_start = b;
	}
	c->run_len++;
	c->run_queued |= where == FILED_QUEUE;
}

static bool size_in_range(const struct check *c, const struct block_meta *b)
{
	return b->size % OSMEM_ALIGNMENT == 0 && b->size <= (size_t)(c->h.top - (const char *)(b + 1));
}

/* False: the walk cannot go on safely (the order that bounds it is broken). */
static bool check_heap_block(struct check *c, const struct block_meta *b)
{
	bool size_ok = size_in_range(c, b);

	if (c->in_mapped_tail) {
		problem(c, b, "heap block after the mapped blocks");
		return false;
	}
	if (c->prev_heap && b <= c->prev_heap) {
		problem(c, b, "heap blocks out of address order");
		return false;
	}
	if (c->prev_heap && c->prev_heap_size_ok && (const char *)b < block_end(c->prev_heap))
		problem(c, b, "overlaps the previous block");
	if (!block_sealed(b))
		problem(c, b, "bad seal");
	if (size_ok) {
		c->covered += HDR + b->size;
	} else {
		problem(c, b, "size misaligned or beyond the heap");
		c->sizes_ok = false;
	}
	if (b->status == STATUS_FREE) {
		check_free(c, b);
	} else {
		close_run(c);
		if (b->status != STATUS_ALLOC)
			problem(c, b, "bad status for a heap block");
		else if (block_filing(b) != FILED_NONE)
			problem(c, b, "allocated block filed as free");
	}
	c->prev_heap = b;
	c->prev_heap_size_ok = size_ok;
	return true;
}

static bool check_mapped_block(struct check *c, const struct block_meta *b)
{
	c->in_mapped_tail = true;
	if (++c->mapped > mapped_count()) {
		problem(c, b, "more mapped blocks listed than mappings registered");
		return false;   /* possibly a loop */
	}
	if (!block_sealed(b))
		problem(c, b, "bad seal");
	if (b->status != STATUS_MAPPED)
		problem(c, b, "bad status for a mapped block");
	return true;
}

/* True when the walk reached the end of the list. */
static bool walk_list(struct check *c)
{
	for (const struct block_meta *b = blocks.head; b; c->prev = b, b = b->next) {
		bool go_on;

		if (heap_range_holds(b) && is_aligned(b)) {
			if (b->prev != c->prev)
				problem(c, b, "prev link does not name the previous block");
			go_on = check_heap_block(c, b);
		} else if (mapped_owns(b)) {
			if (b->prev != c->prev)
				problem(c, b, "prev link does not name the previous block");
			go_on = check_mapped_block(c, b);
		} else {
			problem(c, b, "listed, but neither a heap block nor a registered mapping");
			go_on = false;
		}
		if (!go_on)
			return false;
	}
	close_run(c);
	return true;
}

static void check_list_totals(struct check *c)
{
	if (c->prev != blocks.tail)
		problem(c, blocks.tail, "the list's tail is not its last block");
	if (c->prev_heap != c->h.last)
		problem(c, c->h.last, "the heap's last block is not the highest heap block");
	if (c->sizes_ok)
		expect_count(c, "heap blocks plus unused bytes vs. bytes the break was moved by",
			     c->covered + c->h.unused, c->h.owned);
	expect_count(c, "mapped blocks listed vs. registered", c->mapped, mapped_count());
}

/* ---- pass 2: the coalescing queue and the free-block index ---- */

static bool visit_filed(void *arg, blkref r, size_t bin_size, enum filing where)
{
	struct check *c = arg;
	const struct block_meta *b = block_of(r);

	if (!heap_range_holds(b)) {
		problem(c, b, "free-block reference outside the heap");
		return false;
	}
	c->found[where]++;
	if (b->status != STATUS_FREE || !block_sealed(b) || block_filing(b) != where)
		problem(c, b, where == FILED_QUEUE ? "in the coalescing queue, but its header disagrees"
						   : "in the free-block index, but its header disagrees");
	else if (where != FILED_QUEUE && fidx_bin_size(b->size) != bin_size)
		problem(c, b, "filed under the wrong size");
	return true;
}

static void check_filing(struct check *c)
{
	size_t budget = c->filed[0] + c->filed[1] + c->filed[2] + 1;

	if (!heap_queue_walk(visit_filed, c, &budget) || !fidx_walk(visit_filed, c, &budget)) {
		problem(c, NULL, "the queue and index hold more blocks than the list has free (a loop?)");
		return;
	}
	for (int w = 0; w < FILINGS; w++)
		expect_count(c, filing_count[w], c->found[w], c->filed[w]);
	if (fidx_bitmap_mismatches())
		problem(c, NULL, "the bitmap of non-empty bins disagrees with the bins");
}

size_t heapcheck_locked(void)
{
	struct check c = { .sizes_ok = true };

	heap_shape(&c.h);
	if (walk_list(&c)) {
		check_list_totals(&c);
		if (c.h.lo)
			check_filing(&c);
	}
	return c.problems;
}

OSMEM_API size_t os_heap_check(void)
{
	bool quiet = vg_quiet_begin();
	size_t n;

	lock_acquire();
	n = heapcheck_locked();
	lock_release();
	vg_quiet_end(quiet);
	return n;
}
