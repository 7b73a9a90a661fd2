/* SPDX-License-Identifier: MIT */
/*
 * difftest.c - differential test: random operation sequences run on the real
 * library and on the reference model (model.c), compared after every
 * operation by the engine of diff.c (returned locations, errno, every kernel
 * call, every header on the block list, payload bytes).
 *
 *   difftest [--seed S] [--ops N] [--seeds K] [--forever] [--verbose]
 *            [--no-faults] [--no-freed] [--stats]
 *
 * Sequence i uses seed S + i; the op stream of a seed does not depend on N,
 * so `--seed S --seeds 1 --ops M` replays the first M ops of seed S.
 * --forever runs fresh seeds until a mismatch (for `make fuzz`); --stats
 * prints how often each rule of the contract fired in the model.
 * Closes with "N passed, M failed" (one test per seed); exit status 0, 1 on
 * a mismatch, 2 on a harness problem.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "diff.h"

/* Bounds that keep one sequence's heap (and the work per op) small. */
#define LIVE_HEAP_CAP (8u << 20)    /* payload bytes of live heap blocks */
#define LIVE_MAPS_CAP 48            /* live mapped blocks */

/* ---- xoshiro256** ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next64(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n). */
static size_t rnd(struct rng *r, size_t n)
{
	return n ? (size_t)(next64(r) % n) : 0;
}

/* ---- the generator ---- */

struct gen {
	struct rng rng;
	size_t target;          /* live blocks the current phase hovers around */
	unsigned long phase_left;
	bool faults;            /* inject sbrk/mmap failures now and then */
	bool freed;             /* realloc freed blocks now and then */
};

static struct diff D;           /* big: static, zero-initialised */

/* 70% < 512 B, 20% < 8 KiB, 10% up to 300 KiB. */
static size_t gen_size(struct gen *g)
{
	size_t r = rnd(&g->rng, 100);

	if (r < 70)
		return 1 + rnd(&g->rng, 511);
	if (r < 90)
		return 512 + rnd(&g->rng, 8192 - 512);
	return 8192 + rnd(&g->rng, 300 * 1024 - 8192 + 1);
}

/* A random free heap block of the model, or NULL. */
static const struct model_block *random_free_block(struct gen *g)
{
	const struct model *m = &D.m;
	size_t start, i;

	if (m->nheap == 0)
		return NULL;
	start = rnd(&g->rng, m->nheap);
	for (size_t k = 0; k < m->nheap; k++) {
		i = (start + k) % m->nheap;
		if (m->heap[i].status == MODEL_FREE)
			return &m->heap[i];
	}
	return NULL;
}

/* A request n with A(n) = `cap` - leftover, leftover around the 40-byte split
 * rule (0..56, or a bit more). */
static size_t fit_size(struct gen *g, size_t cap)
{
	static const size_t leftovers[] = { 0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 200 };
	size_t left = leftovers[rnd(&g->rng, sizeof(leftovers) / sizeof(leftovers[0]))];

	if (cap <= left + 8)
		return 1 + rnd(&g->rng, 8);
	return cap - left - rnd(&g->rng, 8);
}

/* Sizes at the contract's edges. */
static size_t edge_size(struct gen *g)
{
	const struct model_block *b;

	switch (rnd(&g->rng, 8)) {
	case 0:  /* the malloc threshold: H + A(n) >= 128 KiB from n = 131033 */
		return 131040 - 16 + rnd(&g->rng, 33);
	case 1:  /* the calloc threshold: H + A(n) >= 4096 from n = 4057 */
		return 4064 - 16 + rnd(&g->rng, 33);
	case 2:  /* an existing free block, exactly or with a leftover near 40 */
	case 3:
		b = random_free_block(g);
		if (b)
			return fit_size(g, b->size);
		return 1 + rnd(&g->rng, 64);
	case 4:
		return 1 + rnd(&g->rng, 64);
	case 5:  /* more than any free block: the heap must grow (4.4, 4.5) */
	case 6: {
		size_t largest = 0;

		for (size_t i = 0; i < D.m.nheap; i++)
			if (D.m.heap[i].status == MODEL_FREE && D.m.heap[i].size > largest)
				largest = D.m.heap[i].size;
		if (largest + 32 + 1024 < 131040)
			return largest + 1 + rnd(&g->rng, 1024);
		return 1 + rnd(&g->rng, 4096);
	}
	default: /* the preallocated block, give or take */
		return 131040 - 64 - 128 + rnd(&g->rng, 128);
	}
}

