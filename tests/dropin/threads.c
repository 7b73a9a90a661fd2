/* SPDX-License-Identifier: MIT */
/*
 * threads.c - thread stress test of the libc drop-in.
 *
 * T threads (8) each allocate N blocks (65536) of random sizes, 1 B .. 300 KiB
 * biased small, through every allocating entry point (malloc, calloc,
 * realloc, memalign, posix_memalign, aligned_alloc), fill each with a pattern
 * derived from (thread, sequence number) and hand it to another thread
 * through that thread's ring (a mutex-protected multi-producer queue).  The
 * consumer checks the pattern, sometimes reallocates the block (checking the
 * kept prefix) and frees it: most frees happen on a thread other than the
 * one that allocated.  A tenth of the blocks are checked and freed by their
 * own thread.  A producer whose target ring is full drains its own ring
 * while it waits, so nobody deadlocks.
 *
 *   dropin-threads [-t threads] [-n blocks-per-thread] [-r ring-size]
 *                  [-m max-size] [-s seed] [-o] [-l]
 *
 * -o: meanwhile the main thread keeps changing mallopt(M_MMAP_THRESHOLD)
 * (64 KiB, 128 KiB, 256 KiB, every millisecond), so that blocks move between
 * the heap and mappings under the workers' feet.
 * -l allows running on libc's malloc (to test the test); otherwise the
 * program refuses to run unless malloc is osmem's (LD_PRELOAD).  Ends with
 * "N passed, M failed": one test per thread plus the global checks.
 *
 * Synchronisation is pthread mutexes only (no atomics), so that Valgrind's
 * helgrind understands it: `make check-dropin-helgrind`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <unistd.h>

#include "stress.h"

struct item {
	void *p;
	size_t size;
	uint64_t seq;
	unsigned int thread;
	unsigned int align;   /* the alignment the producer asked for */
};

struct ring {
	pthread_mutex_t mu;
	size_t head, count, cap;
	struct item *items;
};

struct worker {
	pthread_t tid;
	unsigned int id;
	uint64_t rng;
	unsigned long allocated, freed_local, freed_remote, reallocs, ops;
	struct failures fail;
};

static unsigned int nthreads = 8;
static unsigned long blocks_per_thread = 65536;
static size_t ring_cap = 256;
static size_t max_size = 300 * KiB;
static uint64_t seed = 1;
static bool mallopt_stress;

static struct ring *rings;
static struct worker *workers;

static pthread_mutex_t done_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned int producers_done;

static bool ring_push(struct ring *r, const struct item *it)
{
	bool ok;

	pthread_mutex_lock(&r->mu);
	ok = r->count < r->cap;
	if (ok) {
		r->items[(r->head + r->count) % r->cap] = *it;
		r->count++;
	}
	pthread_mutex_unlock(&r->mu);
	return ok;
}

static bool ring_pop(struct ring *r, struct item *it)
{
	bool ok;

	pthread_mutex_lock(&r->mu);
	ok = r->count > 0;
	if (ok) {
		*it = r->items[r->head];
		r->head = (r->head + 1) % r->cap;
		r->count--;
	}
	pthread_mutex_unlock(&r->mu);
	return ok;
}

/* Check a block handed over (or kept), maybe reallocate it, free it. */
static void consume(struct worker *w, const struct item *it, bool remote)
{
	uint64_t s = pattern_seed(it->thread, it->seq);
	size_t at = pattern_check(it->p, it->size, s), usable;
	void *p = it->p;

	w->ops++;
	if (at != it->size)
		fail_note(&w->fail, "block (thread %u, seq %llu) %p of %zu bytes: byte %zu changed", it->thread,
		     (unsigned long long)it->seq, it->p, it->size, at);
	usable = malloc_usable_size(p);
	if (usable < it->size)
		fail_note(&w->fail, "block %p of %zu bytes: malloc_usable_size %zu", p, it->size, usable);
	if (rng_next(&w->rng) % 5 == 0) {
		size_t n = random_size(&w->rng, max_size), keep = n < it->size ? n : it->size;
		void *q = realloc(p, n);

		w->reallocs++;
		w->ops++;
		if (!q) {
			fail_note(&w->fail, "realloc(%p, %zu) returned NULL (errno %d)", p, n, errno);
		} else {
			if ((uintptr_t)q % 16)
				fail_note(&w->fail, "realloc(%p, %zu) = %p: not 16-aligned", p, n, q);
			at = pattern_check(q, keep, s);
			if (at != keep)
				fail_note(&w->fail, "realloc(%zu -> %zu) = %p: byte %zu of the kept %zu lost", it->size, n, q, at,
				     keep);
			memset(q, 0x5a, n);
			p = q;
		}
	}
	free(p);
	if (remote)
		w->freed_remote++;
	else
		w->freed_local++;
}

