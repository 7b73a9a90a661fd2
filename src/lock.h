/* SPDX-License-Identifier: MIT */
/*
 * lock.h - the allocator lock.
 *
 * One mutex serialises every entry point.  An uncontended pthread mutex
 * makes no system call, so locking never shows in a syscall trace.  The lock
 * is held across fork(), so a child can always allocate.
 */
#ifndef OSMEM_LOCK_H
#define OSMEM_LOCK_H

void lock_acquire(void);
void lock_release(void);

#endif /* OSMEM_LOCK_H */
