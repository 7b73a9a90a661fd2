/* SPDX-License-Identifier: MIT */
/*
 * larson.c - a server simulation in the style of Larson and Krishnan's
 * benchmark: 2 threads each own a table of live objects (8..1000 bytes) and
 * repeatedly replace a random one (free it, malloc a new size).  After every
 * round the threads swap tables, so from then on each frees the objects the
 * other allocated: a connection handed from one worker thread to another.
 *
 * Checks: each object's pattern is verified before it is freed, and at the
 * end the number of objects allocated minus freed must equal the live count.
 */
#include <pthread.h>

#include "common.h"

#define NAME "larson"
#define THREADS 2
#define SLOTS 8000            /* live objects per table */
#define MIN_SZ 8
#define MAX_SZ 1000

static struct bench_slot tables[THREADS][SLOTS];
static size_t rounds, ops_per_round;
static pthread_barrier_t round_end;

struct worker {
	int id;
	struct rng rng;
	uint64_t next_tag;      /* tags are id + THREADS * k: unique across threads */
	size_t allocs, frees;
};

static void replace(struct worker *w, struct bench_slot *s)
{
	if (s->p) {
		slot_release(NAME, s);
		w->frees++;
	}
	slot_alloc(NAME, s, rng_range(&w->rng, MIN_SZ, MAX_SZ), w->next_tag);
	w->next_tag += THREADS;
	w->allocs++;
}

static void *run_worker(void *arg)
{
	struct worker *w = arg;
	for (size_t r = 0; r < rounds; r++) {
		/* the table this thread works on in round r: they alternate */
		struct bench_slot *table = tables[(w->id + r) % THREADS];
		for (size_t i = 0; i < ops_per_round; i++)
			replace(w, &table[rng_next(&w->rng) % SLOTS]);
		pthread_barrier_wait(&round_end);
	}
	return NULL;
}

int main(void)
{
	rounds = 40;
	ops_per_round = bench_scaled(60000);
	pthread_barrier_init(&round_end, NULL, THREADS);

	struct worker workers[THREADS];
	pthread_t tids[THREADS];
	for (int t = 0; t < THREADS; t++) {
		workers[t] = (struct worker){ .id = t, .next_tag = (uint64_t)t + 1 };
		rng_seed(&workers[t].rng, 1000 + (uint64_t)t);
		/* each thread's own table starts full, allocated by main: the first
		 * round already frees memory of another thread */
		for (size_t i = 0; i < SLOTS; i++)
			replace(&workers[t], &tables[t][i]);
	}
	for (int t = 0; t < THREADS; t++)
		if (pthread_create(&tids[t], NULL, run_worker, &workers[t]) != 0)
			bench_fail(NAME, "pthread_create failed");
	size_t allocs = 0, frees = 0;
	for (int t = 0; t < THREADS; t++) {
		pthread_join(tids[t], NULL);
		allocs += workers[t].allocs;
		frees += workers[t].frees;
	}

	size_t live = 0;
	for (int t = 0; t < THREADS; t++)
		for (size_t i = 0; i < SLOTS; i++) {
			live += tables[t][i].p != NULL;
			slot_release(NAME, &tables[t][i]);
		}
	/* every slot holds exactly one live object, so allocs - frees = slots */
	if (allocs - frees != live)
		bench_fail(NAME, "%zu allocations, %zu frees, %zu live", allocs, frees, live);
	printf("ok " NAME " ops=%zu\n", allocs);
	return 0;
}
