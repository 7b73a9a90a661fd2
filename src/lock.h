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

/* The lock word: 0 free, 1 held, 2 held and a thread may be asleep on it. */
extern int lock_word LOCK_HIDDEN;
/* 0: the futex lock above; 1: a pthread mutex (race detector); -1: not decided yet. */
extern int lock_mode LOCK_HIDDEN;

void lock_acquire_slow(void) LOCK_HIDDEN;
void lock_release_slow(void) LOCK_HIDDEN;

static inline void lock_acquire(void)
{
	int free_word = 0;

	if (__builtin_expect(__atomic_load_n(&lock_mode, __ATOMIC_RELAXED) != 0, 0) ||
	    !__atomic_compare_exchange_n(&lock_word, &free_word, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		lock_acquire_slow();
}

static inline void lock_release(void)
{
	if (__builtin_expect(__atomic_load_n(&lock_mode, __ATOMIC_RELAXED) != 0, 0) ||
	    __atomic_exchange_n(&lock_word, 0, __ATOMIC_RELEASE) != 1)
		lock_release_slow();
}

#endif /* OSMEM_LOCK_H */
