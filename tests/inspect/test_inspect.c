/* SPDX-License-Identifier: MIT */
/*
 * test_inspect.c - the inspection API (include/osmem_inspect.h) on the strict
 * library (build/libosmem.a): show_alloc_mem's exact output, os_stats'
 * figures, os_heap_check on healthy and deliberately corrupted heaps,
 * OSMEM_CHECK=1, os_heap_walk.
 *
 * Expected values come from docs/CONTRACT.md (H = 32, A(n) = n rounded up to
 * 8, the first heap allocation moves the break by 128 KiB, malloc maps when
 * H + A(n) >= 128 KiB, calloc when H + A(n) >= 4096, split when >= 40 bytes
 * are left); each test's comment does the arithmetic.  Addresses are taken
 * relative to the first heap header, which is the heap's first byte: the
 * heap starts at the break the first heap allocation finds.
 *
 * Corruption tests break the heap from inside (the test links the static
 * library and uses its internal headers), count the problems, then undo the
 * damage and require 0 again: the problems were the corruption's.
 *
 * `test_inspect --osmem-check-child SCENARIO` is the child process of the
 * OSMEM_CHECK tests (the variable is read once per process).
 */
#include "inspect_test.h"

#include <signal.h>
#include <stdint.h>

#include "block.h"
#include "freeidx.h"
#include "osmem.h"
#include "osmem_inspect.h"
#include "testing.h"

#define H ((size_t)32)
#define PREALLOC ((size_t)128 * 1024)

static struct block_meta *meta(void *p)
{
	return (struct block_meta *)p - 1;
}

static void setup(void)
{
	os_fault_inject(OS_OP_SBRK, 0, 0);
	osmem_test_reset();
}

/* ---- show_alloc_mem ---- */

static void call_show(void *arg)
{
	(void)arg;
	show_alloc_mem();
}

static void call_show_ex(void *arg)
{
	show_alloc_mem_ex(*(size_t *)arg);
}

struct region {
	uintptr_t start;
	char text[256];
};

static int by_start(const void *a, const void *b)
{
	uintptr_t x = ((const struct region *)a)->start, y = ((const struct region *)b)->start;

	return x < y ? -1 : x > y;
}

static void test_show_alloc_mem_exact(void)
{
	char out[CAPTURE_MAX], want[1024] = "";
	struct region r[3];
	char *a = os_malloc(100), *b = os_malloc(3000), *c = os_malloc(10);
	char *m1 = os_malloc(200000), *m2 = os_calloc(1, 5000);
	char *hs = a - H;   /* the first header: the heap's first byte */

	CU_ASSERT_FATAL(a && b && c && m1 && m2);
	os_free(b);
	/* The heap: a = [hs+32, hs+136) (A(100) = 104), b's block [hs+136, hs+3168)
	 * is free and not shown, c = [hs+3200, hs+3216) (A(10) = 16), then the free
	 * rest of the 128 KiB.  m1: 32 + 200000 >= 128 KiB, mapped; m2: calloc with
	 * 32 + 5000 >= 4096, mapped; each section starts at the mapping's header,
	 * 32 bytes before the payload.  Regions are printed by ascending address.
	 * Total = 104 + 16 + 200000 + 5000 = 205120. */
	r[0].start = (uintptr_t)hs;
	snprintf(r[0].text, sizeof(r[0].text), "HEAP : 0x%lX\n0x%lX - 0x%lX : 104 bytes\n0x%lX - 0x%lX : 16 bytes\n",
		 (unsigned long)hs, (unsigned long)(hs + 32), (unsigned long)(hs + 136),
		 (unsigned long)(hs + 3200), (unsigned long)(hs + 3216));
	r[1].start = (uintptr_t)(m1 - H);
	snprintf(r[1].text, sizeof(r[1].text), "MMAP : 0x%lX\n0x%lX - 0x%lX : 200000 bytes\n",
		 (unsigned long)(m1 - H), (unsigned long)m1, (unsigned long)(m1 + 200000));
	r[2].start = (uintptr_t)(m2 - H);
	snprintf(r[2].text, sizeof(r[2].text), "MMAP : 0x%lX\n0x%lX - 0x%lX : 5000 bytes\n",
		 (unsigned long)(m2 - H), (unsigned long)m2, (unsigned long)(m2 + 5000));
	qsort(r, 3, sizeof(r[0]), by_start);
	for (int i = 0; i < 3; i++)
		strcat(want, r[i].text);
	strcat(want, "Total : 205120 bytes\n");
	CU_ASSERT_PTR_EQUAL(c, hs + 3200);
	capture_fd(STDOUT_FILENO, call_show, NULL, out);
	CU_ASSERT_STRING_EQUAL(out, want);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "\ngot:\n%swant:\n%s", out, want);
}

