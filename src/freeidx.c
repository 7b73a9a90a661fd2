/* SPDX-License-Identifier: MIT */
/*
 * freeidx.c - the free-block index.  See freeidx.h.
 *
 * Structure: exact-size bins for sizes up to SMALL_MAX, with a bitmap of the
 * non-empty ones, and one tree for everything larger.  The contract breaks
 * ties between equal sizes by the lowest address, so every bin is ordered.
 *
 * A bin is a pairing heap on the address (sizes within it are equal, so the
 * address is the whole key, and a comparison reads no node).  Why not a
 * search tree: on a heap of a million blocks each node read is a cache and
 * TLB miss, and a tree reads a path per insert and per take.  The heap's
 * root is the bin's lowest address, so a take knows its block at once; an
 * insert links the new node under the root (or the root under it), reading
 * no old node but the root; only a take pays, pairing the root's children
 * (two-pass, O(log n) amortised), and most blocks filed in a bin are taken
 * or absorbed by a neighbour while still children of the root.  A node needs
 * three references, 12 bytes: the 8-byte bin of the strict profile keeps the
 * older scheme, an unsorted list sorted into a treap when a request takes
 * from it.
 *
 * The large tree is a treap ordered by (size, address).  It needs no
 * balance field: a node's priority is a hash of its reference, so the only
 * storage is the two child references.  Best fit for a small size: the
 * first non-empty bin at or above it (a bitmap scan), then its minimum.
 * Otherwise: a lower-bound descent of the large tree.  All O(log n)
 * (expected for the treap, amortised for the heaps).
 */
#include "freeidx.h"

char *ref_base;

#define SMALL_MAX  4096
#define NBINS      (SMALL_MAX / OSMEM_ALIGNMENT)
#define WORD_BITS  64
#define NWORDS     ((NBINS + WORD_BITS - 1) / WORD_BITS)

static blkref bins[NBINS];       /* sorted part: treaps */
static blkref unsorted[NBINS];   /* lists of blocks not yet in the treap */
static uint64_t nonempty[NWORDS];
static blkref large;

void reflist_push(blkref *head, struct block_meta *b)
{
	struct free_links *l = links_of(b);

	l->a = REF_NIL;
	l->b = *head;
	if (*head != REF_NIL)
		links_of(block_of(*head))->a = ref_of(b);
	*head = ref_of(b);
}

void reflist_remove(blkref *head, struct block_meta *b)
{
	struct free_links *l = links_of(b);

	if (l->a != REF_NIL)
		links_of(block_of(l->a))->b = l->b;
	else
		*head = l->b;
	if (l->b != REF_NIL)
		links_of(block_of(l->b))->a = l->a;
}

