/* SPDX-License-Identifier: MIT */
/*
 * zone.c - small-object zones (see zone.h for the address arithmetic).
 *
 * Design:
 *  - A zone is the payload of one heap block (heap_alloc_aligned), a whole
 *    number of granules less one block header, aligned to a granule (not to
 *    its size: the alignment costs at most one granule of heap, given back as
 *    a free block), so dumps and statistics see it as one allocated block.
 *    Leaving the header's room at the end lets the next zone's block header
 *    sit there: zones cut one after another from the heap's top are
 *    contiguous, with no free gap between them.  A zone starts with a
 *    header (struct zone) whose bitmap has one bit per object, set while the
 *    object is free in the zone; objects follow at ZONE_HEADER.  Objects
 *    carry no header of their own.
 *  - Taking objects scans the bitmap from a hint for the lowest free ones, so
 *    a zone's pages are touched in order and only as far as it is used.
 *  - Per class, zones with free objects are on a `partial` list, full ones on
 *    a `full` list.  A zone that becomes empty goes back to the heap, unless
 *    the class keeps fewer than opt_zone_spare empty zones (avoids creating
 *    and freeing a zone on every batch at a boundary).
 *  - The registry (an entry per granule of a fixed window starting at the
 *    break seen at start-up) is written here under the lock and read by
 *    free() without it; that is race-free: a granule's entry changes only when
 *    a zone covering it is created or released, and no live object outside
 *    that zone can lie in the granule meanwhile.
 *
 * Every function expects the allocator lock.
 */
#include "zone.h"

#include <string.h>
#include <sys/auxv.h>

#include "block.h"
#include "heap.h"
#include "lock.h"
#include "os.h"
#include "options.h"

#if OSMEM_ZONES

#define MAP_WORDS 16   /* bitmap words: the 16-byte class has the most slots */

struct zone {
	struct zone *next, *prev;   /* the class's partial or full list */
	uint32_t cls;
	uint32_t free_count;
	uint32_t hint;              /* no free bit in words below this one */
	uint32_t pad;
	uint64_t free_map[MAP_WORDS];
};

_Static_assert(sizeof(struct zone) <= ZONE_HEADER, "the zone header must fit before the objects");
_Static_assert(ZONE_HEADER % ZONE_CLASS_STEP == 0, "objects must stay aligned");
/* The class with the most objects per zone: 16 bytes in one granule. */
_Static_assert((ZONE_GRANULE - ZONE_HEADER) / ZONE_CLASS_STEP <= MAP_WORDS * 64, "bitmap too small");
_Static_assert((ZONE_GRANULE - ZONE_HEADER) / ZONE_CLASS_STEP >= ZONE_MIN_OBJECTS, "granule too small");

size_t opt_zone_max_size = ZONE_MAX_SIZE;
size_t opt_zone_spare = 1;

struct zone_class zone_classes[ZONE_CLASSES];
uintptr_t zone_base;
uint16_t zone_registry[ZONE_REGISTRY_SLOTS];
size_t zone_max_request = ZONE_MAX_SIZE;
uintptr_t zone_free_mark;

static struct class_zones {
	struct zone *partial;   /* zones with at least one free object */
	struct zone *full;
	size_t empty;           /* zones on `partial` with every object free */
} lists[ZONE_CLASSES];

static bool initialised;
static size_t threshold_cap = ZONE_MAX_SIZE;   /* requests the mapping threshold leaves to the heap */

/* zone_max_request = the smaller of the option and the threshold's cap.
 * Written only when it changes: malloc reads it without the lock. */
static void update_max_request(void)
{
	size_t m = opt_zone_max_size < ZONE_MAX_SIZE ? opt_zone_max_size : ZONE_MAX_SIZE;

	if (threshold_cap < m)
		m = threshold_cap;
	if (zone_max_request != m)
		zone_max_request = m;
}

/* Mapped when HDR + align16(n) >= threshold: zones keep the n with
 * align16(n) <= threshold - HDR - 1, i.e. n <= that rounded down to 16. */
static void set_threshold_cap(size_t threshold)
{
	threshold_cap = threshold > HDR ? (threshold - HDR - 1) & ~(size_t)(ZONE_CLASS_STEP - 1) : 0;
}

void zone_follow_mmap_threshold(size_t threshold)
{
	lock_acquire();
	set_threshold_cap(threshold);
	update_max_request();
	lock_release();
}

/* ---- the classes ---- */

static uint64_t inverse_mod_2_64(uint64_t odd)
{
	uint64_t x = odd;   /* correct to 3 bits; each Newton step doubles that */

	for (int i = 0; i < 5; i++)
		x *= 2 - odd * x;
	return x;
}