static void test_show_alloc_mem_empty(void)
{
	char out[CAPTURE_MAX];

	/* No block at all: no section, and a total of 0. */
	capture_fd(STDOUT_FILENO, call_show, NULL, out);
	CU_ASSERT_STRING_EQUAL(out, "Total : 0 bytes\n");
}

static void test_show_alloc_mem_ex_free_and_dump(void)
{
	char out[CAPTURE_MAX], want[1024];
	size_t dump = 8;
	char *a = os_malloc(20), *hs = a - H;

	CU_ASSERT_FATAL(a != NULL);
	memcpy(a, "01234567", 8);
	/* a = [hs+32, hs+56) (A(20) = 24); the rest of the 128 KiB is one free
	 * block, header at hs+56, payload [hs+88, hs+131072) = 130984 bytes.  The
	 * free block is the only node of the large tree (> 4096 bytes): its first
	 * 8 bytes are its two child references, both REF_NIL (0xFFFFFFFF).  Only
	 * allocated bytes count in the total.  A dump row: two spaces, the offset
	 * in 4 hex digits, a space, " XX" per byte, the missing bytes of a short
	 * row as blanks (3 each: 8 * 3 = 24 here), two spaces, |ASCII|. */
	snprintf(want, sizeof(want),
		 "HEAP : 0x%lX\n"
		 "0x%lX - 0x%lX : 24 bytes\n"
		 "  0000  30 31 32 33 34 35 36 37                          |01234567|\n"
		 "0x%lX - 0x%lX : 130984 bytes (free)\n"
		 "  0000  FF FF FF FF FF FF FF FF                          |........|\n"
		 "Total : 24 bytes\n",
		 (unsigned long)hs, (unsigned long)a, (unsigned long)(a + 24), (unsigned long)(hs + 88),
		 (unsigned long)(hs + PREALLOC));
	capture_fd(STDOUT_FILENO, call_show_ex, &dump, out);
	CU_ASSERT_STRING_EQUAL(out, want);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "\ngot:\n%swant:\n%s", out, want);
}

static void test_show_alloc_mem_ex_two_rows(void)
{
	char out[CAPTURE_MAX], want[1024];
	size_t dump = 20;
	char *a = os_malloc(131032), *hs = a - H;

	CU_ASSERT_FATAL(a != NULL);
	memcpy(a, "0123456789ABCDEFGHIJ\x01", 21);
	/* 131032 is the largest heap request (32 + 131032 < 128 KiB); the 8 bytes
	 * left of the 131040-byte free block are below 40, so it is not split: one
	 * allocated block of 131040 bytes, no free block.  The dump stops at 20
	 * bytes: a full row of 16 and a row of 4, padded to the ASCII column. */
	snprintf(want, sizeof(want),
		 "HEAP : 0x%lX\n"
		 "0x%lX - 0x%lX : 131040 bytes\n"
		 "  0000  30 31 32 33 34 35 36 37 38 39 41 42 43 44 45 46  |0123456789ABCDEF|\n"
		 "  0010  47 48 49 4A                                      |GHIJ|\n"
		 "Total : 131040 bytes\n",
		 (unsigned long)hs, (unsigned long)a, (unsigned long)(a + 131040));
	capture_fd(STDOUT_FILENO, call_show_ex, &dump, out);
	CU_ASSERT_STRING_EQUAL(out, want);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "\ngot:\n%swant:\n%s", out, want);
}

