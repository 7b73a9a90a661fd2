/* SPDX-License-Identifier: MIT */
/*
 * test_dropin.c - the libc drop-in (build/libosmalloc.a, linked into this
 * binary, so that malloc here, in libc and in CUnit IS osmem's): every
 * exported function of src/override.c against glibc's documented semantics.
 *
 * Ends with the line "N passed, M failed" (tests), as tests/unit does.
 *
 * Compiled with -fno-builtin: the compiler must not fold malloc's alignment,
 * drop malloc/free pairs or assume malloc(0) != NULL on its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cunit.h"
#include "osmem.h"

/* Removed from glibc's headers in 2.26, still exported by the drop-in. */
extern void cfree(void *ptr);

#define KiB ((size_t)1024)
#define MiB (KiB * 1024)
#define ALIGN 16                        /* the drop-in profile's alignment */
#define DEFAULT_MMAP_THRESHOLD (128 * KiB)
#define MAX_SWEEP (300 * KiB)

/* ---- helpers ---- */

/* Hide a constant from the compiler (no -Walloc-size-larger-than, no folding). */
static size_t opaque(size_t x)
{
	volatile size_t v = x;

	return v;
}


static bool aligned(const void *p, size_t a)
{
	return ((uintptr_t)p & (a - 1)) == 0;
}

static unsigned char pattern_byte(size_t i, unsigned int seed)
{
	return (unsigned char)((i * 131u + (i >> 8) * 7u + seed * 37u + 1u) & 0xff);
}

static void fill(void *p, size_t n, unsigned int seed)
{
	unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		c[i] = pattern_byte(i, seed);
}

/* Index of the first byte that is not the pattern, or n. */
static size_t mismatch(const void *p, size_t n, unsigned int seed)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i] != pattern_byte(i, seed))
			return i;
	return n;
}

static size_t first_nonzero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i])
			return i;
	return n;
}

/* Sizes 0..MAX_SWEEP: every byte up to 1 KiB, then steps of ~3%, plus every
 * multiple of 8 around the mapping threshold. */
static size_t sweep_sizes(size_t *out, size_t cap)
{
	size_t n = 0;

	for (size_t s = 0; s <= MAX_SWEEP && n < cap; s = s < KiB ? s + 1 : s + s / 32 + 1)
		out[n++] = s;
	for (size_t s = DEFAULT_MMAP_THRESHOLD - 96; s <= DEFAULT_MMAP_THRESHOLD + 32 && n < cap; s += 8)
		out[n++] = s;
	if (n < cap)
		out[n++] = MAX_SWEEP;
	return n;
}

#define SWEEP_CAP 2048

/* A fresh allocation p of n bytes: non-NULL, 16-aligned, usable >= n, and
 * writable over its whole usable size (filled with the pattern of `seed`). */
static bool check_fresh(const char *file, unsigned int line, const char *what, void *p, size_t n,
			size_t align, unsigned int seed)
{
	size_t usable;

	if (!check_at(file, line, p != NULL, "%s(%zu) returned NULL (errno %d)", what, n, errno))
		return false;
	if (!check_at(file, line, aligned(p, align), "%s(%zu) = %p: not %zu-aligned", what, n, p, align))
		return false;
	usable = malloc_usable_size(p);
	if (!check_at(file, line, usable >= n, "%s(%zu) = %p: malloc_usable_size %zu", what, n, p, usable))
		return false;
	fill(p, usable, seed);
	return true;
}
#define CHECK_FRESH(what, p, n, align, seed) check_fresh(__FILE__, __LINE__, (what), (p), (n), (align), (seed))

static struct mallinfo2 mi(void)
{
	return mallinfo2();
}

/* ---- malloc / calloc / realloc: alignment and usable size, 0 .. 300 KiB ---- */

static void test_malloc_sweep_aligned_usable_writable(void)
{
	static size_t sizes[SWEEP_CAP];
	static void *p[SWEEP_CAP];
	size_t n = sweep_sizes(sizes, SWEEP_CAP);

	for (int round = 0; round < 2; round++) {
		/* Round 0 fills an empty heap; round 1 refills the holes left by
		 * freeing every other block, largest request first. */
		for (size_t k = 0; k < n; k++) {
			size_t i = round == 0 ? k : n - 1 - k;

			if (p[i])
				continue;
			p[i] = malloc(sizes[i]);
			if (!CHECK_FRESH("malloc", p[i], sizes[i], ALIGN, (unsigned int)i))
				return;
		}
		/* No block overlaps another: every pattern is intact. */
		for (size_t i = 0; i < n; i++) {
			size_t u = malloc_usable_size(p[i]), at = mismatch(p[i], u, (unsigned int)i);

			CHECK(at == u, "malloc(%zu) = %p: byte %zu of %zu overwritten", sizes[i], p[i], at, u);
		}
		for (size_t i = round; i < n; i += 2 - (size_t)round) {
			free(p[i]);
			p[i] = NULL;
		}
	}
}

static void test_calloc_sweep_aligned_zeroed(void)
{
	static size_t sizes[SWEEP_CAP];
	static void *p[SWEEP_CAP];
	size_t n = sweep_sizes(sizes, SWEEP_CAP);

	for (int round = 0; round < 2; round++) {
		for (size_t k = 0; k < n; k++) {
			size_t i = round == 0 ? k : n - 1 - k, s = sizes[i], z;

			if (p[i])
				continue;
			/* Alternate the factorisations: (1, n), (n, 1), (n/8, 8). */
			switch (i % 3) {
			case 0: p[i] = calloc(1, s); break;
			case 1: p[i] = calloc(s, 1); break;
			default: p[i] = calloc(s / 8, 8); s = s / 8 * 8; break;
			}
			if (!CHECK(p[i] != NULL, "calloc of %zu bytes returned NULL", s))
				return;
			z = first_nonzero(p[i], s);
			CHECK(z == s, "calloc of %zu bytes = %p: byte %zu is not zero", s, p[i], z);
			if (!CHECK_FRESH("calloc", p[i], s, ALIGN, (unsigned int)i))
				return;
		}
		for (size_t i = 0; i < n; i++) {
			size_t u = malloc_usable_size(p[i]), at = mismatch(p[i], u, (unsigned int)i);

			CHECK(at == u, "calloc block %p: byte %zu of %zu overwritten", p[i], at, u);
		}
		for (size_t i = round; i < n; i += 2 - (size_t)round) {
			free(p[i]);
			p[i] = NULL;
		}
	}
}

