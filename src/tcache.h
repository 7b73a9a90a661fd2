/* SPDX-License-Identifier: MIT */
/*
 * tcache.h - per-thread caches of zone objects (drop-in profile, OSMEM_ZONES=1).
 *
 * Each thread has, in static TLS (initial-exec: no call to find it), one bin
 * per size class: a singly linked list of free objects (link in the object's
 * first word, zone_free_mark in its second) and its count.  The common
 * malloc/free pair pops and pushes there: no lock, no atomic operation.
 * An empty bin is refilled with a batch (half its limit) taken from the
 * zones under the allocator lock; a full bin gives its colder half back.
 *
 * Frees from another thread simply go into the freeing thread's bin (and from
 * there back to the zones when it is full), so producer/consumer patterns
 * neither leak nor starve: the producer refills from the zones that the
 * consumer's flushes fill.  A thread's bins are flushed when it exits
 * (pthread key destructor); after that, and while a thread sets its cache up,
 * its small requests go to the zones directly under the lock.
 *
 * Double free: an object in a bin carries zone_free_mark; a free() that finds
 * the mark checks exactly (this thread's bin, then the zone's bitmap) and
 * reports.  An object sitting in *another* thread's bin cannot be seen, as in
 * glibc's tcache.
 *
 * Fork: nothing to do beyond the allocator lock (held across fork by
 * lock.c); the child's bins are the forking thread's, consistent.  Objects in
 * the bins of the parent's other threads stay unused in the child.
 */
#ifndef OSMEM_TCACHE_H
#define OSMEM_TCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zone.h"

/* ---- knobs (read when a thread sets its cache up) ---- */

/* At most this many objects per bin (default 64; 0: no caching). */
extern size_t opt_tcache_count ZONE_HIDDEN;
/* ... and at most about this many bytes per bin, but never fewer than 8
 * objects unless opt_tcache_count says so (default 4 KiB). */
extern size_t opt_tcache_bytes ZONE_HIDDEN;

struct tcache_bin {
	void **head;
	uint32_t count;
	uint32_t limit;   /* 0 until the thread's cache is set up, and after it exits */
};

struct tcache {
	struct tcache_bin bins[ZONE_CLASSES];
};

extern __thread struct tcache tcache_local
	__attribute__((tls_model("initial-exec"), visibility("hidden")));

void *tcache_malloc_slow(unsigned cls);
void tcache_free_slow(void *p, unsigned cls, const char *func);

/* A request of 1..zone_max_request bytes is small: it goes to the zones. */
static inline bool tcache_serves(size_t n)
{
	return n - 1 < zone_max_request;
}

/* An object for a small request n, from the caller's cache; when the zones
 * cannot serve it, a heap block (alloc_malloc); NULL: out of memory. */
static inline void *tcache_malloc_small(size_t n)
{
	unsigned cls = zone_class_of_size(n);
	struct tcache_bin *b = &tcache_local.bins[cls];
	void **p = b->head;

	if (__builtin_expect(p == NULL, 0))
		return tcache_malloc_slow(cls);
	b->head = p[0];
	b->count--;
	p[1] = NULL;   /* no longer marked free */
	return p;
}

/* tcache_malloc_small(n) for a small n, else NULL. */
static inline void *tcache_malloc(size_t n)
{
	return tcache_serves(n) ? tcache_malloc_small(n) : NULL;
}

/* Free p if it lies in a zone (true), reporting it if it is not an object's
 * start or is already free; false: p is not in any zone (NULL included). */
static inline bool tcache_free(void *p, const char *func)
{
	unsigned e = zone_entry(p), cls;
	struct tcache_bin *b;
	void **o = p;

	if (!e)
		return false;
	cls = zone_entry_class(e);
	b = &tcache_local.bins[cls];
	if (__builtin_expect(!zone_offset_is_slot(zone_object_offset(p, e), cls) ||
			     (uintptr_t)o[1] == zone_free_mark || b->count >= b->limit, 0)) {
		tcache_free_slow(p, cls, func);
		return true;
	}
	o[0] = b->head;
	o[1] = (void *)zone_free_mark;
	b->head = o;
	b->count++;
	return true;
}

/* For a pointer p in a zone (zone_class_of(p) >= 0): the object's usable
 * size, or 0 after reporting an invalid or freed pointer. */
size_t tcache_usable_size(void *p, const char *func);

/* realloc of a pointer p in a zone to n >= 1 bytes: in place while n fits
 * the class, else moved (to a zone or the heap).  NULL: errno EINVAL after a
 * report, or ENOMEM with p intact. */
void *tcache_realloc(void *p, size_t n, const char *func);

/* Give every object of the calling thread's bins back to the zones (also
 * done at thread exit).  For tests and malloc_trim. */
void tcache_flush_all(void);

#endif /* OSMEM_TCACHE_H */
