/* SPDX-License-Identifier: MIT */
/*
 * test_zones.c - the drop-in's small-object zones and per-thread caches
 * (src/zone.c, src/tcache.c), linked with build/libosmalloc.a so that the
 * hidden zone functions (zone_walk, zone_class_of, the knobs) are reachable.
 *
 * Ends with the line "N passed, M failed" (tests).
 *
 * Sizes: each test that counts zones uses a size class of its own that
 * nothing else in this process uses (CUnit and stdio allocate small blocks
 * too), so that its counts are exact.
 */
#define _GNU_SOURCE
#include <CUnit/Basic.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lock.h"
#include "osmem_inspect.h"
#include "tcache.h"
#include "zone.h"

/* ---- helpers ---- */

#include "../dropin/cucheck.h"
#include "../cunit_main.h"

static size_t opaque(size_t x)
{
	volatile size_t v = x;

	return v;
}

static size_t round16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

/* The first byte of the zone holding p (from the registry). */
static void *zone_start_of(const void *p)
{
	unsigned e = zone_entry(p);

	return (void *)(((uintptr_t)p & ~(uintptr_t)(ZONE_GRANULE - 1)) -
			((uintptr_t)(e >> ZONE_ENTRY_CLASS_BITS) << ZONE_GRANULE_SHIFT));
}

/* Per class: zones, objects in them, free ones; and objects by state. */
struct census {
	unsigned cls;
	size_t zones, objects, free_objects;
	size_t state[3];
};

static void census_zone(const struct zone_info *z, void *arg)
{
	struct census *c = arg;

	if (z->size_class != c->cls)
		return;
	c->zones++;
	c->objects += z->objects;
	c->free_objects += z->free_objects;
}

static void census_object(const struct zone_info *z, const void *o, enum zone_object_state s, void *arg)
{
	struct census *c = arg;

	(void)o;
	if (z->size_class == c->cls)
		c->state[s]++;
}

static struct census take_census(size_t size, bool objects)
{
	struct census c = { .cls = zone_class_of_size(size) };

	lock_acquire();
	zone_walk(census_zone, objects ? census_object : NULL, &c);
	lock_release();
	return c;
}

/* Run fn(arg) on a thread of its own and wait for it to exit (its cache is
 * then flushed by the exit hook). */
static void on_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	if (!CHECK(pthread_create(&t, NULL, fn, arg) == 0, "pthread_create failed"))
		return;
	pthread_join(t, NULL);
}

/* ---- size classes ---- */

static void test_class_rounding_and_usable_size(void)
{
	for (size_t n = 0; n <= ZONE_MAX_SIZE; n++) {
		char *p = malloc(opaque(n));
		size_t want = n ? round16(n) : 16;   /* malloc(0) is malloc(1): the 16-byte class */

		if (!CHECK(p != NULL, "malloc(%zu) failed", n))
			return;
		CHECK(zone_class_of(p) == (int)zone_class_of_size(n ? n : 1), "malloc(%zu) = %p: zone class %d",
		      n, (void *)p, zone_class_of(p));
		CHECK(((uintptr_t)p & 15) == 0, "malloc(%zu) = %p: not 16-aligned", n, (void *)p);
		CHECK(malloc_usable_size(p) == want, "malloc(%zu): usable %zu, want %zu", n, malloc_usable_size(p),
		      want);
		memset(p, 0xa5, want);
		free(p);
	}
	tcache_flush_all();   /* leave the classes' zones empty for the tests below */
	/* One byte past the largest class: the heap, not a zone. */
	char *p = malloc(opaque(ZONE_MAX_SIZE + 1));

	CHECK(p && zone_class_of(p) < 0, "malloc(%d) = %p came from a zone", ZONE_MAX_SIZE + 1, (void *)p);
	CHECK(p && malloc_usable_size(p) >= ZONE_MAX_SIZE + 1, "malloc(%d): usable %zu", ZONE_MAX_SIZE + 1,
	      p ? malloc_usable_size(p) : 0);
	free(p);
}

