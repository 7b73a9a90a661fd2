/* SPDX-License-Identifier: MIT */
/*
 * report.h - reporting misuse detected by the allocator.
 *
 * One line on stderr, written without the heap, e.g.
 *     osmem: os_free(): invalid pointer 0x7ffd5c3a1b2c
 * then, if OSMEM_ABORT_ON_ERROR=1 is set in the environment, abort().
 */
#ifndef OSMEM_REPORT_H
#define OSMEM_REPORT_H

#include <stdbool.h>

void report_bad_pointer(const char *func, const char *problem, const void *ptr);

/* An environment switch such as OSMEM_ABORT_ON_ERROR: set, not empty, not "0". */
bool env_flag(const char *name);

#endif /* OSMEM_REPORT_H */
