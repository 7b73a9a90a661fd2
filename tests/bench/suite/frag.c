/* SPDX-License-Identifier: MIT */
/*
 * frag.c - fragmentation: can freed small blocks serve later, larger requests?
 *
 * 1. allocate N small objects (16..128 bytes) one after another;
 * 2. free 90% of them in random order (a Fisher-Yates shuffle picks which):
 *    the 10% survivors are scattered all over the memory the small objects
 *    used, so little of it can be returned whole;
 * 3. allocate medium requests (512 B..4 KiB) totalling 40% of the bytes
 *    freed in step 2: an allocator that coalesces the freed neighbours can
 *    place them in that memory, one that cannot must take new memory.
 *
 * The runner reports the peak RSS (wait4's ru_maxrss); this program prints
 * its own final RSS (from /proc/self/statm, with the survivors and the medium
 * blocks still live) as final_rss_kib=..., which the runner puts in the
 * report next to the peak.
 *
 * Checks: every object's pattern is verified before it is freed.
 */
#include "common.h"

#define NAME "frag"
#define SMALL_MIN 16
#define SMALL_MAX 128
#define MEDIUM_MIN 512
#define MEDIUM_MAX 4096

struct obj {
	void *p;
	uint32_t size;
};

static void obj_release(struct obj *o, uint64_t tag)
{
	if (!obj_intact(o->p, o->size, tag))
		bench_fail(NAME, "object of %u bytes (tag %llu) was overwritten", o->size,
			(unsigned long long)tag);
	free(o->p);
	o->p = NULL;
}

int main(void)
{
	size_t n = bench_scaled(1500000);
	struct rng r;
	rng_seed(&r, 7000);

	struct obj *small = calloc(n, sizeof(*small));
	size_t *order = malloc(n * sizeof(*order));
	if (!small || !order)
		bench_fail(NAME, "no memory for the tables");
	for (size_t i = 0; i < n; i++) {                        /* 1 */
		small[i].size = (uint32_t)rng_range(&r, SMALL_MIN, SMALL_MAX);
		small[i].p = malloc(small[i].size);
		BENCH_ALLOC_OR_FAIL(NAME, small[i].p, small[i].size);
		obj_fill(small[i].p, small[i].size, i + 1);
		order[i] = i;
	}

	for (size_t i = n - 1; i > 0; i--) {                    /* 2 */
		size_t j = rng_next(&r) % (i + 1);
		size_t t = order[i]; order[i] = order[j]; order[j] = t;
	}
	size_t n_freed = n / 10 * 9, freed_bytes = 0;
	for (size_t k = 0; k < n_freed; k++) {
		struct obj *o = &small[order[k]];
		freed_bytes += o->size;
		obj_release(o, order[k] + 1);
	}

	size_t medium_cap = freed_bytes / MEDIUM_MIN + 1, n_medium = 0, medium_bytes = 0;
	struct obj *medium = malloc(medium_cap * sizeof(*medium));   /* 3 */
	if (!medium)
		bench_fail(NAME, "no memory for the medium table");
	while (medium_bytes < freed_bytes / 10 * 4) {
		struct obj *o = &medium[n_medium];
		o->size = (uint32_t)rng_range(&r, MEDIUM_MIN, MEDIUM_MAX);
		o->p = malloc(o->size);
		BENCH_ALLOC_OR_FAIL(NAME, o->p, o->size);
		obj_fill(o->p, o->size, n + 1 + n_medium);
		medium_bytes += o->size;
		n_medium++;
	}

	long final_rss = bench_rss_kib();
	size_t live_bytes = medium_bytes;
	for (size_t k = n_freed; k < n; k++) {
		live_bytes += small[order[k]].size;
		obj_release(&small[order[k]], order[k] + 1);
	}
	for (size_t k = 0; k < n_medium; k++)
		obj_release(&medium[k], n + 1 + k);
	free(medium);
	free(order);
	free(small);
	printf("ok " NAME " small=%zu freed=%zu medium=%zu live_kib=%zu final_rss_kib=%ld\n", n,
		n_freed, n_medium, live_bytes / 1024, final_rss);
	return 0;
}