/* One block reallocated through every size up, then down; small blockers
 * allocated on the way force moves as well as in-place growth. */
static void test_realloc_sweep_aligned_preserves(void)
{
	static size_t sizes[SWEEP_CAP];
	static void *blockers[2 * SWEEP_CAP];
	size_t n = sweep_sizes(sizes, SWEEP_CAP), nb = 0, cur = 0;
	void *p = realloc(NULL, 0);

	if (!CHECK_FRESH("realloc(NULL, 0)", p, 0, ALIGN, 7))
		return;
	for (int dir = 0; dir < 2; dir++) {
		for (size_t k = 0; k < n; k++) {
			size_t s = dir == 0 ? sizes[k] : sizes[n - 1 - k], keep = cur < s ? cur : s, at;
			void *q;

			if (s == 0)   /* realloc(p, 0) frees: tested on its own */
				continue;
			q = realloc(p, s);
			if (!CHECK(q != NULL, "realloc(%p, %zu) returned NULL (errno %d)", p, s, errno))
				break;
			at = mismatch(q, keep, 7);
			CHECK(at == keep, "realloc(%zu -> %zu): byte %zu of the kept %zu lost", cur, s, at, keep);
			p = q;
			cur = s;
			if (!CHECK_FRESH("realloc", p, s, ALIGN, 7))
				break;
			if (k % 5 == 0)
				blockers[nb++] = malloc(24);
		}
	}
	free(p);
	for (size_t i = 0; i < nb; i++)
		free(blockers[i]);
}

/* ---- memalign, posix_memalign, aligned_alloc: 1 B .. 2 MiB alignments ---- */

enum aligned_fn { F_MEMALIGN, F_ALIGNED_ALLOC, F_POSIX_MEMALIGN };
static const char *const fn_name[] = { "memalign", "aligned_alloc", "posix_memalign" };

static void *call_aligned(enum aligned_fn f, size_t align, size_t size, int *ret)
{
	void *p = NULL;

	*ret = 0;
	switch (f) {
	case F_MEMALIGN: return memalign(align, size);
	case F_ALIGNED_ALLOC: return aligned_alloc(align, size);
	case F_POSIX_MEMALIGN: *ret = posix_memalign(&p, align, size); return *ret ? NULL : p;
	}
	return NULL;
}

static void test_aligned_family_every_power_of_two(void)
{
	const size_t sizes[] = { 0, 1, 17, 100, 1000, 4096 + 8, 20 * KiB, 100 * KiB, 127 * KiB, 200 * KiB, 300 * KiB };
	enum { NS = sizeof(sizes) / sizeof(sizes[0]) };
	void *p[3][NS + 3];
	size_t want[3][NS + 3];

	for (size_t align = 1; align <= 2 * MiB; align *= 2) {
		unsigned int seed = (unsigned int)__builtin_ctzl(align) * 64;

		memset(p, 0, sizeof(p));
		for (int f = 0; f < 3; f++) {
			/* posix_memalign wants a multiple of sizeof(void *). */
			if (f == F_POSIX_MEMALIGN && align < sizeof(void *))
				continue;
			for (size_t i = 0; i < NS + 3; i++) {
				size_t s = i < NS ? sizes[i] : i == NS ? align - 1 : i == NS + 1 ? align : align + 16;
				int ret;
				char what[64];

				snprintf(what, sizeof(what), "%s(%zu, ...)", fn_name[f], align);
				want[f][i] = s;
				p[f][i] = call_aligned((enum aligned_fn)f, align, s, &ret);
				CHECK(ret == 0, "%s size %zu returned %d", what, s, ret);
				/* Anything malloc returns is 16-aligned, whatever the request. */
				if (!CHECK_FRESH(what, p[f][i], s, align > ALIGN ? align : ALIGN, seed + (unsigned int)i))
					return;
			}
		}
		/* All of this alignment live at once: no overlap, then freeable. */
		for (int f = 0; f < 3; f++) {
			for (size_t i = 0; i < NS + 3; i++) {
				size_t u, at;

				if (!p[f][i])
					continue;
				u = malloc_usable_size(p[f][i]);
				at = mismatch(p[f][i], u, seed + (unsigned int)i);
				CHECK(at == u, "%s(%zu, %zu) = %p: byte %zu of %zu overwritten", fn_name[f], align,
				      want[f][i], p[f][i], at, u);
				free(p[f][i]);
			}
		}
	}
}

static void test_posix_memalign_errors_leave_errno(void)
{
	const size_t bad[] = { 0, 1, 3, 24, sizeof(void *) / 2, 48, 4097, SIZE_MAX };
	void *p, *sentinel = (void *)&p;
	int ret;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = sentinel;
		errno = 4242;
		ret = posix_memalign(&p, opaque(bad[i]), 64);
		CHECK(ret == EINVAL, "posix_memalign(align %zu) returned %d, expected EINVAL", bad[i], ret);
		CHECK(errno == 4242, "posix_memalign(align %zu) changed errno to %d", bad[i], errno);
		CHECK(p == sentinel || p == NULL, "posix_memalign(align %zu) set *memptr to %p", bad[i], p);
	}
	/* Too large: refused before any system call, or the mmap fails. */
	const size_t huge[] = { SIZE_MAX, SIZE_MAX - 4096, SIZE_MAX / 2, (size_t)1 << 62 };
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		for (size_t align = 8; align <= 8192; align *= 32) {
			p = sentinel;
			errno = 4242;
			ret = posix_memalign(&p, align, opaque(huge[i]));
			CHECK(ret == ENOMEM, "posix_memalign(%zu, %zu) returned %d, expected ENOMEM", align, huge[i],
			      ret);
			CHECK(errno == 4242, "posix_memalign(%zu, %zu) changed errno to %d", align, huge[i], errno);
			CHECK(p == sentinel || p == NULL, "posix_memalign(%zu, %zu) set *memptr to %p", align,
			      huge[i], p);
		}
	}
	/* Success leaves errno alone too. */
	errno = 4242;
	ret = posix_memalign(&p, 64, 100);
	CHECK(ret == 0 && errno == 4242, "posix_memalign(64, 100): %d, errno %d", ret, errno);
	if (ret == 0) {
		CHECK_FRESH("posix_memalign(64, ...)", p, 100, 64, 1);
		free(p);
	}
}

