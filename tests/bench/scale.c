/* SPDX-License-Identifier: MIT */
/*
 * scale.c - how the cost of free+malloc grows with the number of live blocks.
 *
 *   scale --alloc osmem|glibc|floor|floor2|floor2-serial [--n N] [--pairs P] [--seed S]
 *         [--max-seconds T] [--quiet]
 *
 * 1. Pre-generate, from a fixed seed, N initial sizes, P new sizes and P
 *    victim indices (sizes uniform in 8..4096 bytes, victims uniform in
 *    [0, N)).  The arrays live in their own mmap()ed memory, so the
 *    benchmark itself never calls libc malloc before or while it runs: in the
 *    osmem run the program break belongs to osmem alone, and both allocators
 *    see the identical operation stream.
 * 2. Fill: allocate the N blocks (touching the first byte of each).  Not timed.
 * 3. Pair loop (timed with CLOCK_MONOTONIC, and nothing else is):
 *    P times, free a uniformly random live block and allocate a new block of
 *    a random size in its slot, touching its first byte.
 *
 * One allocator per process, so each gets a fresh heap.
 *
 * The floors (--alloc floor, floor2) measure what the pair loop costs with no
 * allocator work at all, only the memory traffic no allocator can avoid: the
 * population is filled by os_malloc (the same heap layout as the osmem run),
 * then each "pair" reads the victim's header word (free must look at it) and
 * writes the victim's first byte (the new block takes the victim's own slot).
 * floor2 also reads the header and writes the first byte of a second random
 * live block, standing for "the block best fit hands out is somewhere else".
 * floor2-serial is floor2 with each touch waiting for the one before (the
 * second block's address and the next victim's header depend on the value
 * just read), as an allocator's own chain of reads does: the CPU cannot
 * overlap the misses of one pair with each other or with the next pair's.
 * They tell how much of osmem's growth with N is cache and TLB misses that
 * the machine charges any allocator for, however clever.
 *
 * Time cap (--max-seconds T, 0 = none; applies to the fill and to the pair
 * loop separately, checked every 1024 operations):
 *   - if the pair loop hits it, it stops early; ns/pair is measured over the
 *     pairs done (the loop is in a steady state, so that is an estimate of the
 *     full run) and the result line says pairs_capped=1;
 *   - if the fill hits it, only n_live < N blocks are live; the victims are
 *     folded into [0, n_live) (outside the timing) and the pair loop runs at
 *     that smaller population.  The ns/pair is then a lower bound for N live
 *     blocks (the cost does not fall as the population grows) and the result
 *     line says fill_capped=1.
 *
 * Output: one line of key=value pairs on stdout, e.g.
 *   alloc=osmem n=10000 n_live=10000 pairs=1000000 pairs_done=1000000
 *   ns_per_pair=85.3 fill_s=0.004 loop_s=0.085 cpu_ns_per_pair=84.9
 *   fill_capped=0 pairs_capped=0
 *   checksum=...
 * Exit status 0, or 1 on a usage error or an allocation failure.
 *
 * For callgrind: the timed loop is the function pair_loop() (never inlined),
 * so `valgrind --tool=callgrind --toggle-collect=pair_loop` counts it alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <block_meta.h>
#include <osmem.h>

#define MIN_SIZE 8
#define MAX_SIZE 4096
#define CAP_CHECK_MASK 1023u   /* fill: look at the clock every 1024 blocks */
#define CAP_CHUNK 1024u        /* pair loop: ... and every 1024 pairs */

enum alloc_kind { ALLOC_OSMEM, ALLOC_GLIBC, ALLOC_FLOOR, ALLOC_FLOOR2, ALLOC_FLOOR2_SERIAL };

static enum alloc_kind alloc_kind;

/* splitmix64: small, fast, and identical everywhere. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, bound) (bound <= 2^32; the bias of the multiply-shift is
 * below 2^-32 and the same for both allocators anyway). */
static uint32_t rng_below(uint32_t bound)
{
	return (uint32_t)(((rng_next() >> 32) * (uint64_t)bound) >> 32);
}

static uint32_t random_size(void)
{
	return MIN_SIZE + rng_below(MAX_SIZE - MIN_SIZE + 1);
}

static void die(const char *msg)
{
	/* write(2), not stdio: no libc malloc in the osmem run. */
	(void)!write(2, "scale: ", 7);
	(void)!write(2, msg, strlen(msg));
	(void)!write(2, "\n", 1);
	exit(1);
}

static void *map_array(size_t bytes)
{
	void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap of the operation arrays failed");
	return p;
}

static double clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of this thread: unlike the wall clock, it does not count the time
 * the process waits for a core on a shared machine. */
