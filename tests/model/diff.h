/* SPDX-License-Identifier: MIT */
/*
 * diff.h - the differential engine shared by difftest (random sequences) and
 * fuzz_ops (libFuzzer): runs one operation on the real library (build/
 * libosmem.a) and on the reference model (model.h) and compares everything
 * the contract makes observable:
 *   - the returned location (heap offset, mapping identity or NULL) and errno;
 *   - every kernel call observed through os_set_observer() during the call:
 *     sbrk increments (and the old break, as a heap offset), mmap lengths
 *     (and which mapping they created), munmap lengths and which mapping;
 *   - every header on the real block list, walked with prev/next from the
 *     first block: address (heap offset / mapping), size, status, back links;
 *   - the payload bytes: every live block carries a per-block pattern that is
 *     verified on free and realloc (the first min(old, new) bytes must
 *     survive), calloc memory must read as zero.
 *
 * The process must not move the break between operations of a sequence
 * (libc's malloc would): the engine allocates nothing with malloc, and
 * reports a "harness" error (exit status 2) if the break moved anyway.
 */
#ifndef OSMEM_DIFF_H
#define OSMEM_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

enum diff_kind {
	D_MALLOC,          /* os_malloc(a) */
	D_CALLOC,          /* os_calloc(a, b) */
	D_REALLOC,         /* os_realloc(live[slot] or NULL, a) */
	D_FREE,            /* os_free(live[slot] or NULL) */
	D_REALLOC_FREED,   /* os_realloc(freed heap block, a): section 5 step 3 */
	D_FAULT,           /* os_fault_inject(a ? MAP : SBRK, b, c) */
	D_KIND_COUNT
};

#define DIFF_NULL_SLOT ((size_t)-1)

struct diff_op {
	enum diff_kind kind;
	size_t a, b, c;
	size_t slot;       /* D_REALLOC/D_FREE: live index or DIFF_NULL_SLOT;
			    * D_REALLOC_FREED: index into the recently-freed ring */
};

/* Capacities.  The generators stay below them; ops beyond are skipped. */
#define DIFF_MAX_LIVE   16384
#define DIFF_FREED_RING 64

struct diff_live {
	struct model_loc loc;
	char *ptr;
	size_t req;        /* bytes the program asked for (pattern length) */
	uint64_t tag;      /* pattern seed */
};

struct diff {
	struct model m;
	uint64_t seed;             /* for messages */
	unsigned long opno;        /* index of the current op in the sequence */
	int verbose;               /* 1: print every op */
	bool quiet;                /* no mismatch report */
	bool fuzzer;               /* driven by fuzz_ops: no difftest replay line */

	struct diff_live live[DIFF_MAX_LIVE];
	size_t nlive;
	size_t nlive_maps;         /* live mapped blocks */
	size_t live_heap_bytes;    /* payload bytes of live heap blocks */

	size_t freed[DIFF_FREED_RING];  /* payload offsets of freed heap blocks */
	size_t nfreed, freed_pos;

	uint64_t next_tag;

	/* the real side */
	bool heap_known;
	char *heap_start, *heap_end;
	void *brk_after;           /* sbrk(0) after the previous op */
	size_t max_heap;           /* largest heap end seen (bytes) */
};

/* Start a sequence: reset the library (osmem_test_reset) and the model. */
void diff_begin(struct diff *d, uint64_t seed);

/* Run one op on both.  0: identical; 1: mismatch (reported on stderr unless
 * quiet); 2: harness problem (the break moved behind our back). */
int diff_step(struct diff *d, const struct diff_op *op);

/* End a sequence: verify every live block's bytes, reset the library and
 * give the heap's break memory back (brk to the heap start), so that many
 * sequences run in one process in bounded memory.  Returns like diff_step. */
int diff_end(struct diff *d);

/* Describe an op (for messages and --verbose). */
void diff_describe(const struct diff *d, const struct diff_op *op, char *buf, size_t len);

/* The live block of `slot`'s heap free neighbour, for generators that want
 * to hit exact fits: size of the model block after live[slot], or 0. */
size_t diff_next_free_size(const struct diff *d, size_t slot);

#endif /* OSMEM_DIFF_H */
