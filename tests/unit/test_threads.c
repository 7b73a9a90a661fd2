/* SPDX-License-Identifier: MIT */
/*
 * test_threads.c - every entry point is thread-safe (osmem.h): four threads
 * run 100000 random malloc/calloc/realloc/free operations each, on sizes
 * mostly small and some mapped, and check the data of every block they own
 * each time they touch it, and of all of them at the end.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osmem_test.h"

#define THREADS 4
#define OPS_PER_THREAD 100000   /* OSMEM_THREAD_OPS overrides (helgrind runs fewer) */
#define SLOTS 64

/* A live block: every one of its n bytes holds tag. */
struct slot {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

struct worker {
	pthread_t thread;
	uint64_t rng;
	struct slot slots[SLOTS];
	unsigned long failures;
	char first_failure[160];
};

static uint32_t next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return (uint32_t)((*state * 0x2545f4914f6cdd1dULL) >> 32);
}

/* Mostly small; 5% between 2 and 8 KiB (mapped by calloc); 0.3% mapped
 * by every entry point (H + n >= 128 KiB). */
static size_t random_size(uint64_t *rng)
{
	uint32_t r = next_random(rng) % 1000;

	if (r < 3)
		return MMAP_THRESHOLD + next_random(rng) % 65536;
	if (r < 53)
		return 2048 + next_random(rng) % 6144;
	return 1 + next_random(rng) % 1024;
}

static long ops_per_thread(void)
{
	const char *v = getenv("OSMEM_THREAD_OPS");

	return v ? atol(v) : OPS_PER_THREAD;
}

static bool holds(const unsigned char *p, size_t n, unsigned char tag)
{
	unsigned char diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= p[i] ^ tag;
	return diff == 0;
}

static void fail(struct worker *w, const char *what, const void *p)
{
	if (w->failures++ == 0)
		snprintf(w->first_failure, sizeof(w->first_failure), "%s (%p)", what, p);
}

static void check_slot(struct worker *w, const struct slot *s)
{
	const struct block_meta *b = meta(s->p);

	if ((uintptr_t)s->p % 8 != 0)
		fail(w, "misaligned pointer", s->p);
	else if ((b->status != STATUS_ALLOC && b->status != STATUS_MAPPED) || b->size < s->n)
		fail(w, "header overwritten", s->p);
	else if (!holds(s->p, s->n, s->tag))
		fail(w, "data changed", s->p);
}

static void put(struct slot *s, void *p, size_t n, unsigned char tag)
{
	s->p = p;
	s->n = n;
	s->tag = tag;
	memset(p, tag, n);
}

static void *allocate(struct worker *w, unsigned int how, size_t n)
{
	void *p;

	if (how < 4)
		return os_malloc(n);
	if (how < 6) {
		p = os_calloc(1, n);
		if (p && !holds(p, n, 0))
			fail(w, "calloc memory is not zero", p);
		return p;
	}
	return os_realloc(NULL, n);
}

static void step(struct worker *w)
{
	struct slot *s = &w->slots[next_random(&w->rng) % SLOTS];
	unsigned int how = next_random(&w->rng) % 8;
	size_t n = random_size(&w->rng);
	unsigned char tag = (unsigned char)(next_random(&w->rng) | 1);   /* never 0 */
	void *q;

	if (!s->p) {
		q = allocate(w, how, n);
		if (q)
			put(s, q, n, tag);
		else
			fail(w, "allocation failed", NULL);
		return;
	}
	check_slot(w, s);
	if (how < 3) {
		os_free(s->p);
		s->p = NULL;
		return;
	}
	q = os_realloc(s->p, n);
	if (!q) {
		fail(w, "realloc failed", s->p);
		return;
	}
	if (!holds(q, s->n < n ? s->n : n, s->tag))
		fail(w, "realloc lost data", q);
	put(s, q, n, tag);
}

static void *run_worker(void *arg)
{
	struct worker *w = arg;

	for (long i = 0; i < ops_per_thread(); i++)
		step(w);
	for (int i = 0; i < SLOTS; i++) {
		if (w->slots[i].p) {
			check_slot(w, &w->slots[i]);
			os_free(w->slots[i].p);
		}
	}
	return NULL;
}

static void test_concurrent_random_operations_keep_every_block_intact(void)
{
	static struct worker w[THREADS];
	void *anchor = os_malloc(8);   /* the heap starts here, before any thread */
	unsigned long maps = os_calls(OS_OP_MAP), unmaps = os_calls(OS_OP_UNMAP);

	EXPECT_OFF(anchor, HDR);
	memset(w, 0, sizeof(w));
	for (int i = 0; i < THREADS; i++) {
		w[i].rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
		CU_ASSERT_EQUAL_FATAL(pthread_create(&w[i].thread, NULL, run_worker, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(w[i].thread, NULL);
	for (int i = 0; i < THREADS; i++)
		check_at(HERE, w[i].failures == 0, "thread %d: %lu failures, the first: %s", i,
			 w[i].failures, w[i].first_failure);
	/* Everything was freed: every mapping was unmapped, the list is sound. */
	CU_ASSERT_EQUAL(os_calls(OS_OP_MAP) - maps, os_calls(OS_OP_UNMAP) - unmaps);
	EXPECT_CONSISTENT(meta(anchor));
	EXPECT_BLOCK(anchor, 8, STATUS_ALLOC);
	os_free(anchor);
}

CU_TestInfo threads_tests[] = {
	TEST(test_concurrent_random_operations_keep_every_block_intact),
	CU_TEST_INFO_NULL,
};
