/* SPDX-License-Identifier: MIT */
/*
 * testing.h - hooks for the test suites (hidden symbols, reachable only by
 * programs that link build/libosmem.a).
 */
#ifndef OSMEM_TESTING_H
#define OSMEM_TESTING_H

#include "os.h"   /* os_calls(), os_fault_inject() */

/* Unmap every mapped block and forget the heap (its break memory is left
 * behind), so that the next heap allocation preallocates at the current
 * break as in a fresh process. */
void osmem_test_reset(void);

#endif /* OSMEM_TESTING_H */
