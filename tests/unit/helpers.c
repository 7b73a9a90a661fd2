/* SPDX-License-Identifier: MIT */
/*
 * helpers.c - fixtures, assertions, list walks, stderr capture and child
 * processes for the suites.  See osmem_test.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "osmem_test.h"

#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define VALGRIND_DETECTED() (RUNNING_ON_VALGRIND != 0)
#define QUIET_BEGIN() VALGRIND_DISABLE_ERROR_REPORTING
#define QUIET_END() VALGRIND_ENABLE_ERROR_REPORTING
#define HEADER_READABLE(b) VALGRIND_DISABLE_ADDR_ERROR_REPORTING_IN_RANGE((b), sizeof(*(b)))
/* Every user-space address: drop all the exemptions at once. */
#define HEADERS_FORGOTTEN() VALGRIND_ENABLE_ADDR_ERROR_REPORTING_IN_RANGE(4096, ((uintptr_t)1 << 47) - 4096)
#else
#define VALGRIND_DETECTED() false
#define QUIET_BEGIN() ((void)0)
#define QUIET_END() ((void)0)
#define HEADER_READABLE(b) ((void)(b))
#define HEADERS_FORGOTTEN() ((void)0)
#endif

#define LIST_LIMIT 100000   /* a longer list is taken for a corrupted one */

char *heap_start;
static unsigned long calls_mark[OS_OP_COUNT];

size_t page_size(void)
{
	return (size_t)getpagesize();
}

/* ---- reading headers under Valgrind (see osmem_test.h) ---- */

void header_readable(const struct block_meta *b)
{
	HEADER_READABLE(b);
}

/* The blocks of a test are gone after it: so are their exemptions (memcheck
 * warns at exit about exemptions still in force). */
static void headers_forgotten(void)
{
	if (VALGRIND_DETECTED())
		HEADERS_FORGOTTEN();
}

void quiet_begin(void)
{
	QUIET_BEGIN();
}

void quiet_end(void)
{
	QUIET_END();
}

/* ---- fixtures ---- */

static void clear_faults(void)
{
	for (int op = 0; op < OS_OP_COUNT; op++)
		os_fault_inject((enum os_op)op, 0, 0);
}

static void checkpoint_calls(void)
{
	for (int op = 0; op < OS_OP_COUNT; op++)
		calls_mark[op] = os_calls((enum os_op)op);
}

/* A test may have left the break unaligned (a foreign sbrk of odd size):
 * realign it so that every test's heap starts exactly at its heap_start. */
static void align_break(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);

	if (brk % 8)
		sbrk((intptr_t)(8 - brk % 8));
}

void h_setup(void)
{
	clear_faults();
	quiet_begin();   /* the reset walks and unmaps blocks outside any entry point */
	osmem_test_reset();
	quiet_end();
	align_break();
	heap_start = sbrk(0);
	trace_break_from(heap_start);
	checkpoint_calls();
}

void h_teardown(void)
{
	clear_faults();
	quiet_begin();
	osmem_test_reset();
	quiet_end();
	headers_forgotten();
	trace_release_break(heap_start);
}

void skip_test(const char *why)
{
	printf("skipped (%s) ... ", why);
	fflush(stdout);
}

bool under_valgrind(void)
{
	const char *env = getenv("OSMEM_UNDER_VALGRIND");

	return VALGRIND_DETECTED() || (env && *env && strcmp(env, "0") != 0);
}

/* ---- assertions ---- */

bool check_at(struct loc at, bool ok, const char *fmt, ...)
{
	char msg[512] = "";

	if (!ok) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, at.line, msg, at.file, "", CU_FALSE);
	return ok;
}

static const char *status_name(int status)
{
	switch (status) {
	case STATUS_FREE: return "FREE";
	case STATUS_ALLOC: return "ALLOC";
	case STATUS_MAPPED: return "MAPPED";
	}
	return "bad status";
}

void expect_off(struct loc at, const void *p, long o)
{
	if (check_at(at, p != NULL, "got NULL, expected heap start + %ld", o))
		check_at(at, off(p) == o, "got heap start + %ld, expected + %ld", off(p), o);
}

