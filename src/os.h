/* SPDX-License-Identifier: MIT */
/*
 * os.h - the OS layer: the only code that calls sbrk, mmap, munmap and (in
 * the drop-in profile only) madvise and mremap.
 *
 * Every result is checked here; callers see NULL (with errno = ENOMEM) or
 * false, never MAP_FAILED or (void *)-1.  The layer also counts its calls
 * and, for tests, can be told to fail some of them (fault injection).
 */
#ifndef OSMEM_OS_H
#define OSMEM_OS_H

#include <stdbool.h>
#include <stddef.h>

/* The current program break (sbrk(0): a brk(0) query the first time only). */
void *os_break(void);

/* Move the break up by `increment` bytes; returns the old break, or NULL. */
void *os_sbrk(size_t increment);

/* A fresh private anonymous read/write mapping of exactly `length` bytes. */
void *os_map(size_t length);

/* Unmap what os_map returned; false (errno set) if the kernel refused. */
bool os_unmap(void *addr, size_t length);

/* Move the break down by `decrement` bytes (giving the top of the heap
 * back); false (errno set) if the kernel refused. */
bool os_sbrk_down(size_t decrement);

/* Tell the kernel the pages [addr, addr + length) (page aligned) are free:
 * madvise(MADV_DONTNEED), so they read back as zeros when next touched. */
bool os_release_pages(void *addr, size_t length);

/* Resize a mapping made by os_map, moving it if needed (mremap with
 * MREMAP_MAYMOVE: the kernel moves the pages, nothing is copied); the new
 * address, or NULL (errno = ENOMEM) with the old mapping intact. */
void *os_remap(void *addr, size_t old_length, size_t new_length);

/* The system page size, cached (getpagesize() makes no system call). */
size_t os_page_size(void);

/* ---- for tests and statistics ---- */

enum os_op { OS_OP_SBRK, OS_OP_MAP, OS_OP_UNMAP, OS_OP_SBRK_DOWN, OS_OP_ADVISE, OS_OP_REMAP, OS_OP_COUNT };

/* How many times each operation reached the kernel (failed calls included). */
unsigned long os_calls(enum os_op op);

/* A test-only observer called after every operation that reached the kernel:
 * SBRK: arg = increment, result = old break (NULL on failure);
 * MAP: arg = length, result = the mapping (NULL on failure);
 * UNMAP: arg = length, result = the address unmapped;
 * SBRK_DOWN: arg = decrement, result = the new break (NULL on failure);
 * ADVISE: arg = length, result = the address (NULL on failure);
 * REMAP: arg = new length, result = the new address (NULL on failure). */
typedef void (*os_observer)(enum os_op op, size_t arg, void *result);
void os_set_observer(os_observer observer);

/* Fault injection: let the next `skip` calls of `op` through, then make the
 * following `fail` calls fail with ENOMEM without reaching the kernel. */
void os_fault_inject(enum os_op op, unsigned long skip, unsigned long fail);

#endif /* OSMEM_OS_H */
