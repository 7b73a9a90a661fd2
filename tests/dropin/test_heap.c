/* SPDX-License-Identifier: MIT */
/*
 * test_heap.c - the drop-in's heap and large blocks (build/libosmalloc.a,
 * linked in): growth by the top pad, trimming, madvise of free ranges, the
 * mapping cache, mremap, malloc_trim, mallopt and OSMEM_OPTIONS.
 *
 * Every expectation is counted in system calls (the OS layer's counters,
 * src/os.h, reachable because the library is linked statically), the program
 * break, or page residency (mincore).  The heap tests allocate with os_malloc,
 * which the drop-in serves straight from the heap (src/api.c -> alloc.c),
 * whatever small-object front end malloc may have, so that the blocks under
 * test are heap blocks of known sizes.  Each test restores the knobs it
 * changed (the suite's teardown).
 *
 * Ends with "N passed, M failed" (tests).  With --env-child it is the child
 * of test_environment_options instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "options.h"
#include "os.h"
#include "cunit.h"
#include "osmem.h"

#define KiB ((size_t)1024)
#define MiB (KiB * 1024)
#define HDR 32                     /* the block header */
#define TOP_PAD (128 * KiB)        /* the drop-in's default top pad (config.h) */


static size_t page(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static unsigned long calls(enum os_op op)
{
	return os_calls(op);
}

static void fill(void *p, size_t n, unsigned seed)
{
	unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		c[i] = (unsigned char)(i * 7 + seed);
}

static size_t mismatch(const void *p, size_t n, unsigned seed)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i] != (unsigned char)(i * 7 + seed))
			return i;
	return n;
}

/* Resident pages among the whole pages inside [p, p + n). */
static size_t resident_pages(const void *p, size_t n, size_t *whole)
{
	uintptr_t lo = ((uintptr_t)p + page() - 1) & ~(page() - 1), hi = ((uintptr_t)p + n) & ~(page() - 1);
	unsigned char vec[4096];
	size_t count = 0, pages = hi > lo ? (hi - lo) / page() : 0;

	*whole = pages;
	if (pages == 0 || pages > sizeof(vec) || mincore((void *)lo, hi - lo, vec) != 0)
		return SIZE_MAX;
	for (size_t i = 0; i < pages; i++)
		count += vec[i] & 1;
	return count;
}

/* The knobs as the program started; the teardown puts them back. */
static size_t saved_knobs[32];

static void save_knobs(void)
{
	for (size_t i = 0; option_knobs[i].name; i++)
		saved_knobs[i] = *option_knobs[i].var;
}

static void restore_knobs(void)
{
	for (size_t i = 0; option_knobs[i].name; i++)
		*option_knobs[i].var = saved_knobs[i];
}

static size_t knob(const char *name)
{
	for (size_t i = 0; option_knobs[i].name; i++)
		if (strcmp(option_knobs[i].name, name) == 0)
			return *option_knobs[i].var;
	return SIZE_MAX - 1;
}

/* The increments of the sbrk calls made while an observer is installed. */
static size_t sbrk_incs[64];
static size_t n_sbrk_incs;

static void record_sbrk(enum os_op op, size_t arg, void *result)
{
	if (op == OS_OP_SBRK && result && n_sbrk_incs < 64)
		sbrk_incs[n_sbrk_incs++] = arg;
}

/* ---- growth in steps of the top pad ---- */

/* Allocate 3000-byte blocks until one makes the heap grow; that growth asks
 * 3040 bytes (header + block) plus the 128 KiB top pad, up to a page
 * boundary.  So the next 40 blocks (40 * 3040 = 121600 < 131072 bytes) fit
 * in what it left, and make no system call at all. */