/* The registry answers for addresses it never saw, without touching them. */
static void test_zone_lookup(void)
{
	char stack_byte;
	char *small = malloc(opaque(48)), *heap = malloc(opaque(5000)), *mapped = malloc(opaque(1 << 20));

	CHECK(zone_class_of(small) == 2, "malloc(48): class %d, want 2 (48 bytes)", zone_class_of(small));
	CHECK(zone_is_slot_start(small), "malloc(48) = %p is not a slot start", (void *)small);
	CHECK(!zone_is_slot_start(small + 16), "an interior pointer passed as a slot start");
	/* The zone header is no object: the zone's first byte, its last header
	 * byte; the first object follows the header. */
	CHECK(!zone_is_slot_start(zone_start_of(small)), "the zone header passed as a slot start");
	CHECK(!zone_is_slot_start((char *)zone_start_of(small) + ZONE_HEADER - 16), "header passed as a slot");
	CHECK(zone_is_slot_start((char *)zone_start_of(small) + ZONE_HEADER), "the first object is no slot start");
	CHECK(zone_is_slot_start((char *)zone_start_of(small) + ZONE_HEADER + 48 * 5), "the 6th object is no slot");
	CHECK(!zone_is_slot_start((char *)zone_start_of(small) + ZONE_HEADER + 48 * 5 + 32), "mid-object passed");
	CHECK(zone_class_of(heap) < 0, "a 5000-byte heap block is in a zone");
	CHECK(zone_class_of(mapped) < 0, "a mapped block is in a zone");
	CHECK(zone_class_of(&stack_byte) < 0, "the stack is in a zone");
	CHECK(zone_class_of(NULL) < 0, "NULL is in a zone");
	CHECK(zone_class_of((void *)UINTPTR_MAX) < 0, "the last address is in a zone");
	free(small);
	free(heap);
	free(mapped);
}

/* ---- zones come and go ---- */

/* Zones of 7 granules: ceil((32 + 256 + 100 * 1008) / 16384) = 7 (the next
 * block's 32-byte header, the zone header, 100 objects), 114688 - 32 bytes,
 * holding (114656 - 256) / 1008 = 113 objects. */
#define BIG_CLASS_SIZE 1008

struct batch {
	size_t size, count;
	void **p;
};

static void *alloc_batch(void *arg)
{
	struct batch *b = arg;

	for (size_t i = 0; i < b->count; i++)
		b->p[i] = malloc(b->size);
	return NULL;
}

static void *free_batch(void *arg)
{
	struct batch *b = arg;

	for (size_t i = 0; i < b->count; i++)
		free(b->p[i]);
	return NULL;
}

static void test_empty_zones_return_to_the_heap(void)
{
	enum { N = 400 };   /* 400 / 113 objects per zone: 4 zones (3 full, 1 with 61 objects) */
	static void *p[N];
	struct batch b = { BIG_CLASS_SIZE, N, p };
	struct census before = take_census(BIG_CLASS_SIZE, false), during, after;
	size_t in_use_during, in_use_after;

	on_thread(alloc_batch, &b);
	during = take_census(BIG_CLASS_SIZE, false);
	in_use_during = mallinfo2().uordblks;
	/* Before: at most the spare zone, empty (the first test used the class
	 * and flushed its cache).  A new zone is made only when no zone of the
	 * class has a free object, so the 400 objects fill ceil(400 / 113) = 4
	 * zones; the allocating thread exited, so nothing of the class is cached. */
	CHECK(before.zones <= opt_zone_spare && before.free_objects == before.objects,
	      "class of %d bytes before: %zu zones, %zu of %zu objects free", BIG_CLASS_SIZE, before.zones,
	      before.free_objects, before.objects);
	CHECK(during.zones == 4, "400 objects of %d bytes: %zu zones, want 4", BIG_CLASS_SIZE, during.zones);
	CHECK(during.objects - during.free_objects == N, "%zu objects taken, want %d",
	      during.objects - during.free_objects, N);
	/* Every object, in whichever of its zone's 7 granules it lies, is found
	 * through the registry, with its class, as an object's start. */
	size_t found = 0;

	for (size_t i = 0; i < N; i++)
		found += zone_class_of(p[i]) == (int)zone_class_of_size(BIG_CLASS_SIZE) && zone_is_slot_start(p[i]);
	CHECK(found == N, "%zu of %d objects found in their zone", found, N);
	on_thread(free_batch, &b);
	after = take_census(BIG_CLASS_SIZE, false);
	in_use_after = mallinfo2().uordblks;
	/* Everything freed: one empty zone stays as the class's spare
	 * (opt_zone_spare = 1), the other three went back to the heap. */
	CHECK(after.zones == opt_zone_spare, "after freeing all: %zu zones, want %zu", after.zones, opt_zone_spare);
	CHECK(after.free_objects == after.objects, "after freeing all: %zu of %zu objects free",
	      after.free_objects, after.objects);
	/* In use fell by the 400 objects, give or take the few small blocks the
	 * thread library and CUnit allocated in between (4 KiB of slack). */
	CHECK(in_use_during + 4096 >= in_use_after + (size_t)N * BIG_CLASS_SIZE,
	      "mallinfo2 in use: %zu while 400 objects lived, %zu after", in_use_during, in_use_after);
}

