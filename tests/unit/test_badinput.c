/* SPDX-License-Identifier: MIT */
/*
 * test_badinput.c - pointers osmem never returned, or no longer owns, passed
 * to os_free and os_realloc (osmem.h): each call prints exactly one line
 * "osmem: ..." on stderr and changes nothing (os_realloc returns NULL with
 * errno = EINVAL); the heap then still behaves per contract.  With
 * OSMEM_ABORT_ON_ERROR=1 the process dies of SIGABRT instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "osmem_test.h"

/* A heap block of 100 (header at 0, rest at 136) and a mapped one, filled. */
struct scene {
	void *heap;
	void *mapped;
};

static struct scene make_scene(void)
{
	struct scene s = { os_malloc(100), os_malloc(200000) };

	CU_ASSERT_PTR_NOT_NULL_FATAL(s.heap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s.mapped);
	fill_pattern(s.heap, 100, 1);
	fill_pattern(s.mapped, 200000, 2);
	EXPECT_CALLS(1, 1, 0);
	return s;
}

/* The scene's blocks and data are intact, and the next allocations are the
 * ones the contract predicts.  `heap_status` is the heap block's status. */
static void expect_scene_usable(struct loc at, const struct scene *s, int heap_status)
{
	void *q;

	expect_block(at, s->heap, 104, heap_status);
	if (heap_status == STATUS_ALLOC)
		expect_pattern(at, s->heap, 100, 1);
	expect_consistent(at, meta(s->heap));
	q = os_malloc(100);   /* a free 104-byte block beats the rest; else from the rest */
	expect_off(at, q, heap_status == STATUS_FREE ? HDR : 136 + HDR);
	expect_calls(at, 0, 0, 0);
	os_free(q);
}
#define EXPECT_SCENE_USABLE(s, heap_status) expect_scene_usable(HERE, (s), (heap_status))

/* os_free(bad): one report, no change at all. */
static void expect_free_rejected(struct loc at, const struct scene *s, void *bad)
{
	struct snapshot before;
	struct capture err;

	snapshot_take(&before, meta(s->heap));
	capture_stderr(&err);
	os_free(bad);
	restore_stderr(&err);
	expect_one_report(at, &err);
	expect_unchanged(at, &before);
}
#define EXPECT_FREE_REJECTED(s, bad) expect_free_rejected(HERE, (s), (bad))

/* os_realloc(bad, n) for a heap size and a mapped size: NULL, EINVAL, one
 * report each, no change at all. */
static void expect_realloc_rejected(struct loc at, const struct scene *s, void *bad)
{
	static const size_t sizes[] = { 50, 500, 300000 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct snapshot before;
		struct capture err;
		void *r;
		int got;

		snapshot_take(&before, meta(s->heap));
		capture_stderr(&err);
		errno = 0;
		r = os_realloc(bad, sizes[i]);
		got = errno;
		restore_stderr(&err);
		check_at(at, r == NULL && got == EINVAL, "os_realloc(%p, %zu) = %p, errno %d",
			 bad, sizes[i], r, got);
		expect_one_report(at, &err);
		expect_unchanged(at, &before);
	}
}
#define EXPECT_REALLOC_REJECTED(s, bad) expect_realloc_rejected(HERE, (s), (bad))

static void test_free_of_stack_address_is_reported_and_ignored(void)
{
	struct scene s = make_scene();
	long local[8];

	EXPECT_FREE_REJECTED(&s, &local[4]);
	EXPECT_SCENE_USABLE(&s, STATUS_ALLOC);
}

static void test_realloc_of_stack_address_fails_with_einval(void)
{
	struct scene s = make_scene();
	long local[8];

	EXPECT_REALLOC_REJECTED(&s, &local[4]);
	EXPECT_SCENE_USABLE(&s, STATUS_ALLOC);
}

static void test_free_of_interior_heap_pointer_is_reported_and_ignored(void)
{
	struct scene s = make_scene();

	EXPECT_FREE_REJECTED(&s, (char *)s.heap + 8);
	EXPECT_FREE_REJECTED(&s, (char *)s.heap + 64);
	EXPECT_FREE_REJECTED(&s, (char *)s.heap + 1);   /* misaligned too */
	EXPECT_SCENE_USABLE(&s, STATUS_ALLOC);
}

static void test_realloc_of_interior_heap_pointer_fails_with_einval(void)
{
	struct scene s = make_scene();

	EXPECT_REALLOC_REJECTED(&s, (char *)s.heap + 8);
	EXPECT_REALLOC_REJECTED(&s, (char *)s.heap + 64);
	EXPECT_SCENE_USABLE(&s, STATUS_ALLOC);
}

static void test_free_of_interior_mapped_pointer_is_reported_and_ignored(void)
{
	struct scene s = make_scene();

	EXPECT_FREE_REJECTED(&s, (char *)s.mapped + 8);
	EXPECT_FREE_REJECTED(&s, (char *)s.mapped + page_size());   /* header page aligned */
	EXPECT_MAPPED(s.mapped, 200000);
	EXPECT_PATTERN(s.mapped, 200000, 2);
	EXPECT_SCENE_USABLE(&s, STATUS_ALLOC);
}

static void test_realloc_of_interior_mapped_pointer_fails_with_einval(void)
{
	struct scene s = make_scene();

	EXPECT_REALLOC_REJECTED(&s, (char *)s.mapped + page_size());
	EXPECT_MAPPED(s.mapped, 200000);
	EXPECT_SCENE_USABLE(&s, STATUS_ALLOC);
}

