/* SPDX-License-Identifier: MIT */
/*
 * randchurn.c - random-size churn from 8 bytes to 64 KiB, with realloc.
 *
 * A table of 2048 slots; each step picks a random slot and, if it is empty,
 * mallocs a log-uniform size in 8 B..64 KiB; if it is full, frees it (40%) or
 * reallocs it to a new log-uniform size (60%: growing and shrinking buffers).
 *
 * Checks: patterns are verified before free; across realloc the prefix that
 * must survive (the first min(old, new) bytes) is verified in the new block
 * before it is re-patterned.
 */
#include "common.h"

#define NAME "randchurn"
#define SLOTS 2048
#define MIN_SZ 8
#define MAX_SZ (64 * 1024)

struct slot {
	void *p;
	size_t size;
	uint64_t tag;
};

static struct slot slots[SLOTS];

int main(void)
{
	size_t steps = bench_scaled(3000000);
	size_t mallocs = 0, reallocs = 0, frees = 0;
	uint64_t next_tag = 1;
	struct rng r;
	rng_seed(&r, 5000);
	for (size_t step = 0; step < steps; step++) {
		struct slot *s = &slots[rng_next(&r) % SLOTS];
		if (!s->p) {
			s->size = rng_log_range(&r, MIN_SZ, MAX_SZ);
			s->tag = next_tag++;
			s->p = malloc(s->size);
			BENCH_ALLOC_OR_FAIL(NAME, s->p, s->size);
			obj_fill(s->p, s->size, s->tag);
			mallocs++;
		} else if (rng_next(&r) % 10 < 4) {
			if (!obj_intact(s->p, s->size, s->tag))
				bench_fail(NAME, "object of %zu bytes was overwritten", s->size);
			free(s->p);
			s->p = NULL;
			frees++;
		} else {
			size_t new_size = rng_log_range(&r, MIN_SZ, MAX_SZ);
			void *q = realloc(s->p, new_size);
			BENCH_ALLOC_OR_FAIL(NAME, q, new_size);
			size_t kept = s->size < new_size ? s->size : new_size;
			if (!obj_intact_prefix(q, s->size, s->tag, kept))
				bench_fail(NAME, "realloc %zu -> %zu bytes lost the contents", s->size,
					new_size);
			s->p = q;
			s->size = new_size;
			s->tag = next_tag++;
			obj_fill(s->p, s->size, s->tag);
			reallocs++;
		}
	}
	for (size_t i = 0; i < SLOTS; i++)
		if (slots[i].p) {
			if (!obj_intact(slots[i].p, slots[i].size, slots[i].tag))
				bench_fail(NAME, "object of %zu bytes was overwritten", slots[i].size);
			free(slots[i].p);
		}
	printf("ok " NAME " mallocs=%zu reallocs=%zu frees=%zu\n", mallocs, reallocs, frees);
	return 0;
}
