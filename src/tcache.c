/* SPDX-License-Identifier: MIT */
/*
 * tcache.c - the per-thread caches' slow paths: setting a thread's cache up,
 * refilling and flushing bins under the allocator lock, the exact double-free
 * check, and the thread-exit flush.  The fast paths are inline in tcache.h;
 * the design is described there.
 *
 * Nothing here allocates: pthread_key_create does not, and
 * pthread_setspecific may (for keys past glibc's first 32) call calloc, which
 * finds this thread in TC_SETTING_UP and goes to the zones directly.
 */
#include "tcache.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "alloc.h"
#include "lock.h"
#include "report.h"
#include "vg.h"

#if OSMEM_ZONES

size_t opt_tcache_count = 64;
/* One page per bin: a bin's objects are its thread's alone, so every byte
 * cached is resident memory no other thread can use; 4 KiB per class keeps a
 * thread's worst case near 64 classes x 4 KiB, and big classes still get 8
 * objects (refills of 4).  16 KiB cost prodcons 0.25 MiB of peak RSS for no
 * measurable time. */
size_t opt_tcache_bytes = 4 * 1024;

__thread struct tcache tcache_local __attribute__((tls_model("initial-exec")));

enum tc_state { TC_NEW, TC_SETTING_UP, TC_ACTIVE, TC_OFF };
static __thread enum tc_state tc_state __attribute__((tls_model("initial-exec")));

/* Under the lock. */
static pthread_key_t exit_key;
static bool exit_key_made;

static uint32_t bin_limit(unsigned cls)
{
	size_t by_bytes = opt_tcache_bytes / zone_class_size(cls);
	size_t limit = by_bytes > 8 ? by_bytes : 8;

	if (limit > opt_tcache_count)
		limit = opt_tcache_count;
	return (uint32_t)(limit < UINT16_MAX ? limit : UINT16_MAX);
}

/* ---- moving objects between a bin and the zones ---- */

static void put_locked(void *head, size_t n)
{
	lock_acquire();
	zone_put_chain(head, n);
	lock_release();
}

/* Keep the `keep` most recently freed objects of b (the front of its list)
 * and give the rest back to the zones. */
static void bin_trim(struct tcache_bin *b, uint32_t keep)
{
	void **rest;

	if (b->count <= keep)
		return;
	if (keep == 0) {
		rest = b->head;
		b->head = NULL;
	} else {
		void **cut = b->head;

		for (uint32_t i = 1; i < keep; i++)
			cut = cut[0];
		rest = cut[0];
		cut[0] = NULL;
	}
	put_locked(rest, b->count - keep);
	b->count = keep;
}

static void flush_bins(void)
{
	for (unsigned c = 0; c < ZONE_CLASSES; c++)
		bin_trim(&tcache_local.bins[c], 0);
}

void tcache_flush_all(void)
{
	flush_bins();
}

/* pthread key destructor: the thread is exiting. */
static void thread_exit(void *unused)
{
	(void)unused;
	flush_bins();
	for (unsigned c = 0; c < ZONE_CLASSES; c++)
		tcache_local.bins[c].limit = 0;
	tc_state = TC_OFF;
}

/* Set this thread's cache up; false: it works without one (for now, or for
 * good if the exit hook cannot be installed: a cache nobody flushes at exit
 * would leak). */
static bool activate(void)
{
	bool ok;

	if (tc_state != TC_NEW)
		return tc_state == TC_ACTIVE;
	tc_state = TC_SETTING_UP;
	lock_acquire();
	zone_init();
	if (!exit_key_made)
		exit_key_made = pthread_key_create(&exit_key, thread_exit) == 0;
	ok = exit_key_made;
	lock_release();
	if (!ok || pthread_setspecific(exit_key, &tcache_local) != 0) {
		tc_state = TC_OFF;
		return false;
	}
	for (unsigned c = 0; c < ZONE_CLASSES; c++)
		tcache_local.bins[c].limit = bin_limit(c);
	tc_state = TC_ACTIVE;
	return true;
}

/* ---- malloc and free ---- */

void *tcache_malloc_slow(unsigned cls)
{
	struct tcache_bin *b = &tcache_local.bins[cls];
	size_t want = 1, n;
	void **head;

	if (activate() && b->limit > 1)
		want = b->limit / 2;
	lock_acquire();
	n = zone_take(cls, want, (void **)&head);
	lock_release();
	if (n == 0)
		return alloc_malloc(zone_class_size(cls));   /* no zone: an ordinary heap block */
	b->head = head[0];
	b->count = (uint32_t)(n - 1);
	head[1] = NULL;
	return head;
}

/* Exactly: is the marked object p (class cls) free?  In this thread's bin,
 * or in its zone.  (In another thread's bin: not visible.) */
static bool marked_object_is_free(void *p, unsigned cls)
{
	bool in_zone;

	for (void **o = tcache_local.bins[cls].head; o; o = o[0])
		if (o == p)
			return true;
	lock_acquire();
	in_zone = zone_slot_is_free(p);
	lock_release();
	return in_zone;
}

/* p lies in a zone of class cls: it is an object's start and not free;
 * otherwise report and return false. */
static bool live_object(void *p, unsigned cls, const char *func)
{
	if (!zone_is_slot_start(p)) {
		report_bad_pointer(func, "invalid pointer", p);
		return false;
	}
	if ((uintptr_t)((void **)p)[1] == zone_free_mark && marked_object_is_free(p, cls)) {
		report_bad_pointer(func, "double free or use after free of", p);
		return false;
	}
	return true;
}

void tcache_free_slow(void *p, unsigned cls, const char *func)
{
	struct tcache_bin *b = &tcache_local.bins[cls];
	void **o = p;

	if (!live_object(p, cls, func))
		return;
	if (!activate() || b->limit == 0) {
		o[1] = (void *)zone_free_mark;   /* a second free still reads as one */
		o[0] = NULL;
		put_locked(o, 1);
		return;
	}
	if (b->count >= b->limit)
		bin_trim(b, b->limit / 2);
	o[0] = b->head;
	o[1] = (void *)zone_free_mark;
	b->head = o;
	b->count++;
}

/* ---- the rest of the family ---- */

size_t tcache_usable_size(void *p, const char *func)
{
	int cls = zone_class_of(p);

	return live_object(p, (unsigned)cls, func) ? zone_class_size((unsigned)cls) : 0;
}

void *tcache_realloc(void *p, size_t n, const char *func)
{
	unsigned cls = (unsigned)zone_class_of(p);
	size_t have = zone_class_size(cls);
	void *q;

	if (!live_object(p, cls, func)) {
		errno = EINVAL;
		return NULL;
	}
	if (n <= have)
		return p;
	q = tcache_malloc(n);
	if (!q)
		q = alloc_malloc(n);
	if (!q)
		return NULL;
	vg_copy_target(q, n, p, have);   /* under memcheck: before the copy, see vg.h */
	memcpy(q, p, have);
	tcache_free(p, func);
	return q;
}

#endif /* OSMEM_ZONES */
