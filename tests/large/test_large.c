/* SPDX-License-Identifier: MIT */
/*
 * test_large.c - the drop-in's dynamic mapping threshold (src/mapped.c):
 * build/libosmalloc.a linked in, so that malloc is osmem's and the OS
 * layer's system call counters (src/os.h) and the knob table
 * (src/options.h) are reachable.
 *
 * Each test starts from the profile's defaults (reset_knobs writes the knob
 * variables directly, which does not pin the threshold the way mallopt
 * does) with an empty heap top and mapping cache (malloc_trim).
 *
 * Sizes, and why: a block of n bytes is a mapping of HDR + n bytes rounded
 * up to the page; freeing it sets the threshold to that length + 1 (so a
 * request of the same size no longer maps) and the trim threshold to twice
 * that, the madvise threshold to at least 8 times that.
 *
 * Ends with "N passed, M failed".  With --env-child OPTIONS it is the child
 * of test_environment_pins_the_threshold instead.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../dropin/cunit.h"
#include "options.h"
#include "os.h"

#define KiB ((size_t)1024)
#define MiB (KiB * 1024)
#define HDR 32                   /* the block header */
#define DEFAULT_THRESHOLD (128 * KiB)
#define CAP (32 * MiB)           /* OSMEM_MMAP_THRESHOLD_MAX */