void expect_block(struct loc at, const void *p, size_t size, int status)
{
	if (!check_at(at, p != NULL, "got NULL, expected a %s block of %zu", status_name(status), size))
		return;
	check_at(at, meta(p)->size == size && meta(p)->status == status,
		 "block at %+ld: size %zu %s, expected size %zu %s", off(meta(p)), meta(p)->size,
		 status_name(meta(p)->status), size, status_name(status));
}

void expect_brk(struct loc at, long o)
{
	long now = off(sbrk(0));

	check_at(at, now == o, "break at heap start + %ld, expected + %ld", now, o);
}

void expect_calls(struct loc at, unsigned long sbrk_calls, unsigned long map, unsigned long unmap)
{
	unsigned long d[OS_OP_COUNT];

	for (int op = 0; op < OS_OP_COUNT; op++)
		d[op] = os_calls((enum os_op)op) - calls_mark[op];
	check_at(at, d[OS_OP_SBRK] == sbrk_calls && d[OS_OP_MAP] == map && d[OS_OP_UNMAP] == unmap,
		 "OS calls sbrk/mmap/munmap: %lu/%lu/%lu, expected %lu/%lu/%lu", d[OS_OP_SBRK],
		 d[OS_OP_MAP], d[OS_OP_UNMAP], sbrk_calls, map, unmap);
	checkpoint_calls();
}

void expect_null_errno(struct loc at, const void *p, int err)
{
	int got = errno;

	check_at(at, p == NULL, "got %p, expected NULL", p);
	check_at(at, got == err, "errno %d (%s), expected %d (%s)", got, strerror(got), err,
		 strerror(err));
}

/* ---- lists ---- */

static const struct block_meta *list_head(const struct block_meta *any)
{
	for (int steps = 0; any->prev && steps < LIST_LIMIT; steps++)
		any = any->prev;
	return any;
}

static bool heap_exists(struct loc at)
{
	return check_at(at, (char *)sbrk(0) >= heap_start + HDR, "there is no heap at the heap start");
}

static void expect_heap_walk(struct loc at, const struct blk *exp, size_t n)
{
	const struct block_meta *b, *prev = NULL;
	size_t i = 0;
	int steps = 0;

	if (!heap_exists(at))
		return;
	for (b = list_head((struct block_meta *)heap_start); b && steps < LIST_LIMIT;
	     prev = b, b = b->next, steps++) {
		if (!check_at(at, b->prev == prev, "block at %+ld: prev link broken", off(b)))
			return;
		if (b->status == STATUS_MAPPED)
			continue;
		if (!check_at(at, i < n, "unexpected heap block %zu at %+ld: size %zu %s", i, off(b),
			      b->size, status_name(b->status)))
			return;
		if (!check_at(at, off(b) == exp[i].hdr && b->size == exp[i].size &&
				  b->status == exp[i].status,
			      "heap block %zu: header at %+ld, size %zu %s; expected %+ld, %zu %s", i,
			      off(b), b->size, status_name(b->status), exp[i].hdr, exp[i].size,
			      status_name(exp[i].status)))
			return;
		i++;
	}
	check_at(at, i == n, "%zu heap blocks, expected %zu", i, n);
}

/* Reads headers osmem keeps NOACCESS under Valgrind. */
void expect_heap(struct loc at, const struct blk *exp, size_t n)
{
	quiet_begin();
	expect_heap_walk(at, exp, n);
	quiet_end();
}

static void expect_mapped_walk(struct loc at, const void *p, size_t size)
{
	const struct block_meta *b;

	expect_block(at, p, size, STATUS_MAPPED);
	if (!p)
		return;
	b = meta(p);
	check_at(at, (uintptr_t)b % page_size() == 0, "mapped header %p is not page aligned", (void *)b);
	check_at(at, (b->prev == NULL || b->prev->next == b) && (b->next == NULL || b->next->prev == b),
		 "mapped block %p is not properly linked", (void *)b);
}

/* Reads headers osmem keeps NOACCESS under Valgrind. */
void expect_mapped(struct loc at, const void *p, size_t size)
{
	quiet_begin();
	expect_mapped_walk(at, p, size);
	quiet_end();
}

