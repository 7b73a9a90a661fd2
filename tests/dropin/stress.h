/* SPDX-License-Identifier: MIT */
/*
 * stress.h - shared by the drop-in stress programs (threads.c, fork.c):
 * random numbers, sizes, block patterns and the check that the program runs
 * on osmem.  Plain C against libc's malloc API: the programs are linked
 * with libc only and run with LD_PRELOAD=build/libosmalloc.so (or against
 * glibc itself with -l, to check the test rather than the allocator).
 */
#ifndef DROPIN_STRESS_H
#define DROPIN_STRESS_H

#include <dlfcn.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KiB ((size_t)1024)

static inline uint64_t rng_next(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* 1 B .. max, biased small: 70% <= 128 B, 20% <= 2 KiB, 8% <= 32 KiB,
 * 1.5% <= 128 KiB, 0.5% up to max (mapped when max is above 128 KiB). */
static inline size_t random_size(uint64_t *rng, size_t max)
{
	uint64_t r = rng_next(rng);
	unsigned int bucket = (unsigned int)(r % 1000);
	size_t lo, hi;

	r >>= 10;
	if (bucket < 700)
		lo = 1, hi = 128;
	else if (bucket < 900)
		lo = 129, hi = 2 * KiB;
	else if (bucket < 980)
		lo = 2 * KiB + 1, hi = 32 * KiB;
	else if (bucket < 995)
		lo = 32 * KiB + 1, hi = 128 * KiB;
	else
		lo = 128 * KiB + 1, hi = 300 * KiB;
	if (hi > max)
		hi = max;
	if (lo > hi)
		lo = hi;
	return lo + (size_t)(r % (hi - lo + 1));
}

/* The pattern of block (thread, seq): 64-bit words from a seed. */
static inline uint64_t pattern_seed(unsigned int thread, uint64_t seq)
{
	return mix64(((uint64_t)thread << 48) ^ seq ^ 0x5eed5eed5eedULL);
}

static inline uint64_t pattern_word(uint64_t seed, size_t k)
{
	return seed + (uint64_t)k * 0x9e3779b97f4a7c15ULL;
}

static inline void pattern_fill(void *p, size_t n, uint64_t seed)
{
	unsigned char *c = p;
	size_t k = 0;

	for (; (k + 1) * 8 <= n; k++) {
		uint64_t w = pattern_word(seed, k);

		memcpy(c + k * 8, &w, 8);
	}
	if (k * 8 < n) {
		uint64_t w = pattern_word(seed, k);

		memcpy(c + k * 8, &w, n - k * 8);
	}
}

/* Offset of the first byte that is not the pattern, or n. */
static inline size_t pattern_check(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *c = p;
	size_t k = 0;

	for (; (k + 1) * 8 <= n; k++) {
		uint64_t w = pattern_word(seed, k), got;

		memcpy(&got, c + k * 8, 8);
		if (got != w)
			break;
	}
	for (size_t i = k * 8; i < n; i++) {
		uint64_t w = pattern_word(seed, i / 8);

		if (c[i] != (unsigned char)(w >> (8 * (i % 8))))
			return i;
	}
	return n;
}

static inline size_t first_nonzero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i])
			return i;
	return n;
}

/* A worker's failures: how many, and the first one's description. */
struct failures {
	unsigned long count;
	char first[256];
};

static void fail_note(struct failures *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void fail_note(struct failures *f, const char *fmt, ...)
{
	if (f->count++ == 0) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(f->first, sizeof(f->first), fmt, ap);
		va_end(ap);
	}
}

/* True when the malloc family is osmem's (libosmalloc preloaded or linked
 * in): os_malloc exists, and malloc_usable_size knows its blocks.  The
 * second half catches a tool that replaces malloc in every library (Valgrind
 * without --soname-synonyms=somalloc=nouserintercepts): its
 * malloc_usable_size does not know osmem's blocks. */
static inline bool running_on_osmem(void)
{
	void *(*os_malloc_fn)(size_t) = (void *(*)(size_t))dlsym(RTLD_DEFAULT, "os_malloc");
	void (*os_free_fn)(void *) = (void (*)(void *))dlsym(RTLD_DEFAULT, "os_free");
	void *p;
	bool ours;

	if (!os_malloc_fn || !os_free_fn)
		return false;
	p = os_malloc_fn(100);
	ours = p && malloc_usable_size(p) >= 100;
	os_free_fn(p);
	return ours;
}

/* Say which allocator runs; false when it must be osmem and is not. */
static inline bool announce_allocator(const char *prog, bool allow_libc)
{
	bool osmem = running_on_osmem();

	printf("%s: allocator: %s\n", prog, osmem ? "osmem (libosmalloc)" : "not osmem (libc's, or replaced by a tool)");
	if (!osmem && !allow_libc) {
		fprintf(stderr,
			"%s: malloc is not osmem's: run with LD_PRELOAD=build/libosmalloc.so, or pass -l to test "
			"libc's malloc\n",
			prog);
		return false;
	}
	return true;
}

#endif /* DROPIN_STRESS_H */
