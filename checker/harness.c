/* SPDX-License-Identifier: MIT */
/*
 * harness.c - the traced os_* wrappers, setups and notes of scenario.h.
 *
 * Everything here runs without libc malloc or stdio: markers are built in a
 * stack buffer and written to fd -1, where the kernel rejects them (EBADF)
 * after strace has recorded them.
 */
#include <errno.h>
#include <unistd.h>

#include "scenario.h"

/* ---- formatting ---- */

struct line {
	char buf[200];
	size_t len;
};

#define LINE_INIT { .len = 0 }

static void put_str(struct line *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf))
		l->buf[l->len++] = *s++;
}

static void put_num(struct line *l, uintmax_t v, unsigned base)
{
	char digits[32];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n && l->len < sizeof(l->buf))
		l->buf[l->len++] = digits[--n];
}

static void put_dec(struct line *l, size_t v)
{
	put_num(l, v, 10);
}

/* A pointer as "0x..." (rewritten by checker/run) or "NULL". */
static void put_ptr(struct line *l, const void *p)
{
	if (!p) {
		put_str(l, "NULL");
		return;
	}
	put_str(l, "0x");
	put_num(l, (uintptr_t)p, 16);
}

static const char *status_name(int status)
{
	switch (status) {
	case STATUS_FREE: return "free";
	case STATUS_ALLOC: return "alloc";
	case STATUS_MAPPED: return "mapped";
	}
	return "bad-status";
}

/* "<ptr> (size N, status)" for a payload; plain "NULL" for NULL. */
static void put_block(struct line *l, const void *payload)
{
	put_ptr(l, payload);
	if (!payload)
		return;
	put_str(l, " (size ");
	put_dec(l, meta_of(payload)->size);
	put_str(l, ", ");
	put_str(l, status_name(meta_of(payload)->status));
	put_str(l, ")");
}

/* ---- markers ---- */

/* Write "osmem-<kind> <text>" as one marker; errno is preserved. */
static void emit(const char *kind, const struct line *text)
{
	struct line m = LINE_INIT;
	int saved = errno;
	ssize_t rc;

	put_str(&m, "osmem-");
	put_str(&m, kind);
	put_str(&m, " ");
	for (size_t i = 0; i < text->len && m.len < sizeof(m.buf); i++)
		m.buf[m.len++] = text->buf[i];
	rc = write(-1, m.buf, m.len);
	(void)rc;
	errno = saved;
}

/* ---- traced calls ---- */

static int last_errno;

/* A call marker "<name>(": the caller adds the arguments, enter() the rest. */
static struct line call_line(const char *name)
{
	struct line l = LINE_INIT;

	put_str(&l, name);
	put_str(&l, "(");
	return l;
}

static void enter(struct line *l)
{
	put_str(l, ")");
	emit("enter", l);
	errno = 0;
}

static void leave(const struct line *result)
{
	last_errno = errno;
	emit("leave", result);
}

static void *leave_with(void *result)
{
	struct line l = LINE_INIT;

	put_block(&l, result);
	leave(&l);
	return result;
}

void *t_malloc(size_t size)
{
	struct line l = call_line("os_malloc");

	put_dec(&l, size);
	enter(&l);
	return leave_with(os_malloc(size));
}

void *t_calloc(size_t nmemb, size_t size)
{
	struct line l = call_line("os_calloc");

	put_dec(&l, nmemb);
	put_str(&l, ", ");
	put_dec(&l, size);
	enter(&l);
	return leave_with(os_calloc(nmemb, size));
}

void *t_realloc(void *ptr, size_t size)
{
	struct line l = call_line("os_realloc");

	put_ptr(&l, ptr);
	put_str(&l, ", ");
	put_dec(&l, size);
	enter(&l);
	return leave_with(os_realloc(ptr, size));
}

void t_free(void *ptr)
{
	struct line l = call_line("os_free");
	struct line done = LINE_INIT;

	put_ptr(&l, ptr);
	enter(&l);
	os_free(ptr);
	put_str(&done, "void");
	leave(&done);
}

void *t_calloc1(size_t size)
{
	return t_calloc(1, size);
}

void *t_realloc_null(size_t size)
{
	return t_realloc(NULL, size);
}

void t_free_all(void *const *ptrs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		t_free(ptrs[i]);
}

/* ---- shared setups ---- */

void make_holes(alloc_fn alloc, const size_t *sizes, size_t n, void **holes)
{
	for (size_t i = 0; i < n; i++) {
		holes[i] = alloc(sizes[i]);
		alloc(8);
	}
	t_free_all(holes, n);
}

void *malloc_each(const size_t *sizes, size_t n)
{
	void *p = NULL;

	for (size_t i = 0; i < n; i++)
		p = t_malloc(sizes[i]);
	return p;
}

void make_std_holes(alloc_fn alloc, void *holes[STD_HOLES])
{
	static const size_t sizes[STD_HOLES] = { 400, 800, 1200 };

	make_holes(alloc, sizes, STD_HOLES, holes);
}

/* ---- notes ---- */

static void note(const struct line *text)
{
	emit("note", text);
}

void note_block(const void *payload)
{
	struct line l = LINE_INIT;

	put_str(&l, "block ");
	put_block(&l, payload);
	note(&l);
}

static const char *errno_name(int e)
{
	switch (e) {
	case 0: return "0";
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	}
	return NULL;
}

void note_errno(void)
{
	struct line l = LINE_INIT;
	const char *name = errno_name(last_errno);

	put_str(&l, "errno ");
	if (name)
		put_str(&l, name);
	else
		put_dec(&l, (size_t)last_errno);
	note(&l);
}

/* "<verdict> <p> <n>" */
static void note_bytes(const char *verdict, const void *p, size_t n)
{
	struct line l = LINE_INIT;

	put_str(&l, verdict);
	put_str(&l, " ");
	put_ptr(&l, p);
	put_str(&l, " ");
	put_dec(&l, n);
	note(&l);
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(0xa5 ^ (i & 0x3f));   /* never 0 */
}

/* How many leading bytes at p match want(i); want NULL means zero. */
static size_t matching_prefix(const void *p, size_t n, unsigned char (*want)(size_t))
{
	const unsigned char *c = p;
	size_t i = 0;

	while (i < n && c[i] == (want ? want(i) : 0))
		i++;
	return i;
}

void note_zeroed(const void *p, size_t n)
{
	note_bytes(matching_prefix(p, n, NULL) == n ? "zero" : "NONZERO", p, n);
}

void note_filled(const void *p, size_t n)
{
	note_bytes(matching_prefix(p, n, pattern) == n ? "kept" : "LOST", p, n);
}

void fill(void *p, size_t n)
{
	unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		c[i] = pattern(i);
}