/* True when every page of [addr, addr + len) is mapped. */
static bool range_mapped(const void *addr, size_t len)
{
	uintptr_t first = (uintptr_t)addr & ~(uintptr_t)(page_size() - 1);
	unsigned char vec[64];
	size_t span = (uintptr_t)addr + len - first;

	if (span > sizeof(vec) * page_size())
		span = sizeof(vec) * page_size();
	return mincore((void *)first, span, vec) == 0;
}

void expect_mmap_call(struct loc at, size_t len)
{
	const struct mmap_call *c = last_mmap();

	check_at(at, c->addr == NULL && c->len == len && c->prot == (PROT_READ | PROT_WRITE) &&
			 c->flags == (MAP_PRIVATE | MAP_ANONYMOUS) && c->fd == -1 && c->offset == 0,
		 "last call mmap(%p, %zu, %#x, %#x, %d, %lld), expected mmap(NULL, %zu, "
		 "PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)",
		 c->addr, c->len, c->prot, c->flags, c->fd, (long long)c->offset, len);
}

void expect_munmap_call(struct loc at, const void *hdr, size_t len)
{
	const struct munmap_call *c = last_munmap();

	check_at(at, c->addr == hdr && c->len == len && c->ret == 0,
		 "last call munmap(%p, %zu) = %d, expected munmap(%p, %zu) = 0", c->addr, c->len,
		 c->ret, hdr, len);
	check_at(at, !range_mapped(hdr, len), "%p is still mapped", hdr);
}

/* ---- data ---- */

static unsigned char pattern_byte(size_t i, unsigned int seed)
{
	return (unsigned char)(i * 131 + (i >> 8) * 7 + seed * 29 + 1);
}

void fill_pattern(void *p, size_t n, unsigned int seed)
{
	unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		c[i] = pattern_byte(i, seed);
}

size_t pattern_mismatch(const void *p, size_t n, unsigned int seed)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i] != pattern_byte(i, seed))
			return i;
	return n;
}

void expect_pattern(struct loc at, const void *p, size_t n, unsigned int seed)
{
	size_t bad;

	if (!check_at(at, p != NULL, "no block to check the data of"))
		return;
	bad = pattern_mismatch(p, n, seed);
	check_at(at, bad == n, "data differs at byte %zu of %zu", bad, n);
}

void expect_zeros(struct loc at, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i = 0;

	if (!check_at(at, p != NULL, "no block to check the zeros of"))
		return;
	while (i < n && c[i] == 0)
		i++;
	check_at(at, i == n, "byte %zu of %zu is %#x, not zero", i, n, i < n ? c[i] : 0);
}