static void test_aligned_alloc_rejects_non_powers_of_two(void)
{
	const size_t bad[] = { 0, 3, 12, 24, 48, 100, 4097, SIZE_MAX };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		void *p;

		errno = 0;
		p = aligned_alloc(opaque(bad[i]), 64);
		CHECK(p == NULL && errno == EINVAL, "aligned_alloc(%zu, 64) = %p, errno %d: expected NULL, EINVAL",
		      bad[i], p, errno);
	}
	errno = 0;
	void *p = aligned_alloc(64, opaque(SIZE_MAX));
	CHECK(p == NULL && errno == ENOMEM, "aligned_alloc(64, SIZE_MAX) = %p, errno %d", p, errno);
}

static void test_memalign_rounds_odd_alignment_up(void)
{
	const size_t odd[] = { 3, 24, 48, 100, 3000, 5000 };
	void *p;

	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		size_t up = 1;

		while (up < odd[i])
			up *= 2;
		p = memalign(opaque(odd[i]), 200);
		if (CHECK_FRESH("memalign(odd alignment)", p, 200, up < ALIGN ? ALIGN : up, 3))
			free(p);
	}
	errno = 0;
	p = memalign(opaque(SIZE_MAX), 1);
	CHECK(p == NULL && errno == EINVAL, "memalign(SIZE_MAX, 1) = %p, errno %d", p, errno);
	errno = 0;
	p = memalign(64, opaque(SIZE_MAX));
	CHECK(p == NULL && errno == ENOMEM, "memalign(64, SIZE_MAX) = %p, errno %d", p, errno);
}

/* realloc of aligned blocks (heap and mapped) keeps the data; the result
 * is 16-aligned (the alignment is not kept, as in glibc). */
static void test_realloc_of_aligned_blocks(void)
{
	const size_t aligns[] = { 32, 256, 4096, 65536, 1 << 20 };
	const size_t sizes[] = { 100, 5000, 200 * KiB };

	for (size_t i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		for (size_t j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			size_t n = sizes[j], m = sizes[(j + 1) % 3];
			char *p = memalign(aligns[i], n), *q;

			if (!CHECK_FRESH("memalign", p, n, aligns[i], 60))
				return;
			q = realloc(p, m);
			if (!CHECK(q != NULL, "realloc(memalign(%zu, %zu), %zu) failed", aligns[i], n, m))
				return;
			CHECK(mismatch(q, n < m ? n : m, 60) == (n < m ? n : m),
			      "realloc(memalign(%zu, %zu), %zu) lost data", aligns[i], n, m);
			CHECK_FRESH("realloc of an aligned block", q, m, ALIGN, 61);
			free(q);
		}
	}
}

/* More live mappings than the registry's static table holds (3072): the
 * surplus is found by walking the list; everything still works. */
static void test_many_live_mappings(void)
{
	enum { N = 3500 };
	static char *p[N];
	const size_t n = 130 * KiB;
	size_t hblks = mi().hblks;

	for (size_t i = 0; i < N; i++) {
		p[i] = malloc(n);
		if (!CHECK(p[i] != NULL && aligned(p[i], ALIGN), "mapping %zu: %p", i, (void *)p[i]))
			return;
		p[i][0] = (char)i;
		p[i][n - 1] = (char)(i >> 3);
	}
	CHECK(mi().hblks == hblks + N, "hblks %zu, expected %zu", mi().hblks, hblks + N);
	for (size_t i = 0; i < N; i += 2) {   /* free the even ones, oldest first */
		CHECK(malloc_usable_size(p[i]) >= n, "mapping %zu: usable %zu", i, malloc_usable_size(p[i]));
		free(p[i]);
	}
	for (size_t i = N; i-- > 0;) {        /* realloc the odd ones, newest first */
		if (i % 2 == 0)
			continue;
		CHECK(p[i][0] == (char)i && p[i][n - 1] == (char)(i >> 3), "mapping %zu changed", i);
		p[i] = realloc(p[i], n + 4096);
		if (!CHECK(p[i] != NULL, "realloc of mapping %zu failed", i))
			return;
		CHECK(p[i][0] == (char)i && p[i][n - 1] == (char)(i >> 3), "realloc of mapping %zu lost data", i);
	}
	for (size_t i = 1; i < N; i += 2)
		free(p[i]);
	CHECK(mi().hblks == hblks, "hblks %zu after freeing, expected %zu", mi().hblks, hblks);
}

/* ---- zero sizes ---- */

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;

	return x < y ? -1 : x > y;
}