static size_t alloc_size(struct gen *g)
{
	size_t n = rnd(&g->rng, 100) < 12 ? edge_size(g) : gen_size(g);

	/* too many live mappings: keep large requests on the heap */
	if (D.nlive_maps >= LIVE_MAPS_CAP && n > 4000)
		n = 1 + n % 4000;
	return n;
}

static void calloc_split(struct gen *g, size_t total, size_t *nmemb, size_t *size)
{
	size_t r = rnd(&g->rng, 100), s;

	if (r < 40) {
		*nmemb = 1;
		*size = total;
	} else if (r < 60) {
		*nmemb = total;
		*size = 1;
	} else {
		s = 1 + rnd(&g->rng, r < 80 ? 16 : 256);
		*nmemb = total / s ? total / s : 1;
		*size = s;
	}
}

static size_t realloc_size(struct gen *g, size_t slot)
{
	const struct diff_live *l = &D.live[slot];
	const struct model_block *b = model_find(&D.m, l->loc);
	size_t r = rnd(&g->rng, 100), n, nf;

	if (r < 25) {                       /* a little bigger or smaller */
		n = l->req + rnd(&g->rng, 129);
		n = n > 64 ? n - 64 : 1 + rnd(&g->rng, 8);
	} else if (r < 40 && b && (nf = diff_next_free_size(&D, slot))) {
		/* grow into the next free block: exactly, or close to it */
		n = fit_size(g, b->size + 32 + nf + (rnd(&g->rng, 4) == 0 ? 64 : 0));
	} else if (r < 50) {                /* shrink */
		n = 1 + rnd(&g->rng, l->req);
	} else if (r < 60) {
		n = edge_size(g);
	} else {
		n = gen_size(g);
	}
	if (D.nlive_maps >= LIVE_MAPS_CAP && n > 4000 && l->loc.where != MW_MAP)
		n = 1 + n % 4000;
	return n;
}

static size_t pick_live(struct gen *g)
{
	return rnd(&g->rng, D.nlive);
}

/* The live block that is the model's last heap block, or any block. */
static size_t pick_last(struct gen *g)
{
	const struct model *m = &D.m;

	if (m->nheap && m->heap[m->nheap - 1].status == MODEL_ALLOC) {
		size_t payload = m->heap[m->nheap - 1].off + 32;

		for (size_t i = 0; i < D.nlive; i++)
			if (D.live[i].loc.where == MW_HEAP && D.live[i].loc.val == payload)
				return i;
	}
	return pick_live(g);
}

/* A live mapped block (for keeping their number bounded), or any block. */
static size_t pick_mapped(struct gen *g)
{
	size_t start = pick_live(g);

	for (size_t k = 0; k < D.nlive; k++) {
		size_t i = (start + k) % D.nlive;

		if (D.live[i].loc.where == MW_MAP)
			return i;
	}
	return start;
}