void alloc_all(void **out, const size_t *sizes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[i] = os_malloc(sizes[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(out[i]);
	}
}

/* ---- whole-allocator state ---- */

static void snapshot_take_walk(struct snapshot *s, const struct block_meta *any)
{
	const struct block_meta *b;

	s->n = 0;
	for (b = any ? list_head(any) : NULL; b && s->n < 64; b = b->next) {
		s->where[s->n] = b;
		s->blocks[s->n++] = *b;
	}
	s->brk = sbrk(0);
	for (int op = 0; op < OS_OP_COUNT; op++)
		s->calls[op] = os_calls((enum os_op)op);
}

/* Reads headers osmem keeps NOACCESS under Valgrind. */
void snapshot_take(struct snapshot *s, const struct block_meta *any)
{
	quiet_begin();
	snapshot_take_walk(s, any);
	quiet_end();
}

void expect_unchanged(struct loc at, const struct snapshot *before)
{
	struct snapshot now;

	snapshot_take(&now, before->n ? before->where[0] : NULL);
	check_at(at, now.brk == before->brk, "the break moved by %ld",
		 (long)((char *)now.brk - (char *)before->brk));
	check_at(at, memcmp(now.calls, before->calls, sizeof(now.calls)) == 0,
		 "OS calls were made (sbrk/mmap/munmap +%lu/+%lu/+%lu)",
		 now.calls[OS_OP_SBRK] - before->calls[OS_OP_SBRK],
		 now.calls[OS_OP_MAP] - before->calls[OS_OP_MAP],
		 now.calls[OS_OP_UNMAP] - before->calls[OS_OP_UNMAP]);
	if (!check_at(at, now.n == before->n, "%zu blocks listed, %zu before", now.n, before->n))
		return;
	for (size_t i = 0; i < now.n; i++) {
		const struct block_meta *a = &before->blocks[i], *b = &now.blocks[i];

		if (!check_at(at, now.where[i] == before->where[i] && a->size == b->size &&
				  a->status == b->status && a->prev == b->prev && a->next == b->next,
			      "block %zu (%p) changed: size %zu -> %zu, %s -> %s", i,
			      (void *)before->where[i], a->size, b->size, status_name(a->status),
			      status_name(b->status)))
			return;
	}
}

static void expect_consistent_walk(struct loc at, const struct block_meta *any)
{
	const struct block_meta *b, *prev = NULL, *last_heap = NULL;
	int steps = 0;

	for (b = list_head(any); b && steps < LIST_LIMIT; prev = b, b = b->next, steps++) {
		if (!check_at(at, b->prev == prev, "block %p: prev link broken", (void *)b))
			return;
		if (b->status == STATUS_MAPPED) {
			if (!check_at(at, (uintptr_t)b % page_size() == 0,
				      "mapped block %p is not page aligned", (void *)b))
				return;
			continue;
		}
		if (!check_at(at, (b->status == STATUS_FREE || b->status == STATUS_ALLOC) &&
				  (uintptr_t)b % 8 == 0 && b->size % 8 == 0,
			      "heap block %p: size %zu, status %d", (void *)b, b->size, b->status))
			return;
		if (last_heap &&
		    !check_at(at, (const char *)b >= (const char *)(last_heap + 1) + last_heap->size,
			      "heap block %p overlaps or precedes the block before it", (void *)b))
			return;
		last_heap = b;
	}
	check_at(at, b == NULL, "the list does not end");
}

/* Reads headers osmem keeps NOACCESS under Valgrind. */
void expect_consistent(struct loc at, const struct block_meta *any)
{
	quiet_begin();
	expect_consistent_walk(at, any);
	quiet_end();
}

/* ---- stderr capture ---- */

void capture_stderr(struct capture *c)
{
	int fds[2];

	c->len = 0;
	c->text[0] = '\0';
	c->saved_fd = dup(STDERR_FILENO);
	CU_ASSERT_FATAL(c->saved_fd >= 0 && pipe(fds) == 0);
	dup2(fds[1], STDERR_FILENO);
	close(fds[1]);
	c->read_fd = fds[0];
}

void restore_stderr(struct capture *c)
{
	char sink[256];
	ssize_t got;

	dup2(c->saved_fd, STDERR_FILENO);   /* closes the pipe's last write end */
	close(c->saved_fd);
	while ((got = read(c->read_fd, sink, sizeof(sink))) > 0) {
		size_t room = sizeof(c->text) - 1 - c->len;
		size_t take = (size_t)got < room ? (size_t)got : room;

		memcpy(c->text + c->len, sink, take);
		c->len += take;
	}
	c->text[c->len] = '\0';
	close(c->read_fd);
}

static size_t count_lines(const struct capture *c)
{
	size_t lines = 0;

	for (size_t i = 0; i < c->len; i++)
		lines += c->text[i] == '\n';
	return lines;
}

void expect_one_report(struct loc at, const struct capture *c)
{
	check_at(at, count_lines(c) == 1 && c->text[c->len - 1] == '\n' &&
			 strncmp(c->text, "osmem: ", 7) == 0,
		 "stderr was \"%s\", expected one line starting with \"osmem: \"", c->text);
}

void expect_no_report(struct loc at, const struct capture *c)
{
	check_at(at, c->len == 0, "unexpected output on stderr: \"%s\"", c->text);
}

/* ---- child processes ---- */

static int child_report_fd = -1;

void child_fail(const char *msg)
{
	ssize_t ignored = write(child_report_fd, msg, strlen(msg));

	(void)ignored;
	headers_forgotten();
	_exit(1);
}

int run_in_child(void (*fn)(void), char *why, size_t why_len)
{
	int fds[2], status = -1;
	ssize_t got;
	pid_t pid;

	CU_ASSERT_FATAL(pipe(fds) == 0);
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		child_report_fd = fds[1];
		headers_forgotten();   /* the parent's: the child reports its own */
		fn();
		headers_forgotten();
		_exit(0);
	}
	close(fds[1]);
	got = read(fds[0], why, why_len - 1);
	why[got > 0 ? got : 0] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return status;
}
