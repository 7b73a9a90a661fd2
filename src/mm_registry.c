/* SPDX-License-Identifier: MIT */
/*
 * mm_registry.c - an open-addressing hash set of addresses (see mm_registry.h).
 *
 * Linear probing in a power-of-two table of keys, 0 meaning empty.  Deletion
 * shifts later members of the probe run back into the hole instead of leaving
 * tombstones, so lookups stay short however many keys come and go.  The table
 * is mapped through the OS layer (the allocator may not use its own heap for
 * metadata: a drop-in malloc would recurse), starts at one page, doubles at
 * three quarters full and is kept once mapped (an empty set costs one page and
 * saves a map/unmap pair each time a family's only page comes and goes).
 */
#include "mm_registry.h"

#include <stddef.h>

#include "os.h"

static uintptr_t *slots;
static size_t capacity;   /* a power of two; 0 before the first key */
static size_t members;

/* Where a key's probe run starts: the multiply spreads every bit of the key
 * into bits 32 and up, so page bases (low 12 bits zero) spread as well as
 * object addresses. */
static size_t home_slot(uintptr_t key, size_t cap)
{
	return (size_t)(((uint64_t)key * 0x9e3779b97f4a7c15ULL) >> 32) & (cap - 1);
}

/* The slot holding key, or the empty slot ending its probe run. */
static size_t probe(uintptr_t key)
{
	size_t i = home_slot(key, capacity);

	while (slots[i] && slots[i] != key)
		i = (i + 1) & (capacity - 1);
	return i;
}

static bool grow(void)
{
	size_t new_cap = capacity ? capacity * 2 : os_page_size() / sizeof(uintptr_t);
	uintptr_t *old = slots, *fresh = os_map(new_cap * sizeof(uintptr_t));
	size_t old_cap = capacity;

	if (!fresh)
		return false;
	slots = fresh;   /* fresh mappings are zero: every slot empty */
	capacity = new_cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			slots[probe(old[i])] = old[i];
	if (old)
		os_unmap(old, old_cap * sizeof(uintptr_t));
	return true;
}

bool mmreg_add(uintptr_t key)
{
	if ((members + 1) * 4 > capacity * 3 && !grow())
		return false;
	slots[probe(key)] = key;
	members++;
	return true;
}

bool mmreg_has(uintptr_t key)
{
	return capacity && key && slots[probe(key)] == key;
}

void mmreg_remove(uintptr_t key)
{
	size_t mask = capacity - 1, hole = probe(key);

	slots[hole] = 0;
	members--;
	/* A later member of the run moves into the hole when the hole lies
	 * between its home slot and where it sits (cyclically): otherwise a
	 * probe for it would now stop at the hole. */
	for (size_t i = (hole + 1) & mask; slots[i]; i = (i + 1) & mask) {
		if (((i - home_slot(slots[i], capacity)) & mask) >= ((i - hole) & mask)) {
			slots[hole] = slots[i];
			slots[i] = 0;
			hole = i;
		}
	}
}

void mmreg_forget(void)
{
	if (slots)
		os_unmap(slots, capacity * sizeof(uintptr_t));
	slots = NULL;
	capacity = 0;
	members = 0;
}
