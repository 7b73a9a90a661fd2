/* SPDX-License-Identifier: MIT */
/*
 * common.h - what every C workload of the benchmark suite shares.
 *
 * The workloads are plain programs on libc's malloc family; the runner
 * (run.py) picks the allocator with LD_PRELOAD, so the same binary measures
 * glibc, osmem's drop-in, jemalloc, mimalloc and tcmalloc.
 *
 * - Deterministic: every random choice comes from a seeded xorshift generator
 *   (one per thread, seeded from the workload's seed and the thread number).
 * - Sized by BENCH_SCALE (a float, default 1.0) which multiplies the
 *   iteration counts: the smoke run uses a small scale, the full run 1.0.
 * - Self-checking: every object carries a pattern derived from a tag (its
 *   serial number) written at its start, its end and on every page; the
 *   pattern is verified before the object is freed or resized.  An allocator
 *   that hands out overlapping or unmapped memory, or loses data in realloc,
 *   makes the workload print "FAIL ..." and exit 1: it fails the run instead of
 *   looking fast.
 * - Output: the last line on stdout is "ok NAME key=value ..." on success.
 *
 * Workloads may call malloc freely (they are measured, not the allocator);
 * only the allocator itself is held to "no allocation inside".
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#define _GNU_SOURCE
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- deterministic randomness -------------------------------------------- */

struct rng {
	uint64_t s;
};

/* splitmix64 of the seed, so that seeds 1, 2, 3 ... give unrelated streams
 * (xorshift's state must also never be 0). */
static inline void rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	r->s = (z ^ (z >> 31)) | 1;
}

/* xorshift64* */
static inline uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

/* uniform in [lo, hi] (the modulo bias is irrelevant here) */
static inline size_t rng_range(struct rng *r, size_t lo, size_t hi)
{
	return lo + (size_t)(rng_next(r) % (hi - lo + 1));
}

/* log-uniform in [lo, hi]: as many requests per size octave, as in real
 * programs where small blocks dominate the count and large ones the bytes. */
static inline size_t rng_log_range(struct rng *r, size_t lo, size_t hi)
{
	unsigned lo_bits = 63u - (unsigned)__builtin_clzll(lo);
	unsigned hi_bits = 63u - (unsigned)__builtin_clzll(hi);
	unsigned bits = lo_bits + (unsigned)(rng_next(r) % (hi_bits - lo_bits + 1));
	size_t base = (size_t)1 << bits;
	size_t v = base + (size_t)(rng_next(r) % base);
	return v < lo ? lo : v > hi ? hi : v;
}

/* ---- sizing ---------------------------------------------------------------- */

/* COUNT scaled by BENCH_SCALE, at least 1. */
static inline size_t bench_scaled(size_t count)
{
	const char *s = getenv("BENCH_SCALE");
	double f = s ? strtod(s, NULL) : 1.0;
	if (!(f > 0))
		f = 1.0;
	double v = (double)count * f;
	return v < 1 ? 1 : (size_t)v;
}

/* ---- failure ---------------------------------------------------------------- */

__attribute__((noreturn, format(printf, 2, 3)))
static inline void bench_fail(const char *name, const char *fmt, ...)
{
	va_list ap;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	_exit(1);
}

/* malloc that fails the run on NULL (every request here is satisfiable). */
#define BENCH_ALLOC_OR_FAIL(name, p, size) do { \
		if (!(p)) bench_fail((name), "allocation of %zu bytes returned NULL", (size_t)(size)); \
	} while (0)

/* ---- object patterns ------------------------------------------------------ */

/*
 * An object of SIZE bytes with tag TAG holds: the 8-byte tag at offset 0 (when
 * it fits), pattern bytes at its last 16 bytes and at every 4 KiB offset (so
 * large objects touch each page, as real programs do).  pat_byte depends on
 * the tag and the offset, so a block handed out twice, or moved by realloc
 * without its contents, is caught.
 */
#define PAT_EDGE 16u
#define PAT_STRIDE 4096u

