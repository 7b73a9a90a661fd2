/* SPDX-License-Identifier: MIT */
/*
 * mm_registry.h - the set of addresses that typed allocation hands out.
 *
 * xfree must say whether any pointer is one of ours without reading the
 * memory around it (it may be unmapped, or foreign), so the page families
 * register here the base of every page they hold, and the general-allocator
 * fallback the address of every object it serves (tagged, see mm.c).  The set
 * lives in memory mapped for it through the OS layer, grows by doubling and
 * is unmapped when it empties.  All functions expect the allocator lock.
 */
#ifndef OSMEM_MM_REGISTRY_H
#define OSMEM_MM_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

/* key != 0.  False (errno = ENOMEM) if the set could not grow. */
bool mmreg_add(uintptr_t key);

bool mmreg_has(uintptr_t key);

/* key must be present. */
void mmreg_remove(uintptr_t key);

/* Unmap the set, forgetting every key.  For tests. */
void mmreg_forget(void);

#endif /* OSMEM_MM_REGISTRY_H */