static void test_zero_sizes_give_unique_pointers(void)
{
	enum { EACH = 40, KINDS = 8 };
	void *p[EACH * KINDS];
	size_t n = 0;

	for (int i = 0; i < EACH; i++) {
		void *q = NULL;

		p[n++] = malloc(opaque(0));
		p[n++] = calloc(opaque(0), 16);
		p[n++] = calloc(16, opaque(0));
		p[n++] = calloc(opaque(0), opaque(0));
		p[n++] = realloc(NULL, opaque(0));
		p[n++] = memalign(64, opaque(0));
		p[n++] = aligned_alloc(32, opaque(0));
		CHECK(posix_memalign(&q, 16, opaque(0)) == 0, "posix_memalign(16, 0) failed");
		p[n++] = q;
	}
	for (size_t i = 0; i < n; i++)
		if (!CHECK(p[i] != NULL && aligned(p[i], ALIGN), "zero-size request %zu (kind %zu) = %p", i,
			   i % KINDS, p[i]))
			return;
	qsort(p, n, sizeof(p[0]), cmp_ptr);
	for (size_t i = 1; i < n; i++)
		CHECK(p[i] != p[i - 1], "zero-size requests returned %p twice", p[i]);
	for (size_t i = 0; i < n; i++)
		free(p[i]);
}

/* ---- realloc ---- */

static void test_realloc_heap_to_mapping_and_back(void)
{
	const size_t small = 3000, big = 300 * KiB, bigger = 500 * KiB;
	size_t hblks = mi().hblks, at;
	char *p = malloc(small), *q;

	if (!CHECK(p != NULL, "malloc(%zu) failed", small))
		return;
	CHECK(mi().hblks == hblks, "malloc(%zu) made a mapping", small);
	fill(p, small, 11);

	q = realloc(p, big);                       /* heap -> mapping */
	if (!CHECK(q != NULL && aligned(q, ALIGN), "realloc(%zu -> %zu) = %p", small, big, q))
		return;
	CHECK(mi().hblks == hblks + 1, "heap -> mapping: hblks %zu, expected %zu", mi().hblks, hblks + 1);
	at = mismatch(q, small, 11);
	CHECK(at == small, "heap -> mapping: byte %zu lost", at);
	fill(q, big, 12);

	p = realloc(q, bigger);                    /* mapping -> mapping, growing */
	if (!CHECK(p != NULL && aligned(p, ALIGN), "realloc(%zu -> %zu) = %p", big, bigger, p))
		return;
	at = mismatch(p, big, 12);
	CHECK(at == big, "mapping grows: byte %zu lost", at);
	CHECK(mi().hblks == hblks + 1, "mapping grows: hblks %zu, expected %zu", mi().hblks, hblks + 1);
	fill(p, bigger, 13);

	q = realloc(p, big);                       /* mapping -> mapping, shrinking */
	if (!CHECK(q != NULL, "realloc(%zu -> %zu) failed", bigger, big))
		return;
	at = mismatch(q, big, 13);
	CHECK(at == big, "mapping shrinks: byte %zu lost", at);

	p = realloc(q, small);                     /* mapping -> heap */
	if (!CHECK(p != NULL && aligned(p, ALIGN), "realloc(%zu -> %zu) = %p", big, small, p))
		return;
	CHECK(mi().hblks == hblks, "mapping -> heap: hblks %zu, expected %zu", mi().hblks, hblks);
	at = mismatch(p, small, 13);
	CHECK(at == small, "mapping -> heap: byte %zu lost", at);
	CHECK(malloc_usable_size(p) >= small, "mapping -> heap: usable %zu", malloc_usable_size(p));
	free(p);
}

static void test_realloc_in_place(void)
{
	char *p = malloc(4000), *q;
	size_t at;

	if (!CHECK(p != NULL, "malloc(4000) failed"))
		return;
	fill(p, 4000, 21);
	q = realloc(p, 4000);
	CHECK(q == p, "realloc to the same size moved %p to %p", p, q);
	q = realloc(p, 1000);                      /* shrink: stays, splits */
	CHECK(q == p, "realloc shrinking moved %p to %p", p, q);
	at = mismatch(q, 1000, 21);
	CHECK(at == 1000, "realloc shrinking in place: byte %zu lost", at);
	q = realloc(p, 3500);                      /* grow back over the free remainder */
	CHECK(q == p, "realloc growing into the free remainder moved %p to %p", p, q);
	at = mismatch(q, 1000, 21);
	CHECK(at == 1000, "realloc growing in place: byte %zu lost", at);
	CHECK(malloc_usable_size(q) >= 3500, "usable %zu after growing to 3500", malloc_usable_size(q));
	fill(q, 3500, 22);
	free(q);
}

static void test_realloc_zero_frees_and_returns_null(void)
{
	size_t hblks = mi().hblks, used;
	void *p = malloc(300 * KiB), *q;

	if (!CHECK(p != NULL, "malloc(300 KiB) failed"))
		return;
	CHECK(mi().hblks == hblks + 1, "a 300 KiB block is not a mapping");
	q = realloc(p, 0);
	CHECK(q == NULL, "realloc(mapped, 0) = %p, expected NULL", q);
	CHECK(mi().hblks == hblks, "realloc(mapped, 0) did not unmap: hblks %zu, expected %zu", mi().hblks,
	      hblks);

	p = malloc(5000);
	if (!CHECK(p != NULL, "malloc(5000) failed"))
		return;
	used = mi().uordblks;
	q = realloc(p, 0);
	CHECK(q == NULL, "realloc(heap, 0) = %p, expected NULL", q);
	CHECK(mi().uordblks + 5000 <= used, "realloc(heap, 0) did not free: in use %zu, was %zu", mi().uordblks,
	      used);
}

static void test_realloc_null_is_malloc(void)
{
	size_t hblks = mi().hblks;
	void *p = realloc(NULL, 100), *q = realloc(NULL, 300 * KiB);

	CHECK_FRESH("realloc(NULL, 100)", p, 100, ALIGN, 1);
	CHECK_FRESH("realloc(NULL, 300 KiB)", q, 300 * KiB, ALIGN, 2);
	CHECK(mi().hblks == hblks + 1, "realloc(NULL, 300 KiB) did not map: hblks %zu", mi().hblks);
	free(p);
	free(q);
	CHECK(mi().hblks == hblks, "free did not unmap: hblks %zu", mi().hblks);
}

/* ---- reallocarray, calloc, malloc: overflow and out of memory ---- */

