/* SPDX-License-Identifier: MIT */
/*
 * vg.h - telling Valgrind's memcheck which of osmem's memory is a block.
 *
 * Memcheck replaces glibc's malloc and so knows every heap block; osmem it
 * sees as a program poking at break and mapped memory.  These annotations
 * (Valgrind client requests) let it check osmem's users as strictly as
 * glibc's: leaks, use after free, reads of uninitialised payload, overruns.
 *
 * The model, kept by every entry point:
 *   - All memory osmem owns is NOACCESS, except the usable bytes of each
 *     live block, [p, p + n), which memcheck tracks as a heap block
 *     (MALLOCLIKE_BLOCK: undefined, or defined for calloc).  n is the
 *     request in the drop-in (glibc's rule, which memcheck applies to glibc)
 *     and the capacity in the strict profile, whose contract makes every
 *     byte of meta->size the program's.  Headers, the
 *     slack behind a payload and free blocks are NOACCESS, so an overrun into
 *     the next header or a read after free is an "Invalid read/write".
 *     Fresh break memory and fresh mappings are made NOACCESS as os.c gets
 *     them (vg_fresh_memory); MALLOCLIKE then opens the payload.
 *   - free: FREELIKE_BLOCK, only when the allocator accepted the pointer (a
 *     rejected one is reported by osmem itself, as without Valgrind).
 *   - realloc in place: RESIZEINPLACE_BLOCK.  realloc that moves: the new
 *     block is registered *before* the payload is copied (vg_copy_target,
 *     called by alloc.c), because memcheck drops the definedness of stores
 *     into NOACCESS memory; the copy carries the old bytes' definedness along.
 *   - The allocator itself reads headers and writes links into free payloads
 *     by design, so each entry point runs with memcheck's error reporting
 *     disabled for the calling thread (VALGRIND_DISABLE_ERROR_REPORTING);
 *     stores into NOACCESS memory change nothing there, loads from it read as
 *     defined, so the model above is not disturbed.  Set OSMEM_VALGRIND=0 to
 *     turn the annotations off and let memcheck check osmem's own accesses.
 *
 * Memcheck keeps a block's requested size and osmem does not (the header
 * holds the capacity), so the size a block had is read back from memcheck's
 * shadow: the requested bytes are addressable and the slack behind them is
 * not (vg_requested in vg.c).
 *
 * Only memcheck gets the annotations: under helgrind or drd the allocator
 * must be seen as it is, not silenced and serialised.
 *
 * Cost outside Valgrind: one predictable branch per call on a global that
 * says "not under Valgrind" after the first call.  Without the Valgrind
 * headers at build time everything here compiles to nothing.
 */
#ifndef OSMEM_VG_H
#define OSMEM_VG_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__has_include) && !defined(OSMEM_NO_VALGRIND)
#if __has_include(<valgrind/memcheck.h>)
#define OSMEM_HAVE_VALGRIND 1
#endif
#endif

#ifdef OSMEM_HAVE_VALGRIND

enum vg_state { VG_UNKNOWN = -1, VG_OFF = 0, VG_ON = 1 };

/* VG_UNKNOWN until the first entry point asks Valgrind (then never again). */
extern int vg_state;

static inline int vg_state_now(void)
{
	return __atomic_load_n(&vg_state, __ATOMIC_RELAXED);
}

/* The one branch outside Valgrind: false once the state is known to be off. */
static inline bool vg_maybe(void)
{
	return __builtin_expect(vg_state_now() != VG_OFF, 0);
}

/* Decide the state if unknown; when on, silence memcheck for this thread
 * until the matching vg_end_*; true when the annotations apply. */
bool vg_begin(void);

/* The end of an entry point: annotate its result, then report again. */
void vg_end_alloc(void *p, size_t requested, bool zeroed);
void vg_end_free(void *p, bool released);
void vg_end_realloc(void *old, void *p, size_t requested);
size_t vg_end_usable(void *p, size_t capacity);

void vg_copy_target_slow(void *dst, size_t dst_cap, const void *src, size_t src_cap);
void vg_fresh_memory_slow(void *addr, size_t len);
void vg_forget_blocks_slow(void);
/* The end of an inspection call (reads headers, changes no block). */
void vg_end_quiet(void);

