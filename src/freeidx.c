/* SPDX-License-Identifier: MIT */
/*
 * freeidx.c - the free-block index.  See freeidx.h.
 *
 * Structure: exact-size bins for sizes up to SMALL_MAX, with a bitmap of the
 * non-empty ones, and one tree for everything larger.  Every bin and the
 * large tree is a treap ordered by (size, address): the contract breaks ties
 * between equal sizes by the lowest address, so a bin must be ordered too.
 * A treap needs no balance field: a node's priority is a hash of its
 * reference, so the only storage is the two child references.
 *
 * Best fit for a small size: the first non-empty bin at or above it (a bitmap
 * scan), then that bin's leftmost node.  Otherwise: a lower-bound descent of
 * the large tree.  Both are O(log n) expected; insert and remove too.
 */
#include "freeidx.h"

char *ref_base;

#define SMALL_MAX  4096
#define NBINS      (SMALL_MAX / OSMEM_ALIGNMENT)
#define WORD_BITS  64
#define NWORDS     ((NBINS + WORD_BITS - 1) / WORD_BITS)

static blkref bins[NBINS];
static uint64_t nonempty[NWORDS];
static blkref large;

void fidx_reset(char *base)
{
	ref_base = base;
	for (size_t i = 0; i < NBINS; i++)
		bins[i] = REF_NIL;
	for (size_t i = 0; i < NWORDS; i++)
		nonempty[i] = 0;
	large = REF_NIL;
}

static uint32_t priority(blkref r)
{
	return (uint32_t)(((uint64_t)r * 0x9e3779b97f4a7c15ULL) >> 32);
}

static blkref *left(blkref r)
{
	return &links_of(block_of(r))->a;
}

static blkref *right(blkref r)
{
	return &links_of(block_of(r))->b;
}

/* Order by size, then address (references grow with addresses).  Within a
 * bin all sizes are equal: comparing references alone spares a header read
 * per node visited, which is a cache miss on a large heap. */
static bool key_less(blkref x, blkref y, bool mixed_sizes)
{
	if (mixed_sizes) {
		size_t sx = block_of(x)->size, sy = block_of(y)->size;

		if (sx != sy)
			return sx < sy;
	}
	return x < y;
}

static blkref rotate_right(blkref r)
{
	blkref l = *left(r);

	*left(r) = *right(l);
	*right(l) = r;
	return l;
}

static blkref rotate_left(blkref r)
{
	blkref q = *right(r);

	*right(r) = *left(q);
	*left(q) = r;
	return q;
}

static blkref treap_insert(blkref root, blkref n, bool mixed)
{
	if (root == REF_NIL)
		return n;
	if (key_less(n, root, mixed)) {
		*left(root) = treap_insert(*left(root), n, mixed);
		if (priority(*left(root)) > priority(root))
			root = rotate_right(root);
	} else {
		*right(root) = treap_insert(*right(root), n, mixed);
		if (priority(*right(root)) > priority(root))
			root = rotate_left(root);
	}
	return root;
}

/* Join two treaps where every key of x is below every key of y. */
static blkref treap_join(blkref x, blkref y)
{
	if (x == REF_NIL)
		return y;
	if (y == REF_NIL)
		return x;
	if (priority(x) > priority(y)) {
		*right(x) = treap_join(*right(x), y);
		return x;
	}
	*left(y) = treap_join(x, *left(y));
	return y;
}

/* Remove n, which is in the treap. */
static blkref treap_remove(blkref root, blkref n, bool mixed)
{
	if (root == n)
		return treap_join(*left(n), *right(n));
	if (key_less(n, root, mixed))
		*left(root) = treap_remove(*left(root), n, mixed);
	else
		*right(root) = treap_remove(*right(root), n, mixed);
	return root;
}

/* Unlink the smallest node in one walk: it has no left child, and its right
 * subtree's priorities are below its own, so the subtree takes its place. */
static blkref treap_take_leftmost(blkref *root)
{
	blkref *link = root, n;

	while (*left(*link) != REF_NIL)
		link = left(*link);
	n = *link;
	*link = *right(n);
	return n;
}

/* The smallest node with size >= asize (its address is then the lowest). */
static blkref treap_lower_bound(blkref r, size_t asize)
{
	blkref best = REF_NIL;

	while (r != REF_NIL) {
		if (block_of(r)->size >= asize) {
			best = r;
			r = *left(r);
		} else {
			r = *right(r);
		}
	}
	return best;
}

static bool is_small(size_t size)
{
	return size <= SMALL_MAX;
}

static size_t bin_of(size_t size)
{
	return size / OSMEM_ALIGNMENT - 1;
}

/* The tree that holds blocks of this size. */
static blkref *tree_for(size_t size)
{
	return is_small(size) ? &bins[bin_of(size)] : &large;
}

static void mark_bin(size_t bin, bool full)
{
	uint64_t bit = 1ULL << (bin % WORD_BITS);

	if (full)
		nonempty[bin / WORD_BITS] |= bit;
	else
		nonempty[bin / WORD_BITS] &= ~bit;
}

void fidx_insert(struct block_meta *b)
{
	blkref n = ref_of(b);
	blkref *tree = tree_for(b->size);

	links_of(b)->a = REF_NIL;
	links_of(b)->b = REF_NIL;
	*tree = treap_insert(*tree, n, !is_small(b->size));
	if (is_small(b->size))
		mark_bin(bin_of(b->size), true);
}

void fidx_remove(struct block_meta *b)
{
	blkref *tree = tree_for(b->size);

	*tree = treap_remove(*tree, ref_of(b), !is_small(b->size));
	if (is_small(b->size) && *tree == REF_NIL)
		mark_bin(bin_of(b->size), false);
}

/* First non-empty bin at index >= from, or NBINS. */
static size_t next_nonempty_bin(size_t from)
{
	size_t w = from / WORD_BITS;
	uint64_t bits = nonempty[w] & (~0ULL << (from % WORD_BITS));

	for (;;) {
		if (bits)
			return w * WORD_BITS + (size_t)__builtin_ctzll(bits);
		if (++w == NWORDS)
			return NBINS;
		bits = nonempty[w];
	}
}

struct block_meta *fidx_take_best_fit(size_t asize)
{
	struct block_meta *b;
	blkref r;

	if (is_small(asize)) {
		size_t bin = next_nonempty_bin(bin_of(asize));

		if (bin < NBINS) {
			b = block_of(treap_take_leftmost(&bins[bin]));
			if (bins[bin] == REF_NIL)
				mark_bin(bin, false);
			return b;
		}
	}
	r = treap_lower_bound(large, asize);
	if (r == REF_NIL)
		return NULL;
	b = block_of(r);
	fidx_remove(b);
	return b;
}