/* Zones cut one after another from the heap leave no free gap between them:
 * a zone's block ends one block header before a granule boundary, so the
 * next zone's header fits there and its payload starts on the boundary. */
#define PACKED_CLASS_SIZE 880   /* a class nobody else uses */

struct heap_seen {
	size_t zones;          /* zones of the class */
	size_t misaligned;     /* zones whose block does not end a header before a granule */
	size_t gaps;           /* free blocks of less than a granule between two zones of the class */
	int last_kind[2];      /* the two blocks before the current one: 1 zone of the class, 2 small free, 0 other */
};

static void see_block(void *arg, const void *header, size_t header_bytes, size_t payload_bytes, int kind)
{
	struct heap_seen *h = arg;
	const char *payload = (const char *)header + header_bytes;
	int now = 0;

	if (kind == OS_BLOCK_ALLOC && zone_class_of(payload) == (int)zone_class_of_size(PACKED_CLASS_SIZE) &&
	    ((uintptr_t)payload & (ZONE_GRANULE - 1)) == 0) {
		now = 1;
		h->zones++;
		h->misaligned += ((uintptr_t)(payload + payload_bytes + header_bytes) & (ZONE_GRANULE - 1)) != 0;
		h->gaps += h->last_kind[0] == 2 && h->last_kind[1] == 1;
	} else if (kind == OS_BLOCK_FREE && payload_bytes < ZONE_GRANULE) {
		now = 2;
	}
	h->last_kind[1] = h->last_kind[0];
	h->last_kind[0] = now;
}

static void test_zones_are_contiguous(void)
{
	/* ceil((32 + 256 + 100 * 880) / 16384) = 6 granules: (98304 - 32 - 256) / 880 = 111 objects
	 * a zone; 16 * 111 objects fill 16 zones. */
	enum { N = 16 * 111 };
	static void *p[N];
	struct heap_seen h = { 0 };

	for (size_t i = 0; i < N; i++)
		p[i] = malloc(opaque(PACKED_CLASS_SIZE));
	os_heap_walk(see_block, &h);
	CHECK(h.zones >= 16, "%zu objects of %d bytes: %zu zones", (size_t)N, PACKED_CLASS_SIZE, h.zones);
	CHECK(h.misaligned == 0, "%zu of %zu zones end elsewhere than a header before a granule", h.misaligned,
	      h.zones);
	CHECK(h.gaps == 0, "%zu free gaps of less than a granule between two zones", h.gaps);
	for (size_t i = 0; i < N; i++)
		free(p[i]);
	tcache_flush_all();
}

/* ---- threads ---- */

#define QUEUE_CAP 256

struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void *slot[QUEUE_CAP];
	size_t head, tail;
	bool done;
};