static void special_op(struct gen *g, struct diff_op *op)
{
	static const size_t huge[] = {
		SIZE_MAX, SIZE_MAX - 7, SIZE_MAX - 31, SIZE_MAX - 38,  /* overflow: ENOMEM, no call */
		SIZE_MAX - 39,        /* H + A(n) = SIZE_MAX - 7: mmap is tried, the kernel refuses */
		(size_t)1 << 50,      /* mmap refused by the kernel */
	};
	size_t r = rnd(&g->rng, 13);

	switch (r) {
	case 0:
		op->kind = D_MALLOC;
		op->a = 0;
		break;
	case 1:
		op->kind = D_CALLOC;
		op->a = rnd(&g->rng, 2) ? 0 : 1 + rnd(&g->rng, 100);
		op->b = op->a ? 0 : 1 + rnd(&g->rng, 100);
		break;
	case 2:  /* nmemb * size overflows */
		op->kind = D_CALLOC;
		op->a = SIZE_MAX / 2 + 1 + rnd(&g->rng, 1000);
		op->b = 2 + rnd(&g->rng, 3);
		break;
	case 3:  /* 2^25 * 2^25: no overflow, mmap refused */
		op->kind = D_CALLOC;
		op->a = (size_t)1 << 25;
		op->b = (size_t)1 << 25;
		break;
	case 4:
		op->kind = D_MALLOC;
		op->a = huge[rnd(&g->rng, sizeof(huge) / sizeof(huge[0]))];
		break;
	case 5:
		op->kind = D_REALLOC;
		op->slot = D.nlive ? pick_live(g) : DIFF_NULL_SLOT;
		op->a = huge[rnd(&g->rng, sizeof(huge) / sizeof(huge[0]))];
		break;
	case 6:
		op->kind = D_REALLOC;
		op->slot = DIFF_NULL_SLOT;
		op->a = rnd(&g->rng, 8) ? alloc_size(g) : 0;
		break;
	case 7:
		op->kind = D_REALLOC;
		op->slot = D.nlive ? pick_live(g) : DIFF_NULL_SLOT;
		op->a = 0;
		break;
	case 8:
		op->kind = D_FREE;
		op->slot = DIFF_NULL_SLOT;
		break;
	case 9:
	case 10:
		if (g->freed) {
			op->kind = D_REALLOC_FREED;
			op->slot = rnd(&g->rng, DIFF_FREED_RING);
			op->a = rnd(&g->rng, 2) ? gen_size(g) : 1 + rnd(&g->rng, 64);
			break;
		}
		/* fall through */
	default:
		if (g->faults) {
			op->kind = D_FAULT;
			op->a = rnd(&g->rng, 2);          /* SBRK or MAP */
			op->b = rnd(&g->rng, 4);          /* skip */
			op->c = 1 + rnd(&g->rng, 2);      /* fail */
		} else {
			op->kind = D_MALLOC;
			op->a = alloc_size(g);
		}
		break;
	}
}

static void next_op(struct gen *g, struct diff_op *op)
{
	static const size_t targets[] = { 2, 8, 32, 128, 256, 512 };
	size_t w_malloc = 30, w_calloc = 10, w_realloc = 26, w_free = 28, w_special = 6;
	size_t total, r;

	memset(op, 0, sizeof(*op));
	op->slot = DIFF_NULL_SLOT;
	if (g->phase_left == 0) {
		g->target = targets[rnd(&g->rng, sizeof(targets) / sizeof(targets[0]))];
		g->phase_left = 1000 + rnd(&g->rng, 20000);
	}
	g->phase_left--;

	if (D.nlive > g->target)
		w_free += 40;
	if (D.nlive < g->target / 2)
		w_malloc += 30;
	if (D.live_heap_bytes > LIVE_HEAP_CAP || D.nlive >= DIFF_MAX_LIVE - 16) {
		w_malloc = w_calloc = 0;
		w_free += 100;
	}
	if (D.nlive == 0)
		w_free = w_realloc = 0;
	total = w_malloc + w_calloc + w_realloc + w_free + w_special;
	r = rnd(&g->rng, total);

	if (r < w_malloc) {
		op->kind = D_MALLOC;
		op->a = alloc_size(g);
	} else if ((r -= w_malloc) < w_calloc) {
		op->kind = D_CALLOC;
		calloc_split(g, alloc_size(g), &op->a, &op->b);
	} else if ((r -= w_calloc) < w_realloc) {
		op->kind = D_REALLOC;
		if (rnd(&g->rng, 100) < 6) {   /* grow the last heap block (5.8) */
			op->slot = pick_last(g);
			op->a = D.live[op->slot].req + 1 + rnd(&g->rng, 8192);
		} else {
			op->slot = pick_live(g);
			op->a = realloc_size(g, op->slot);
		}
	} else if ((r -= w_realloc) < w_free) {
		op->kind = D_FREE;
		op->slot = D.nlive_maps > LIVE_MAPS_CAP / 2 && rnd(&g->rng, 2) ? pick_mapped(g)
									     : pick_live(g);
	} else {
		special_op(g, op);
	}
}

