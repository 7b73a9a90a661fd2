/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ops.c - libFuzzer harness: the input bytes are decoded into a
 * sequence of os_* operations that runs on the real library and on the
 * reference model through the engine of diff.c, compared after every
 * operation.  A mismatch is reported on stderr and aborts (libFuzzer then
 * saves the input as crash-*; replay it with `fuzz_ops crash-...`).
 *
 * Each input is one fresh sequence: osmem_test_reset(), a new model, and the
 * heap's break memory is given back at the end.  Built by `make
 * fuzz-libfuzzer` (tests/model/model.mk) with the library itself compiled
 * with coverage instrumentation, so the fuzzer learns the library's branches.
 *
 * Decoding (every byte string is valid; a missing byte reads as 0):
 *   op byte b, kind = b % 16:
 *     0-4 malloc(SIZE)            5-6 calloc(split of SIZE)
 *     7-9 realloc(SLOT, SIZE)     10-12 free(SLOT)
 *     13  realloc(freed block, SIZE)   14 fault injection   15 special sizes
 *   SIZE: one class byte c, by c >> 6:
 *     0: 1..512    1: 1..8192    2: 1..300 KiB    3: an edge of the contract
 *   SLOT: one byte, index into the live blocks (== count: NULL)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

#define MAX_OPS        4096
#define FUZZ_LIVE_CAP  1024
#define FUZZ_HEAP_CAP  (32u << 20)
#define FUZZ_MAPS_CAP  128

struct reader {
	const uint8_t *p;
	size_t n, pos;
};

static unsigned get8(struct reader *r)
{
	return r->pos < r->n ? r->p[r->pos++] : 0;
}

static unsigned get16(struct reader *r)
{
	unsigned lo = get8(r);

	return lo | get8(r) << 8;
}

static size_t get24(struct reader *r)
{
	size_t lo = get16(r);

	return lo | (size_t)get8(r) << 16;
}

static struct diff D;

static size_t largest_free(void)
{
	size_t largest = 0;

	for (size_t i = 0; i < D.m.nheap; i++)
		if (D.m.heap[i].status == MODEL_FREE && D.m.heap[i].size > largest)
			largest = D.m.heap[i].size;
	return largest;
}

/* An edge of the contract, chosen by e. */
static size_t edge_size(struct reader *r, unsigned e)
{
	unsigned x = get8(r);

	switch (e % 8) {
	case 0: return 131040 - 16 + x % 33;        /* malloc threshold */
	case 1: return 4064 - 16 + x % 33;          /* calloc threshold */
	case 2: {                                   /* a free block, leftover near 40 */
		size_t k = 0, want = x % 16, cap = 0;

		for (size_t i = 0; i < D.m.nheap; i++) {
			if (D.m.heap[i].status != MODEL_FREE)
				continue;
			cap = D.m.heap[i].size;
			if (k++ == want)
				break;
		}
		size_t left = (x >> 4) * 8;

		return cap > left + 8 ? cap - left - get8(r) % 8 : 1 + x % 8;
	}
	case 3: {                                   /* beyond every free block */
		size_t l = largest_free();

		return l + 32 + 4096 < 131040 ? l + 1 + x * 8 : 1 + x;
	}
	case 4: return 1 + x % 64;
	case 5: return 131040 - 200 + x;
	default: return 1 + x * 16;
	}
}

static size_t get_size(struct reader *r)
{
	unsigned c = get8(r);

	switch (c >> 6) {
	case 0: return 1 + (c & 63) + 64 * (get8(r) & 7);
	case 1: return 1 + get16(r) % 8192;
	case 2: return 1 + get24(r) % (300 * 1024);
	default: return edge_size(r, c & 63);
	}
}

static size_t get_slot(struct reader *r)
{
	unsigned b = get8(r);

	if (D.nlive == 0 || b == 255)
		return DIFF_NULL_SLOT;
	return b % D.nlive;
}

static bool can_allocate(size_t n)
{
	if (D.nlive >= FUZZ_LIVE_CAP || D.live_heap_bytes > FUZZ_HEAP_CAP)
		return false;
	return n < 4000 || D.nlive_maps < FUZZ_MAPS_CAP;
}

/* Decode one op; false when the op is to be skipped. */
static bool decode(struct reader *r, struct diff_op *op)
{
	static const size_t huge[] = {
		0, SIZE_MAX, SIZE_MAX - 7, SIZE_MAX - 31, SIZE_MAX - 38, SIZE_MAX - 39,
		(size_t)1 << 50,
	};
	unsigned b = get8(r);

	memset(op, 0, sizeof(*op));
	op->slot = DIFF_NULL_SLOT;
	switch (b % 16) {
	case 0: case 1: case 2: case 3: case 4:
		op->kind = D_MALLOC;
		op->a = get_size(r);
		return can_allocate(op->a);
	case 5: case 6: {
		size_t t = get_size(r);
		unsigned s = get8(r);

		op->kind = D_CALLOC;
		if (s < 100) {
			op->a = 1;
			op->b = t;
		} else if (s < 150) {
			op->a = t;
			op->b = 1;
		} else {
			op->b = 1 + s % 24;
			op->a = t / op->b ? t / op->b : 1;
		}
		return can_allocate(t);
	}
	case 7: case 8: case 9:
		op->kind = D_REALLOC;
		op->slot = get_slot(r);
		op->a = get_size(r);
		if (op->slot != DIFF_NULL_SLOT && D.live[op->slot].loc.where == MW_MAP)
			return true;
		return op->slot != DIFF_NULL_SLOT ? (D.live_heap_bytes < FUZZ_HEAP_CAP &&
			(op->a < 4000 || D.nlive_maps < FUZZ_MAPS_CAP)) : can_allocate(op->a);
	case 10: case 11: case 12:
		op->kind = D_FREE;
		op->slot = get_slot(r);
		return true;
	case 13:
		op->kind = D_REALLOC_FREED;
		op->slot = get8(r);
		op->a = get_size(r);
		return true;
	case 14: {
		unsigned x = get8(r);

		op->kind = D_FAULT;
		op->a = x & 1;
		op->b = (x >> 1) & 7;
		op->c = 1 + ((x >> 4) & 3);
		return true;
	}
	default: {
		unsigned x = get8(r);
		size_t n = huge[x % (sizeof(huge) / sizeof(huge[0]))];

		switch ((x >> 4) % 4) {
		case 0:
			op->kind = D_MALLOC;
			op->a = n;
			break;
		case 1:
			op->kind = D_REALLOC;
			op->slot = get_slot(r);
			op->a = n;
			return op->slot != DIFF_NULL_SLOT || n == 0 || n > 1000000;
		case 2:          /* calloc: zero, overflowing, or kernel-refused */
			op->kind = D_CALLOC;
			op->a = (x & 8) ? (size_t)1 << 25 : n;
			op->b = (x & 8) ? (size_t)1 << 25 : 2 + x % 3;
			break;
		default:
			op->kind = D_CALLOC;
			op->a = x & 8 ? 0 : 1 + x;
			op->b = x & 8 ? 1 + x : 0;
			break;
		}
		return true;
	}
	}
}

static uint64_t hash_input(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = { data, size, 0 };
	struct diff_op op;
	int rc = 0;

	D.fuzzer = true;
	diff_begin(&D, hash_input(data, size));
	for (int i = 0; i < MAX_OPS && r.pos < r.n && !rc; i++) {
		if (decode(&r, &op))
			rc = diff_step(&D, &op);
	}
	if (!rc)
		rc = diff_end(&D);
	else
		diff_end(&D);
	if (rc) {
		fprintf(stderr, "fuzz_ops: %s (input hash %016llx): replay with "
			"`build/fuzz/fuzz_ops CRASH-FILE`\n",
			rc == 1 ? "the library differs from the model" : "harness problem",
			(unsigned long long)D.seed);
		abort();
	}
	return 0;
}
