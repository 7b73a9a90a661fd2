/* SPDX-License-Identifier: MIT */
/*
 * harness.c - the traced os_* wrappers and notes of scenario.h.
 *
 * Everything here runs without libc malloc or stdio: markers are built in a
 * stack buffer and written to fd -1, where the kernel rejects them (EBADF)
 * after strace has recorded them.
 */
#include <errno.h>
#include <unistd.h>

#include "scenario.h"

struct line {
	char buf[200];
	size_t len;
};

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

/* Write "osmem-<kind> " + the line as one marker; errno is preserved. */
static void emit(const char *kind, const struct line *text)
{
	struct line m = { .len = 0 };
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

/* Start a call marker: "<name>(" ; the caller adds the arguments. */
static struct line call_line(const char *name)
{
	struct line l = { .len = 0 };

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

static void *leave_with(void *result)
{
	struct line l = { .len = 0 };

	last_errno = errno;
	put_block(&l, result);
	emit("leave", &l);
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
	struct line done = { .len = 0 };

	put_ptr(&l, ptr);
	enter(&l);
	os_free(ptr);
	last_errno = errno;
	put_str(&done, "void");
	emit("leave", &done);
}

void t_free_all(void *const *ptrs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		t_free(ptrs[i]);
}

/* ---- notes ---- */

void note_block(const void *payload)
{
	struct line l = { .len = 0 };

	put_str(&l, "block ");
	put_block(&l, payload);
	emit("note", &l);
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
	struct line l = { .len = 0 };
	const char *name = errno_name(last_errno);

	put_str(&l, "errno ");
	if (name)
		put_str(&l, name);
	else
		put_dec(&l, (size_t)last_errno);
	emit("note", &l);
}

/* "<verdict> <p> <n>" */
static void note_bytes(const char *verdict, const void *p, size_t n)
{
	struct line l = { .len = 0 };

	put_str(&l, verdict);
	put_str(&l, " ");
	put_ptr(&l, p);
	put_str(&l, " ");
	put_dec(&l, n);
	emit("note", &l);
}

void note_zeroed(const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i = 0;

	while (i < n && c[i] == 0)
		i++;
	note_bytes(i == n ? "zero" : "NONZERO", p, n);
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(0xa5 ^ (i & 0x3f));   /* never 0 */
}

void fill(void *p, size_t n)
{
	unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		c[i] = pattern(i);
}

void note_filled(const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i = 0;

	while (i < n && c[i] == pattern(i))
		i++;
	note_bytes(i == n ? "kept" : "LOST", p, n);
}

/* ---- shared setups ---- */

void *t_calloc1(size_t size)
{
	return t_calloc(1, size);
}

void *t_realloc_null(size_t size)
{
	return t_realloc(NULL, size);
}

void make_holes(alloc_fn alloc, const size_t *sizes, size_t n, void **holes)
{
	for (size_t i = 0; i < n; i++) {
		holes[i] = alloc(sizes[i]);
		alloc(8);
	}
	t_free_all(holes, n);
}

void make_std_holes(alloc_fn alloc, void *holes[STD_HOLES])
{
	static const size_t sizes[STD_HOLES] = { 400, 800, 1200 };

	make_holes(alloc, sizes, STD_HOLES, holes);
}