#define VG_ON_NOW() (vg_state_now() == VG_ON)

#else /* !OSMEM_HAVE_VALGRIND: the annotations compile out */

static inline bool vg_maybe(void) { return false; }
static inline bool vg_begin(void) { return false; }
static inline void vg_end_alloc(void *p, size_t n, bool z) { (void)p; (void)n; (void)z; }
static inline void vg_end_free(void *p, bool r) { (void)p; (void)r; }
static inline void vg_end_realloc(void *o, void *p, size_t n) { (void)o; (void)p; (void)n; }
static inline size_t vg_end_usable(void *p, size_t c) { (void)p; return c; }
static inline void vg_copy_target_slow(void *d, size_t dc, const void *s, size_t sc)
{
	(void)d; (void)dc; (void)s; (void)sc;
}
static inline void vg_fresh_memory_slow(void *a, size_t l) { (void)a; (void)l; }
static inline void vg_forget_blocks_slow(void) {}
static inline void vg_end_quiet(void) {}

#define VG_ON_NOW() false

#endif

/* Inspection entry points (os_stats, os_heap_check, show_alloc_mem, ...) read
 * every header: they run silenced like the allocating ones.
 *     bool q = vg_quiet_begin(); ...; vg_quiet_end(q); */
static inline bool vg_quiet_begin(void)
{
	return vg_maybe() && vg_begin();
}

static inline void vg_quiet_end(bool began)
{
	if (began)
		vg_end_quiet();
}

/* As `requested`: the block's whole capacity is the user's (the strict
 * contract lets a program use every byte of meta->size). */
#define VG_CAPACITY ((size_t)-1)

/* ---- the entry points' wrappers: one per public function ----
 *
 * `call` is the entry point's body, evaluated once either way; the other
 * arguments are evaluated only under Valgrind, after `call`. */

/* An allocation of `requested` bytes or VG_CAPACITY (zeroed: calloc). */
#define VG_ALLOC(requested, zeroed, call) ({ \
	void *vg_p_; \
	if (vg_maybe() && vg_begin()) { \
		vg_p_ = (call); \
		vg_end_alloc(vg_p_, (requested), (zeroed)); \
	} else { \
		vg_p_ = (call); \
	} \
	vg_p_; })

/* A free; `call` returns true when the allocator released ptr. */
#define VG_FREE(ptr, call) do { \
	if (vg_maybe() && vg_begin()) \
		vg_end_free((ptr), (call)); \
	else \
		(void)(call); \
} while (0)

/* realloc(ptr, requested) with ptr != NULL and requested != 0 (or VG_CAPACITY). */
#define VG_REALLOC(ptr, requested, call) ({ \
	void *vg_p_; \
	if (vg_maybe() && vg_begin()) { \
		vg_p_ = (call); \
		vg_end_realloc((ptr), vg_p_, (requested)); \
	} else { \
		vg_p_ = (call); \
	} \
	vg_p_; })

/* malloc_usable_size: under memcheck the requested size, as with glibc
 * (the slack is NOACCESS there). */
#define VG_USABLE(ptr, call) ({ \
	size_t vg_n_; \
	if (vg_maybe() && vg_begin()) \
		vg_n_ = vg_end_usable((ptr), (call)); \
	else \
		vg_n_ = (call); \
	vg_n_; })

/* ---- hooks inside the allocator (the state is known by then) ---- */

/* alloc.c, realloc moving a payload: call before copying src to dst. */
static inline void vg_copy_target(void *dst, size_t dst_cap, const void *src, size_t src_cap)
{
	if (VG_ON_NOW())
		vg_copy_target_slow(dst, dst_cap, src, src_cap);
}

/* os.c: memory fresh from sbrk or mmap is osmem's, NOACCESS until handed out. */
static inline void vg_fresh_memory(void *addr, size_t len)
{
	if (addr && VG_ON_NOW())
		vg_fresh_memory_slow(addr, len);
}

/* testing.c: the allocator is about to forget every block (a test reset). */
static inline void vg_forget_blocks(void)
{
	if (VG_ON_NOW())
		vg_forget_blocks_slow();
}

#endif /* OSMEM_VG_H */