static void test_growth_leaves_a_top_pad(void)
{
	void *blocks[200];
	size_t n = 0;
	unsigned long sbrks = calls(OS_OP_SBRK);

	n_sbrk_incs = 0;
	os_set_observer(record_sbrk);
	while (n < 150 && calls(OS_OP_SBRK) == sbrks)
		blocks[n++] = os_malloc(3000);
	os_set_observer(NULL);
	if (!CHECK(calls(OS_OP_SBRK) == sbrks + 1 && n_sbrk_incs == 1, "no growth in %zu blocks of 3000", n))
		goto out;
	CHECK(sbrk_incs[0] >= 3040 + TOP_PAD, "the heap grew by %zu bytes, not by the block + 128 KiB", sbrk_incs[0]);
	CHECK(((uintptr_t)sbrk(0) & (page() - 1)) == 0, "the break %p is not on a page boundary", sbrk(0));
	sbrks = calls(OS_OP_SBRK);
	for (int i = 0; i < 40; i++)
		blocks[n++] = os_malloc(3000);
	CHECK(calls(OS_OP_SBRK) == sbrks, "40 blocks of 3000 inside the top pad made %lu sbrk calls",
	      calls(OS_OP_SBRK) - sbrks);
out:
	while (n > 0)
		os_free(blocks[--n]);
}

/* M_TOP_PAD 0: the heap grows by exactly what is missing, as the strict
 * contract does.  A 2 MiB block (threshold raised to 4 MiB) cannot fit in
 * the free memory the test program has, so it grows the heap once, by at
 * most the block (the top free block, if any, counts towards it). */
static void test_top_pad_zero_grows_exactly(void)
{
	void *p;

	CHECK(mallopt(M_TOP_PAD, 0) == 1, "mallopt(M_TOP_PAD, 0) refused");
	CHECK(mallopt(M_MMAP_THRESHOLD, 4 * (int)MiB) == 1, "mallopt(M_MMAP_THRESHOLD, 4 MiB) refused");
	n_sbrk_incs = 0;
	os_set_observer(record_sbrk);
	p = os_malloc(2 * MiB);
	os_set_observer(NULL);
	CHECK(p && n_sbrk_incs == 1, "malloc(2 MiB): %zu sbrk calls", n_sbrk_incs);
	CHECK(n_sbrk_incs == 0 || (sbrk_incs[0] <= 2 * MiB + HDR + 16 && sbrk_incs[0] > 2 * MiB - TOP_PAD - page()),
	      "top pad 0: the heap grew by %zu for a 2 MiB block", sbrk_incs[0]);
	os_free(p);
}

/* ---- trimming the top ---- */

/* A 1 MiB heap block (threshold 4 MiB) at the top, freed: the free top is
 * 1 MiB > trim threshold 128 KiB, so it is cut down to the top pad: one brk
 * down, and the break ends at most 128 KiB + a page above the block's start. */
static void test_free_of_large_top_trims(void)
{
	char *p, *brk_before;
	unsigned long downs;

	mallopt(M_MMAP_THRESHOLD, 4 * (int)MiB);
	p = os_malloc(MiB);
	if (!CHECK(p != NULL, "malloc(1 MiB) on the heap failed"))
		return;
	brk_before = sbrk(0);
	CHECK(brk_before >= p + MiB, "the 1 MiB block %p is not below the break %p", (void *)p, (void *)brk_before);
	downs = calls(OS_OP_SBRK_DOWN);
	os_free(p);
	CHECK(calls(OS_OP_SBRK_DOWN) == downs + 1, "free of a 1 MiB top made %lu brk-down calls",
	      calls(OS_OP_SBRK_DOWN) - downs);
	CHECK((char *)sbrk(0) <= p + TOP_PAD + page() && (char *)sbrk(0) < brk_before,
	      "break %p after the trim: block at %p, break before %p", sbrk(0), (void *)p, (void *)brk_before);
	CHECK(((uintptr_t)sbrk(0) & (page() - 1)) == 0, "the trimmed break %p is not page aligned", sbrk(0));
	p = os_malloc(MiB);   /* the trimmed heap still serves (and grows again) */
	CHECK(p != NULL, "malloc(1 MiB) after the trim failed");
	if (p)
		fill(p, MiB, 3), CHECK(mismatch(p, MiB, 3) == MiB, "the regrown block is not writable");
	os_free(p);
}

/* M_TRIM_THRESHOLD huge: the same free trims nothing; malloc_trim(0) then
 * gives the top back (returns 1).  Once everything went back, one more call
 * finds nothing (returns 0): the free blocks' counts are zero, the top is
 * below a page, the mapping cache is empty. */