static void test_reallocarray(void)
{
	char *p = reallocarray(NULL, 10, 100), *q;
	size_t at;

	if (!CHECK_FRESH("reallocarray(NULL, 10, 100)", p, 1000, ALIGN, 31))
		return;
	q = reallocarray(p, 30, 100);
	if (!CHECK(q != NULL, "reallocarray(p, 30, 100) failed"))
		return;
	at = mismatch(q, 1000, 31);
	CHECK(at == 1000, "reallocarray: byte %zu lost", at);
	fill(q, 3000, 32);
	/* (volatile: a failed reallocarray leaves q live, which GCC's
	 * -Wuse-after-free cannot know) */
	char *volatile old = q;

	const size_t ovf[][2] = { { SIZE_MAX / 2 + 1, 2 }, { 2, SIZE_MAX / 2 + 1 }, { SIZE_MAX, SIZE_MAX },
				  { (size_t)1 << 33, (size_t)1 << 33 } };
	for (size_t i = 0; i < sizeof(ovf) / sizeof(ovf[0]); i++) {
		errno = 0;
		p = reallocarray(old, opaque(ovf[i][0]), opaque(ovf[i][1]));
		CHECK(p == NULL && errno == ENOMEM, "reallocarray(p, %zu, %zu) = %p, errno %d: expected NULL, ENOMEM",
		      ovf[i][0], ovf[i][1], p, errno);
		/* The old block is intact and still ours. */
		at = mismatch(old, 3000, 32);
		CHECK(at == 3000, "reallocarray overflow: byte %zu of the old block changed", at);
		CHECK(malloc_usable_size(old) >= 3000, "reallocarray overflow: usable %zu", malloc_usable_size(old));
	}
	/* No overflow but no memory either: NULL, ENOMEM, old block intact. */
	errno = 0;
	p = reallocarray(old, opaque(SIZE_MAX / 4), 2);
	CHECK(p == NULL && errno == ENOMEM, "reallocarray(p, SIZE_MAX/4, 2) = %p, errno %d", p, errno);
	at = mismatch(old, 3000, 32);
	CHECK(at == 3000, "failed reallocarray: byte %zu of the old block changed", at);
	free(old);

	/* A zero count is realloc(p, 0): frees p, returns NULL. */
	size_t hblks = mi().hblks;
	p = malloc(300 * KiB);
	CHECK(mi().hblks == hblks + 1, "malloc(300 KiB) not mapped");
	q = reallocarray(p, 0, 100);
	CHECK(q == NULL, "reallocarray(p, 0, 100) = %p, expected NULL", q);
	CHECK(mi().hblks == hblks, "reallocarray(p, 0, 100) did not free p");
}

static void test_calloc_and_malloc_overflow(void)
{
	const size_t ovf[][2] = { { SIZE_MAX / 2 + 1, 2 }, { 2, SIZE_MAX / 2 + 1 }, { SIZE_MAX, SIZE_MAX },
				  { (size_t)1 << 32, (size_t)1 << 32 }, { 1, SIZE_MAX }, { 1, SIZE_MAX - 15 },
				  { SIZE_MAX / 4, 2 } };
	void *p;

	for (size_t i = 0; i < sizeof(ovf) / sizeof(ovf[0]); i++) {
		errno = 0;
		p = calloc(opaque(ovf[i][0]), opaque(ovf[i][1]));
		CHECK(p == NULL && errno == ENOMEM, "calloc(%zu, %zu) = %p, errno %d: expected NULL, ENOMEM",
		      ovf[i][0], ovf[i][1], p, errno);
	}
	const size_t huge[] = { SIZE_MAX, SIZE_MAX - 15, SIZE_MAX - 64, SIZE_MAX / 2, (size_t)1 << 50 };
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		errno = 0;
		p = malloc(opaque(huge[i]));
		CHECK(p == NULL && errno == ENOMEM, "malloc(%zu) = %p, errno %d", huge[i], p, errno);
		errno = 0;
		p = realloc(NULL, opaque(huge[i]));
		CHECK(p == NULL && errno == ENOMEM, "realloc(NULL, %zu) = %p, errno %d", huge[i], p, errno);
	}
	/* realloc failing keeps the old block. */
	char *q = malloc(500);
	if (!CHECK(q != NULL, "malloc(500) failed"))
		return;
	fill(q, 500, 41);
	errno = 0;
	p = realloc(q, opaque(SIZE_MAX / 2));
	CHECK(p == NULL && errno == ENOMEM, "realloc(p, SIZE_MAX/2) = %p, errno %d", p, errno);
	CHECK(mismatch(q, 500, 41) == 500, "failed realloc changed the old block");
	free(q);
}

/* Dirty blocks, free them, calloc the same sizes: the memory comes back
 * (the heap reuses it) and must read as zero. */
static void test_calloc_zeroes_reused_memory(void)
{
	const size_t sizes[] = { 1, 8, 24, 100, 1000, 4000, 5000, 20000, 60000, 120000, 130000, 200000 };
	enum { NS = sizeof(sizes) / sizeof(sizes[0]) };
	void *p[NS], *q[NS];
	int reused = 0;

	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < NS; i++) {
			p[i] = malloc(sizes[i]);
			if (!CHECK(p[i] != NULL, "malloc(%zu) failed", sizes[i]))
				return;
			memset(p[i], 0xa5, malloc_usable_size(p[i]));
		}
		for (size_t i = 0; i < NS; i++)
			free(p[i]);
		for (size_t k = 0; k < NS; k++) {
			size_t i = round == 1 ? NS - 1 - k : k, z;

			q[i] = calloc(1, sizes[i]);
			if (!CHECK(q[i] != NULL, "calloc(1, %zu) failed", sizes[i]))
				return;
			for (size_t j = 0; j < NS; j++)
				reused += q[i] == p[j];
			z = first_nonzero(q[i], sizes[i]);
			CHECK(z == sizes[i], "calloc(1, %zu) = %p (reused memory): byte %zu is not zero", sizes[i], q[i],
			      z);
		}
		for (size_t i = 0; i < NS; i++)
			free(q[i]);
	}
	CHECK(reused > 0, "no calloc reused a freed block: the test proved nothing");
}

