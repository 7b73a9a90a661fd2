/* SPDX-License-Identifier: MIT */
/*
 * test_threads.c - families shared by threads, and fork.
 *
 * Threads allocate and free objects of two shared families at random, each
 * object filled with its owner's pattern and checked before it is freed: a
 * race in the pages or the lists shows as a wrong byte, a lost object (pages
 * left at the end) or a crash.  MM_THREAD_OPS sets the operations per thread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mm_test.h"

typedef struct { char bytes[40]; } small_t;
typedef struct { char bytes[200]; } medium_t;

#define THREADS 4
#define SLOTS   32

struct worker {
	unsigned seed;
	int id;
	long ops;
	int errors;
};

struct slot {
	unsigned char *p;
	size_t len;
};

static int filled_with(const unsigned char *p, size_t len, unsigned char v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct slot slots[SLOTS] = {{0}};

	for (long op = 0; op < w->ops; op++) {
		struct slot *s = &slots[rand_r(&w->seed) % SLOTS];

		if (s->p) {
			w->errors += !filled_with(s->p, s->len, (unsigned char)w->id);
			xfree(s->p);
			s->p = NULL;
			continue;
		}
		int units = 1 + (int)(rand_r(&w->seed) % 3);
		int medium = rand_r(&w->seed) & 1;

		s->len = (size_t)units * (medium ? sizeof(medium_t) : sizeof(small_t));
		s->p = medium ? (void *)XCALLOC(units, medium_t) : (void *)XCALLOC(units, small_t);
		if (!s->p || !filled_with(s->p, s->len, 0)) {
			w->errors++;
			s->p = NULL;
			continue;
		}
		memset(s->p, w->id, s->len);
	}
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].p) {
			w->errors += !filled_with(slots[i].p, slots[i].len, (unsigned char)w->id);
			xfree(slots[i].p);
		}
	return NULL;
}

static void test_threads_share_families(void)
{
	const char *env = getenv("MM_THREAD_OPS");
	struct worker workers[THREADS];
	pthread_t tids[THREADS];

	CU_ASSERT_EQUAL(MM_REG_STRUCT(small_t), 0);
	CU_ASSERT_EQUAL(MM_REG_STRUCT(medium_t), 0);
	for (int i = 0; i < THREADS; i++) {
		workers[i] = (struct worker){ .seed = 17u * (unsigned)i + 1, .id = i + 1,
					      .ops = env ? atol(env) : 40000 };
		CU_ASSERT_EQUAL_FATAL(pthread_create(&tids[i], NULL, work, &workers[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(tids[i], NULL);
		CU_ASSERT_EQUAL(workers[i].errors, 0);
	}
	/* Everything was freed: no object counted, no page held. */
	CU_ASSERT_EQUAL(family("small_t")->page_objects, 0);
	CU_ASSERT_EQUAL(family("medium_t")->page_objects, 0);
	CU_ASSERT_EQUAL(family("small_t")->page_count, 0);
	CU_ASSERT_EQUAL(family("medium_t")->page_count, 0);
}

static void test_child_of_fork_allocates(void)
{
	small_t *kept;
	pid_t pid;
	int status;

	CU_ASSERT_EQUAL(MM_REG_STRUCT(small_t), 0);
	kept = XCALLOC(1, small_t);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		/* The child sees the parent's families and pages, and may use them. */
		small_t *mine = XCALLOC(2, small_t);
		int ok = mine && family("small_t")->page_objects == 3;

		XFREE(mine);
		XFREE(kept);
		_exit(ok && family("small_t")->page_count == 0 ? 0 : 1);
	}
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CU_ASSERT_EQUAL(family("small_t")->page_objects, 1);   /* the parent's own state */
	XFREE(kept);
}

CU_TestInfo threads_tests[] = {
	TEST(test_threads_share_families),
	TEST(test_child_of_fork_allocates),
	CU_TEST_INFO_NULL,
};