static unsigned int drain(struct worker *w, unsigned int limit)
{
	struct item it;
	unsigned int n = 0;

	while (n < limit && ring_pop(&rings[w->id], &it)) {
		consume(w, &it, it.thread != w->id);
		n++;
	}
	return n;
}

/* A new block of n bytes through one of the entry points; *align is the
 * alignment asked for (16 for the plain ones: the drop-in's guarantee). */
static void *allocate(struct worker *w, size_t n, unsigned int *align)
{
	unsigned int how = (unsigned int)(rng_next(&w->rng) % 100);
	void *p = NULL;

	*align = 16;
	if (how < 55)
		return malloc(n);
	if (how < 70) {
		p = calloc(how & 1 ? 1 : n, how & 1 ? n : 1);
		if (p && first_nonzero(p, n) != n)
			fail_note(&w->fail, "calloc(%zu) = %p: byte %zu is not zero", n, p, first_nonzero(p, n));
		return p;
	}
	if (how < 75)
		return realloc(NULL, n);
	if (how < 85) {
		/* Grown from a smaller block: exercises realloc's paths too. */
		void *q = malloc(n / 2 + 1);

		if (!q)
			return NULL;
		memset(q, 0x33, n / 2 + 1);
		p = realloc(q, n);
		if (!p)
			free(q);
		return p;
	}
	*align = 32u << (rng_next(&w->rng) % 8);   /* 32 .. 4096 */
	if (how < 90)
		return memalign(*align, n);
	if (how < 95)
		return aligned_alloc(*align, n);
	if (posix_memalign(&p, *align, n) != 0)
		return NULL;
	return p;
}

