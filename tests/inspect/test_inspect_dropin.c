/* SPDX-License-Identifier: MIT */
/*
 * test_inspect_dropin.c - the inspection API in the libc drop-in
 * (build/libosmalloc.a, linked in: malloc here, CUnit's and stdio's included,
 * is osmem).  Since the C library allocates too, exact heap contents are not
 * known here; what is tested is that the drop-in's reports agree with
 * os_stats() and that the heap stays consistent under the drop-in's own
 * paths (16-byte alignment, aligned allocation).
 *
 * `test_inspect_dropin --child exit|corrupt` is the child process of the
 * OSMEM_SHOW_STATS and OSMEM_CHECK tests (variables read once per process).
 */
#include "inspect_test.h"

#include <malloc.h>
#include <signal.h>
#include <stdint.h>

#include "block_meta.h"
#include "osmem_inspect.h"

#define KiB ((size_t)1024)

static void test_mallinfo2_is_os_stats(void)
{
	void *p = malloc(1000), *m = malloc(400 * KiB);
	struct os_stats s;
	struct mallinfo2 mi;

	/* Nothing allocates between the two calls, so they see the same heap. */
	os_stats(&s);
	mi = mallinfo2();
	CU_ASSERT_EQUAL(mi.arena, s.heap_size);
	CU_ASSERT_EQUAL(mi.ordblks, s.free_blocks);
	CU_ASSERT_EQUAL(mi.hblks, s.mapped_count);
	CU_ASSERT_EQUAL(mi.hblkhd, s.mapped_bytes);
	CU_ASSERT_EQUAL(mi.uordblks, s.heap_in_use_bytes);
	CU_ASSERT_EQUAL(mi.fordblks, s.heap_free_bytes);
	CU_ASSERT_EQUAL(mi.keepcost, s.top_free_bytes);
	/* The 400 KiB block is mapped (above the 128 KiB threshold), with its
	 * 32-byte header: at least 409632 mapped bytes, at least one mapping. */
	CU_ASSERT(s.mapped_count >= 1 && s.mapped_bytes >= 400 * KiB + 32);
	CU_ASSERT(s.in_use_bytes == s.heap_in_use_bytes + s.mapped_bytes - 32 * s.mapped_count);
	free(m);
	free(p);
}

static struct os_stats stats_seen;

static void stats_then_malloc_stats(void *arg)
{
	(void)arg;
	os_stats(&stats_seen);
	malloc_stats();
}

static void test_malloc_stats_is_os_stats(void)
{
	char out[CAPTURE_MAX], want[512];

	/* glibc's layout, filled from os_stats of the same moment. */
	capture_fd(STDERR_FILENO, stats_then_malloc_stats, NULL, out);
	snprintf(want, sizeof(want),
		 "Arena 0:\nsystem bytes     = %zu\nin use bytes     = %zu\nTotal (incl. mmap):\n"
		 "system bytes     = %zu\nin use bytes     = %zu\nmmap regions     = %zu\nmmap bytes       = %zu\n",
		 stats_seen.heap_size, stats_seen.heap_in_use_bytes, stats_seen.heap_size + stats_seen.mapped_bytes,
		 stats_seen.heap_in_use_bytes + stats_seen.mapped_bytes, stats_seen.mapped_count,
		 stats_seen.mapped_bytes);
	CU_ASSERT_STRING_EQUAL(out, want);
}

static void stats_then_show(void *arg)
{
	(void)arg;
	os_stats(&stats_seen);
	show_alloc_mem();
}

static void test_show_alloc_mem_total_is_in_use(void)
{
	char out[CAPTURE_MAX * 4];
	char *big = malloc(sizeof(out)), *total;
	unsigned long long n = 0;

	/* Every allocated block is listed once, so the total is the payload in
	 * use; the dump can be long (the C library's blocks), hence a large
	 * buffer of our own, allocated before the figures are taken. */
	CU_ASSERT_FATAL(big != NULL);
	capture_fd(STDOUT_FILENO, stats_then_show, NULL, out);
	total = strstr(out, "Total : ");
	CU_ASSERT_FATAL(total != NULL);
	CU_ASSERT(sscanf(total, "Total : %llu bytes", &n) == 1);
	CU_ASSERT_EQUAL(n, stats_seen.in_use_bytes);
	CU_ASSERT_EQUAL(strncmp(out, "HEAP : 0x", 9), 0);
	free(big);
}