void fidx_reset(char *base)
{
	ref_base = base;
	for (size_t i = 0; i < NBINS; i++)
		bins[i] = unsorted[i] = REF_NIL;
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

/* ---- bins: pairing heaps ordered by address ----
 *
 * A node's a is its first child, b its next sibling, and a third reference,
 * back, its parent if it is a first child, else its previous sibling.  The
 * root is the bin's lowest address, so a take knows its block without
 * reading any node, and an insert below the root writes the new node and
 * the root's first child's back link, reading no old node but the root. */

/* The third reference lies after the links and the drop-in's released-bytes
 * count (heap.c), within the 16 payload bytes a block needs to be a node. */
#define PH_MIN_SIZE 16
#define BACK_OFFSET 12

static blkref *back(blkref r)
{
	return (blkref *)((char *)links_of(block_of(r)) + BACK_OFFSET);
}

#define child left
#define sibling right

/* Make the root with the higher address the first child of the other. */
static blkref ph_link(blkref x, blkref y)
{
	blkref lo = x < y ? x : y, hi = x < y ? y : x, first = *child(lo);

	*sibling(hi) = first;
	if (first != REF_NIL)
		*back(first) = hi;
	*back(hi) = lo;
	*child(lo) = hi;
	return lo;
}

/* Merge a list of sibling subtrees into one heap: link them in pairs from
 * the left, then fold the pairs from the right (the two-pass rule that
 * gives pairing heaps their O(log n) amortised delete-min). */
static blkref ph_merge_pairs(blkref first)
{
	blkref pairs = REF_NIL, r = first, result;

	while (r != REF_NIL) {   /* pass 1: the pairs' roots, stacked through sibling */
		blkref x = r, y = *sibling(x), merged;

		if (y == REF_NIL) {
			merged = x;
			r = REF_NIL;
		} else {
			r = *sibling(y);
			merged = ph_link(x, y);
		}
		*sibling(merged) = pairs;
		pairs = merged;
	}
	if (pairs == REF_NIL)
		return REF_NIL;
	result = pairs;
	for (r = *sibling(pairs); r != REF_NIL;) {   /* pass 2: fold them, last pair first */
		blkref next = *sibling(r);

		result = ph_link(result, r);
		r = next;
	}
	*sibling(result) = REF_NIL;
	*back(result) = REF_NIL;
	return result;
}

static void ph_insert(blkref *root, struct block_meta *b)
{
	blkref n = ref_of(b);

	*child(n) = *sibling(n) = *back(n) = REF_NIL;
	*root = *root == REF_NIL ? n : ph_link(*root, n);
}

static blkref ph_take_min(blkref *root)
{
	blkref min = *root;

	*root = ph_merge_pairs(*child(min));
	return min;
}

/* Remove n, which is in the heap: cut its subtree out, merge its children,
 * and hang the result under the root (whose address is lower). */
static void ph_remove(blkref *root, blkref n)
{
	blkref up = *back(n), next = *sibling(n), sub;

	if (n == *root) {
		ph_take_min(root);
		return;
	}
	if (*child(up) == n)
		*child(up) = next;
	else
		*sibling(up) = next;
	if (next != REF_NIL)
		*back(next) = up;
	sub = ph_merge_pairs(*child(n));
	if (sub != REF_NIL)
		*root = ph_link(*root, sub);
}

#undef child
#undef sibling

static bool is_small(size_t size)
{
	return size <= SMALL_MAX;
}

static size_t bin_of(size_t size)
{
	return size / OSMEM_ALIGNMENT - 1;
}

static void mark_bin(size_t bin, bool full)
{
	uint64_t bit = 1ULL << (bin % WORD_BITS);

	if (full)
		nonempty[bin / WORD_BITS] |= bit;
	else
		nonempty[bin / WORD_BITS] &= ~bit;
}

/* Blocks too small to hold three references (8 bytes, strict profile only)
 * keep the older scheme: an unsorted list sorted into a treap on demand. */
static bool bin_is_heap(size_t bin)
{
	return (bin + 1) * OSMEM_ALIGNMENT >= PH_MIN_SIZE;
}

static void treap_add(blkref *tree, struct block_meta *b)
{
	links_of(b)->a = REF_NIL;
	links_of(b)->b = REF_NIL;
	*tree = treap_insert(*tree, ref_of(b), !is_small(b->size));
}

static void update_bin_mark(size_t bin)
{
	mark_bin(bin, bins[bin] != REF_NIL || unsorted[bin] != REF_NIL);
}

void fidx_insert(struct block_meta *b)
{
	size_t bin;

	if (!is_small(b->size)) {
		treap_add(&large, b);
		return;
	}
	bin = bin_of(b->size);
	if (bin_is_heap(bin))
		ph_insert(&bins[bin], b);
	else
		reflist_push(&unsorted[bin], b);
	block_set_filing(b, FILED_UNSORTED);
	mark_bin(bin, true);
}

void fidx_remove(struct block_meta *b)
{
	size_t bin;

	if (!is_small(b->size)) {
		large = treap_remove(large, ref_of(b), true);
		return;
	}
	bin = bin_of(b->size);
	if (bin_is_heap(bin)) {
		ph_remove(&bins[bin], ref_of(b));
		block_set_filing(b, FILED_NONE);
	} else if (block_filing(b) == FILED_UNSORTED) {
		reflist_remove(&unsorted[bin], b);
		block_set_filing(b, FILED_NONE);
	} else {
		bins[bin] = treap_remove(bins[bin], ref_of(b), false);
	}
	update_bin_mark(bin);
}

/* Move a bin's unsorted blocks into its treap. */
static void sort_bin(size_t bin)
{
	while (unsorted[bin] != REF_NIL) {
		struct block_meta *b = block_of(unsorted[bin]);

		reflist_remove(&unsorted[bin], b);
		block_set_filing(b, FILED_NONE);
		treap_add(&bins[bin], b);
	}
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
			if (bin_is_heap(bin)) {
				b = block_of(ph_take_min(&bins[bin]));
				block_set_filing(b, FILED_NONE);
			} else {
				sort_bin(bin);
				b = block_of(treap_take_leftmost(&bins[bin]));
			}
			update_bin_mark(bin);
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

/* ---- read-only iteration (freeidx.h) ---- */

bool reflist_walk(blkref head, fidx_visitor visit, void *arg, size_t bin_size, enum filing where,
		  size_t *budget)
{
	for (blkref r = head; r != REF_NIL; r = links_of(block_of(r))->b) {
		if (*budget == 0)
			return false;
		--*budget;
		if (!visit(arg, r, bin_size, where))
			return true;
	}
	return true;
}

/* A healthy treap is O(log n) deep; deeper than this, its links are corrupt
 * (and the recursion must not exhaust the stack). */
#define WALK_MAX_DEPTH 512

/* Pre-order, so that every reference is vetted before its node is read. */
static bool tree_walk(blkref r, fidx_visitor visit, void *arg, size_t bin_size, enum filing where,
		      size_t *budget, int depth)
{
	if (r == REF_NIL)
		return true;
	if (*budget == 0 || depth > WALK_MAX_DEPTH)
		return false;
	--*budget;
	if (!visit(arg, r, bin_size, where))
		return true;
	return tree_walk(*left(r), visit, arg, bin_size, where, budget, depth + 1) &&
	       tree_walk(*right(r), visit, arg, bin_size, where, budget, depth + 1);
}

/* A pairing heap can be as deep as it is large (blocks freed in falling
 * address order make a chain of first children), so it is walked without
 * recursion: pre-order along child and sibling links, climbing back up
 * through back links.  Corrupted links must neither loop nor send a read
 * astray: a climb may only land between the lowest and the highest node
 * visited (all vetted, and the break between them is mapped), and a healthy
 * walk climbs each edge once, so more climbs than visits is a loop.  A node
 * whose links must not be followed ends the walk of that heap (its count
 * then disagrees). */
static bool heap_walk(blkref root, fidx_visitor visit, void *arg, size_t bin_size, size_t *budget)
{
	blkref r = root, lo = root, hi = root;
	size_t visited = 0, climbs = 0;

	while (r != REF_NIL) {
		if (*budget == 0)
			return false;
		--*budget;
		visited++;
		if (!visit(arg, r, bin_size, FILED_UNSORTED))
			return true;
		lo = r < lo ? r : lo;
		hi = r > hi ? r : hi;
		if (*left(r) != REF_NIL) {
			r = *left(r);
			continue;
		}
		/* r's subtree is done: go on with the next sibling of r or of
		 * its nearest ancestor that has one. */
		while (r != root && *right(r) == REF_NIL) {
			bool first_child;

			do {   /* climb to r's parent, through its elder siblings */
				blkref up = *back(r);

				if (up < lo || up > hi || ++climbs > visited)
					return false;
				first_child = *left(up) == r;
				r = up;
			} while (!first_child);
		}
		r = r == root ? REF_NIL : *right(r);
	}
	return true;
}

bool fidx_walk(fidx_visitor visit, void *arg, size_t *budget)
{
	for (size_t bin = 0; bin < NBINS; bin++) {
		size_t size = (bin + 1) * OSMEM_ALIGNMENT;

		if (bin_is_heap(bin) ? !heap_walk(bins[bin], visit, arg, size, budget)
				     : !reflist_walk(unsorted[bin], visit, arg, size, FILED_UNSORTED, budget) ||
				       !tree_walk(bins[bin], visit, arg, size, FILED_NONE, budget, 0))
			return false;
	}
	return tree_walk(large, visit, arg, 0, FILED_NONE, budget, 0);
}

size_t fidx_bin_size(size_t size)
{
	return is_small(size) ? size : 0;
}

size_t fidx_bitmap_mismatches(void)
{
	size_t wrong = 0;

	for (size_t bin = 0; bin < NBINS; bin++) {
		bool marked = (nonempty[bin / WORD_BITS] >> (bin % WORD_BITS)) & 1;

		wrong += marked != (bins[bin] != REF_NIL || unsorted[bin] != REF_NIL);
	}
	return wrong;
}