struct pc_args {
	struct queue *q;
	size_t count;
	const size_t *sizes;
	size_t nsizes;
	size_t bad;   /* consumer: objects whose contents were not the producer's */
};

static void *producer(void *arg)
{
	struct pc_args *a = arg;
	struct queue *q = a->q;

	for (size_t i = 0; i < a->count; i++) {
		size_t n = a->sizes[i % a->nsizes];
		unsigned char *p = malloc(n);

		if (!p)
			abort();
		memset(p, (int)(n & 0xff), n);
		pthread_mutex_lock(&q->mu);
		while (q->tail - q->head == QUEUE_CAP)
			pthread_cond_wait(&q->cv, &q->mu);
		q->slot[q->tail++ % QUEUE_CAP] = p;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
	}
	pthread_mutex_lock(&q->mu);
	q->done = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

static void *consumer(void *arg)
{
	struct pc_args *a = arg;
	struct queue *q = a->q;

	for (size_t i = 0;; i++) {
		unsigned char *p;
		size_t n = a->sizes[i % a->nsizes];

		pthread_mutex_lock(&q->mu);
		while (q->head == q->tail && !q->done)
			pthread_cond_wait(&q->cv, &q->mu);
		if (q->head == q->tail) {
			pthread_mutex_unlock(&q->mu);
			return NULL;
		}
		p = q->slot[q->head++ % QUEUE_CAP];
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		if (p[0] != (n & 0xff) || p[n - 1] != (n & 0xff))
			a->bad++;
		free(p);
	}
}

/* Every free is cross-thread: the consumer's bins fill and flush to the zones,
 * the producer's bins refill from them.  No leak: once both threads exited,
 * every object of their classes is free in its zone again. */
static void test_producer_consumer_cross_thread(void)
{
	static const size_t sizes[] = { 720, 736, 752 };   /* classes nobody else uses */
	static struct queue q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, 0, 0, false };
	struct pc_args a = { &q, 200000, sizes, 3, 0 };
	pthread_t prod, cons;

	if (!CHECK(pthread_create(&prod, NULL, producer, &a) == 0 && pthread_create(&cons, NULL, consumer, &a) == 0,
		   "pthread_create failed"))
		return;
	pthread_join(prod, NULL);
	pthread_join(cons, NULL);
	CHECK(a.bad == 0, "%zu objects reached the consumer corrupted", a.bad);
	for (size_t i = 0; i < 3; i++) {
		struct census c = take_census(sizes[i], false);

		CHECK(c.free_objects == c.objects, "class %zu bytes: %zu of %zu objects free after both threads exited",
		      sizes[i], c.free_objects, c.objects);
		CHECK(c.zones <= opt_zone_spare, "class %zu bytes: %zu zones kept, spare is %zu", sizes[i], c.zones,
		      opt_zone_spare);
	}
}

struct keep_args {
	size_t size, count;
	size_t cached_before_exit;   /* objects of the class marked as cached while the thread lived */
};

/* Allocate and free `count` objects: they stay in this thread's bin. */
static void *fill_own_cache(void *arg)
{
	struct keep_args *a = arg;
	void *p[32];

	for (size_t i = 0; i < a->count; i++)
		p[i] = malloc(a->size);
	for (size_t i = 0; i < a->count; i++)
		free(p[i]);
	a->cached_before_exit = take_census(a->size, true).state[ZONE_OBJECT_CACHED];
	return NULL;
}

static void test_thread_exit_flushes_the_cache(void)
{
	struct keep_args a = { 704, 6, 0 };   /* 6 < the bin's limit: max(8, 4096 / 704 = 5) = 8 */
	struct census after;

	on_thread(fill_own_cache, &a);
	after = take_census(a.size, true);
	/* The refill took half the bin's limit (8 / 2 = 4) at a time: 4 + 4
	 * objects taken, 6 used and freed into the bin, 2 left in it: all 8
	 * cached while the thread lived (8 <= the limit: no flush). */
	CHECK(a.cached_before_exit == 8, "while the thread lived: %zu cached objects, want 8",
	      a.cached_before_exit);
	CHECK(after.state[ZONE_OBJECT_CACHED] == 0 && after.state[ZONE_OBJECT_IN_USE] == 0,
	      "after the thread exited: %zu cached, %zu in use", after.state[ZONE_OBJECT_CACHED],
	      after.state[ZONE_OBJECT_IN_USE]);
	CHECK(after.free_objects == after.objects, "after exit: %zu of %zu free", after.free_objects, after.objects);
}