/* ---- main ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--seed S] [--ops N] [--seeds K] [--forever] [--verbose]\n"
		"          [--no-faults] [--no-freed] [--stats]\n", argv0);
	exit(2);
}

static size_t seed_max_heap;   /* largest heap of the last seed's epochs */

/* Run one sequence; 0 passed, else the engine's code. */
static int run_seed(uint64_t seed, unsigned long ops, bool faults, bool freed)
{
	struct gen g = { .faults = faults, .freed = freed };
	struct diff_op op;
	int rc = 0;

	rng_seed(&g.rng, seed);
	diff_begin(&D, seed);
	seed_max_heap = 0;
	for (unsigned long i = 0, epoch = 0; i < ops && !rc; i++) {
		/* Epochs: now and then start over with a fresh heap (as a new
		 * process would), so that the growth of young heaps is tested
		 * as often as the reuse in old ones. */
		if (epoch == 0) {
			epoch = rnd(&g.rng, 3) ? 200 + rnd(&g.rng, 2000) : 2000 + rnd(&g.rng, 50000);
			if (i > 0) {
				unsigned long opno = D.opno;

				if (D.max_heap > seed_max_heap)
					seed_max_heap = D.max_heap;
				if ((rc = diff_end(&D)))
					break;
				diff_begin(&D, seed);
				D.opno = opno;
			}
		}
		epoch--;
		next_op(&g, &op);
		rc = diff_step(&D, &op);
	}
	if (D.max_heap > seed_max_heap)
		seed_max_heap = D.max_heap;
	if (!rc)
		rc = diff_end(&D);
	return rc;
}

int main(int argc, char **argv)
{
	uint64_t seed = 0;
	bool have_seed = false, forever = false, faults = true, freed = true, stats = false;
	unsigned long ops = 0, seeds = 1, passed = 0, failed = 0;
	unsigned long long total_ops = 0;
	double t0, last;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
			have_seed = true;
		} else if (!strcmp(a, "--ops") && i + 1 < argc) {
			ops = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(a, "--seeds") && i + 1 < argc) {
			seeds = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(a, "--forever")) {
			forever = true;
		} else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			D.verbose = 1;
		} else if (!strcmp(a, "--no-faults")) {
			faults = false;
		} else if (!strcmp(a, "--no-freed")) {
			freed = false;
		} else if (!strcmp(a, "--stats")) {
			stats = true;
		} else {
			usage(argv[0]);
		}
	}
	if (!have_seed) {
		if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
			seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
		seed >>= 16;   /* shorter to type */
	}
	if (!ops)
		ops = forever ? 50000 : 100000;

	/* Print before the first sequence: stdout's buffer is allocated now,
	 * not in the middle of a sequence (libc's malloc moves the break). */
	if (forever)
		printf("difftest: fresh seeds from %" PRIu64 ", %lu ops each, until a mismatch\n",
		       seed, ops);
	else
		printf("difftest: seed %" PRIu64 "%s, %lu seed(s), %lu ops each\n", seed,
		       have_seed ? "" : " (random)", seeds, ops);
	fflush(stdout);

	t0 = last = now();
	for (unsigned long k = 0; forever || k < seeds; k++) {
		uint64_t s = seed + k;
		double ts = now();

		rc = run_seed(s, ops, faults, freed);
		total_ops += D.opno;
		if (rc) {
			failed++;
			break;
		}
		passed++;
		if (!forever) {
			printf("seed %" PRIu64 ": %lu ops ok, heap up to %zu KiB, %.2f s\n", s, ops,
			       seed_max_heap / 1024, now() - ts);
			fflush(stdout);
		} else if (now() - last >= 10 || k == 0) {
			last = now();
			printf("[fuzz] %lu seeds (last %" PRIu64 "), %llu ops, %.0f ops/s, all identical\n",
			       passed, s, total_ops, total_ops / (last - t0));
			fflush(stdout);
		}
	}
	if (stats) {
		printf("model rules exercised (all seeds):\n");
		for (int i = 0; i < MS_COUNT; i++)
			printf("  %10lu  %s\n", D.m.stats[i], model_stat_names[i]);
	}
	printf("%llu ops in %.2f s\n", total_ops, now() - t0);
	printf("%lu passed, %lu failed\n", passed, failed);
	return rc;
}