static void class_setup(unsigned cls)
{
	struct zone_class *c = &zone_classes[cls];
	uint32_t size = (uint32_t)zone_class_size(cls);

	/* The block's header is counted in: the block then ends exactly one
	 * header before a granule boundary, where the next zone's block header
	 * fits, so zones made one after another from the top of the heap are
	 * contiguous (a zone of whole granules would leave a gap of a granule
	 * less a header between two zones, and touch two of its pages). */
	size_t granules = (HDR + ZONE_HEADER + (size_t)ZONE_MIN_OBJECTS * size + ZONE_GRANULE - 1) / ZONE_GRANULE;

	c->size = (uint16_t)size;
	c->bytes = (uint32_t)(granules * ZONE_GRANULE - HDR);
	c->slots = (uint16_t)((c->bytes - ZONE_HEADER) / size);
	c->span = (uint32_t)c->slots * size;
	c->shift = (uint32_t)__builtin_ctz(size);
	c->inverse = inverse_mod_2_64(size >> c->shift);
	c->quotient_max = UINT64_MAX / size;
}

/* From the kernel's AT_RANDOM bytes (block.c's seal key uses the other half);
 * never 0, the word malloc leaves in an object it hands out. */
static uintptr_t random_mark(void)
{
	const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
	uint64_t m = 0x3c6ef372fe94f82bULL;

	if (r)
		memcpy(&m, r, sizeof(m));
	return (uintptr_t)(m | 1);
}

void zone_init(void)
{
	if (initialised)
		return;
	options_ensure_loaded();   /* OSMEM_OPTIONS may set the knobs below */
	for (unsigned c = 0; c < ZONE_CLASSES; c++)
		class_setup(c);
	set_threshold_cap(opt_mmap_threshold);
	update_max_request();
	/* The heap starts at the break (or above it): zones are at or above it. */
	zone_base = (uintptr_t)os_break() & ~(uintptr_t)(ZONE_GRANULE - 1);
	zone_free_mark = random_mark();
	initialised = true;
}

/* Fix the registry's window while the process is still single-threaded
 * (constructors run before main), so that free() reads zone_base race-free. */
__attribute__((constructor)) static void zone_init_early(void)
{
	lock_acquire();
	zone_init();
	lock_release();
}

/* ---- zone lists ---- */

static void list_push(struct zone **head, struct zone *z)
{
	z->prev = NULL;
	z->next = *head;
	if (*head)
		(*head)->prev = z;
	*head = z;
}

static void list_remove(struct zone **head, struct zone *z)
{
	if (z->prev)
		z->prev->next = z->next;
	else
		*head = z->next;
	if (z->next)
		z->next->prev = z->prev;
}

/* The zone of an address in a zone. */
static struct zone *zone_of(const void *p)
{
	unsigned e = zone_entry(p);

	return (struct zone *)(((uintptr_t)p & ~(uintptr_t)(ZONE_GRANULE - 1)) -
			       ((uintptr_t)(e >> ZONE_ENTRY_CLASS_BITS) << ZONE_GRANULE_SHIFT));
}

/* Granules a zone of class cls spans (its last one ends with the next block's header). */
static size_t zone_granules(unsigned cls)
{
	return (zone_classes[cls].bytes + HDR) / ZONE_GRANULE;
}

static size_t granule_of(const void *p)
{
	return ((uintptr_t)p - zone_base) >> ZONE_GRANULE_SHIFT;
}

/* Write the registry entries of every granule of z (0: unregister). */
static void register_zone(struct zone *z, unsigned cls, bool present)
{
	size_t g = granule_of(z), n = zone_granules(cls);

	for (size_t i = 0; i < n; i++)
		zone_registry[g + i] = present ? (uint16_t)((cls + 1) | (i << ZONE_ENTRY_CLASS_BITS)) : 0;
}

static char *slot_address(struct zone *z, size_t i)
{
	return (char *)z + ZONE_HEADER + i * zone_classes[z->cls].size;
}

static size_t slot_index(const struct zone *z, const void *p)
{
	return (size_t)((const char *)p - (const char *)z - ZONE_HEADER) / zone_classes[z->cls].size;
}

/* ---- creating and releasing zones ---- */

static struct zone *zone_create(unsigned cls)
{
	const struct zone_class *c = &zone_classes[cls];
	struct block_meta *b = heap_alloc_aligned(c->bytes, ZONE_GRANULE);
	struct zone *z;
	uint32_t slots = c->slots;

	if (!b)
		return NULL;
	z = block_payload(b);
	if (granule_of(z) + zone_granules(cls) > ZONE_REGISTRY_SLOTS) {   /* outside the window */
		heap_free(b);
		return NULL;
	}
	memset(z, 0, sizeof(*z));
	z->cls = cls;
	z->free_count = slots;
	memset(z->free_map, 0xff, slots / 64 * sizeof(uint64_t));
	if (slots % 64)
		z->free_map[slots / 64] = (UINT64_C(1) << (slots % 64)) - 1;
	register_zone(z, cls, true);
	list_push(&lists[cls].partial, z);
	lists[cls].empty++;
	return z;
}

