/* SPDX-License-Identifier: MIT */
/*
 * zone.h - small-object zones (drop-in profile, OSMEM_ZONES=1).
 *
 * Requests of 1..ZONE_MAX_SIZE bytes are rounded up to a size class (steps
 * of 16 bytes: 16, 32, ..., 1024) and served from zones: a zone is the
 * payload of one heap block, a whole number of granules (ZONE_GRANULE bytes,
 * the fewest that hold ZONE_MIN_OBJECTS objects) less the next block's
 * header, starting on a granule boundary, holding objects of one class only, with no header per object
 * (overhead 0).
 *
 * Finding an object's zone in O(1) without reading user memory: zones live
 * in a window of ZONE_REGISTRY_SLOTS granules that starts at the program
 * break seen at start-up, and a static 16-bit entry per granule (the
 * registry, owned by the allocator) says whether the granule is part of a
 * zone, of which class, and how many granules after the zone's first it is.
 * zone_entry() is a subtraction, a shift, a bound check and one load;
 * zone_object_offset() turns the entry into the object's offset in its zone,
 * and zone_offset_is_slot() checks that it is exactly an object's start (no
 * division: a multiply by the inverse of the class size).
 *
 * Everything but the inline lookups expects the allocator lock (src/lock.h).
 * The per-thread caches in front of the zones are tcache.c's.
 */
#ifndef OSMEM_ZONE_H
#define OSMEM_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define ZONE_HIDDEN __attribute__((visibility("hidden")))

#define ZONE_GRANULE_SHIFT 14
#define ZONE_GRANULE ((size_t)1 << ZONE_GRANULE_SHIFT)   /* 16 KiB */
_Static_assert(!OSMEM_ZONES || OSMEM_HEAP_START_ALIGN == ZONE_GRANULE, "the heap starts on a granule");
#define ZONE_MIN_OBJECTS 100
#define ZONE_CLASS_STEP 16
#define ZONE_CLASSES 64
#define ZONE_MAX_SIZE (ZONE_CLASSES * ZONE_CLASS_STEP)   /* 1024 */
#define ZONE_REGISTRY_SLOTS ((size_t)1 << 20)            /* 16 GiB of address space */

/* Registry entry: bits 6..0 class + 1 (0: no zone), bits 15..7 the granule's
 * index in its zone. */
#define ZONE_ENTRY_CLASS_BITS 7

_Static_assert(OSMEM_ALIGNMENT <= ZONE_CLASS_STEP, "class sizes must keep the profile's alignment");

/* ---- knobs (read once, when the first zone is set up) ---- */

/* Requests up to this many bytes use zones (clamped to ZONE_MAX_SIZE; 0: never). */
extern size_t opt_zone_max_size ZONE_HIDDEN;
/* Empty zones kept per class instead of going back to the heap (default 1). */
extern size_t opt_zone_spare ZONE_HIDDEN;

/* ---- the size classes: read-only once the first zone exists ---- */

struct zone_class {   /* 32 bytes: free() indexes the table with a shift */
	uint16_t size;      /* object size: (index + 1) * ZONE_CLASS_STEP */
	uint16_t slots;     /* objects per zone */
	uint32_t bytes;     /* the zone's size: whole granules less one block header */
	uint32_t span;      /* slots * size: bytes of objects */
	uint32_t shift;     /* trailing zero bits of size */
	uint64_t inverse;   /* inverse of (size >> shift) modulo 2^64 */
	uint64_t quotient_max;   /* UINT64_MAX / size */
};

extern struct zone_class zone_classes[ZONE_CLASSES] ZONE_HIDDEN;
extern uintptr_t zone_base ZONE_HIDDEN;                  /* first granule's address */
extern uint16_t zone_registry[ZONE_REGISTRY_SLOTS] ZONE_HIDDEN;
extern size_t zone_max_request ZONE_HIDDEN;              /* opt_zone_max_size, clamped */
/* Objects given out free (to thread caches) carry this per-process random
 * value in their second word; malloc clears it.  A free() that finds it there
 * is probably a double free and checks exactly (tcache.c). */
extern uintptr_t zone_free_mark ZONE_HIDDEN;

/* Bytes of zone header before the first object (the free-slot bitmap). */
#define ZONE_HEADER 256

static inline unsigned zone_class_of_size(size_t n)   /* 1 <= n <= ZONE_MAX_SIZE */
{
	return (unsigned)((n - 1) / ZONE_CLASS_STEP);
}

