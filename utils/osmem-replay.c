/* SPDX-License-Identifier: MIT */
/*
 * osmem-replay - replay an OSMEM_TRACE file through an allocator.
 *
 *   osmem-replay [--check] [--quiet] TRACE
 *
 * build/osmem-replay calls the libc malloc family: glibc's as it is, osmem's
 * drop-in under LD_PRELOAD=build/libosmalloc.so.  build/osmem-replay-strict
 * is linked with build/libosmem.a and calls the os_* API (aligned requests
 * become plain os_malloc).  Every thread's calls are replayed in one thread,
 * in the order they took effect, so a replay is deterministic.
 *
 * It prints the calls per entry point, the peak of bytes requested and not
 * yet freed, and the time spent in the replay loop (the loop only: linking
 * the trace happens before, reporting after, and neither allocates from the
 * allocator under test).
 *
 * --check compares every result with the recorded one, as far as the same
 * allocator in the same environment must reproduce it: NULL for NULL; a heap
 * block at the same offset from the trace's first heap block (the kernel
 * picks where the heap starts, osmem everything after); a mapped block at the
 * same offset within its page (the kernel picks where a mapping goes).  It
 * holds for a single-threaded program replayed under the library that
 * recorded it; exit status 1 when a result differs.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "replay.h"

#define SHOWN_MISMATCHES 5

struct check {
	uintptr_t recorded_base, replayed_base;
	size_t compared, mismatches;
	size_t shown[SHOWN_MISMATCHES];
	uintptr_t replayed[SHOWN_MISMATCHES];
};

static bool same_place(const struct check *c, const struct osmem_trace_record *r, uintptr_t got)
{
	if (!r->result || !got)
		return !r->result && !got;
	if (r->flags & OSMEM_TRACE_F_MAPPED)
		return (r->result & 4095) == (got & 4095);
	return r->result - c->recorded_base == got - c->replayed_base;
}

static void check_result(struct check *c, const struct trace_file *t, size_t i, void *got)
{
	const struct osmem_trace_record *r = &t->rec[i];

	if (r->op == OSMEM_TRACE_FREE)
		return;
	if ((int64_t)i == t->first_heap_result) {
		c->recorded_base = r->result;
		c->replayed_base = (uintptr_t)got;
	}
	c->compared++;
	if (same_place(c, r, (uintptr_t)got))
		return;
	if (c->mismatches < SHOWN_MISMATCHES) {
		c->shown[c->mismatches] = i;
		c->replayed[c->mismatches] = (uintptr_t)got;
	}
	c->mismatches++;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void print_summary(const struct trace_file *t, long long elapsed)
{
	printf("osmem-replay: %s: %zu records, %zu thread%s, replayed through %s\n", t->path, t->count,
	       t->threads, t->threads == 1 ? "" : "s", replay_api);
	printf("calls:");
	for (uint8_t op = 1; op < OSMEM_TRACE_OP_LIMIT; op++)
		if (t->op_calls[op])
			printf(" %s %zu", trace_op_name(op), t->op_calls[op]);
	printf("\n");
	if (t->unknown)
		printf("pointers from before the trace began: %zu (their frees skipped, their reallocs allocate)\n",
		       t->unknown);
	printf("peak live bytes: %zu (requested)\n", t->peak_live_bytes);
	printf("elapsed: %lld ns (%.1f ns per call)\n", elapsed, t->count ? (double)elapsed / (double)t->count : 0.0);
}

static void print_check(const struct trace_file *t, const struct check *c)
{
	printf("check: %zu results compared, %zu mismatches%s\n", c->compared, c->mismatches,
	       t->threads > 1 ? " (a multi-threaded trace need not replay to the same addresses)" : "");
	for (size_t k = 0; k < c->mismatches && k < SHOWN_MISMATCHES; k++) {
		const struct osmem_trace_record *r = &t->rec[c->shown[k]];

		printf("  record %zu %s(size %llu): recorded %#llx (%s), replayed %#llx\n", c->shown[k],
		       trace_op_name(r->op), (unsigned long long)r->size, (unsigned long long)r->result,
		       r->flags & OSMEM_TRACE_F_MAPPED ? "mapped" : "heap",
		       (unsigned long long)c->replayed[k]);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: osmem-replay [--check] [--quiet] TRACE\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct trace_file t;
	struct check c = { 0 };
	bool check = false, quiet = false;
	const char *path = NULL;
	long long start, elapsed;
	void **live;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--check") == 0)
			check = true;
		else if (strcmp(argv[i], "--quiet") == 0)
			quiet = true;
		else if (argv[i][0] == '-' || path)
			return usage();
		else
			path = argv[i];
	}
	if (!path)
		return usage();
	if (!trace_file_load(&t, path))
		return 2;
	live = trace_table(t.count * sizeof(void *));
	start = now_ns();
	if (check) {
		for (size_t i = 0; i < t.count; i++)
			check_result(&c, &t, i, replay_record(&t, i, live));
	} else {
		for (size_t i = 0; i < t.count; i++)
			replay_record(&t, i, live);
	}
	elapsed = now_ns() - start;
	if (!quiet)
		print_summary(&t, elapsed);
	if (check)
		print_check(&t, &c);
	return c.mismatches ? 1 : 0;
}