static void test_malloc_trim(void)
{
	unsigned long downs;
	char *p;
	int r = 1;

	CHECK(mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1, "mallopt(M_TRIM_THRESHOLD, INT_MAX) refused");
	mallopt(M_MMAP_THRESHOLD, 4 * (int)MiB);
	p = os_malloc(MiB);
	downs = calls(OS_OP_SBRK_DOWN);
	os_free(p);
	CHECK(calls(OS_OP_SBRK_DOWN) == downs, "free trimmed although the threshold is INT_MAX");
	CHECK(malloc_trim(0) == 1, "malloc_trim(0) with a free 1 MiB top returned 0");
	CHECK(calls(OS_OP_SBRK_DOWN) == downs + 1, "malloc_trim(0) did not move the break down");
	for (int i = 0; i < 3 && r == 1; i++)
		r = malloc_trim(0);
	CHECK(r == 0, "malloc_trim(0) still finds something to release after 3 calls");
}

/* ---- releasing free pages inside the heap ---- */

/* A touched 1 MiB heap block with an allocated block after it (so it is not
 * the top), freed: 1 MiB + 32 freed bytes >= the 256 KiB madvise threshold,
 * so its whole pages go back: one madvise, and mincore shows none of them
 * resident.  Freeing the small neighbour merges 100-odd bytes into the
 * range, far below the threshold: no second madvise.  The block is then
 * reusable like any other. */
static void test_free_range_released_once(void)
{
	char *a, *s, *g, *b;
	size_t whole, res;
	unsigned long advises;

	static void *fillers[4096];
	size_t nfill = 0;

	mallopt(M_MMAP_THRESHOLD, 4 * (int)MiB);
	a = os_malloc(MiB);
	/* Best fit may place small blocks in holes below a: take those out of
	 * the way until s (then g) lands above a, so that a is not the top. */
	do
		s = fillers[nfill++] = os_malloc(100);
	while (s && s < a && nfill < 4095);
	g = os_malloc(100);
	nfill--;   /* s is freed on its own below */
	if (!CHECK(a && s > a && g > a, "allocations failed, or none above the 1 MiB block"))
		return;
	memset(a, 0x5a, MiB);
	res = resident_pages(a, MiB, &whole);
	CHECK(res == whole && whole >= 255, "touched block: %zu of %zu pages resident", res, whole);
	advises = calls(OS_OP_ADVISE);
	os_free(a);
	CHECK(calls(OS_OP_ADVISE) == advises + 1, "free of a 1 MiB middle block: %lu madvise calls",
	      calls(OS_OP_ADVISE) - advises);
	res = resident_pages(a + page(), MiB - page(), &whole);
	CHECK(res == 0, "after free: %zu of %zu pages still resident", res, whole);
	os_free(s);
	CHECK(calls(OS_OP_ADVISE) == advises + 1, "merging 100 bytes into the released range madvised again");
	b = os_malloc(MiB);
	CHECK(b == a, "the released range was not reused: %p, expected %p", (void *)b, (void *)a);
	if (b)
		fill(b, MiB, 9), CHECK(mismatch(b, MiB, 9) == MiB, "the reused block is not writable");
	os_free(b);
	os_free(g);
	while (nfill > 0)
		os_free(fillers[--nfill]);
}

/* ---- large blocks: the mapping cache and mremap ---- */

/* After malloc_trim emptied the cache, a 1 MiB malloc maps and its free is
 * kept: a second malloc/free pair of 1 MiB makes no mmap or munmap and gets
 * the same mapping back (same length: no waste). */