static void test_free_of_libc_pointer_is_reported_and_ignored(void)
{
	struct scene s = make_scene();
	void *libc = malloc(64);

	EXPECT_FREE_REJECTED(&s, libc);
	free(libc);   /* still libc's */
	EXPECT_SCENE_USABLE(&s, STATUS_ALLOC);
}

static void test_realloc_of_libc_pointer_fails_with_einval(void)
{
	struct scene s = make_scene();
	void *libc = malloc(64);

	EXPECT_REALLOC_REJECTED(&s, libc);
	free(libc);
	EXPECT_SCENE_USABLE(&s, STATUS_ALLOC);
}

static void test_second_free_of_heap_block_is_reported_and_ignored(void)
{
	struct scene s = make_scene();
	struct capture err;

	capture_stderr(&err);
	os_free(s.heap);
	restore_stderr(&err);
	EXPECT_NO_REPORT(&err);
	EXPECT_FREE_REJECTED(&s, s.heap);
	EXPECT_SCENE_USABLE(&s, STATUS_FREE);
}

static void test_second_free_of_mapped_block_is_reported_and_ignored(void)
{
	struct scene s = make_scene();
	struct capture err;

	capture_stderr(&err);
	os_free(s.mapped);
	restore_stderr(&err);
	EXPECT_NO_REPORT(&err);
	EXPECT_CALLS(0, 0, 1);
	EXPECT_FREE_REJECTED(&s, s.mapped);   /* its memory is gone: must not be read */
	EXPECT_SCENE_USABLE(&s, STATUS_ALLOC);
}

static void test_free_of_block_absorbed_by_coalescing_is_reported(void)
{
	struct scene s = make_scene();
	void *q = os_malloc(64), *guard = os_malloc(8);

	os_free(s.heap);
	os_free(q);
	/* The next allocation merges them (104 + 32 + 64 = 200) and takes it. */
	CU_ASSERT_PTR_EQUAL(os_malloc(200), s.heap);
	EXPECT_FREE_REJECTED(&s, q);
	EXPECT_BLOCK(s.heap, 200, STATUS_ALLOC);
	EXPECT_BLOCK(guard, 8, STATUS_ALLOC);
}

static void test_realloc_of_freed_block_fails_with_einval(void)
{
	struct scene s = make_scene();

	os_free(s.heap);
	EXPECT_REALLOC_REJECTED(&s, s.heap);
	EXPECT_SCENE_USABLE(&s, STATUS_FREE);
}

/* ---- OSMEM_ABORT_ON_ERROR ---- */

/* What the child does; set before the fork. */
static void (*bad_call)(void);
static const char *abort_setting;

static void free_stack_address(void)
{
	long local[4];

	os_free(&local[2]);
}

static void free_twice(void)
{
	void *p = os_malloc(100);

	os_free(p);
	os_free(p);
}

static void realloc_interior(void)
{
	char *p = os_malloc(100);

	os_realloc(p + 16, 200);
}

static void bad_call_child(void)
{
	int null_fd = open("/dev/null", O_WRONLY);   /* keep the report off the test output */

	dup2(null_fd, STDERR_FILENO);
	setenv("OSMEM_ABORT_ON_ERROR", abort_setting, 1);
	bad_call();
}

/* The wait status of a child making `call` with OSMEM_ABORT_ON_ERROR=setting. */
static int status_after(void (*call)(void), const char *setting)
{
	char why[128];

	bad_call = call;
	abort_setting = setting;
	return run_in_child(bad_call_child, why, sizeof(why));
}

static void expect_abort(struct loc at, void (*call)(void), const char *what)
{
	int status = status_after(call, "1");

	check_at(at, WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
		 "%s with OSMEM_ABORT_ON_ERROR=1: wait status %#x, expected SIGABRT", what, status);
}

static void test_abort_on_error_makes_bad_pointer_raise_sigabrt(void)
{
	expect_abort(HERE, free_stack_address, "os_free(stack)");
	expect_abort(HERE, free_twice, "second os_free");
	expect_abort(HERE, realloc_interior, "os_realloc(interior)");
}

static void test_bad_pointer_without_abort_on_error_returns(void)
{
	int status = status_after(free_twice, "0");

	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

CU_TestInfo badinput_tests[] = {
	TEST(test_free_of_stack_address_is_reported_and_ignored),
	TEST(test_realloc_of_stack_address_fails_with_einval),
	TEST(test_free_of_interior_heap_pointer_is_reported_and_ignored),
	TEST(test_realloc_of_interior_heap_pointer_fails_with_einval),
	TEST(test_free_of_interior_mapped_pointer_is_reported_and_ignored),
	TEST(test_realloc_of_interior_mapped_pointer_fails_with_einval),
	TEST(test_free_of_libc_pointer_is_reported_and_ignored),
	TEST(test_realloc_of_libc_pointer_fails_with_einval),
	TEST(test_second_free_of_heap_block_is_reported_and_ignored),
	TEST(test_second_free_of_mapped_block_is_reported_and_ignored),
	TEST(test_free_of_block_absorbed_by_coalescing_is_reported),
	TEST(test_realloc_of_freed_block_fails_with_einval),
	TEST(test_abort_on_error_makes_bad_pointer_raise_sigabrt),
	TEST(test_bad_pointer_without_abort_on_error_returns),
	CU_TEST_INFO_NULL,
};
