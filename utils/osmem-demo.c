/* SPDX-License-Identifier: MIT */
/*
 * osmem-demo: a guided tour of the os_* API.  Each step says which rule of
 * docs/CONTRACT.md applies and shows what happened: the returned pointer (as
 * an offset from the heap start or as a mapping), the program break, and the
 * list of blocks read straight from the headers.
 *
 * Output goes through snprintf into a stack buffer and write(2): stdio's
 * buffers would come from libc malloc, which moves the same break.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "block_meta.h"
#include "osmem.h"

static char *heap_start;

static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	if (write(STDOUT_FILENO, line, (size_t)n) < 0)
		_exit(1);
}

/* "heap+0x20" for heap pointers, the raw address for mappings. */
static const char *where(const void *p)
{
	static char buf[64];
	const char *c = p;

	if (!p)
		return "NULL";
	if (c >= heap_start && c < (char *)sbrk(0))
		snprintf(buf, sizeof(buf), "heap+0x%lx", (unsigned long)(c - heap_start));
	else
		snprintf(buf, sizeof(buf), "%p (own mapping)", p);
	return buf;
}

static void show_break(void)
{
	say("    break: heap+0x%lx\n", (unsigned long)((char *)sbrk(0) - heap_start));
}

static const char *status_name(int status)
{
	switch (status) {
	case STATUS_FREE: return "free";
	case STATUS_ALLOC: return "alloc";
	case STATUS_MAPPED: return "mapped";
	}
	return "?";
}

/* Walk the one list of blocks, starting from any block's header. */
static void show_blocks(const void *any_payload)
{
	const struct block_meta *b = (const struct block_meta *)any_payload - 1;

	while (b->prev)
		b = b->prev;
	say("    blocks:");
	for (; b; b = b->next)
		say(" [%s %s %zu]", where(b + 1), status_name(b->status), b->size);
	say("\n");
}

static void *step(const char *what, void *p)
{
	say("%-46s -> %s\n", what, where(p));
	return p;
}

int main(void)
{
	char *p, *q, *r, *s, *big;

	heap_start = sbrk(0);
	say("osmem demo: the heap starts at the initial break %p\n\n", (void *)heap_start);

	p = step("os_malloc(100)   first heap use: +128 KiB", os_malloc(100));
	show_break();
	q = step("os_malloc(200)   carved from the free rest", os_malloc(200));
	show_blocks(p);

	os_free(p);
	say("os_free(p)       only marks it free (deferred)\n");
	r = step("os_malloc(64)    best fit reuses p's 104 bytes", os_malloc(64));
	show_blocks(r);

	s = step("os_calloc(1, 5000) 32 + 5000 >= page: mmap", os_calloc(1, 5000));
	big = step("os_malloc(200000) >= 128 KiB: mmap", os_malloc(200000));
	show_blocks(r);

	q = step("os_realloc(q, 400) grows into its free neighbour", os_realloc(q, 400));
	show_blocks(r);
	show_break();

	os_free(s);
	os_free(big);
	say("os_free(s), os_free(big) unmap at once\n");
	show_blocks(r);

	say("\nmisuse is reported on stderr, never fatal (OSMEM_ABORT_ON_ERROR=1 aborts):\n");
	os_free(r);
	os_free(r);
	os_free(q + 8);
	os_free(q);
	say("\ndone: the break moved once, by 128 KiB: heap+0x%lx\n",
	    (unsigned long)((char *)sbrk(0) - heap_start));
	return 0;
}
