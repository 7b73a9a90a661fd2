/* SPDX-License-Identifier: MIT */
/*
 * churn.c - single-thread small-object churn: the everyday malloc/free of
 * strings, list nodes and small structs.
 *
 * A table of 4096 slots; each step replaces a random slot's object with a new
 * one of 8..256 bytes (sizes skewed small: half of them 8..64), and every
 * 64 steps a run of 32 consecutive slots is freed at once and refilled
 * (short-lived bursts, as when a request's temporaries die together).
 *
 * Checks: each object's pattern is verified before it is freed.
 */
#include "common.h"

#define NAME "churn"
#define SLOTS 4096
#define BURST 32

static struct bench_slot slots[SLOTS];
static uint64_t next_tag = 1;
static size_t ops;

static size_t small_size(struct rng *r)
{
	return rng_next(r) & 1 ? rng_range(r, 8, 64) : rng_range(r, 8, 256);
}

static void release(struct bench_slot *s)
{
	slot_release(NAME, s);
}

static void refill(struct rng *r, struct bench_slot *s)
{
	slot_alloc(NAME, s, small_size(r), next_tag++);
	ops++;
}

int main(void)
{
	size_t steps = bench_scaled(12000000);
	struct rng r;
	rng_seed(&r, 4000);
	for (size_t step = 0; step < steps; step++) {
		if (step % 64 == 63) {
			size_t first = rng_next(&r) % (SLOTS - BURST);
			for (size_t i = first; i < first + BURST; i++)
				release(&slots[i]);
			for (size_t i = first; i < first + BURST; i++)
				refill(&r, &slots[i]);
		} else {
			struct bench_slot *s = &slots[rng_next(&r) % SLOTS];
			release(s);
			refill(&r, s);
		}
	}
	for (size_t i = 0; i < SLOTS; i++)
		release(&slots[i]);
	printf("ok " NAME " allocations=%zu\n", ops);
	return 0;
}
