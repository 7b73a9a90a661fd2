/* SPDX-License-Identifier: MIT */
/*
 * vg.c - the Valgrind annotations' slow paths, run only under Valgrind.
 * The model is described in vg.h.
 */
#include "vg.h"

#ifdef OSMEM_HAVE_VALGRIND

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

#include "block.h"
#include "os.h"

int vg_state = VG_UNKNOWN;

/* Held from an entry point's call to the end of its annotations, so that no
 * other thread's allocation can take memory this call released (a realloc's
 * split-off tail, a freed block) before memcheck has been told.  Valgrind
 * runs one thread at a time anyway, so this costs nothing more there.  A
 * child of fork() starts with it free: the thread that may have held it is
 * not there. */
static pthread_mutex_t vg_lock = PTHREAD_MUTEX_INITIALIZER;

static void vg_lock_reset_in_child(void)
{
	pthread_mutex_init(&vg_lock, NULL);
}

__attribute__((constructor)) static void vg_register_fork_handler(void)
{
	pthread_atfork(NULL, NULL, vg_lock_reset_in_child);
}

/* True under memcheck only: other tools leave memcheck's requests unhandled
 * and return the default 0.  Race detectors (helgrind, drd) must see the
 * allocator as it is, not silenced and serialised by vg_lock. */
static bool tool_is_memcheck(void)
{
	char byte = 0, vbits;

	return VALGRIND_GET_VBITS(&byte, &vbits, 1) == 1;
}

/* Asked once.  getenv does not allocate; a racing second thread computes
 * the same answer. */
static int vg_decide(void)
{
	const char *off = getenv("OSMEM_VALGRIND");
	int s = RUNNING_ON_VALGRIND && tool_is_memcheck() && !(off && strcmp(off, "0") == 0)
		? VG_ON : VG_OFF;

	__atomic_store_n(&vg_state, s, __ATOMIC_RELAXED);
	return s;
}

bool vg_begin(void)
{
	int s = vg_state_now();

	if (s == VG_UNKNOWN)
		s = vg_decide();
	if (s != VG_ON)
		return false;
	VALGRIND_DISABLE_ERROR_REPORTING;
	pthread_mutex_lock(&vg_lock);
	return true;
}

static void vg_end(void)
{
	pthread_mutex_unlock(&vg_lock);
	VALGRIND_ENABLE_ERROR_REPORTING;
}

/* How many of the `len` bytes from p are addressable before the first that
 * is not (len when all are).  Reads only memcheck's shadow, never p. */
static size_t addressable_prefix(const void *p, size_t len)
{
	uintptr_t bad;

	if (len == 0)
		return 0;
	bad = (uintptr_t)VALGRIND_CHECK_MEM_IS_ADDRESSABLE(p, len);
	return bad ? bad - (uintptr_t)p : len;
}

/* The size memcheck holds for the live block at p: its requested bytes are
 * addressable, the slack up to the capacity is not. */
static size_t vg_requested(const void *p)
{
	return addressable_prefix(p, payload_block((void *)p)->size);
}

/* The usable size the caller asked for (see VG_CAPACITY). */
static size_t usable(void *p, size_t requested)
{
	return requested == VG_CAPACITY ? payload_block(p)->size : requested;
}

void vg_end_alloc(void *p, size_t requested, bool zeroed)
{
	if (p)
		VALGRIND_MALLOCLIKE_BLOCK(p, usable(p, requested), 0, zeroed);
	vg_end();
}

void vg_end_quiet(void)
{
	vg_end();
}

void vg_end_free(void *p, bool released)
{
	if (released)
		VALGRIND_FREELIKE_BLOCK(p, 0);
	vg_end();
}

/* The size memcheck holds for a block that realloc just resized in place.
 * Growing only adds NOACCESS memory behind the old request (slack, absorbed
 * headers, new break), so the old request ends within the new capacity.  A
 * shrink that split the block left the old request's tail addressable in
 * what is now the free remainder right behind it: scan on through it. */
static size_t size_before_resize(void *p)
{
	struct block_meta *b = payload_block(p);
	struct block_meta *after = (struct block_meta *)block_end(b);
	size_t n = addressable_prefix(p, b->size);

	if (n == b->size && b->next == after && after->status == STATUS_FREE)
		n = addressable_prefix(p, b->size + HDR + after->size);
	return n;
}

void vg_end_realloc(void *old, void *p, size_t requested)
{
	if (p == old) {
		VALGRIND_RESIZEINPLACE_BLOCK(p, size_before_resize(p), usable(p, requested), 0);
	} else if (p) {
		/* vg_copy_target registered p with the bytes it could carry over. */
		VALGRIND_RESIZEINPLACE_BLOCK(p, vg_requested(p), usable(p, requested), 0);
		VALGRIND_FREELIKE_BLOCK(old, 0);
	}
	vg_end();
}

size_t vg_end_usable(void *p, size_t capacity)
{
	size_t n = capacity ? vg_requested(p) : 0;

	vg_end();
	return n;
}

/* Register dst with as many bytes as src really holds (its requested size,
 * at most dst's capacity), undefined for now: the copy that follows then
 * sets their definedness to src's, byte for byte, and the rest of what is
 * copied (src's slack) lands in NOACCESS memory and stays unusable. */
void vg_copy_target_slow(void *dst, size_t dst_cap, const void *src, size_t src_cap)
{
	size_t keep = addressable_prefix(src, src_cap);

	VALGRIND_MALLOCLIKE_BLOCK(dst, keep < dst_cap ? keep : dst_cap, 0, 0);
}

void vg_fresh_memory_slow(void *addr, size_t len)
{
	/* Memcheck opens whole pages of a mapping; past the break nothing is
	 * addressable anyway, so rounding up is right for both. */
	VALGRIND_MAKE_MEM_NOACCESS(addr, align_up((char *)addr + len, os_page_size()) - (char *)addr);
}

/* A test reset drops every block without freeing it: tell memcheck, or it
 * would report them as leaked. */
void vg_forget_blocks_slow(void)
{
	VALGRIND_DISABLE_ERROR_REPORTING;
	for (struct block_meta *b = blocks.head; b; b = b->next)
		if (b->status != STATUS_FREE)
			VALGRIND_FREELIKE_BLOCK(block_payload(b), 0);
	VALGRIND_ENABLE_ERROR_REPORTING;
}

#endif /* OSMEM_HAVE_VALGRIND */