static void test_show_alloc_mem_foreign_break(void)
{
	char out[CAPTURE_MAX], want[1024];
	char *a = os_malloc(100), *hs = a - H, *foreign = sbrk(100), *q;
	struct os_stats s;

	/* Someone else moved the break by 100 bytes after our 128 KiB.  A request
	 * of 131032 bytes does not fit the free rest (130904): the heap cannot
	 * grow in place over the foreign bytes, so a new segment starts at the
	 * next 8-aligned address after them (131172 % 8 = 4: 4 bytes of padding)
	 * and holds exactly 32 + 131032 bytes.  Two HEAP sections; the heap owns
	 * 131072 + 4 + 32 + 131032 = 262140 bytes; the check accepts the gap. */
	CU_ASSERT_FATAL(foreign == hs + PREALLOC);
	q = os_malloc(131032);
	CU_ASSERT_FATAL(q != NULL);
	CU_ASSERT_PTR_EQUAL(q - H, hs + PREALLOC + 104);
	snprintf(want, sizeof(want),
		 "HEAP : 0x%lX\n0x%lX - 0x%lX : 104 bytes\nHEAP : 0x%lX\n0x%lX - 0x%lX : 131032 bytes\n"
		 "Total : 131136 bytes\n",
		 (unsigned long)hs, (unsigned long)a, (unsigned long)(a + 104), (unsigned long)(q - H),
		 (unsigned long)q, (unsigned long)(q + 131032));
	capture_fd(STDOUT_FILENO, call_show, NULL, out);
	CU_ASSERT_STRING_EQUAL(out, want);
	os_stats(&s);
	CU_ASSERT_EQUAL(s.heap_size, 262140);
	CU_ASSERT_EQUAL(s.brk_calls, 2);
	CU_ASSERT_EQUAL(os_heap_check(), 0);
}

/* ---- os_stats ---- */

static void test_stats_known_sequence(void)
{
	struct os_stats s;
	char *p = os_malloc(100), *q = os_malloc(200000), *r;

	os_free(q);
	r = os_malloc(1000);
	os_free(p);
	os_stats(&s);
	/* p = [32, 136) (104 bytes) splits the 131040-byte first block; q is a
	 * mapping of 32 + 200000 bytes, unmapped by free; r = 1000 bytes, best fit
	 * in the free rest at 136: header 136, ends at 1168, the rest is a free
	 * block of 131072 - 1168 - 32 = 129872.  Freeing p leaves it free (not
	 * merged: nothing follows it but r).  So: in use 1000; free 104 + 129872
	 * = 129976 in 2 blocks of 3; largest 129872; heap 128 KiB; the peak in use
	 * was p + q = 200104; peak mapped 200032; one sbrk, one mmap, one munmap. */
	CU_ASSERT_EQUAL(s.in_use_bytes, 1000);
	CU_ASSERT_EQUAL(s.heap_in_use_bytes, 1000);
	CU_ASSERT_EQUAL(s.heap_free_bytes, 129976);
	CU_ASSERT_EQUAL(s.heap_size, PREALLOC);
	CU_ASSERT_EQUAL(s.mapped_count, 0);
	CU_ASSERT_EQUAL(s.mapped_bytes, 0);
	CU_ASSERT_EQUAL(s.peak_in_use_bytes, 200104);
	CU_ASSERT_EQUAL(s.peak_heap_size, PREALLOC);
	CU_ASSERT_EQUAL(s.peak_mapped_bytes, 200032);
	CU_ASSERT_EQUAL(s.brk_calls, 1);
	CU_ASSERT_EQUAL(s.mmap_calls, 1);
	CU_ASSERT_EQUAL(s.munmap_calls, 1);
	CU_ASSERT_EQUAL(s.blocks, 3);
	CU_ASSERT_EQUAL(s.free_blocks, 2);
	CU_ASSERT_EQUAL(s.largest_free, 129872);
	CU_ASSERT_EQUAL(s.top_free_bytes, 129872);
	CU_ASSERT_DOUBLE_EQUAL(s.fragmentation, 104.0 / 129976.0, 1e-12);
	os_free(r);
}

static void test_stats_empty_has_no_fragmentation(void)
{
	struct os_stats s;
	char *p = os_malloc(131032);

	/* One allocated block fills the heap (see the two-row dump test): nothing
	 * is free, so fragmentation is 0 by definition. */
	os_stats(&s);
	CU_ASSERT_EQUAL(s.heap_free_bytes, 0);
	CU_ASSERT_EQUAL(s.free_blocks, 0);
	CU_ASSERT_EQUAL(s.fragmentation, 0.0);
	CU_ASSERT_EQUAL(s.in_use_bytes, 131040);
	os_free(p);
}