static void test_mapping_cache_reuse(void)
{
	unsigned long maps, unmaps;
	char *p, *q, *z;
	size_t hblks = mallinfo2().hblks;

	/* Fix the threshold: with the dynamic one, the first free would raise
	 * it past 1 MiB and the next 1 MiB would come from the heap. */
	mallopt(M_MMAP_THRESHOLD, 128 * KiB);
	malloc_trim(0);
	maps = calls(OS_OP_MAP);
	p = malloc(MiB);
	CHECK(calls(OS_OP_MAP) == maps + 1 && mallinfo2().hblks == hblks + 1, "malloc(1 MiB) did not map");
	fill(p, MiB, 5);
	unmaps = calls(OS_OP_UNMAP);
	free(p);
	maps = calls(OS_OP_MAP);
	q = malloc(MiB);
	CHECK(q == p, "the cached mapping %p was not reused (got %p)", (void *)p, (void *)q);
	free(q);
	CHECK(calls(OS_OP_MAP) == maps && calls(OS_OP_UNMAP) == unmaps,
	      "second 1 MiB malloc/free pair: %lu mmap, %lu munmap", calls(OS_OP_MAP) - maps,
	      calls(OS_OP_UNMAP) - unmaps);
	/* calloc from the cache must still be zero: the old pattern is there. */
	z = calloc(1, MiB);
	CHECK(z == p, "calloc did not take the cached mapping");
	if (z) {
		size_t i = 0;

		while (i < MiB && z[i] == 0)
			i++;
		CHECK(i == MiB, "calloc from a cached mapping: byte %zu is %d", i, z[i]);
	}
	free(z);
	/* A 600 KiB request would waste over an eighth of a 1 MiB mapping. */
	maps = calls(OS_OP_MAP);
	p = malloc(600 * KiB);
	CHECK(calls(OS_OP_MAP) == maps + 1, "600 KiB took a 1 MiB cached mapping");
	free(p);
}

/* The cache's bounds: 20 freed mappings of 1 MiB + a page (the header
 * rounds 1 MiB up) each; 16 MiB holds 15 of them (15 * 1052672 = 15790080;
 * 16 would be 16842752 > 16777216), under the count limit of 16.  So the
 * 20 frees unmap 5, and malloc_trim unmaps the other 15. */
static void test_mapping_cache_bounds(void)
{
	void *p[20];
	unsigned long unmaps;

	mallopt(M_MMAP_THRESHOLD, 128 * KiB);   /* no dynamic threshold: every free is kept or unmapped */
	malloc_trim(0);
	for (int i = 0; i < 20; i++)
		p[i] = malloc(MiB);
	unmaps = calls(OS_OP_UNMAP);
	for (int i = 0; i < 20; i++)
		free(p[i]);
	CHECK(calls(OS_OP_UNMAP) == unmaps + 5, "20 frees of 1 MiB: %lu munmap, expected 5",
	      calls(OS_OP_UNMAP) - unmaps);
	CHECK(malloc_trim(0) == 1, "malloc_trim with 15 cached mappings returned 0");
	CHECK(calls(OS_OP_UNMAP) == unmaps + 20, "after malloc_trim: %lu munmap, expected 20",
	      calls(OS_OP_UNMAP) - unmaps);
}

/* realloc of a mapped block: mremap moves or grows the pages (no mmap, no
 * copy by us), and the contents survive; shrinking stays in place and gives
 * the pages past the new end back (usable size follows). */
static void test_mremap_realloc(void)
{
	unsigned long maps, remaps;
	char *p, *q, *r;

	malloc_trim(0);
	p = malloc(MiB);
	if (!CHECK(p != NULL, "malloc(1 MiB) failed"))
		return;
	fill(p, MiB, 7);
	maps = calls(OS_OP_MAP);
	remaps = calls(OS_OP_REMAP);
	q = realloc(p, 8 * MiB);
	if (!CHECK(q != NULL, "realloc(1 -> 8 MiB) failed"))
		return;
	CHECK(calls(OS_OP_REMAP) == remaps + 1 && calls(OS_OP_MAP) == maps,
	      "realloc(1 -> 8 MiB): %lu mremap, %lu mmap", calls(OS_OP_REMAP) - remaps, calls(OS_OP_MAP) - maps);
	CHECK(mismatch(q, MiB, 7) == MiB, "realloc(1 -> 8 MiB) lost byte %zu", mismatch(q, MiB, 7));
	CHECK(malloc_usable_size(q) >= 8 * MiB, "usable size %zu after growing to 8 MiB", malloc_usable_size(q));
	memset(q + MiB, 1, 7 * MiB);
	r = realloc(q, 512 * KiB);
	CHECK(r == q, "shrinking a mapping moved it: %p -> %p", (void *)q, (void *)r);
	CHECK(calls(OS_OP_REMAP) == remaps + 2, "shrinking: %lu mremap calls", calls(OS_OP_REMAP) - remaps);
	CHECK(mismatch(r, 512 * KiB, 7) == 512 * KiB, "shrinking lost byte %zu", mismatch(r, 512 * KiB, 7));
	CHECK(malloc_usable_size(r) >= 512 * KiB && malloc_usable_size(r) < 512 * KiB + page(),
	      "usable size %zu after shrinking to 512 KiB", malloc_usable_size(r));
	free(r);
}