/* A bin holds at most opt_tcache_bytes (4 KiB) of objects, but never fewer
 * than 8, and never more than opt_tcache_count (64): the memory a thread keeps
 * to itself stays near a page per class. */
struct bin_args {
	uint32_t limit[3];
	size_t cached;
};

#define BOUNDED_CLASS_SIZE 640   /* a class nobody else uses */

static void *fill_and_free(void *arg)
{
	struct bin_args *a = arg;
	static const size_t sizes[3] = { 16, 256, 1024 };
	void *p[40];

	for (size_t i = 0; i < 3; i++) {
		free(malloc(opaque(sizes[i])));
		a->limit[i] = tcache_local.bins[zone_class_of_size(sizes[i])].limit;
	}
	for (size_t i = 0; i < 40; i++)
		p[i] = malloc(opaque(BOUNDED_CLASS_SIZE));
	for (size_t i = 0; i < 40; i++)
		free(p[i]);
	a->cached = take_census(BOUNDED_CLASS_SIZE, true).state[ZONE_OBJECT_CACHED];
	return NULL;
}

static void test_bins_bounded_by_bytes(void)
{
	struct bin_args a = { { 0 }, 0 };

	on_thread(fill_and_free, &a);
	/* min(64, max(8, 4096 / size)): 16 bytes -> 64 (the count bound), 256 -> 16, 1024 -> 8 (the floor). */
	CHECK(a.limit[0] == 64 && a.limit[1] == 16 && a.limit[2] == 8, "bin limits %u, %u, %u; want 64, 16, 8",
	      a.limit[0], a.limit[1], a.limit[2]);
	/* 640 bytes: limit max(8, 6) = 8.  40 mallocs empty the bin (refills of
	 * 8 / 2 = 4); the first 8 frees fill it, then each free into the full bin
	 * gives 4 back and keeps 5: 8 -> 5, 6, 7, 8 per 4 frees; 32 more frees
	 * are 8 such rounds, ending at 8 cached objects = the limit. */
	CHECK(a.cached == 8, "%zu objects of %d bytes cached after 40 frees, want 8", a.cached, BOUNDED_CLASS_SIZE);
}

/* opt_tcache_count = 0: a thread set up afterwards caches nothing, frees go
 * straight back to the zone. */
static void *alloc_free_one(void *arg)
{
	struct census *c = arg;
	void *p = malloc(688);

	free(p);
	*c = take_census(688, true);
	return NULL;
}

static void test_no_cache_knob(void)
{
	size_t saved = opt_tcache_count;
	struct census c;

	opt_tcache_count = 0;
	on_thread(alloc_free_one, &c);
	opt_tcache_count = saved;
	CHECK(c.zones == 1 && c.state[ZONE_OBJECT_CACHED] == 0 && c.free_objects == c.objects,
	      "without a cache: %zu zones, %zu cached, %zu of %zu free", c.zones, c.state[ZONE_OBJECT_CACHED],
	      c.free_objects, c.objects);
}

static void test_object_states(void)
{
	void *p = malloc(672);
	struct census c = take_census(672, true);

	CHECK(c.state[ZONE_OBJECT_IN_USE] == 1, "one object in use: census says %zu", c.state[ZONE_OBJECT_IN_USE]);
	free(p);
	c = take_census(672, true);
	CHECK(c.state[ZONE_OBJECT_IN_USE] == 0 && c.state[ZONE_OBJECT_CACHED] >= 1,
	      "after free: %zu in use, %zu cached", c.state[ZONE_OBJECT_IN_USE], c.state[ZONE_OBJECT_CACHED]);
	tcache_flush_all();
	c = take_census(672, true);
	CHECK(c.state[ZONE_OBJECT_CACHED] == 0 && c.free_objects == c.objects,
	      "after a flush: %zu cached, %zu of %zu free", c.state[ZONE_OBJECT_CACHED], c.free_objects, c.objects);
}