/* ---- valloc, pvalloc ---- */

static void test_valloc_pvalloc_page_aligned(void)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	const size_t sizes[] = { 0, 1, 100, page - 1, page, page + 1, 3 * page + 5, 100 * KiB, 200 * KiB };
	void *p;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i], rounded = (n + page - 1) / page * page;

		p = valloc(opaque(n));
		if (CHECK_FRESH("valloc", p, n, page, (unsigned int)i))
			free(p);
		p = pvalloc(opaque(n));
		if (CHECK_FRESH("pvalloc", p, n, page, (unsigned int)i)) {
			CHECK(malloc_usable_size(p) >= rounded, "pvalloc(%zu): usable %zu, expected >= %zu", n,
			      malloc_usable_size(p), rounded);
			free(p);
		}
	}
	p = pvalloc(1);
	CHECK(p && malloc_usable_size(p) >= page, "pvalloc(1): usable %zu < page", p ? malloc_usable_size(p) : 0);
	free(p);
	errno = 0;
	p = pvalloc(opaque(SIZE_MAX));
	CHECK(p == NULL && errno == ENOMEM, "pvalloc(SIZE_MAX) = %p, errno %d", p, errno);
	errno = 0;
	p = pvalloc(opaque(SIZE_MAX - page));
	CHECK(p == NULL && errno == ENOMEM, "pvalloc(SIZE_MAX - page) = %p, errno %d", p, errno);
	errno = 0;
	p = valloc(opaque(SIZE_MAX));
	CHECK(p == NULL && errno == ENOMEM, "valloc(SIZE_MAX) = %p, errno %d", p, errno);
}

/* ---- mallopt, mallinfo2, malloc_trim, malloc_stats ---- */

static void test_mallopt_mmap_threshold_changes_the_path(void)
{
	size_t hblks;
	void *p;

	CHECK(mallopt(M_MMAP_THRESHOLD, 4096) == 1, "mallopt(M_MMAP_THRESHOLD, 4096) refused");
	hblks = mi().hblks;
	p = malloc(8000);
	CHECK(mi().hblks == hblks + 1, "threshold 4096: malloc(8000) is not mapped (hblks %zu -> %zu)", hblks,
	      mi().hblks);
	CHECK_FRESH("malloc(8000) at threshold 4096", p, 8000, ALIGN, 1);
	free(p);
	CHECK(mi().hblks == hblks, "free did not unmap (hblks %zu)", mi().hblks);
	p = malloc(1000);
	CHECK(mi().hblks == hblks, "threshold 4096: malloc(1000) was mapped");
	free(p);

	CHECK(mallopt(M_MMAP_THRESHOLD, (int)MiB) == 1, "mallopt(M_MMAP_THRESHOLD, 1 MiB) refused");
	size_t arena = mi().arena, used = mi().uordblks;
	p = malloc(300 * KiB);
	CHECK(mi().hblks == hblks, "threshold 1 MiB: malloc(300 KiB) was mapped");
	CHECK(mi().uordblks >= used + 300 * KiB, "threshold 1 MiB: in use %zu -> %zu after malloc(300 KiB)",
	      used, mi().uordblks);
	CHECK(mi().arena >= arena, "the heap shrank");
	CHECK_FRESH("malloc(300 KiB) at threshold 1 MiB", p, 300 * KiB, ALIGN, 2);
	void *q = realloc(p, 600 * KiB);
	CHECK(mi().hblks == hblks, "threshold 1 MiB: realloc to 600 KiB was mapped");
	CHECK(q && mismatch(q, 300 * KiB, 2) == 300 * KiB, "realloc on the heap lost data");
	free(q ? q : p);

	CHECK(mallopt(M_MMAP_THRESHOLD, (int)DEFAULT_MMAP_THRESHOLD) == 1, "restoring the threshold refused");
	p = malloc(300 * KiB);
	CHECK(mi().hblks == hblks + 1, "default threshold again: malloc(300 KiB) is not mapped");
	free(p);
	/* Out-of-range values are refused and change nothing. */
	CHECK(mallopt(M_MMAP_THRESHOLD, -1) == 0, "mallopt(M_MMAP_THRESHOLD, -1) accepted");
	p = malloc(300 * KiB);
	CHECK(mi().hblks == hblks + 1, "a refused mallopt changed the threshold");
	free(p);
}

/* Threshold 0: every request maps, whatever the entry point; 32 MiB (the
 * largest accepted): a 20 MiB block comes from the heap. */
static void test_mallopt_threshold_extremes(void)
{
	size_t hblks = mi().hblks;
	char *p, *q, *r;

	CHECK(mallopt(M_MMAP_THRESHOLD, 0) == 1, "mallopt(M_MMAP_THRESHOLD, 0) refused");
	p = malloc(1);
	q = calloc(10, 10);
	r = memalign(64, 100);
	CHECK(mi().hblks == hblks + 3, "threshold 0: hblks %zu, expected %zu", mi().hblks, hblks + 3);
	CHECK_FRESH("malloc(1) at threshold 0", p, 1, ALIGN, 1);
	CHECK(q && first_nonzero(q, 100) == 100, "calloc at threshold 0 not zeroed");
	CHECK_FRESH("memalign(64, 100) at threshold 0", r, 100, 64, 3);
	fill(q, 100, 2);
	q = realloc(q, 50);
	CHECK(q && mismatch(q, 50, 2) == 50, "realloc at threshold 0 lost data");
	free(p);
	free(q);
	free(r);
	CHECK(mi().hblks == hblks, "threshold 0: hblks %zu after freeing, expected %zu", mi().hblks, hblks);

	CHECK(mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1, "mallopt(M_MMAP_THRESHOLD, 32 MiB) refused");
	CHECK(mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024 + 1) == 0, "mallopt(M_MMAP_THRESHOLD, 32 MiB + 1) accepted");
	p = malloc(20 * MiB);
	CHECK(mi().hblks == hblks, "threshold 32 MiB: malloc(20 MiB) was mapped");
	if (CHECK_FRESH("malloc(20 MiB) at threshold 32 MiB", p, 20 * MiB, ALIGN, 4)) {
		q = realloc(p, 21 * MiB);
		CHECK(q && mismatch(q, 20 * MiB, 4) == 20 * MiB, "realloc(20 -> 21 MiB) on the heap lost data");
		CHECK(mi().hblks == hblks, "threshold 32 MiB: realloc to 21 MiB was mapped");
		free(q ? q : p);
	}
	CHECK(mallopt(M_MMAP_THRESHOLD, (int)DEFAULT_MMAP_THRESHOLD) == 1, "restoring the threshold refused");
}

