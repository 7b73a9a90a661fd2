/* SPDX-License-Identifier: MIT */
/*
 * osmem_mm.h - typed allocation with page families.
 *
 * Register each struct type once, then allocate by type; the library can then
 * say how much memory each type uses.  Every family owns whole pages of its
 * own (mapped from the system, given back as soon as a page is empty), split
 * into blocks with a 16-byte header each and coalesced on free.
 *
 *     MM_REG_STRUCT(emp_t);                  registers "emp_t", sizeof(emp_t)
 *     emp_t *e = XCALLOC(10, emp_t);         10 zeroed emp_t, contiguous
 *     XFREE(e);
 *     mm_print_memory_usage(NULL);           per-family figures on stdout
 *
 * Provided by libosmem (.so and .a) and by the static drop-in libosmalloc.a;
 * the shared drop-in does not export it (see OSMEM_MM_API below).
 *
 * Semantics:
 *   - every object is 16-byte aligned;
 *   - a request (units * size) that does not fit in one page, and so every
 *     request of a family whose struct alone does not fit in a page, comes
 *     from the general allocator (os_calloc's heap or a mapping); it is still
 *     counted to its family, and the reports say so;
 *   - errors print one line on stderr ("osmem: FUNCTION: ...") and return -1
 *     or NULL with errno set; nothing here aborts or exits;
 *   - every function is thread-safe (they take osmem's allocator lock, which
 *     is held across fork, so a child may use them too);
 *   - reports are written to stdout (file descriptor 1) with write(2), without
 *     stdio: flush your own stdout buffer first if you mix the two.
 * Families are never unregistered.  Looking a family up by name costs
 * O(number of families); xfree finds the family of a pointer in O(1).
 */
#ifndef OSMEM_MM_H
#define OSMEM_MM_H

#include <stdint.h>

#include "osmem.h"   /* OSMEM_API */

#ifdef __cplusplus
extern "C" {
#endif

/* libosmem.so exports this API; the drop-in keeps it inside (it builds with
 * OSMEM_MM_API empty): preloaded into any program, an exported xcalloc or
 * xfree would take the place of the ones libraries such as libgettextlib
 * (xcalloc(nmemb, size)) and libreadline (xfree = free) call.  Programs that
 * link libosmalloc.a statically still get it. */
#ifndef OSMEM_MM_API
#define OSMEM_MM_API OSMEM_API
#endif

/* The longest family name, in bytes (the terminating NUL not counted). */
#define MM_MAX_FAMILY_NAME 32

/* Optional: every other function initialises the library on first use.
 * Calling it again does nothing. */
OSMEM_MM_API void mm_init(void);

/* Register a family of objects of `size` bytes named `name`.  Returns 0, or
 * -1 with errno = EEXIST (name already registered), ENAMETOOLONG (more than
 * MM_MAX_FAMILY_NAME bytes), EINVAL (name NULL or empty, size 0) or ENOMEM. */
OSMEM_MM_API int mm_instantiate_new_page_family(const char *name, uint32_t size);

/* Register a type under its own spelling, e.g. MM_REG_STRUCT(emp_t). */
#define MM_REG_STRUCT(type) mm_instantiate_new_page_family(#type, (uint32_t)sizeof(type))

/* Zeroed memory for `units` objects of the family `name`; NULL with
 * errno = EINVAL (unknown family, units < 1) or ENOMEM. */
OSMEM_MM_API void *xcalloc(const char *name, int units);

#define XCALLOC(units, type) ((type *)xcalloc(#type, (units)))

/* Give back what xcalloc returned.  xfree(NULL) does nothing; any other
 * pointer xcalloc did not return (or a second xfree of one) is reported on
 * stderr and otherwise ignored. */
OSMEM_MM_API void xfree(void *ptr);

#define XFREE(ptr) xfree(ptr)

/* Every family: its name, object size, and how many objects fit in a page. */
OSMEM_MM_API void mm_print_registered_page_families(void);

/* Per family (NULL: every family, then the totals): objects and bytes in use,
 * pages held, free bytes inside them, fragmentation (the share of the free
 * bytes outside the largest free block), and what the general allocator
 * serves.  An unknown name is reported on stderr (errno = EINVAL). */
OSMEM_MM_API void mm_print_memory_usage(const char *name);

/* Per family: how many blocks are allocated and free in its pages, and their
 * total payload bytes (each block also has a 16-byte header). */
OSMEM_MM_API void mm_print_block_usage(void);

#ifdef __cplusplus
}
#endif

#endif /* OSMEM_MM_H */