static size_t page(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* The length of the mapping that holds an n-byte block. */
static size_t map_len(size_t n)
{
	return (HDR + n + page() - 1) & ~(page() - 1);
}

static size_t saved_knobs[32];

static void save_knobs(void)
{
	for (size_t i = 0; option_knobs[i].name; i++)
		saved_knobs[i] = *option_knobs[i].var;
}

static void reset_knobs(void)
{
	for (size_t i = 0; option_knobs[i].name; i++)
		*option_knobs[i].var = saved_knobs[i];
	malloc_trim(0);
}

/* A snapshot of the system call counters. */
struct counts {
	unsigned long n[OS_OP_COUNT];
};

static struct counts now(void)
{
	struct counts c;

	for (int op = 0; op < OS_OP_COUNT; op++)
		c.n[op] = os_calls((enum os_op)op);
	return c;
}

static unsigned long since(const struct counts *c, enum os_op op)
{
	return os_calls(op) - c->n[op];
}

static unsigned long syscalls_since(const struct counts *c)
{
	unsigned long sum = 0;

	for (int op = 0; op < OS_OP_COUNT; op++)
		sum += since(c, (enum os_op)op);
	return sum;
}

static void touch(void *p, size_t n)
{
	for (size_t i = 0; i < n; i += page())
		((volatile char *)p)[i] = 1;
}

/* ---- the threshold rises ---- */

/* Fresh defaults: 1 MiB maps (1 MiB + 32 >= 128 KiB).  Its free raises the
 * threshold to map_len(1 MiB) + 1 and the trim threshold to twice that.  The
 * second 1 MiB malloc comes from the heap (no mmap, no mapped block); its
 * free leaves a free top of about 1 MiB + the top pad, below the trim
 * threshold of 2 MiB and more, so the heap keeps it, and a third pair makes
 * no system call at all. */
static void test_freed_mapping_raises_the_threshold(void)
{
	size_t t = map_len(MiB) + 1, hblks;
	struct counts c;
	void *p;

	reset_knobs();
	CHECK(opt_mmap_threshold == DEFAULT_THRESHOLD && opt_mmap_threshold_dynamic == 1,
	      "defaults: threshold %zu, dynamic %zu", opt_mmap_threshold, opt_mmap_threshold_dynamic);
	hblks = mallinfo2().hblks;
	c = now();
	p = malloc(MiB);
	CHECK(since(&c, OS_OP_MAP) == 1 && mallinfo2().hblks == hblks + 1, "the first malloc(1 MiB) did not map");
	touch(p, MiB);
	c = now();
	free(p);
	CHECK(since(&c, OS_OP_UNMAP) == 1, "the mapping that raised the threshold was kept (%lu munmap)",
	      since(&c, OS_OP_UNMAP));
	CHECK(opt_mmap_threshold == t && opt_trim_threshold == 2 * t && opt_madvise_threshold >= 8 * t,
	      "after the free: threshold %zu (expected %zu), trim %zu, madvise %zu", opt_mmap_threshold, t,
	      opt_trim_threshold, opt_madvise_threshold);
	c = now();
	p = malloc(MiB);
	CHECK(p && since(&c, OS_OP_MAP) == 0 && mallinfo2().hblks == hblks,
	      "the second malloc(1 MiB): %lu mmap, %zu mapped blocks", since(&c, OS_OP_MAP), mallinfo2().hblks);
	touch(p, MiB);
	free(p);
	CHECK(since(&c, OS_OP_SBRK_DOWN) == 0 && since(&c, OS_OP_ADVISE) == 0,
	      "the heap gave the 1 MiB back at once: %lu brk down, %lu madvise", since(&c, OS_OP_SBRK_DOWN),
	      since(&c, OS_OP_ADVISE));
	c = now();
	p = malloc(MiB);
	touch(p, MiB);
	free(p);
	CHECK(syscalls_since(&c) == 0, "the third 1 MiB pair made %lu system calls", syscalls_since(&c));
	CHECK(opt_mmap_threshold == t, "a heap block's free moved the threshold to %zu", opt_mmap_threshold);
}

/* The threshold only rises: freeing a 200 KiB mapping after the 1 MiB one
 * changes nothing (200 KiB no longer maps at all: it comes from the heap). */
static void test_threshold_never_falls(void)
{
	size_t t = map_len(MiB) + 1;

	reset_knobs();
	free(malloc(MiB));
	free(malloc(200 * KiB));
	CHECK(opt_mmap_threshold == t, "threshold %zu after 1 MiB then 200 KiB, expected %zu", opt_mmap_threshold, t);
}

/* The cap: a 40 MiB mapping's free leaves the threshold alone (longer than
 * 32 MiB, as glibc ignores it).  A block of 32 MiB - 4 KiB maps exactly
 * 32 MiB (header + size rounded to the page), and its free sets the
 * threshold to the cap itself (32 MiB + 1 would be above it): then 40 MiB
 * still maps, as does a second 40 MiB, and the threshold stays 32 MiB. */
static void test_threshold_stops_at_the_cap(void)
{
	size_t hblks;
	void *p;

	reset_knobs();
	free(malloc(40 * MiB));
	CHECK(opt_mmap_threshold == DEFAULT_THRESHOLD, "40 MiB freed: threshold %zu", opt_mmap_threshold);
	CHECK(map_len(CAP - 4 * KiB) == CAP, "32 MiB - 4 KiB maps %zu bytes", map_len(CAP - 4 * KiB));
	free(malloc(CAP - 4 * KiB));
	CHECK(opt_mmap_threshold == CAP && opt_trim_threshold == 2 * CAP, "a 32 MiB mapping freed: threshold %zu",
	      opt_mmap_threshold);
	hblks = mallinfo2().hblks;
	p = malloc(40 * MiB);
	CHECK(p && mallinfo2().hblks == hblks + 1, "40 MiB was not mapped above the cap");
	free(p);
	CHECK(opt_mmap_threshold == CAP, "threshold %zu after a second 40 MiB free", opt_mmap_threshold);
}

/* ---- set explicitly, it stays put ---- */

/* mallopt(M_MMAP_THRESHOLD) pins the threshold (dynamic knob 0): 1 MiB maps
 * every time and its free changes nothing.  The same for M_TRIM_THRESHOLD,
 * M_TOP_PAD and M_MMAP_MAX, as in glibc (each leaves the threshold at the
 * default, 128 KiB, here). */
static void test_mallopt_pins_the_threshold(void)
{
	static const int params[] = { M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_MAX };
	static const int values[] = { 256 * 1024, 512 * 1024, 128 * 1024, 65536 };

	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		size_t expect, hblks;
		void *p;

		reset_knobs();
		CHECK(mallopt(params[i], values[i]) == 1, "mallopt(%d, %d) refused", params[i], values[i]);
		expect = opt_mmap_threshold;
		CHECK(opt_mmap_threshold_dynamic == 0, "mallopt(%d) left the threshold dynamic", params[i]);
		for (int round = 0; round < 2; round++) {
			hblks = mallinfo2().hblks;
			p = malloc(MiB);
			CHECK(p && mallinfo2().hblks == hblks + 1, "mallopt(%d): 1 MiB not mapped in round %d",
			      params[i], round);
			free(p);
		}
		CHECK(opt_mmap_threshold == expect, "mallopt(%d): the threshold moved to %zu", params[i],
		      opt_mmap_threshold);
	}
}