static inline size_t zone_class_size(unsigned cls)
{
	return (size_t)(cls + 1) * ZONE_CLASS_STEP;
}

/* The registry entry of the granule holding address p (0: in no zone).
 * Reads only the registry, never the memory at p. */
static inline unsigned zone_entry(const void *p)
{
	uintptr_t g = ((uintptr_t)p - zone_base) >> ZONE_GRANULE_SHIFT;

	return g < ZONE_REGISTRY_SLOTS ? zone_registry[g] : 0;
}

static inline unsigned zone_entry_class(unsigned entry)   /* entry != 0 */
{
	return (entry & ((1u << ZONE_ENTRY_CLASS_BITS) - 1)) - 1;
}

/* The class of the zone holding address p, or -1 if p is in no zone. */
static inline int zone_class_of(const void *p)
{
	return (int)(zone_entry(p) & ((1u << ZONE_ENTRY_CLASS_BITS) - 1)) - 1;
}

/* p's offset from the first object of its zone (entry = zone_entry(p) != 0);
 * wraps to a huge value for an address in the zone's header. */
static inline uint64_t zone_object_offset(const void *p, unsigned entry)
{
	return ((uintptr_t)p & (ZONE_GRANULE - 1)) + ((uint64_t)(entry >> ZONE_ENTRY_CLASS_BITS) << ZONE_GRANULE_SHIFT)
	       - ZONE_HEADER;
}

/* The offset is exactly an object's start: k * size for some k < slots.
 * Divisibility by size = odd << shift without a division: off * inverse(odd),
 * rotated right by shift, is at most UINT64_MAX / size exactly for the
 * multiples of size (Granlund and Montgomery's test). */
static inline bool zone_offset_is_slot(uint64_t off, unsigned cls)
{
	const struct zone_class *c = &zone_classes[cls];
	uint64_t q = off * c->inverse;

	q = (q >> c->shift) | (q << ((64 - c->shift) & 63));
	return off < c->span && q <= c->quotient_max;
}

/* p lies in a zone and is one of its objects' start. */
static inline bool zone_is_slot_start(const void *p)
{
	unsigned e = zone_entry(p);

	return e && zone_offset_is_slot(zone_object_offset(p, e), zone_entry_class(e));
}

/* ---- under the allocator lock ---- */

/* Set the registry's window and the classes up (idempotent). */
void zone_init(void);

/* mallopt(M_MMAP_THRESHOLD): requests that the threshold sends to a mapping
 * skip the zones too (threshold 0: no zone at all).  Takes the lock itself. */
void zone_follow_mmap_threshold(size_t threshold);

/* Take up to `want` objects of class cls from its zones (creating one zone
 * if none has a free object), chained through their first word, each with
 * zone_free_mark in its second word.  Returns how many (0: out of memory, or
 * no zone could be placed in the registry's window); *head is the first. */
size_t zone_take(unsigned cls, size_t want, void **head);

/* Give back a chain of n objects (linked through their first word; zone
 * objects of any class).  Zones left empty go back to the heap, beyond
 * opt_zone_spare of them per class. */
void zone_put_chain(void *head, size_t n);

/* The object (a valid slot start) is free in its zone itself. */
bool zone_slot_is_free(const void *p);

/* ---- inspection (lock held) ---- */

struct zone_info {
	const void *start;      /* the zone: its header, then its objects */
	size_t bytes;           /* the zone's size */
	unsigned size_class;
	size_t object_size;
	size_t objects;         /* slots in the zone */
	size_t free_objects;    /* free in the zone (objects in thread caches count as taken) */
};

enum zone_object_state {
	ZONE_OBJECT_FREE,       /* in the zone's free bitmap */
	ZONE_OBJECT_CACHED,     /* taken, and carries the cache mark: most likely in a thread cache */
	ZONE_OBJECT_IN_USE,     /* taken, without the mark: the program's */
};

typedef void (*zone_visit_fn)(const struct zone_info *zone, void *arg);
typedef void (*zone_object_fn)(const struct zone_info *zone, const void *object,
			       enum zone_object_state state, void *arg);

/* Call on_zone for every zone, then on_object (if not NULL) for each of its
 * objects, in address order.  Either may be NULL. */
void zone_walk(zone_visit_fn on_zone, zone_object_fn on_object, void *arg);

/* The same for one zone, if a zone starts at `start` (a heap block's
 * payload); false when none does.  Lock held. */
bool zone_walk_at(const void *start, zone_visit_fn on_zone, zone_object_fn on_object, void *arg);

#endif /* OSMEM_ZONE_H */
