/* SPDX-License-Identifier: MIT */
#include "lock.h"

#include <pthread.h>

static pthread_mutex_t allocator_lock = PTHREAD_MUTEX_INITIALIZER;

void lock_acquire(void)
{
	pthread_mutex_lock(&allocator_lock);
}

void lock_release(void)
{
	pthread_mutex_unlock(&allocator_lock);
}

/* fork() while another thread holds the lock would leave the child with a
 * lock nobody will release: hold it across fork, release it on both sides. */
__attribute__((constructor)) static void lock_register_fork_handlers(void)
{
	pthread_atfork(lock_acquire, lock_release, lock_release);
}
