/* SPDX-License-Identifier: MIT */
/*
 * test_lock.c - the allocator lock (src/lock.c): mutual exclusion under
 * contention, the sleeping path (futex word 2, woken by the release), and
 * the choice of the futex lock outside race detectors.  Linked with
 * build/libosmem.a: the lock's hidden functions are reachable from a static
 * link, and both profiles compile the same lock.
 *
 *   build/tests/lock      the suite; ends with "N passed, M failed"
 *   LOCK_ROUNDS=n         increments per thread (default 200000)
 */
#include <CUnit/Basic.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "lock.h"
#include "../cunit_main.h"

#define THREADS 4
#define ROUNDS_DEFAULT 200000

static int rounds = ROUNDS_DEFAULT;   /* LOCK_ROUNDS=n: fewer under helgrind */

static long counter;        /* plain: only the lock protects it */
static int inside;          /* threads between acquire and release */
static bool overlap_seen;

static void *hammer(void *arg)
{
	(void)arg;
	for (int i = 0; i < rounds; i++) {
		lock_acquire();
		if (inside++ != 0)
			overlap_seen = true;
		counter++;
		inside--;
		lock_release();
	}
	return NULL;
}

/* THREADS threads increment one plain counter ROUNDS times each under the
 * lock: without mutual exclusion increments are lost (and two threads are
 * seen inside at once), so the total is exactly THREADS * rounds only if
 * the lock excludes.  Under helgrind, a lock it does not understand shows
 * as a race on counter. */
static void test_mutual_exclusion(void)
{
	pthread_t t[THREADS];

	counter = 0;
	overlap_seen = false;
	for (int i = 0; i < THREADS; i++)
		CU_ASSERT_FATAL(pthread_create(&t[i], NULL, hammer, NULL) == 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CU_ASSERT_EQUAL(counter, (long)THREADS * rounds);
	CU_ASSERT_FALSE(overlap_seen);
	CU_ASSERT_EQUAL(__atomic_load_n(&lock_word, __ATOMIC_RELAXED), 0);   /* released: free */
}

static void *take_once(void *arg)
{
	(void)arg;
	lock_acquire();
	counter++;
	lock_release();
	return NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* While this thread holds the lock for 200 ms, three others try to take it:
 * each spins about a microsecond, then marks the word 2 ("held, sleepers")
 * and sleeps.  So the word reads 2 while we hold it, and our release (which
 * sees the 2) must wake them one after another: all three get in, and the
 * word ends free. */
static void test_sleepers_are_woken(void)
{
	pthread_t t[3];

	if (lock_mode != 0) {   /* under a race detector: a pthread mutex, no futex word */
		CU_PASS("the lock is a pthread mutex here");
		return;
	}
	counter = 0;
	lock_acquire();
	for (int i = 0; i < 3; i++)
		CU_ASSERT_FATAL(pthread_create(&t[i], NULL, take_once, NULL) == 0);
	sleep_ms(200);
	CU_ASSERT_EQUAL(__atomic_load_n(&lock_word, __ATOMIC_RELAXED), 2);
	CU_ASSERT_EQUAL(counter, 0);   /* nobody got in while we held it */
	lock_release();
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CU_ASSERT_EQUAL(counter, 3);
	CU_ASSERT_EQUAL(__atomic_load_n(&lock_word, __ATOMIC_RELAXED), 0);
}

/* Natively (not under Valgrind) the lock is the futex word, taken with no
 * system call: mode 0, decided by the time anything locked. */
static void test_futex_mode_natively(void)
{
	lock_acquire();
	lock_release();
	if (getenv("OSMEM_UNDER_VALGRIND")) {
		CU_PASS("under Valgrind the mode depends on the tool");
	} else {
		CU_ASSERT_EQUAL(lock_mode, 0);
	}
}

static CU_TestInfo tests[] = {
	{ "mutual exclusion under contention", test_mutual_exclusion },
	{ "sleepers are woken by the release", test_sleepers_are_woken },
	{ "futex lock natively", test_futex_mode_natively },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "lock", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
	const char *r = getenv("LOCK_ROUNDS");

	if (r && atoi(r) > 0)
		rounds = atoi(r);
	return cunit_main(suites, argc, argv);
}