static double cpu_s(void)
{
	return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

static inline void *bench_alloc(size_t n)
{
	return alloc_kind == ALLOC_GLIBC ? malloc(n) : os_malloc(n);   /* floors: osmem's layout */
}

static inline void bench_free(void *p)
{
	if (alloc_kind == ALLOC_OSMEM)
		os_free(p);
	else
		free(p);
}

/* Allocate the initial population; returns how many blocks are live (fewer
 * than n when the deadline passed first; deadline 0 = none). */
static size_t fill(void **slots, const uint32_t *sizes, size_t n, double deadline)
{
	for (size_t i = 0; i < n; i++) {
		if (deadline > 0 && (i & CAP_CHECK_MASK) == 0 && i > 0 && now_s() > deadline)
			return i;
		char *p = bench_alloc(sizes[i]);

		if (!p)
			die("allocation failed during the fill");
		p[0] = (char)i;
		slots[i] = p;
	}
	return n;
}

/* The timed loop.  Returns the number of pairs done (< pairs when the
 * deadline passed first; deadline 0 = none).  The clock is read only between
 * chunks of 1024 pairs, so the inner loop carries no timing code.  Kept out of
 * line so that callgrind's --toggle-collect=pair_loop counts exactly this. */
#define PAIR_LOOP(FREE, MALLOC, NAME)						\
	for (size_t i = 0; i < pairs;) {					\
		size_t end = pairs - i > CAP_CHUNK ? i + CAP_CHUNK : pairs;	\
										\
		for (; i < end; i++) {						\
			uint32_t v = victims[i];				\
										\
			FREE(slots[v]);						\
			char *p = MALLOC(sizes[i]);				\
										\
			if (__builtin_expect(!p, 0))				\
				die(NAME " failed in the pair loop");		\
			p[0] = (char)i;						\
			slots[v] = p;						\
		}							\
		if (deadline > 0 && i < pairs && now_s() > deadline)		\
			return i;						\
	}

/* The floors' stand-ins for free and malloc (see the top comment).  The
 * header word 32 bytes before the payload is where osmem's size field is;
 * the volatile sink keeps its read. */
static volatile size_t floor_sink;
static size_t floor_last;              /* floor2-serial: the last value read ... */
static volatile size_t floor_zero;     /* ... times 0, unknown to the compiler: a dependency */
static size_t dep_mask;

/* The dependency must be in the code of the serial floor only: a load whose
 * address merely could depend on the last value already waits for it. */
static inline size_t floor_dep(void)
{
	return alloc_kind == ALLOC_FLOOR2_SERIAL ? floor_last & dep_mask : 0;
}

static inline void floor_free(void *p)
{
	if (alloc_kind == ALLOC_FLOOR2_SERIAL) {
		floor_last = *(const size_t *)((const char *)p - sizeof(struct block_meta) + floor_dep());
		floor_sink += floor_last;
	} else {
		floor_sink += *(const size_t *)((const char *)p - sizeof(struct block_meta));
	}
}

static void **floor_slots;          /* the population, for floor_malloc */
static const uint32_t *others;      /* floor2: the second random block of each pair */
static size_t floor_pair;           /* the pair floor_malloc serves */
static void *floor_victim;          /* ... and its victim's payload */

static inline void *floor_malloc(size_t n)
{
	if (alloc_kind != ALLOC_FLOOR) {
		char *q;

		if (alloc_kind == ALLOC_FLOOR2_SERIAL)
			q = floor_slots[others[floor_pair] + floor_dep()];
		else
			q = floor_slots[others[floor_pair]];
		floor_free(q);
		q[0] = (char)n;
	}
	floor_pair++;
	return floor_victim;
}

static inline void floor_take(void *p)
{
	floor_victim = p;
}

__attribute__((noinline))
size_t pair_loop(void **slots, const uint32_t *sizes, const uint32_t *victims,
		 size_t pairs, double deadline)
{
	switch (alloc_kind) {
	case ALLOC_OSMEM:
		PAIR_LOOP(os_free, os_malloc, "os_malloc")
		break;
	case ALLOC_GLIBC:
		PAIR_LOOP(free, malloc, "malloc")
		break;
	default:
#define FLOOR_FREE(p) (floor_free(p), floor_take(p))
		floor_slots = slots;
		dep_mask = alloc_kind == ALLOC_FLOOR2_SERIAL ? floor_zero : 0;
		PAIR_LOOP(FLOOR_FREE, floor_malloc, "floor")
#undef FLOOR_FREE
		break;
	}
	return pairs;
}

static int parse_count(const char *s, size_t *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);   /* accepts 1e6 as well as 1000000 */
	if (errno || end == s || *end || d < 0 || d > 4e9 || d != (double)(size_t)d)
		return -1;
	*out = (size_t)d;
	return 0;
}