static inline unsigned char pat_byte(uint64_t tag, size_t off)
{
	return (unsigned char)((tag * 0x9e3779b1u) ^ (off * 131u) ^ (tag >> 13));
}

/* calls fn(off) for every patterned offset below LIMIT of an object of SIZE */
#define PAT_FOR_EACH(size, limit, off, body) do { \
		size_t pat_sz_ = (size), pat_lim_ = (limit); \
		size_t pat_first_tail_ = pat_sz_ > PAT_EDGE ? pat_sz_ - PAT_EDGE : 0; \
		for (size_t off = 0; off < pat_lim_ && off < pat_sz_; off += PAT_STRIDE) { body; } \
		for (size_t off = pat_first_tail_; off < pat_lim_ && off < pat_sz_; off++) { body; } \
	} while (0)

static inline void obj_fill(void *p, size_t size, uint64_t tag)
{
	unsigned char *b = p;
	PAT_FOR_EACH(size, size, off, b[off] = pat_byte(tag, off));
	if (size >= sizeof(uint64_t))
		memcpy(b, &tag, sizeof(tag));
}

/*
 * Whether the first LIMIT bytes of an object filled as (SIZE, TAG) are
 * intact: after realloc to a smaller size the caller checks the prefix that
 * must have survived.
 */
static inline int obj_intact_prefix(const void *p, size_t size, uint64_t tag, size_t limit)
{
	const unsigned char *b = p;
	int ok = 1;
	if (size >= sizeof(uint64_t) && limit >= sizeof(uint64_t)) {
		uint64_t got;
		memcpy(&got, b, sizeof(got));
		if (got != tag)
			return 0;
	}
	PAT_FOR_EACH(size, limit, off,
		if (off >= sizeof(uint64_t) || size < sizeof(uint64_t))
			ok &= b[off] == pat_byte(tag, off));
	return ok;
}

static inline int obj_intact(const void *p, size_t size, uint64_t tag)
{
	return obj_intact_prefix(p, size, tag, size);
}

/* ---- tables of live objects ------------------------------------------------ */

/* One live object of a workload's table (p == NULL: empty). */
struct bench_slot {
	void *p;
	size_t size;
	uint64_t tag;
};

/* malloc SIZE bytes into the empty slot S and pattern them with TAG */
static inline void slot_alloc(const char *name, struct bench_slot *s, size_t size, uint64_t tag)
{
	s->p = malloc(size);
	BENCH_ALLOC_OR_FAIL(name, s->p, size);
	s->size = size;
	s->tag = tag;
	obj_fill(s->p, size, tag);
}

/* verify the object of slot S (if any) and free it */
static inline void slot_release(const char *name, struct bench_slot *s)
{
	if (!s->p)
		return;
	if (!obj_intact(s->p, s->size, s->tag))
		bench_fail(name, "object of %zu bytes (tag %llu) was overwritten", s->size,
			(unsigned long long)s->tag);
	free(s->p);
	s->p = NULL;
}

/* realloc slot S's object to NEW_SIZE, verify the prefix that must survive,
 * and pattern the whole new object with NEW_TAG */
static inline void slot_realloc(const char *name, struct bench_slot *s, size_t new_size,
				uint64_t new_tag)
{
	void *q = realloc(s->p, new_size);
	BENCH_ALLOC_OR_FAIL(name, q, new_size);
	size_t kept = s->size < new_size ? s->size : new_size;
	if (!obj_intact_prefix(q, s->size, s->tag, kept))
		bench_fail(name, "realloc %zu -> %zu bytes lost the contents", s->size, new_size);
	s->p = q;
	s->size = new_size;
	s->tag = new_tag;
	obj_fill(q, new_size, new_tag);
}

/* ---- reporting ------------------------------------------------------------- */

/* Resident set size now, in KiB, from /proc/self/statm (field 2, in pages). */
static inline long bench_rss_kib(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, resident = -1;
	if (f) {
		if (fscanf(f, "%ld %ld", &size, &resident) != 2)
			resident = -1;
		fclose(f);
	}
	return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

#endif /* BENCH_COMMON_H */