static void test_mallinfo2_figures(void)
{
	struct mallinfo2 a = mi(), b, c;
	void *p = malloc(10000), *q;

	b = mi();
	CHECK(b.uordblks >= a.uordblks + 10000, "malloc(10000): uordblks %zu -> %zu", a.uordblks, b.uordblks);
	CHECK(b.arena >= b.uordblks + b.fordblks, "arena %zu < in use %zu + free %zu", b.arena, b.uordblks,
	      b.fordblks);
	CHECK(b.keepcost <= b.fordblks, "keepcost %zu > fordblks %zu", b.keepcost, b.fordblks);
	CHECK(b.hblks == a.hblks && b.hblkhd == a.hblkhd, "malloc(10000) changed the mapping figures");

	q = malloc(400 * KiB);
	c = mi();
	CHECK(c.hblks == b.hblks + 1, "malloc(400 KiB): hblks %zu -> %zu", b.hblks, c.hblks);
	CHECK(c.hblkhd >= b.hblkhd + 400 * KiB, "malloc(400 KiB): hblkhd %zu -> %zu", b.hblkhd, c.hblkhd);
	CHECK(c.uordblks == b.uordblks, "a mapped block changed uordblks");

	free(q);
	c = mi();
	CHECK(c.hblks == b.hblks && c.hblkhd == b.hblkhd, "free(400 KiB): hblks %zu, hblkhd %zu", c.hblks,
	      c.hblkhd);
	free(p);
	c = mi();
	CHECK(c.uordblks + 10000 <= b.uordblks, "free(10000): uordblks %zu -> %zu", b.uordblks, c.uordblks);
	CHECK(c.fordblks >= b.fordblks + 10000, "free(10000): fordblks %zu -> %zu", b.fordblks, c.fordblks);
	CHECK(c.ordblks >= 1, "free heap memory but ordblks is %zu", c.ordblks);
}

/* Run fn with fd 2 redirected into buf (NUL-terminated). */
static size_t capture_fd2(void (*fn)(void), char *buf, size_t cap)
{
	int fds[2], saved = dup(STDERR_FILENO);
	size_t len = 0;
	ssize_t got;

	fflush(stderr);
	if (saved < 0 || pipe(fds) != 0)
		return 0;
	dup2(fds[1], STDERR_FILENO);
	close(fds[1]);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	while (len < cap - 1 && (got = read(fds[0], buf + len, cap - 1 - len)) > 0)
		len += (size_t)got;
	buf[len] = '\0';
	close(fds[0]);
	return len;
}

static void test_malloc_stats_reports_on_stderr(void)
{
	char out[4096];
	void *p = malloc(300 * KiB), *q = malloc(1000);
	size_t hblks = mi().hblks, in_use = mi().uordblks;
	unsigned long regions = 0, used = 0;
	const char *s;

	capture_fd2(malloc_stats, out, sizeof(out));
	CHECK(strstr(out, "Arena 0:") != NULL, "no \"Arena 0:\" in malloc_stats output: \"%s\"", out);
	CHECK(strstr(out, "system bytes") != NULL, "no \"system bytes\" in \"%s\"", out);
	CHECK(strstr(out, "Total (incl. mmap):") != NULL, "no \"Total (incl. mmap):\" in \"%s\"", out);
	s = strstr(out, "mmap regions");
	CHECK(s && sscanf(s, "mmap regions = %lu", &regions) == 1 && regions == hblks,
	      "mmap regions %lu, mallinfo2 hblks %zu: \"%s\"", regions, hblks, out);
	s = strstr(out, "in use bytes");
	CHECK(s && sscanf(s, "in use bytes = %lu", &used) == 1 && used == in_use,
	      "in use bytes %lu, mallinfo2 uordblks %zu: \"%s\"", used, in_use, out);
	free(p);
	free(q);
}

/* ---- free, cfree ---- */

static void test_cfree_frees(void)
{
	size_t hblks = mi().hblks, used;
	void *p = malloc(300 * KiB);

	CHECK(mi().hblks == hblks + 1, "malloc(300 KiB) not mapped");
	cfree(p);
	CHECK(mi().hblks == hblks, "cfree did not unmap: hblks %zu, expected %zu", mi().hblks, hblks);
	p = malloc(6000);
	used = mi().uordblks;
	cfree(p);
	CHECK(mi().uordblks + 6000 <= used, "cfree(heap block): in use %zu -> %zu", used, mi().uordblks);
	cfree(NULL);
	free(NULL);
	CHECK(malloc_usable_size(NULL) == 0, "malloc_usable_size(NULL) = %zu", malloc_usable_size(NULL));
}

/* ---- libc's own allocations are osmem's ---- */

static void test_libc_allocates_through_osmem(void)
{
	char *s = strdup("drop-in"), *t = NULL;
	size_t used = mi().uordblks;

	/* malloc_usable_size aborts on a pointer osmem does not own. */
	CHECK(s && malloc_usable_size(s) >= 8, "strdup's block is not osmem's");
	CHECK(asprintf(&t, "%0500d", 7) == 500 && malloc_usable_size(t) >= 501, "asprintf's block");
	CHECK(mi().uordblks >= used + 500, "asprintf did not allocate from osmem");
	free(s);
	free(t);
}