/* ---- mallopt ---- */

static void test_mallopt_return_values(void)
{
	size_t hblks;
	void *p;

	CHECK(mallopt(M_TRIM_THRESHOLD, 0) == 1 && knob("trim_threshold") == 0, "M_TRIM_THRESHOLD 0");
	CHECK(mallopt(M_TOP_PAD, 65536) == 1 && knob("top_pad") == 65536, "M_TOP_PAD 65536");
	CHECK(mallopt(M_MMAP_THRESHOLD, 32 * (int)MiB + 1) == 0, "M_MMAP_THRESHOLD 32 MiB + 1 accepted");
	CHECK(mallopt(M_MMAP_THRESHOLD, -5) == 0 && mallopt(M_TOP_PAD, -1) == 0 && mallopt(M_MMAP_MAX, -1) == 0,
	      "a negative value was accepted");
	CHECK(mallopt(M_ARENA_MAX, 2) == 0 && mallopt(M_PERTURB, 1) == 0 && mallopt(12345, 1) == 0,
	      "a parameter without a knob was accepted");
	/* M_MMAP_MAX 0: no request may map; 1 MiB comes from the heap. */
	CHECK(mallopt(M_MMAP_MAX, 0) == 1, "M_MMAP_MAX 0 refused");
	hblks = mallinfo2().hblks;
	p = malloc(MiB);
	CHECK(p && mallinfo2().hblks == hblks, "M_MMAP_MAX 0: malloc(1 MiB) was mapped");
	free(p);
}

/* ---- OSMEM_OPTIONS ---- */

/* Run options_parse(text) with fd 2 into a temporary file; the number of
 * lines it wrote, and the text in buf. */
static size_t parse_capturing(const char *text, char *buf, size_t cap)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO), lines = 0;
	ssize_t got;

	if (!tmp || saved < 0)
		return SIZE_MAX;
	fflush(stderr);
	dup2(fileno(tmp), STDERR_FILENO);
	options_parse(text);
	dup2(saved, STDERR_FILENO);
	close(saved);
	lseek(fileno(tmp), 0, SEEK_SET);
	got = read(fileno(tmp), buf, cap - 1);
	buf[got > 0 ? got : 0] = '\0';
	fclose(tmp);
	for (char *c = buf; *c; c++)
		lines += *c == '\n';
	return (size_t)lines;
}

static void test_options_parse(void)
{
	char out[1024];
	size_t lines;

	lines = parse_capturing("top_pad=64k,mmap_threshold=1m,trim_threshold=300000,mmap_cache_count=3", out,
				sizeof(out));
	CHECK(lines == 0, "good keys warned: \"%s\"", out);
	CHECK(knob("top_pad") == 65536 && knob("mmap_threshold") == MiB && knob("trim_threshold") == 300000 &&
	      knob("mmap_cache_count") == 3, "good keys did not take effect");
	lines = parse_capturing("bogus=1", out, sizeof(out));
	CHECK(lines == 1 && strstr(out, "osmem: OSMEM_OPTIONS: ") == out && strstr(out, "bogus"),
	      "unknown key: %zu lines \"%s\"", lines, out);
	static const char *bad[] = { "top_pad=12x", "top_pad=", "top_pad", "mmap_threshold=40m",
				     "top_pad=99999999999999999999999", "top_pad=-1", "=5", "mmap_cache_count=65" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lines = parse_capturing(bad[i], out, sizeof(out));
		CHECK(lines == 1, "\"%s\": %zu warning lines \"%s\"", bad[i], lines, out);
	}
	CHECK(knob("top_pad") == 65536 && knob("mmap_threshold") == MiB && knob("mmap_cache_count") == 3,
	      "a rejected value changed a knob");
	lines = parse_capturing(",,top_pad=1G,,", out, sizeof(out));
	CHECK(lines == 0 && knob("top_pad") == 1024 * MiB, "empty items: %zu lines, top_pad %zu", lines,
	      knob("top_pad"));
	lines = parse_capturing("a,b=,top_pad=2", out, sizeof(out));
	CHECK(lines == 2 && knob("top_pad") == 2, "two bad items and a good one: %zu lines \"%s\"", lines, out);
}