/* ---- fork ---- */

static volatile bool churn_stop;

static void *churn(void *arg)
{
	(void)arg;
	while (!churn_stop) {
		void *p[64];

		for (int i = 0; i < 64; i++)
			p[i] = malloc((size_t)(i * 16 + 1));
		for (int i = 0; i < 64; i++)
			free(p[i]);
	}
	return NULL;
}

/* The child of a process whose threads churn through their caches and the
 * zones can allocate and free small objects of every class. */
static void test_fork_with_threads(void)
{
	pthread_t t[2];
	int forks_ok = 0;

	churn_stop = false;
	for (int i = 0; i < 2; i++)
		if (!CHECK(pthread_create(&t[i], NULL, churn, NULL) == 0, "pthread_create failed"))
			return;
	for (int f = 0; f < 20; f++) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			alarm(10);
			for (int round = 0; round < 50; round++) {
				void *p[64];

				for (int i = 0; i < 64; i++)
					if (!(p[i] = malloc((size_t)(i * 16 + 5))))
						_exit(1);
				for (int i = 0; i < 64; i++)
					free(p[i]);
			}
			_exit(0);
		}
		if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			forks_ok++;
	}
	churn_stop = true;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK(forks_ok == 20, "%d of 20 children allocated and exited cleanly", forks_ok);
}

/* ---- misuse ---- */

static void double_free_in_cache(void)
{
	void *volatile p = malloc(32);

	free(p);
	free(p);
}

/* The first free's object went back to its zone (the bin overflowed and
 * flushed its older half) before the second free. */
static void double_free_in_zone(void)
{
	static void *p[200];

	for (int i = 0; i < 200; i++)
		p[i] = malloc(48);
	for (int i = 0; i < 200; i++)
		free(p[i]);
	free(p[0]);   /* freed first: among the flushed ones */
}

static void interior_pointer(void)
{
	char *volatile p = malloc(64);

	free(p + 16);
}

static void zone_header_pointer(void)
{
	char *p = malloc(64);

	free(zone_start_of(p));
}

static void realloc_freed_object(void)
{
	void *volatile p = malloc(100), *volatile q;

	free(p);
	q = realloc(p, 200);
	(void)q;
}

static void usable_size_of_interior(void)
{
	char *volatile p = malloc(100);

	(void)malloc_usable_size(p + 32);
}


static void test_double_free_detected(void)
{
	EXPECT_ABORT(double_free_in_cache, "osmem: free(): ", "double free");
	EXPECT_ABORT(double_free_in_zone, "osmem: free(): ", "double free");
	EXPECT_ABORT(realloc_freed_object, "osmem: realloc(): ", "double free");
}

static void test_invalid_pointers_detected(void)
{
	EXPECT_ABORT(interior_pointer, "osmem: free(): ", "invalid pointer");
	EXPECT_ABORT(zone_header_pointer, "osmem: free(): ", "invalid pointer");
	EXPECT_ABORT(usable_size_of_interior, "osmem: malloc_usable_size(): ", "invalid pointer");
}

/* ---- realloc, calloc, aligned requests, mallopt ---- */