/* ---- the os_* API, exported by the drop-in too ---- */

static void test_os_api_in_dropin(void)
{
	char *p = os_malloc(100), *q;

	CHECK_FRESH("os_malloc", p, 100, ALIGN, 51);
	q = os_calloc(10, 30);
	CHECK(q && first_nonzero(q, 300) == 300, "os_calloc(10, 30) not zeroed");
	CHECK_FRESH("os_calloc", q, 300, ALIGN, 52);
	p = os_realloc(p, 200 * KiB);
	CHECK(p && mismatch(p, 100, 51) == 100, "os_realloc lost data");
	CHECK_FRESH("os_realloc", p, 200 * KiB, ALIGN, 53);
	os_free(p);
	free(q);   /* one allocator behind both faces */
}

/* ---- misuse: report one line and abort ---- */

static void free_stack_address(void)
{
	char buf[64];
	void *volatile p = buf;

	free(p);
}

static void free_heap_twice(void)
{
	void *volatile p = malloc(64);

	free(p);
	free(p);
}

static void free_mapping_twice(void)
{
	void *volatile p = malloc(300 * KiB);

	free(p);
	free(p);
}

static void free_aligned_twice(void)
{
	void *volatile p = memalign(4096, 1000);

	free(p);
	free(p);
}

static void free_interior_pointer(void)
{
	char *volatile p = malloc(256);

	free(p + 64);
}

static void free_surplus_mapping_twice(void)
{
	static void *p[3300];

	for (int i = 0; i < 3300; i++)
		p[i] = malloc(130 * KiB);
	free(p[3299]);   /* not in the static registry: found by the list walk */
	free(p[3299]);
}

static void realloc_stack_address(void)
{
	long buf[8];
	void *volatile p = buf, *volatile q;

	q = realloc(p, 100);
	(void)q;
}

static void realloc_freed_block(void)
{
	void *volatile p = malloc(64), *volatile q;

	free(p);
	q = realloc(p, 100);
	(void)q;
}


static void test_invalid_free_aborts(void)
{
	EXPECT_ABORT(free_stack_address, "osmem: free(): ", "invalid pointer");
	EXPECT_ABORT(free_interior_pointer, "osmem: free(): ", "invalid pointer");
}

static void test_double_free_aborts(void)
{
	EXPECT_ABORT(free_heap_twice, "osmem: free(): ", "double free");
	/* The mapping is gone: reported as an invalid pointer, without reading it. */
	EXPECT_ABORT(free_mapping_twice, "osmem: free(): ", "0x");
	EXPECT_ABORT(free_aligned_twice, "osmem: free(): ", "0x");
	EXPECT_ABORT(free_surplus_mapping_twice, "osmem: free(): ", "invalid pointer");
}

static void test_invalid_realloc_aborts(void)
{
	EXPECT_ABORT(realloc_stack_address, "osmem: realloc(): ", "invalid pointer");
	EXPECT_ABORT(realloc_freed_block, "osmem: realloc(): ", "double free or use after free");
}

/* ---- runner ---- */

#define TEST(fn) { #fn, fn }

static CU_TestInfo alignment_tests[] = {
	TEST(test_malloc_sweep_aligned_usable_writable),
	TEST(test_calloc_sweep_aligned_zeroed),
	TEST(test_realloc_sweep_aligned_preserves),
	TEST(test_aligned_family_every_power_of_two),
	TEST(test_memalign_rounds_odd_alignment_up),
	TEST(test_valloc_pvalloc_page_aligned),
	TEST(test_realloc_of_aligned_blocks),
	CU_TEST_INFO_NULL,
};

static CU_TestInfo semantics_tests[] = {
	TEST(test_zero_sizes_give_unique_pointers),
	TEST(test_realloc_heap_to_mapping_and_back),
	TEST(test_realloc_in_place),
	TEST(test_realloc_zero_frees_and_returns_null),
	TEST(test_realloc_null_is_malloc),
	TEST(test_many_live_mappings),
	TEST(test_reallocarray),
	TEST(test_calloc_and_malloc_overflow),
	TEST(test_calloc_zeroes_reused_memory),
	TEST(test_posix_memalign_errors_leave_errno),
	TEST(test_aligned_alloc_rejects_non_powers_of_two),
	TEST(test_cfree_frees),
	TEST(test_libc_allocates_through_osmem),
	TEST(test_os_api_in_dropin),
	CU_TEST_INFO_NULL,
};

static CU_TestInfo introspection_tests[] = {
	TEST(test_mallopt_mmap_threshold_changes_the_path),
	TEST(test_mallopt_threshold_extremes),
	TEST(test_mallinfo2_figures),
	TEST(test_malloc_stats_reports_on_stderr),
	CU_TEST_INFO_NULL,
};

static CU_TestInfo misuse_tests[] = {
	TEST(test_invalid_free_aborts),
	TEST(test_double_free_aborts),
	TEST(test_invalid_realloc_aborts),
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "alignment", NULL, NULL, NULL, NULL, alignment_tests },
	{ "semantics", NULL, NULL, NULL, NULL, semantics_tests },
	{ "introspection", NULL, NULL, NULL, NULL, introspection_tests },
	{ "misuse", NULL, NULL, NULL, NULL, misuse_tests },
	CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
	/* Several tests expect a 300 KiB request to be mapped.  With the dynamic
	 * threshold (src/mapped.c) that holds only until an earlier test frees a
	 * mapping, which raises the threshold past it; setting the default
	 * explicitly fixes it, as glibc's mallopt does. */
	mallopt(M_MMAP_THRESHOLD, (int)DEFAULT_MMAP_THRESHOLD);
	return cunit_main(suites, argc, argv);
}