static void zone_release(struct zone *z)
{
	list_remove(&lists[z->cls].partial, z);
	lists[z->cls].empty--;
	register_zone(z, z->cls, false);
	heap_free(payload_block(z));
}

/* ---- taking and giving back objects ---- */

static bool zone_is_empty(const struct zone *z)
{
	return z->free_count == zone_classes[z->cls].slots;
}

/* Take up to `want` free objects from z, lowest address first, appending
 * them to the chain whose last link is *tail. */
static size_t take_from(struct zone *z, size_t want, void ***tail)
{
	size_t n = 0;

	if (zone_is_empty(z))
		lists[z->cls].empty--;
	for (uint32_t w = z->hint; n < want && w < MAP_WORDS; w++) {
		while (n < want && z->free_map[w]) {
			size_t bit = (size_t)__builtin_ctzll(z->free_map[w]);
			void **o = (void **)slot_address(z, w * 64 + bit);

			z->free_map[w] &= z->free_map[w] - 1;
			o[1] = (void *)zone_free_mark;
			**tail = o;
			*tail = &o[0];
			n++;
		}
		z->hint = w;
	}
	z->free_count -= (uint32_t)n;
	if (z->free_count == 0) {
		list_remove(&lists[z->cls].partial, z);
		list_push(&lists[z->cls].full, z);
	}
	return n;
}

size_t zone_take(unsigned cls, size_t want, void **head)
{
	size_t n = 0;
	void **tail = head;

	zone_init();
	while (n < want) {
		struct zone *z = lists[cls].partial;

		if (!z && (n > 0 || !(z = zone_create(cls))))
			break;   /* one new zone per call at most; 0: out of memory */
		n += take_from(z, want - n, &tail);
	}
	*tail = NULL;
	return n;
}

static void put_one(void *p)
{
	struct zone *z = zone_of(p);
	size_t i = slot_index(z, p);
	struct class_zones *l = &lists[z->cls];

	if (z->free_count == 0) {
		list_remove(&l->full, z);
		list_push(&l->partial, z);
	}
	z->free_map[i / 64] |= UINT64_C(1) << (i % 64);
	if (i / 64 < z->hint)
		z->hint = (uint32_t)(i / 64);
	z->free_count++;
	if (zone_is_empty(z) && ++l->empty > opt_zone_spare)
		zone_release(z);
}

void zone_put_chain(void *head, size_t n)
{
	while (n-- > 0 && head) {
		void *next = *(void **)head;

		put_one(head);
		head = next;
	}
}

bool zone_slot_is_free(const void *p)
{
	const struct zone *z = zone_of(p);
	size_t i = slot_index(z, p);

	return (z->free_map[i / 64] >> (i % 64)) & 1;
}

/* ---- inspection ---- */

static void walk_zone(struct zone *z, zone_visit_fn on_zone, zone_object_fn on_object, void *arg)
{
	const struct zone_class *c = &zone_classes[z->cls];
	struct zone_info info = {
		.start = z, .bytes = c->bytes, .size_class = z->cls, .object_size = c->size,
		.objects = c->slots, .free_objects = z->free_count,
	};

	if (on_zone)
		on_zone(&info, arg);
	for (size_t i = 0; on_object && i < c->slots; i++) {
		void **o = (void **)slot_address(z, i);
		enum zone_object_state s = ZONE_OBJECT_IN_USE;

		if (zone_slot_is_free(o))
			s = ZONE_OBJECT_FREE;
		else if ((uintptr_t)o[1] == zone_free_mark)
			s = ZONE_OBJECT_CACHED;
		on_object(&info, o, s, arg);
	}
}

bool zone_walk_at(const void *start, zone_visit_fn on_zone, zone_object_fn on_object, void *arg)
{
	/* A zone starts on a granule that is the first of its zone. */
	if (((uintptr_t)start & (ZONE_GRANULE - 1)) != 0 || zone_class_of(start) < 0 ||
	    (zone_entry(start) >> ZONE_ENTRY_CLASS_BITS) != 0)
		return false;
	walk_zone((struct zone *)start, on_zone, on_object, arg);
	return true;
}

void zone_walk(zone_visit_fn on_zone, zone_object_fn on_object, void *arg)
{
	for (unsigned c = 0; c < ZONE_CLASSES; c++) {
		for (struct zone *z = lists[c].partial; z; z = z->next)
			walk_zone(z, on_zone, on_object, arg);
		for (struct zone *z = lists[c].full; z; z = z->next)
			walk_zone(z, on_zone, on_object, arg);
	}
}

#endif /* OSMEM_ZONES */
