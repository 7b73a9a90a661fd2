/* SPDX-License-Identifier: MIT */
/*
 * zone.h - small-object zones (drop-in profile, OSMEM_ZONES=1).
 *
 * Requests of 1..ZONE_MAX_SIZE bytes are rounded up to a size class (steps
 * of 16 bytes: 16, 32, ..., 1024) and served from zones: a zone is one heap
 * block of ZONE_SIZE bytes whose payload is aligned to ZONE_SIZE and holds
 * objects of one class only, with no header per object (overhead 0).
 *
 * Finding an object's zone in O(1) without reading user memory: the zones
 * live in a window of ZONE_REGISTRY_SLOTS granules of ZONE_SIZE bytes that
 * starts at the program break seen at start-up, and a static byte per granule
 * (the registry, owned by the allocator) says whether that granule is a zone
 * and of which class.  zone_class_of() is a subtraction, a shift, a bound
 * check and one byte load; zone_is_slot_start() then checks that the pointer
 * is exactly an object's start (no division: a multiply by the inverse of the
 * class size, see zone.c).
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

#define ZONE_SHIFT 17
#define ZONE_SIZE ((size_t)1 << ZONE_SHIFT)          /* 128 KiB: >= 127 objects of 1 KiB */
#define ZONE_CLASS_STEP 16
#define ZONE_CLASSES 64
#define ZONE_MAX_SIZE (ZONE_CLASSES * ZONE_CLASS_STEP)   /* 1024 */
#define ZONE_REGISTRY_SLOTS ((size_t)1 << 19)         /* 64 GiB of address space */

_Static_assert(OSMEM_ALIGNMENT <= ZONE_CLASS_STEP, "class sizes must keep the profile's alignment");

/* ---- knobs (read once, when the first zone is set up) ---- */

/* Requests up to this many bytes use zones (clamped to ZONE_MAX_SIZE; 0: never). */
extern size_t opt_zone_max_size ZONE_HIDDEN;
/* Empty zones kept per class instead of going back to the heap (default 1). */
extern size_t opt_zone_spare ZONE_HIDDEN;

/* ---- the size classes: read-only once the first zone exists ---- */

struct zone_class {
	uint32_t size;      /* object size: (index + 1) * ZONE_CLASS_STEP */
	uint32_t slots;     /* objects per zone */
	uint32_t span;      /* slots * size: bytes of objects */
	uint32_t shift;     /* trailing zero bits of size */
	uint64_t inverse;   /* inverse of (size >> shift) modulo 2^64 */
	uint64_t quotient_max;   /* UINT64_MAX / size */
};

extern struct zone_class zone_classes[ZONE_CLASSES] ZONE_HIDDEN;
extern uintptr_t zone_base ZONE_HIDDEN;                  /* first granule's address */
extern uint8_t zone_registry[ZONE_REGISTRY_SLOTS] ZONE_HIDDEN;   /* class + 1, 0: no zone */
extern size_t zone_max_request ZONE_HIDDEN;              /* opt_zone_max_size, clamped */
/* Objects given out free (to thread caches) carry this per-process random
 * value in their second word; malloc clears it.  A free() that finds it there
 * is probably a double free and checks exactly (tcache.c). */
extern uintptr_t zone_free_mark ZONE_HIDDEN;

/* Bytes of zone header before the first object (the free-slot bitmap). */
#define ZONE_HEADER 1088

static inline unsigned zone_class_of_size(size_t n)   /* 1 <= n <= ZONE_MAX_SIZE */
{
	return (unsigned)((n - 1) / ZONE_CLASS_STEP);
}

static inline size_t zone_class_size(unsigned cls)
{
	return (size_t)(cls + 1) * ZONE_CLASS_STEP;
}

/* The class of the zone holding address p, or -1 if p is in no zone.  Reads
 * only the registry, never the memory at p. */
static inline int zone_class_of(const void *p)
{
	uintptr_t g = ((uintptr_t)p - zone_base) >> ZONE_SHIFT;

	return g < ZONE_REGISTRY_SLOTS ? (int)zone_registry[g] - 1 : -1;
}

/* p (in a zone of class cls) is exactly the start of one of its objects:
 * offset = k * size for some k < slots.  Divisibility by size = odd << shift
 * without a division: offset * inverse(odd), rotated right by shift, is at
 * most UINT64_MAX / size exactly for the multiples of size (Granlund and
 * Montgomery's test). */
static inline bool zone_is_slot_start(const void *p, unsigned cls)
{
	const struct zone_class *c = &zone_classes[cls];
	uint64_t off = ((uintptr_t)p & (ZONE_SIZE - 1)) - ZONE_HEADER;
	uint64_t q = off * c->inverse;

	q = (q >> c->shift) | (q << ((64 - c->shift) & 63));
	return off < c->span && q <= c->quotient_max;
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
	size_t bytes;           /* ZONE_SIZE */
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

#endif /* OSMEM_ZONE_H */
