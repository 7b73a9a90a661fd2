/* SPDX-License-Identifier: MIT */
/*
 * lock.c - the allocator lock's contended paths (the fast paths are inline
 * in lock.h).
 *
 * The lock is a futex word (Drepper, "Futexes Are Tricky", mutex 2):
 * 0 free, 1 held, 2 held with possible sleepers.  A thread that finds it
 * held first spins a little (the holder is usually a few hundred
 * instructions from releasing it: a zone refill, a best-fit search), then
 * marks the word 2 and sleeps in FUTEX_WAIT until a release that saw 2 wakes
 * one sleeper.  A woken thread takes the word as 2 again, since others may
 * still sleep; at worst that costs one needless wake-up.
 *
 * Under a race detector (Valgrind's helgrind or drd) the lock is a pthread
 * mutex instead: they know pthread mutexes and check the allocator's shared
 * data against them, where a futex word would look like a data race (or
 * hide one).  Other tools (memcheck, callgrind) run the futex lock.  The
 * choice is made once, before the first lock is taken (the constructor
 * below, or the first lock_acquire if that comes earlier), and never
 * changes.
 */
#include "lock.h"

#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__has_include) && !defined(OSMEM_NO_VALGRIND)
#if __has_include(<valgrind/helgrind.h>) && __has_include(<valgrind/drd.h>)
#include <valgrind/drd.h>
#include <valgrind/helgrind.h>
/* Each tool answers its own request (helgrind: 1 addressable byte; drd: a
 * thread number); the others give 0 or the default. */
#define UNDER_RACE_DETECTOR() \
	(RUNNING_ON_VALGRIND && (VALGRIND_HG_GET_ABITS(&lock_word, NULL, 1) == 1 || DRD_GET_DRD_THREADID != 0))
#endif
#endif
#ifndef UNDER_RACE_DETECTOR
#define UNDER_RACE_DETECTOR() 0
#endif

/* Spins before sleeping: about a microsecond of pause instructions. */
#define SPINS 100

int lock_word = LOCK_FREE;
int lock_mode = LOCK_MODE_UNDECIDED;
static pthread_mutex_t detector_mutex = PTHREAD_MUTEX_INITIALIZER;

static int decide_mode(void)
{
	int mode = __atomic_load_n(&lock_mode, __ATOMIC_RELAXED);

	if (mode == LOCK_MODE_UNDECIDED) {
		mode = UNDER_RACE_DETECTOR() ? LOCK_MODE_MUTEX : LOCK_MODE_FUTEX;
		__atomic_store_n(&lock_mode, mode, __ATOMIC_RELAXED);
	}
	return mode;
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static void futex_wait(int *word, int value)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
}

static void futex_wake_one(int *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

void lock_acquire_slow(void)
{
	if (decide_mode() == LOCK_MODE_MUTEX) {
		pthread_mutex_lock(&detector_mutex);
		return;
	}
	for (int i = 0; i < SPINS; i++) {
		if (__atomic_load_n(&lock_word, __ATOMIC_RELAXED) == LOCK_FREE && lock_try_take())
			return;
		cpu_relax();
	}
	/* Sleep until the word is seen free; leave it LOCK_HELD_WAITERS, so
	 * that our release wakes whoever else went to sleep meanwhile. */
	while (__atomic_exchange_n(&lock_word, LOCK_HELD_WAITERS, __ATOMIC_ACQUIRE) != LOCK_FREE)
		futex_wait(&lock_word, LOCK_HELD_WAITERS);
}

/* The futex release already stored LOCK_FREE (lock.h) and saw sleepers; or the
 * lock is the mutex. */
void lock_release_slow(void)
{
	if (__atomic_load_n(&lock_mode, __ATOMIC_RELAXED) == LOCK_MODE_MUTEX)
		pthread_mutex_unlock(&detector_mutex);
	else
		futex_wake_one(&lock_word);
}

static void lock_acquire_fn(void)
{
	lock_acquire();
}

static void lock_release_fn(void)
{
	lock_release();
}

/* fork() while another thread holds the lock would leave the child with a
 * lock nobody will release: hold it across fork, release it on both sides
 * (in the child a sleeper left over from the parent's threads does not
 * exist: the wake-up then finds nobody, harmlessly). */
__attribute__((constructor)) static void lock_register_fork_handlers(void)
{
	decide_mode();
	pthread_atfork(lock_acquire_fn, lock_release_fn, lock_release_fn);
}