static void test_realloc_across_classes(void)
{
	unsigned char *p = malloc(20), *q;

	for (int i = 0; i < 20; i++)
		p[i] = (unsigned char)(i + 1);
	q = realloc(p, 32);   /* 32 fits the 32-byte class of malloc(20): in place */
	CHECK(q == p, "realloc(20 -> 32) moved %p to %p", (void *)p, (void *)q);
	p = realloc(q, 100);  /* class of 112 bytes */
	CHECK(p && zone_class_of(p) == 6 && malloc_usable_size(p) == 112, "realloc(32 -> 100): class %d, usable %zu",
	      zone_class_of(p), p ? malloc_usable_size(p) : 0);
	q = realloc(p, 5000);  /* past the zones: a heap block */
	CHECK(q && zone_class_of(q) < 0 && malloc_usable_size(q) >= 5000, "realloc(100 -> 5000): class %d",
	      q ? zone_class_of(q) : 99);
	p = realloc(q, 10);    /* a heap block shrinks in place */
	CHECK(p == q, "realloc(5000 -> 10) moved the heap block");
	for (int i = 0; i < 10 && p; i++)   /* the first 10 of the 20 bytes survived every move */
		if (!CHECK(p[i] == (unsigned char)(i + 1), "byte %d lost", i))
			break;
	free(p);
}

static void test_calloc_zeroes_recycled_objects(void)
{
	unsigned char *p = malloc(64), *q;
	size_t nonzero = 0;

	memset(p, 0xff, 64);
	free(p);
	q = calloc(4, 16);   /* the same class: p comes back from the bin */
	CHECK(q == p, "calloc(4, 16) did not reuse the cached object");
	for (size_t i = 0; q && i < malloc_usable_size(q); i++)
		nonzero += q[i] != 0;
	CHECK(nonzero == 0, "calloc left %zu non-zero bytes", nonzero);
	free(q);
}

static void test_small_alignments_use_zones(void)
{
	void *p = memalign(16, 100), *q = NULL, *r = aligned_alloc(8, 64), *s = memalign(32, 100);

	CHECK(p && zone_class_of(p) >= 0, "memalign(16, 100) not from a zone");
	CHECK(posix_memalign(&q, 16, 200) == 0 && zone_class_of(q) >= 0, "posix_memalign(16, 200) not from a zone");
	CHECK(r && zone_class_of(r) >= 0, "aligned_alloc(8, 64) not from a zone");
	CHECK(s && ((uintptr_t)s & 31) == 0, "memalign(32, 100) = %p", s);
	free(p);
	free(q);
	free(r);
	free(s);
}

static void test_mmap_threshold_zero_bypasses_zones(void)
{
	void *p;

	CHECK(mallopt(M_MMAP_THRESHOLD, 0) == 1, "mallopt refused");
	p = malloc(16);
	CHECK(p && zone_class_of(p) < 0, "threshold 0: malloc(16) still from a zone");
	free(p);
	/* 1024 + 32-byte header < 1057: a 1024-byte request stays in a zone;
	 * at 1056 it would be mapped, so it must leave the zones. */
	CHECK(mallopt(M_MMAP_THRESHOLD, 1057) == 1 && zone_max_request == 1024, "threshold 1057: limit %zu",
	      zone_max_request);
	CHECK(mallopt(M_MMAP_THRESHOLD, 1056) == 1 && zone_max_request == 1008, "threshold 1056: limit %zu",
	      zone_max_request);
	CHECK(mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1 && zone_max_request == ZONE_MAX_SIZE,
	      "restored: limit %zu", zone_max_request);
}

/* ---- runner ---- */

#define TEST(fn) { #fn, fn }

static CU_TestInfo tests[] = {
	TEST(test_class_rounding_and_usable_size),
	TEST(test_zone_lookup),
	TEST(test_empty_zones_return_to_the_heap),
	TEST(test_zones_are_contiguous),
	TEST(test_producer_consumer_cross_thread),
	TEST(test_thread_exit_flushes_the_cache),
	TEST(test_bins_bounded_by_bytes),
	TEST(test_no_cache_knob),
	TEST(test_object_states),
	TEST(test_fork_with_threads),
	TEST(test_double_free_detected),
	TEST(test_invalid_pointers_detected),
	TEST(test_realloc_across_classes),
	TEST(test_calloc_zeroes_recycled_objects),
	TEST(test_small_alignments_use_zones),
	TEST(test_mmap_threshold_zero_bypasses_zones),
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "zones", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
	return cunit_main(suites, argc, argv);
}