static void usage(void)
{
	die("usage: scale --alloc osmem|glibc|floor|floor2|floor2-serial [--n N] [--pairs P] [--seed S] "
	    "[--max-seconds T] [--quiet]");
}

int main(int argc, char **argv)
{
	size_t n = 1000, pairs = 1000000, seed = 42;
	double max_seconds = 0;
	int have_alloc = 0, quiet = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--quiet")) {
			quiet = 1;
			continue;
		}
		if (!val)
			usage();
		i++;
		if (!strcmp(a, "--alloc")) {
			if (!strcmp(val, "osmem"))
				alloc_kind = ALLOC_OSMEM;
			else if (!strcmp(val, "glibc"))
				alloc_kind = ALLOC_GLIBC;
			else if (!strcmp(val, "floor"))
				alloc_kind = ALLOC_FLOOR;
			else if (!strcmp(val, "floor2"))
				alloc_kind = ALLOC_FLOOR2;
			else if (!strcmp(val, "floor2-serial"))
				alloc_kind = ALLOC_FLOOR2_SERIAL;
			else
				usage();
			have_alloc = 1;
		} else if (!strcmp(a, "--n")) {
			if (parse_count(val, &n) || n == 0)
				usage();
		} else if (!strcmp(a, "--pairs")) {
			if (parse_count(val, &pairs))
				usage();
		} else if (!strcmp(a, "--seed")) {
			if (parse_count(val, &seed))
				usage();
		} else if (!strcmp(a, "--max-seconds")) {
			char *end;

			max_seconds = strtod(val, &end);
			if (end == val || *end || max_seconds < 0)
				usage();
		} else {
			usage();
		}
	}
	if (!have_alloc)
		usage();

	/* 1. The operation stream, before any allocation. */
	uint32_t *init_sizes = map_array(n * sizeof(uint32_t));
	uint32_t *sizes = map_array(pairs * sizeof(uint32_t));
	uint32_t *victims = map_array(pairs * sizeof(uint32_t));
	void **slots = map_array(n * sizeof(void *));

	rng_state = seed;
	for (size_t i = 0; i < n; i++)
		init_sizes[i] = random_size();
	for (size_t i = 0; i < pairs; i++) {
		victims[i] = rng_below((uint32_t)n);
		sizes[i] = random_size();
	}
	if (alloc_kind >= ALLOC_FLOOR2) {   /* drawn after the shared stream: it stays the same */
		uint32_t *o = map_array(pairs * sizeof(uint32_t));

		for (size_t i = 0; i < pairs; i++)
			o[i] = rng_below((uint32_t)n);
		others = o;
	}

	/* 2. The population. */
	double t0 = now_s();
	size_t n_live = fill(slots, init_sizes, n, max_seconds > 0 ? t0 + max_seconds : 0);
	double fill_s = now_s() - t0;

	if (n_live < n)
		for (size_t i = 0; i < pairs; i++) {
			victims[i] %= (uint32_t)n_live;
			if (others)
				((uint32_t *)others)[i] %= (uint32_t)n_live;
		}

	/* 3. The timed pair loop. */
	double c1 = cpu_s(), t1 = now_s();
	size_t done = pair_loop(slots, sizes, victims, pairs,
				max_seconds > 0 ? t1 + max_seconds : 0);
	double loop_s = now_s() - t1, loop_cpu_s = cpu_s() - c1;

	/* Something derived from the blocks, so nothing is optimised away. */
	uint64_t checksum = 0;

	for (size_t i = 0; i < n_live; i++)
		checksum = checksum * 31 + (unsigned char)((char *)slots[i])[0];

	/* Only now stdio (whose buffer libc mallocs). */
	printf("alloc=%s n=%zu n_live=%zu pairs=%zu pairs_done=%zu ns_per_pair=%.1f "
	       "fill_s=%.3f loop_s=%.3f cpu_ns_per_pair=%.1f fill_capped=%d pairs_capped=%d checksum=%llu\n",
	       (const char *[]){ "osmem", "glibc", "floor", "floor2", "floor2-serial" }[alloc_kind], n, n_live, pairs, done,
	       done ? loop_s * 1e9 / (double)done : 0.0, fill_s, loop_s,
	       done ? loop_cpu_s * 1e9 / (double)done : 0.0,
	       n_live < n, done < pairs, (unsigned long long)checksum);
	fflush(stdout);
	if (!quiet && (n_live < n || done < pairs))
		fprintf(stderr, "scale: time cap of %gs reached (%s)\n", max_seconds,
			n_live < n ? "fill" : "pair loop");
	return 0;
}
