/* SPDX-License-Identifier: MIT */
/*
 * falseshare.c - false sharing through the allocator (after Hoard's
 * active-false and passive-false benchmarks).
 *
 * Each round, with 2 threads:
 * 1. thread 0 allocates 2*M small objects (16..64 bytes) one after another
 *    and hands every other one to thread 1 (objects allocated by one thread,
 *    written by another);
 * 2. both threads write their objects over and over: where the allocator put
 *    thread 0's and thread 1's objects in the same cache line, every write
 *    invalidates the other core's copy;
 * 3. each thread frees the objects it was given (thread 1 frees thread 0's
 *    memory), then allocates M objects of its own and writes those the same
 *    way: an allocator that hands thread 1 the blocks thread 0 still uses
 *    next door keeps the sharing going.
 *
 * Checks: every object is an array of 64-bit counters; after W passes of
 * "add 1 to each counter" each must hold its start value + W.
 */
#include <pthread.h>

#include "common.h"

#define NAME "falseshare"
#define M 64                /* objects per thread per round */
#define PASSES 400          /* writes of every counter per phase */
#define MIN_SZ 16
#define MAX_SZ 64

struct obj {
	uint64_t *p;
	size_t words;
	uint64_t start;
};

static struct obj handed[M];         /* thread 0 -> thread 1, per round */
static pthread_barrier_t step;
static size_t rounds;

static struct obj obj_new(struct rng *r, uint64_t start)
{
	size_t size = rng_range(r, MIN_SZ, MAX_SZ) & ~(size_t)7;
	struct obj o = { .p = malloc(size), .words = size / 8, .start = start };
	BENCH_ALLOC_OR_FAIL(NAME, o.p, size);
	for (size_t w = 0; w < o.words; w++)
		o.p[w] = start + w;
	return o;
}

/* PASSES times, add 1 to every counter of every object */
static void hammer(struct obj *objs, size_t n)
{
	for (unsigned pass = 0; pass < PASSES; pass++)
		for (size_t i = 0; i < n; i++) {
			volatile uint64_t *c = objs[i].p;  /* each write reaches memory */
			for (size_t w = 0; w < objs[i].words; w++)
				c[w]++;
		}
}

static void check_and_free(struct obj *objs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t w = 0; w < objs[i].words; w++)
			if (objs[i].p[w] != objs[i].start + w + PASSES)
				bench_fail(NAME, "counter %zu of an object is %llu, expected %llu", w,
					(unsigned long long)objs[i].p[w],
					(unsigned long long)(objs[i].start + w + PASSES));
		free(objs[i].p);
	}
}

static void *run(void *arg)
{
	int id = (int)(intptr_t)arg;
	struct rng rng;
	rng_seed(&rng, 3000 + (uint64_t)id);
	struct obj mine[M];
	for (size_t r = 0; r < rounds; r++) {
		uint64_t base = (uint64_t)r << 20;
		if (id == 0)      /* 1. interleaved: mine, his, mine, his ... */
			for (size_t i = 0; i < M; i++) {
				mine[i] = obj_new(&rng, base + 1000 * i);
				handed[i] = obj_new(&rng, base + 1000 * i + 500);
			}
		pthread_barrier_wait(&step);
		struct obj *given = id == 0 ? mine : handed;
		hammer(given, M);                    /* 2. */
		check_and_free(given, M);            /* 3. */
		for (size_t i = 0; i < M; i++)
			mine[i] = obj_new(&rng, base + 1000 * i + 7 + (uint64_t)id);
		hammer(mine, M);
		check_and_free(mine, M);
		pthread_barrier_wait(&step);         /* thread 0 may refill handed[] */
	}
	return NULL;
}

int main(void)
{
	rounds = bench_scaled(1500);
	pthread_barrier_init(&step, NULL, 2);
	pthread_t tid;
	if (pthread_create(&tid, NULL, run, (void *)(intptr_t)1) != 0)
		bench_fail(NAME, "pthread_create failed");
	run((void *)(intptr_t)0);
	pthread_join(tid, NULL);
	printf("ok " NAME " rounds=%zu\n", rounds);
	return 0;
}
