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
