/* SPDX-License-Identifier: MIT */
/*
 * loops.c - small allocation loops to measure the zones and thread caches
 * against whatever malloc the process has (glibc's, or osmem's under
 * LD_PRELOAD=build/libosmalloc.so).  Used by tests/zones/measure.sh.
 *
 *   loops pair N       N x { p = malloc(32); free(p); }  (for callgrind)
 *   loops churn N      N random replacements in a ring of 1000 live objects
 *                      of 16..512 bytes, single thread
 *   loops prodcons N   2 threads: one mallocs N objects of 16..256 bytes, the
 *                      other frees them (all frees cross-thread)
 *
 * Prints "<mode> <ns per operation>".
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void pair(long n)
{
	for (long i = 0; i < n; i++) {
		void *volatile p = malloc(32);

		free(p);
	}
}

static void churn(long n)
{
	enum { RING = 1000 };
	static void *ring[RING];

	for (long i = 0; i < n; i++) {
		size_t slot = next_random() % RING, size = 16 + next_random() % 497;

		free(ring[slot]);
		ring[slot] = malloc(size);
		((char *)ring[slot])[0] = 1;
	}
	for (int i = 0; i < RING; i++)
		free(ring[i]);
}

/* A single-producer single-consumer ring of pointers. */
#define Q 4096
static void *_Atomic queue[Q];
static long produced_total;

static void *consume(void *arg)
{
	(void)arg;
	for (long i = 0; i < produced_total; i++) {
		void *p;

		while (!(p = atomic_load_explicit(&queue[i % Q], memory_order_acquire)))
			;
		atomic_store_explicit(&queue[i % Q], NULL, memory_order_relaxed);
		free(p);
	}
	return NULL;
}

static void prodcons(long n)
{
	pthread_t t;

	produced_total = n;
	pthread_create(&t, NULL, consume, NULL);
	for (long i = 0; i < n; i++) {
		char *p = malloc(16 + next_random() % 241);

		p[0] = 1;
		while (atomic_load_explicit(&queue[i % Q], memory_order_relaxed))
			;
		atomic_store_explicit(&queue[i % Q], p, memory_order_release);
	}
	pthread_join(t, NULL);
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	double t0;

	if (argc < 2)
		return 2;
	t0 = now_ns();
	if (!strcmp(argv[1], "pair"))
		pair(n);
	else if (!strcmp(argv[1], "churn"))
		churn(n);
	else if (!strcmp(argv[1], "prodcons"))
		prodcons(n);
	else
		return 2;
	printf("%s %.1f\n", argv[1], (now_ns() - t0) / (double)n);
	return 0;
}
