/* SPDX-License-Identifier: MIT */
/*
 * lock.h - the allocator lock.
 *
 * One lock serialises every entry point that touches shared state.  The
 * uncontended path is inline: one compare-and-swap to take the lock, one
 * exchange to release it, no function call (a pthread mutex costs two calls
 * through the PLT and its type checks on every heap request).  Contended, a
 * thread spins briefly and then sleeps on a futex (lock.c).  An uncontended
 * lock makes no system call, so locking never shows in a syscall trace.  The
 * lock is held across fork(), so a child can always allocate.
 *
 * Under helgrind or drd every call goes to a pthread mutex instead
 * (lock_mode), so that the race detector sees an ordinary mutex and checks
 * the data it protects.
 */
#ifndef OSMEM_LOCK_H
#define OSMEM_LOCK_H

#include <stdbool.h>

#define LOCK_HIDDEN __attribute__((visibility("hidden")))

/* The lock word's states. */
enum { LOCK_FREE = 0, LOCK_HELD = 1, LOCK_HELD_WAITERS = 2 /* a thread may be asleep on it */ };
/* Which lock serves: not decided yet, the futex word, or a pthread mutex (race detector). */
enum { LOCK_MODE_UNDECIDED = -1, LOCK_MODE_FUTEX = 0, LOCK_MODE_MUTEX = 1 };

extern int lock_word LOCK_HIDDEN;
extern int lock_mode LOCK_HIDDEN;

void lock_acquire_slow(void) LOCK_HIDDEN;
void lock_release_slow(void) LOCK_HIDDEN;

/* One compare-and-swap from free to held: the futex lock's whole fast path. */
static inline bool lock_try_take(void)
{
	int free_word = LOCK_FREE;

	return __atomic_compare_exchange_n(&lock_word, &free_word, LOCK_HELD, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static inline void lock_acquire(void)
{
	if (__builtin_expect(__atomic_load_n(&lock_mode, __ATOMIC_RELAXED) != LOCK_MODE_FUTEX, 0) ||
	    !lock_try_take())
		lock_acquire_slow();
}

static inline void lock_release(void)
{
	if (__builtin_expect(__atomic_load_n(&lock_mode, __ATOMIC_RELAXED) != LOCK_MODE_FUTEX, 0) ||
	    __atomic_exchange_n(&lock_word, LOCK_FREE, __ATOMIC_RELEASE) != LOCK_HELD)
		lock_release_slow();
}

#endif /* OSMEM_LOCK_H */