/* The kernel-reaching sbrk increments, summed by the OS layer's observer. */
static size_t sbrk_bytes;

static void sum_sbrk(enum os_op op, size_t arg, void *result)
{
	if (op == OS_OP_SBRK && result)
		sbrk_bytes += arg;
}

#define SLOTS 64

/* Bytes of the mapped blocks among those held (32 + size each). */
static size_t mapped_held(char *const *slot)
{
	size_t sum = 0;

	for (int k = 0; k < SLOTS; k++)
		if (slot[k] && meta(slot[k])->status == STATUS_MAPPED)
			sum += H + meta(slot[k])->size;
	return sum;
}

/* A random workload of every call; after each, the heap is checked and the
 * running figures are compared with what the test computes from the headers
 * of the blocks it holds: in use = sum of their sizes, its peak = the maximum
 * after each call; mapped = sum of 32 + size of the mapped ones; heap size =
 * what sbrk was asked for.  The peak of mapped bytes also counts the moment
 * inside a realloc that moves a block into a new mapping: the new mapping
 * exists before the old block is released. */
static void test_random_workload_is_healthy_and_stats_agree(void)
{
	char *slot[SLOTS] = { 0 };
	size_t peak = 0, peak_mapped = 0, bad_checks = 0;
	struct os_stats s;

	sbrk_bytes = 0;
	os_set_observer(sum_sbrk);
	srand(42);
	for (int op = 0; op < 4000; op++) {
		int i = rand() % SLOTS, kind = rand() % 4;
		size_t n = rand() % 8 == 0 ? 100000 + (size_t)rand() % 200000 : 1 + (size_t)rand() % 3000;
		size_t in_use = 0, mapped;

		if (slot[i] && kind == 0) {
			os_free(slot[i]);
			slot[i] = NULL;
		} else if (slot[i] && kind == 1) {
			size_t before = mapped_held(slot);
			char *p = os_realloc(slot[i], n);

			if (p && p != slot[i] && meta(p)->status == STATUS_MAPPED &&
			    before + H + meta(p)->size > peak_mapped)
				peak_mapped = before + H + meta(p)->size;
			if (p)
				slot[i] = p;
		} else if (!slot[i]) {
			slot[i] = kind == 2 ? os_calloc(1, n) : os_malloc(n);
		}
		bad_checks += os_heap_check() != 0;
		for (int k = 0; k < SLOTS; k++)
			in_use += slot[k] ? meta(slot[k])->size : 0;
		mapped = mapped_held(slot);
		peak = in_use > peak ? in_use : peak;
		peak_mapped = mapped > peak_mapped ? mapped : peak_mapped;
		os_stats(&s);
		if (s.in_use_bytes != in_use || s.peak_in_use_bytes != peak || s.mapped_bytes != mapped ||
		    s.peak_mapped_bytes != peak_mapped || s.heap_size != sbrk_bytes || s.peak_heap_size != sbrk_bytes) {
			CU_FAIL("os_stats disagrees with the blocks held");
			fprintf(stderr, "\nop %d: in use %zu/%zu peak %zu/%zu mapped %zu/%zu peak %zu/%zu heap %zu/%zu\n",
				op, s.in_use_bytes, in_use, s.peak_in_use_bytes, peak, s.mapped_bytes, mapped,
				s.peak_mapped_bytes, peak_mapped, s.heap_size, sbrk_bytes);
			break;
		}
	}
	os_set_observer(NULL);
	CU_ASSERT_EQUAL(bad_checks, 0);
	for (int k = 0; k < SLOTS; k++)
		os_free(slot[k]);
	CU_ASSERT_EQUAL(os_heap_check(), 0);
}

/* ---- os_heap_check on corrupted heaps ---- */

static char check_err[CAPTURE_MAX];
static size_t check_result;

static void call_check(void *arg)
{
	(void)arg;
	check_result = os_heap_check();
}

/* os_heap_check with stderr captured: it printed one line per problem, at
 * most 5. */
static size_t checked(void)
{
	size_t n;

	capture_fd(STDERR_FILENO, call_check, NULL, check_err);
	n = check_result;
	CU_ASSERT_EQUAL(count_lines(check_err), n < 5 ? n : 5);
	return n;
}