static void test_heap_check_after_aligned_workload(void)
{
	void *p[200] = { 0 };

	/* Aligned requests slide the payload and split off a free block in front:
	 * every tiling and filing rule of the check is exercised. */
	srand(7);
	for (int op = 0; op < 3000; op++) {
		int i = rand() % 200;

		free(p[i]);
		p[i] = NULL;
		switch (rand() % 3) {
		case 0:
			CU_ASSERT(posix_memalign(&p[i], (size_t)16 << (rand() % 9), 1 + (size_t)rand() % 5000) == 0);
			break;
		case 1:
			p[i] = malloc(1 + (size_t)rand() % (rand() % 10 ? 2000 : 300000));
			break;
		default:
			p[i] = realloc(malloc(64), 1 + (size_t)rand() % 9000);
			break;
		}
		if (op % 50 == 0 && os_heap_check() != 0) {
			CU_FAIL("os_heap_check found problems");
			break;
		}
	}
	for (int i = 0; i < 200; i++)
		free(p[i]);
	CU_ASSERT_EQUAL(os_heap_check(), 0);
}

static const char *self_path;   /* argv[0] */

/* exit: map one block of 1 MB, free it, close stderr (as coreutils do) and
 * return from main.  corrupt: the same, but before returning, smash a heap
 * block's size (it then overlaps its neighbour) and call free(). */
static int child(const char *mode)
{
	volatile char *p = malloc(1000 * 1000);
	char *q[3];

	p[0] = 1;
	free((void *)p);
	if (strcmp(mode, "corrupt") == 0) {
		/* 2000 bytes: above the small-object zones (1 KiB), so heap
		 * blocks with headers. */
		for (int i = 0; i < 3; i++)
			q[i] = malloc(2000);
		((struct block_meta *)q[1] - 1)->size += 16;
		free(q[2]);
	}
	close(STDERR_FILENO);
	return 0;
}

static void test_show_stats_at_exit(void)
{
	char err[4096];
	unsigned long long peak_mapped = 0, mmaps = 0;
	const char *s;

	/* With OSMEM_SHOW_STATS=1 the figures are printed when the program ends,
	 * even though it closed its stderr (a copy was taken at startup): the
	 * child mapped 32 + 1000000 bytes (a multiple of 16 already), so the peak
	 * of mapped bytes is at least 1000032 and mmap was called. */
	CU_ASSERT_EQUAL(run_child(self_path, "--child", "exit", "OSMEM_SHOW_STATS", "1", err, sizeof(err)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "osmem statistics\n"));
	s = strstr(err, "peak mapped bytes = ");
	CU_ASSERT(s && sscanf(s, "peak mapped bytes = %llu", &peak_mapped) == 1 && peak_mapped >= 1000032);
	s = strstr(err, "mmap calls        = ");
	CU_ASSERT(s && sscanf(s, "mmap calls        = %llu", &mmaps) == 1 && mmaps >= 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "fragmentation     = "));
	/* Unset or "0": nothing printed. */
	CU_ASSERT_EQUAL(run_child(self_path, "--child", "exit", "OSMEM_SHOW_STATS", NULL, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_EQUAL(run_child(self_path, "--child", "exit", "OSMEM_SHOW_STATS", "0", err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
}

static void test_osmem_check_in_the_dropin(void)
{
	char err[4096];
	int status;

	/* The drop-in reads OSMEM_CHECK at its first call after the C library
	 * set up the environment, and checks after every later call: the smashed
	 * size is found at the free() that follows it. */
	status = run_child(self_path, "--child", "corrupt", "OSMEM_CHECK", "1", err, sizeof(err));
	CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "osmem: OSMEM_CHECK: the heap is corrupt after free()"));
	status = run_child(self_path, "--child", "corrupt", "OSMEM_CHECK", NULL, err, sizeof(err));
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static CU_TestInfo tests[] = {
	TEST(test_mallinfo2_is_os_stats),
	TEST(test_malloc_stats_is_os_stats),
	TEST(test_show_alloc_mem_total_is_in_use),
	TEST(test_heap_check_after_aligned_workload),
	TEST(test_show_stats_at_exit),
	TEST(test_osmem_check_in_the_dropin),
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "inspect_dropin", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
	self_path = argv[0];
	if (argc == 3 && strcmp(argv[1], "--child") == 0)
		return child(argv[2]);
	return cunit_main(suites, argc, argv);
}
