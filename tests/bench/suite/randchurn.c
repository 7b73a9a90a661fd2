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

static struct bench_slot slots[SLOTS];

int main(void)
{
	size_t steps = bench_scaled(3000000);
	size_t mallocs = 0, reallocs = 0, frees = 0;
	uint64_t next_tag = 1;
	struct rng r;
	rng_seed(&r, 5000);
	for (size_t step = 0; step < steps; step++) {
		struct bench_slot *s = &slots[rng_next(&r) % SLOTS];
		if (!s->p) {
			slot_alloc(NAME, s, rng_log_range(&r, MIN_SZ, MAX_SZ), next_tag++);
			mallocs++;
		} else if (rng_next(&r) % 10 < 4) {
			slot_release(NAME, s);
			frees++;
		} else {
			slot_realloc(NAME, s, rng_log_range(&r, MIN_SZ, MAX_SZ), next_tag++);
			reallocs++;
		}
	}
	for (size_t i = 0; i < SLOTS; i++)
		slot_release(NAME, &slots[i]);
	printf("ok " NAME " mallocs=%zu reallocs=%zu frees=%zu\n", mallocs, reallocs, frees);
	return 0;
}