static char *blk[4];

/* Four allocated blocks a, b, c, d of A(100) = 104 bytes at 0, 136, 272, 408,
 * then the free rest, in the large tree; a healthy heap. */
static void four_blocks(void)
{
	for (int i = 0; i < 4; i++)
		blk[i] = os_malloc(100);
	CU_ASSERT_EQUAL_FATAL(checked(), 0);
}

static void test_check_healthy_with_queued_run(void)
{
	four_blocks();
	/* b and c freed: two adjacent free blocks, both in the coalescing queue
	 * (coalescing waits for the next allocation): legal. */
	os_free(blk[1]);
	os_free(blk[2]);
	CU_ASSERT_EQUAL(checked(), 0);
	/* The next allocation merges them and files the result. */
	blk[1] = os_malloc(8);
	CU_ASSERT_EQUAL(checked(), 0);
}

static void test_check_size_too_large(void)
{
	four_blocks();
	meta(blk[1])->size += 8;
	/* b now ends 8 bytes inside c's header: c overlaps (1), and the blocks
	 * cover 8 bytes more than the break was moved by (2). */
	CU_ASSERT_EQUAL(checked(), 2);
	meta(blk[1])->size -= 8;
	CU_ASSERT_EQUAL(checked(), 0);
}

static void test_check_size_misaligned(void)
{
	four_blocks();
	meta(blk[1])->size += 1;
	/* Not a multiple of 8 (1).  A bad size is not used further: no overlap
	 * or byte-total verdict is drawn from it. */
	CU_ASSERT_EQUAL(checked(), 1);
	meta(blk[1])->size -= 1;
	CU_ASSERT_EQUAL(checked(), 0);
}

static void test_check_prev_link(void)
{
	four_blocks();
	meta(blk[3])->prev = meta(blk[0]);
	/* d's prev names a, not c (1). */
	CU_ASSERT_EQUAL(checked(), 1);
	meta(blk[3])->prev = meta(blk[2]);
	CU_ASSERT_EQUAL(checked(), 0);
}

static void test_check_next_link(void)
{
	four_blocks();
	meta(blk[1])->next = meta(blk[3]);
	/* The walk goes b -> d: d's prev is c, not b (1); c's 32 + 104 bytes are
	 * missing from the byte total (2).  The gap b..d alone is no problem: it
	 * could be a segment boundary. */
	CU_ASSERT_EQUAL(checked(), 2);
	meta(blk[1])->next = meta(blk[2]);
	CU_ASSERT_EQUAL(checked(), 0);
}

static void test_check_seal(void)
{
	four_blocks();
	block_seal_write(meta(blk[2]), block_seal_read(meta(blk[2])) ^ 4);
	/* Bit 2 belongs to the keyed hash, not to the filing bits (1). */
	CU_ASSERT_EQUAL(checked(), 1);
	block_seal_write(meta(blk[2]), block_seal_read(meta(blk[2])) ^ 4);
	CU_ASSERT_EQUAL(checked(), 0);
}

static void test_check_status_invalid(void)
{
	four_blocks();
	meta(blk[2])->status = 7;
	/* Neither FREE nor ALLOC (1). */
	CU_ASSERT_EQUAL(checked(), 1);
	meta(blk[2])->status = STATUS_ALLOC;
	CU_ASSERT_EQUAL(checked(), 0);
}

static void test_check_status_free_but_not_filed(void)
{
	four_blocks();
	meta(blk[2])->status = STATUS_FREE;
	/* c reads free, its filing bits say "a treap", but no treap holds it: the
	 * list has 2 such blocks (c and the rest), the treaps 1 (1).  Its
	 * neighbours b and d are allocated: no free run. */
	CU_ASSERT_EQUAL(checked(), 1);
	meta(blk[2])->status = STATUS_ALLOC;
	CU_ASSERT_EQUAL(checked(), 0);
}