/* Random strings over an alphabet rich in the syntax's characters, in a
 * child: no crash, at most one warning line per item, every line the
 * warning's, every knob within its bounds afterwards. */
static void test_options_fuzz(void)
{
	static const char alphabet[] = "=,=,kmgKMG0123456789_abcdefghijklmnopqrstuvwxyz top_padmmap\x01\xff";
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		char text[96], out[8192];
		unsigned seed = 12345;

		for (int round = 0; round < 400; round++) {
			size_t len = (seed = seed * 1103515245 + 12345) % 90, items = 1, lines;

			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245 + 12345;
				text[i] = alphabet[(seed >> 8) % (sizeof(alphabet) - 1)];
				items += text[i] == ',';
			}
			text[len] = '\0';
			lines = parse_capturing(text, out, sizeof(out));
			if (lines > items)
				_exit(10);
			for (char *l = out; *l; l = strchr(l, '\n') + 1)
				if (strncmp(l, "osmem: OSMEM_OPTIONS: ", 22) != 0)
					_exit(11);
			for (size_t i = 0; option_knobs[i].name; i++)
				if (*option_knobs[i].var < option_knobs[i].min || *option_knobs[i].var > option_knobs[i].max)
					_exit(12);
			free(malloc(100 + round));   /* the allocator still works */
		}
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork/wait failed");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "fuzz child: status %#x (10: too many lines, "
	      "11: foreign line, 12: knob out of range, a signal: crash)", status);
}

/* OSMEM_OPTIONS in the environment, read on the first malloc of a fresh
 * process: mmap_threshold=4096 makes malloc(8000) a mapping; the unknown key
 * costs exactly one warning line, and only one. */
static void test_environment_options(void)
{
	int fds[2], status;
	char out[1024];
	ssize_t len = 0, got;
	pid_t pid;

	if (!CHECK(pipe(fds) == 0, "pipe"))
		return;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		setenv("OSMEM_OPTIONS", "mmap_threshold=4096,bogus_key=7", 1);
		execl("/proc/self/exe", "test_heap", "--env-child", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (len < (ssize_t)sizeof(out) - 1 && (got = read(fds[0], out + len, sizeof(out) - 1 - (size_t)len)) > 0)
		len += got;
	out[len > 0 ? len : 0] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "env child: status %#x, stderr \"%s\"", status, out);
	CHECK(strstr(out, "bogus_key") && strchr(out, '\n') == out + len - 1,
	      "expected exactly one warning line about bogus_key, got \"%s\"", out);
}

static int env_child(void)
{
	size_t hblks = mallinfo2().hblks;
	void *p = malloc(8000);
	int ok = p && mallinfo2().hblks == hblks + 1 && knob("mmap_threshold") == 4096;

	free(p);
	return ok ? 0 : 1;
}

/* ---- runner ---- */

static void teardown(void)
{
	restore_knobs();
}

#define TEST(fn) { #fn, fn }

static CU_TestInfo heap_tests[] = {
	TEST(test_growth_leaves_a_top_pad),
	TEST(test_top_pad_zero_grows_exactly),
	TEST(test_free_of_large_top_trims),
	TEST(test_malloc_trim),
	TEST(test_free_range_released_once),
	CU_TEST_INFO_NULL,
};

static CU_TestInfo mapping_tests[] = {
	TEST(test_mapping_cache_reuse),
	TEST(test_mapping_cache_bounds),
	TEST(test_mremap_realloc),
	CU_TEST_INFO_NULL,
};

static CU_TestInfo option_tests[] = {
	TEST(test_mallopt_return_values),
	TEST(test_options_parse),
	TEST(test_options_fuzz),
	TEST(test_environment_options),
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "heap", NULL, NULL, NULL, teardown, heap_tests },
	{ "mappings", NULL, NULL, NULL, teardown, mapping_tests },
	{ "options", NULL, NULL, NULL, teardown, option_tests },
	CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--env-child") == 0)
		return env_child();
	free(malloc(1));   /* load the options (OSMEM_OPTIONS) before saving them */
	save_knobs();
	return cunit_main(suites, argc, argv);
}