/* Run this program with OSMEM_OPTIONS=options; its exit status. */
static int run_env_child(const char *options)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		setenv("OSMEM_OPTIONS", options, 1);
		execl("/proc/self/exe", "test_large", "--env-child", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The child: free a 1 MiB mapping, exit 0 if the threshold rose, 1 if it
 * stayed, 2 if the first 1 MiB did not map. */
static int env_child(void)
{
	size_t before, hblks = mallinfo2().hblks;
	void *p = malloc(MiB);

	if (mallinfo2().hblks != hblks + 1)
		return 2;
	before = opt_mmap_threshold;
	free(p);
	return opt_mmap_threshold > before ? 0 : 1;
}

/* OSMEM_OPTIONS: mmap_threshold=256k pins it (later items win:
 * mmap_threshold_dynamic=1 after it turns the rule back on);
 * mmap_threshold_dynamic=0 turns it off; top_pad pins it as mallopt does;
 * madvise_threshold is no glibc parameter and leaves it dynamic. */
static void test_environment_pins_the_threshold(void)
{
	CHECK(run_env_child("mmap_threshold=256k") == 1, "mmap_threshold=256k: the threshold rose");
	CHECK(run_env_child("mmap_threshold=256k,mmap_threshold_dynamic=1") == 0,
	      "mmap_threshold=256k,mmap_threshold_dynamic=1: the threshold stayed");
	CHECK(run_env_child("mmap_threshold_dynamic=0") == 1, "mmap_threshold_dynamic=0: the threshold rose");
	CHECK(run_env_child("top_pad=64k") == 1, "top_pad=64k: the threshold rose");
	CHECK(run_env_child("madvise_threshold=1m") == 0, "madvise_threshold=1m: the threshold stayed");
	CHECK(run_env_child("") == 0, "defaults: the threshold stayed");
}

/* ---- memory goes back ---- */

/* After a 3 MiB mapping's free, t = map_len(3 MiB) + 1 and the trim
 * threshold 2t, a bit over 6 MiB.  Four 3 MiB blocks now come from the heap,
 * one after the other at its top; freed in order, the first three merge
 * into a free range in the middle (9 MiB freed < 8t: no madvise) and the
 * fourth joins them with the free top: a free top of 12 MiB and more
 * > 2t, so it is trimmed down to the top pad with one brk down, and the
 * break falls by at least 12 MiB - 128 KiB (top pad) - a page. */
static void test_heap_top_goes_back(void)
{
	char *p[4], *brk_before;
	struct counts c;

	reset_knobs();
	free(malloc(3 * MiB));
	for (int i = 0; i < 4; i++) {
		p[i] = malloc(3 * MiB);
		if (!CHECK(p[i] != NULL, "malloc(3 MiB) %d failed", i))
			return;
		touch(p[i], 3 * MiB);
	}
	CHECK(mallinfo2().hblks == 0, "3 MiB blocks were mapped after the threshold rose");
	brk_before = sbrk(0);
	c = now();
	for (int i = 0; i < 4; i++)
		free(p[i]);
	CHECK(since(&c, OS_OP_SBRK_DOWN) == 1 && since(&c, OS_OP_ADVISE) == 0,
	      "freeing 4 x 3 MiB: %lu brk down, %lu madvise (expected 1, 0)", since(&c, OS_OP_SBRK_DOWN),
	      since(&c, OS_OP_ADVISE));
	CHECK((size_t)(brk_before - (char *)sbrk(0)) >= 12 * MiB - 128 * KiB - page(),
	      "the break fell by %zu bytes only", (size_t)(brk_before - (char *)sbrk(0)));
}

/* A free range inside the heap (an allocated block above it) gives its
 * pages back once 8t bytes were freed into it: with t just over 1 MiB, 8t
 * is a bit over 8 MiB; nine 1 MiB blocks freed in a row make 9 MiB plus
 * headers: one madvise, and mincore shows the range's pages not resident. */
static void test_heap_middle_goes_back(void)
{
	char *p[9], *guard;
	unsigned char vec[4096];
	size_t resident = 0, lo, hi;
	struct counts c;

	reset_knobs();
	free(malloc(MiB));
	for (int i = 0; i < 9; i++) {
		p[i] = malloc(MiB);
		if (!CHECK(p[i] != NULL && (i == 0 || p[i] > p[i - 1]), "malloc(1 MiB) %d failed or went down", i))
			return;
		touch(p[i], MiB);
	}
	guard = malloc(MiB);   /* above them: the range is not the top */
	CHECK(guard > p[8], "the guard %p is not above the blocks", (void *)guard);
	c = now();
	for (int i = 0; i < 9; i++)
		free(p[i]);
	CHECK(since(&c, OS_OP_ADVISE) == 1 && since(&c, OS_OP_SBRK_DOWN) == 0,
	      "freeing 9 x 1 MiB in the middle: %lu madvise, %lu brk down (expected 1, 0)",
	      since(&c, OS_OP_ADVISE), since(&c, OS_OP_SBRK_DOWN));
	lo = ((uintptr_t)p[1] + page() - 1) & ~(page() - 1);   /* well inside the range */
	hi = ((uintptr_t)p[8]) & ~(page() - 1);
	if (mincore((void *)lo, hi - lo, vec) == 0 && (hi - lo) / page() <= sizeof(vec))
		for (size_t i = 0; i < (hi - lo) / page(); i++)
			resident += vec[i] & 1;
	else
		resident = SIZE_MAX;
	CHECK(resident == 0, "%zu pages of the freed range are still resident", resident);
	free(guard);
}

/* ---- the mapping cache and the threshold ---- */

/* With the threshold pinned, a freed 1 MiB mapping is cached (no munmap).
 * Turned dynamic again, freeing a 2 MiB mapping raises the threshold past
 * map_len(2 MiB): the 2 MiB mapping is unmapped rather than cached, and the
 * cached 1 MiB one, which no mapped request can use any more, goes too. */
static void test_cache_keeps_nothing_below_the_threshold(void)
{
	struct counts c;
	void *p, *q;

	reset_knobs();
	mallopt(M_MMAP_THRESHOLD, 128 * KiB);
	p = malloc(MiB);
	q = malloc(2 * MiB);
	c = now();
	free(p);
	CHECK(since(&c, OS_OP_UNMAP) == 0, "pinned: the freed 1 MiB mapping was not cached");
	CHECK(options_set("mmap_threshold_dynamic", 1), "mmap_threshold_dynamic refused 1");
	free(q);
	CHECK(since(&c, OS_OP_UNMAP) == 2, "the threshold rose past 2 MiB: %lu munmap, expected 2",
	      since(&c, OS_OP_UNMAP));
	CHECK(opt_mmap_threshold == map_len(2 * MiB) + 1, "threshold %zu", opt_mmap_threshold);
}

#define TEST(fn) { #fn, fn }

static CU_TestInfo threshold_tests[] = {
	TEST(test_freed_mapping_raises_the_threshold),
	TEST(test_threshold_never_falls),
	TEST(test_threshold_stops_at_the_cap),
	TEST(test_mallopt_pins_the_threshold),
	TEST(test_environment_pins_the_threshold),
	CU_TEST_INFO_NULL,
};

static CU_TestInfo giveback_tests[] = {
	TEST(test_heap_top_goes_back),
	TEST(test_heap_middle_goes_back),
	TEST(test_cache_keeps_nothing_below_the_threshold),
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "threshold", NULL, NULL, NULL, NULL, threshold_tests },
	{ "giveback", NULL, NULL, NULL, NULL, giveback_tests },
	CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--env-child") == 0)
		return env_child();
	free(malloc(1));   /* load OSMEM_OPTIONS before saving the knobs */
	save_knobs();
	return cunit_main(suites, argc, argv);
}