static void test_check_two_free_neighbours(void)
{
	four_blocks();
	/* a and b marked free and filed in the index directly, as if coalescing
	 * had been skipped: a run of two free blocks with none queued (1); the
	 * index itself is consistent. */
	for (int i = 0; i < 2; i++) {
		meta(blk[i])->status = STATUS_FREE;
		fidx_insert(meta(blk[i]));
	}
	CU_ASSERT_EQUAL(checked(), 1);
	for (int i = 0; i < 2; i++) {
		fidx_remove(meta(blk[i]));
		meta(blk[i])->status = STATUS_ALLOC;
	}
	CU_ASSERT_EQUAL(checked(), 0);
}

static void test_check_filing_bits(void)
{
	char *x;

	four_blocks();
	os_free(blk[1]);
	x = os_malloc(2000);
	/* The allocation merged b's run (b alone: a and c are allocated) and filed
	 * it in bin 104's unsorted list; 2000 came from the large rest.  Now b's
	 * seal is made to say "a treap": the unsorted list holds a block whose
	 * header disagrees (1), the unsorted lists hold 1 block where the list
	 * marks 0 (2), the treaps hold 1 (the rest) where the list marks 2 (3). */
	CU_ASSERT_EQUAL_FATAL(checked(), 0);
	block_set_filing(meta(blk[1]), FILED_NONE);
	CU_ASSERT_EQUAL(checked(), 3);
	block_set_filing(meta(blk[1]), FILED_UNSORTED);
	CU_ASSERT_EQUAL(checked(), 0);
	os_free(x);
}

static void test_check_mapping_unlisted(void)
{
	char *m = os_malloc(200000);

	CU_ASSERT_EQUAL_FATAL(checked(), 0);
	blist_remove(meta(m));
	/* The registry knows one mapping, the list none (1). */
	CU_ASSERT_EQUAL(checked(), 1);
	blist_insert_after(blocks.tail, meta(m));
	CU_ASSERT_EQUAL(checked(), 0);
	os_free(m);
}

static void test_check_mapping_unregistered(void)
{
	char *m = os_malloc(200000);
	struct block_meta *fake = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CU_ASSERT_FATAL(fake != MAP_FAILED);
	/* A well-formed mapped block the registry does not know, listed last: the
	 * walk must not read it (1) and stops there. */
	block_init(fake, 4096 - H, STATUS_MAPPED);
	blist_insert_after(blocks.tail, fake);
	CU_ASSERT_EQUAL(checked(), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(check_err, "neither a heap block nor a registered mapping"));
	blist_remove(fake);
	munmap(fake, 4096);
	CU_ASSERT_EQUAL(checked(), 0);
	os_free(m);
}

static void test_check_prints_first_five(void)
{
	char *p[7];

	for (int i = 0; i < 7; i++)
		p[i] = os_malloc(16);
	for (int i = 0; i < 7; i++)
		block_seal_write(meta(p[i]), block_seal_read(meta(p[i])) ^ 4);
	/* Seven broken seals: 7 problems, 5 lines (checked() counts them). */
	CU_ASSERT_EQUAL(checked(), 7);
	for (int i = 0; i < 7; i++)
		block_seal_write(meta(p[i]), block_seal_read(meta(p[i])) ^ 4);
	CU_ASSERT_EQUAL(checked(), 0);
}

/* ---- OSMEM_CHECK=1 (child processes) ---- */

static int child_scenario(const char *name)
{
	char *p[3];

	for (int i = 0; i < 3; i++)
		p[i] = os_malloc(64);
	if (strcmp(name, "corrupt") == 0)
		meta(p[1])->size += 8;   /* the next call must notice it */
	p[0] = os_realloc(p[0], 10);
	os_free(p[2]);
	return 0;
}

static const char *self_path;   /* argv[0] */

struct child_result {
	int status;
	char err[CAPTURE_MAX];
};

/* Run this program as `--osmem-check-child SCENARIO` with OSMEM_CHECK set to
 * value (NULL: unset). */
static void run_check_child(const char *scenario, const char *value, struct child_result *r)
{
	r->status = run_child(self_path, "--osmem-check-child", scenario, "OSMEM_CHECK", value, r->err,
			      sizeof(r->err));
}

static void test_osmem_check_aborts_on_corruption(void)
{
	struct child_result r;

	/* The size smash makes the heap corrupt; the next call (realloc) runs the
	 * check, which prints its problems and aborts. */
	run_check_child("corrupt", "1", &r);
	CU_ASSERT(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGABRT);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "osmem: heap check: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "osmem: OSMEM_CHECK: the heap is corrupt after os_realloc()"));
}