static void *run(void *arg)
{
	struct worker *w = arg;

	for (unsigned long seq = 0; seq < blocks_per_thread; seq++) {
		size_t n = random_size(&w->rng, max_size);
		unsigned int align;
		struct item it;
		void *p = allocate(w, n, &align);

		w->ops++;
		if (!p) {
			fail_note(&w->fail, "allocation of %zu bytes returned NULL (errno %d)", n, errno);
			continue;
		}
		w->allocated++;
		if ((uintptr_t)p % align)
			fail_note(&w->fail, "allocation of %zu bytes = %p: not %u-aligned", n, p, align);
		it = (struct item){ p, n, seq, w->id, align };
		pattern_fill(p, n, pattern_seed(w->id, seq));

		if (nthreads == 1 || rng_next(&w->rng) % 10 == 0) {
			consume(w, &it, false);
		} else {
			/* Any other thread, at random. */
			unsigned int to = (w->id + 1 + (unsigned int)(rng_next(&w->rng) % (nthreads - 1))) % nthreads;

			while (!ring_push(&rings[to], &it))
				if (drain(w, UINT32_MAX) == 0)
					sched_yield();
		}
		if (seq % 4 == 0)
			drain(w, 4);
	}

	/* Keep consuming until every producer is done, then empty the ring. */
	pthread_mutex_lock(&done_mu);
	producers_done++;
	pthread_mutex_unlock(&done_mu);
	for (;;) {
		unsigned int done;

		pthread_mutex_lock(&done_mu);
		done = producers_done;
		pthread_mutex_unlock(&done_mu);
		if (drain(w, UINT32_MAX) == 0) {
			if (done == nthreads)
				break;
			sched_yield();
		}
	}
	drain(w, UINT32_MAX);
	return NULL;
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-t threads] [-n blocks-per-thread] [-r ring-size] [-m max-size] [-s seed] [-o] [-l]\n",
		prog);
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long total_alloc = 0, total_local = 0, total_remote = 0, total_ops = 0, total_reallocs = 0;
	unsigned int passed = 0, failed = 0;
	bool allow_libc = false, osmem;
	struct mallinfo2 before, after;
	int opt;

	while ((opt = getopt(argc, argv, "t:n:r:m:s:ol")) != -1) {
		switch (opt) {
		case 't': nthreads = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'n': blocks_per_thread = strtoul(optarg, NULL, 0); break;
		case 'r': ring_cap = strtoul(optarg, NULL, 0); break;
		case 'm': max_size = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'o': mallopt_stress = true; break;
		case 'l': allow_libc = true; break;
		default: return usage(argv[0]);
		}
	}
	if (nthreads == 0 || ring_cap == 0 || max_size == 0)
		return usage(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!announce_allocator("dropin-threads", allow_libc)) {
		printf("0 passed, 1 failed\n");
		return 1;
	}
	osmem = running_on_osmem();
	printf("dropin-threads: %u threads x %lu blocks, ring %zu, sizes 1 .. %zu, seed %llu%s\n", nthreads,
	       blocks_per_thread, ring_cap, max_size, (unsigned long long)seed,
	       mallopt_stress ? ", mallopt changes" : "");

	rings = calloc(nthreads, sizeof(*rings));
	workers = calloc(nthreads, sizeof(*workers));
	if (!rings || !workers) {
		printf("0 passed, 1 failed\n");
		return 1;
	}
	for (unsigned int i = 0; i < nthreads; i++) {
		pthread_mutex_init(&rings[i].mu, NULL);
		rings[i].cap = ring_cap;
		rings[i].items = calloc(ring_cap, sizeof(struct item));
		workers[i].id = i;
		workers[i].rng = mix64(seed * 0x9e3779b97f4a7c15ULL + i + 1) | 1;
		if (!rings[i].items) {
			printf("0 passed, 1 failed\n");
			return 1;
		}
	}
	before = mallinfo2();
	for (unsigned int i = 0; i < nthreads; i++) {
		if (pthread_create(&workers[i].tid, NULL, run, &workers[i]) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			printf("0 passed, 1 failed\n");
			return 1;
		}
	}
	if (mallopt_stress) {
		static const int thresholds[] = { 64 * 1024, 128 * 1024, 256 * 1024 };
		unsigned long changes = 0, refused = 0;

		for (;;) {
			unsigned int done;

			pthread_mutex_lock(&done_mu);
			done = producers_done;
			pthread_mutex_unlock(&done_mu);
			if (done == nthreads)
				break;
			refused += mallopt(M_MMAP_THRESHOLD, thresholds[changes++ % 3]) != 1;
			usleep(1000);
		}
		refused += mallopt(M_MMAP_THRESHOLD, 128 * 1024) != 1;
		printf("mallopt: %lu threshold changes while the workers ran\n", changes);
		if (refused) {
			failed++;
			printf("FAILED: mallopt(M_MMAP_THRESHOLD) refused %lu times\n", refused);
		}
	}
	for (unsigned int i = 0; i < nthreads; i++)
		pthread_join(workers[i].tid, NULL);
	after = mallinfo2();

	for (unsigned int i = 0; i < nthreads; i++) {
		struct worker *w = &workers[i];

		total_alloc += w->allocated;
		total_local += w->freed_local;
		total_remote += w->freed_remote;
		total_ops += w->ops;
		total_reallocs += w->reallocs;
		printf("thread %u: %lu allocated, %lu freed here, %lu freed from other threads, %lu reallocs: %s%s\n",
		       i, w->allocated, w->freed_local, w->freed_remote, w->reallocs,
		       w->fail.count ? "FAILED: " : "ok", w->fail.first);
		if (w->fail.count)
			printf("thread %u: %lu failures\n", i, w->fail.count);
		w->fail.count ? failed++ : passed++;
	}
	printf("total: %lu operations, %lu blocks, %lu freed cross-thread (%.1f%%), %lu reallocs\n", total_ops,
	       total_alloc, total_remote, total_alloc ? 100.0 * (double)total_remote / (double)total_alloc : 0.0,
	       total_reallocs);

	/* Every block was freed exactly once. */
	if (total_local + total_remote == total_alloc) {
		passed++;
	} else {
		failed++;
		printf("FAILED: %lu blocks allocated, %lu freed\n", total_alloc, total_local + total_remote);
	}
	/* Most frees happened on another thread than the malloc. */
	if (nthreads == 1 || total_remote * 2 > total_alloc) {
		passed++;
	} else {
		failed++;
		printf("FAILED: only %lu of %lu frees were cross-thread\n", total_remote, total_alloc);
	}
	/* Nothing leaked and no mapping is left (osmem's figures; glibc keeps
	 * freed chunks in its thread caches, counted as in use). */
	if (osmem) {
		printf("mallinfo2: in use %zu -> %zu bytes, mappings %zu -> %zu\n", before.uordblks, after.uordblks,
		       before.hblks, after.hblks);
		if (after.hblks == before.hblks && after.uordblks <= before.uordblks + 64 * KiB) {
			passed++;
		} else {
			failed++;
			printf("FAILED: memory still in use after every block was freed\n");
		}
	}
	for (unsigned int i = 0; i < nthreads; i++) {
		free(rings[i].items);
		pthread_mutex_destroy(&rings[i].mu);
	}
	free(rings);
	free(workers);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
