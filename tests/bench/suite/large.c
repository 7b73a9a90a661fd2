/* SPDX-License-Identifier: MIT */
/*
 * large.c - large blocks, 64 KiB..4 MiB: buffers, images, file contents.
 *
 * A table of 24 slots (at most 96 MiB live); each step replaces a random
 * slot's block with a new log-uniform size, or (one step in four) reallocs it
 * to a new size.  Every page of a new block is written, as a program that
 * fills its buffer does, so the cost of fresh pages (mmap + page faults
 * versus reused memory) is part of what is measured.
 *
 * Checks: the pattern (first word, a byte on every page, the last 16 bytes)
 * is verified before free, and the surviving prefix across realloc.
 */
#include "common.h"

#define NAME "large"
#define SLOTS 24
#define MIN_SZ (64 * 1024)
#define MAX_SZ (4 * 1024 * 1024)

static struct bench_slot slots[SLOTS];

int main(void)
{
	size_t steps = bench_scaled(12000);
	uint64_t next_tag = 1;
	size_t bytes = 0;
	struct rng r;
	rng_seed(&r, 6000);
	for (size_t step = 0; step < steps; step++) {
		struct bench_slot *s = &slots[rng_next(&r) % SLOTS];
		size_t new_size = rng_log_range(&r, MIN_SZ, MAX_SZ);
		if (s->p && rng_next(&r) % 4 == 0) {
			slot_realloc(NAME, s, new_size, next_tag++);
		} else {
			slot_release(NAME, s);
			slot_alloc(NAME, s, new_size, next_tag++);
		}
		bytes += new_size;
	}
	for (size_t i = 0; i < SLOTS; i++)
		slot_release(NAME, &slots[i]);
	printf("ok " NAME " steps=%zu MiB=%zu\n", steps, bytes >> 20);
	return 0;
}