static void test_osmem_check_quiet_when_healthy(void)
{
	struct child_result r;

	run_check_child("healthy", "1", &r);
	CU_ASSERT(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	CU_ASSERT_STRING_EQUAL(r.err, "");
}

static void test_osmem_check_off_by_default(void)
{
	struct child_result r;

	/* Unset, or "0": the same corruption goes unnoticed. */
	run_check_child("corrupt", NULL, &r);
	CU_ASSERT(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	run_check_child("corrupt", "0", &r);
	CU_ASSERT(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
}

/* ---- os_heap_walk ---- */

struct walk_rec {
	int n;
	const void *hdr[8];
	size_t hbytes[8], bytes[8];
	int kind[8];
};

static void record(void *arg, const void *header, size_t header_bytes, size_t payload_bytes, int kind)
{
	struct walk_rec *w = arg;

	if (w->n < 8) {
		w->hdr[w->n] = header;
		w->hbytes[w->n] = header_bytes;
		w->bytes[w->n] = payload_bytes;
		w->kind[w->n] = kind;
	}
	w->n++;
}

static void test_heap_walk_lists_every_block(void)
{
	struct walk_rec w = { 0 };
	char *a = os_malloc(100), *m = os_malloc(200000), *b = os_malloc(50);

	os_free(a);
	/* List order: heap blocks by address (a free 104, b 56 at 136, the free
	 * rest 131072 - 224 - 32 = 130816 at 224), then the mapping. */
	os_heap_walk(record, &w);
	CU_ASSERT_EQUAL_FATAL(w.n, 4);
	CU_ASSERT(w.hdr[0] == a - H && w.bytes[0] == 104 && w.kind[0] == OS_BLOCK_FREE);
	CU_ASSERT(w.hdr[1] == b - H && w.bytes[1] == 56 && w.kind[1] == OS_BLOCK_ALLOC);
	CU_ASSERT(w.hdr[2] == a - H + 224 && w.bytes[2] == 130816 && w.kind[2] == OS_BLOCK_FREE);
	CU_ASSERT(w.hdr[3] == m - H && w.bytes[3] == 200000 && w.kind[3] == OS_BLOCK_MAPPED);
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(w.hbytes[i], H);
	os_free(m);
	os_free(b);
}

static CU_TestInfo show_tests[] = {
	TEST(test_show_alloc_mem_exact),
	TEST(test_show_alloc_mem_empty),
	TEST(test_show_alloc_mem_ex_free_and_dump),
	TEST(test_show_alloc_mem_ex_two_rows),
	TEST(test_show_alloc_mem_foreign_break),
	CU_TEST_INFO_NULL,
};

static CU_TestInfo stats_tests[] = {
	TEST(test_stats_known_sequence),
	TEST(test_stats_empty_has_no_fragmentation),
	TEST(test_random_workload_is_healthy_and_stats_agree),
	TEST(test_heap_walk_lists_every_block),
	CU_TEST_INFO_NULL,
};

static CU_TestInfo check_tests[] = {
	TEST(test_check_healthy_with_queued_run),
	TEST(test_check_size_too_large),
	TEST(test_check_size_misaligned),
	TEST(test_check_prev_link),
	TEST(test_check_next_link),
	TEST(test_check_seal),
	TEST(test_check_status_invalid),
	TEST(test_check_status_free_but_not_filed),
	TEST(test_check_two_free_neighbours),
	TEST(test_check_filing_bits),
	TEST(test_check_mapping_unlisted),
	TEST(test_check_mapping_unregistered),
	TEST(test_check_prints_first_five),
	TEST(test_osmem_check_aborts_on_corruption),
	TEST(test_osmem_check_quiet_when_healthy),
	TEST(test_osmem_check_off_by_default),
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "show_alloc_mem", NULL, NULL, setup, setup, show_tests },
	{ "os_stats", NULL, NULL, setup, setup, stats_tests },
	{ "os_heap_check", NULL, NULL, setup, setup, check_tests },
	CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
	self_path = argv[0];
	if (argc == 3 && strcmp(argv[1], "--osmem-check-child") == 0)
		return child_scenario(argv[2]);
	return cunit_main(suites, argc, argv);
}
