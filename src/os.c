/* SPDX-License-Identifier: MIT */
/*
 * os.c - the OS layer.  See os.h.
 *
 * The counters and fault-injection state are plain globals updated under the
 * allocator lock, which every caller holds.
 */
#define _GNU_SOURCE   /* mremap */
#include "os.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vg.h"

static unsigned long calls[OS_OP_COUNT];

struct fault {
	unsigned long skip;
	unsigned long fail;
};
static struct fault faults[OS_OP_COUNT];

void os_fault_inject(enum os_op op, unsigned long skip, unsigned long fail)
{
	faults[op].skip = skip;
	faults[op].fail = fail;
}

/* True when an injected fault says this call of `op` must fail. */
static bool fault_fires(enum os_op op)
{
	struct fault *f = &faults[op];

	if (f->fail == 0)
		return false;
	if (f->skip > 0) {
		f->skip--;
		return false;
	}
	f->fail--;
	errno = ENOMEM;
	return true;
}

static os_observer observer;

void os_set_observer(os_observer o)
{
	observer = o;
}

/* Count a call that reached the kernel and tell the observer, if any. */
static void note(enum os_op op, size_t arg, void *result)
{
	calls[op]++;
	if (observer)
		observer(op, arg, result);
}

unsigned long os_calls(enum os_op op)
{
	return calls[op];
}

void *os_break(void)
{
	return sbrk(0);
}

void *os_sbrk(size_t increment)
{
	void *old;

	if (increment > (size_t)INTPTR_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	if (fault_fires(OS_OP_SBRK))
		return NULL;
	old = sbrk((intptr_t)increment);
	if (old == (void *)-1) {
		old = NULL;
		errno = ENOMEM;
	}
	note(OS_OP_SBRK, increment, old);
	vg_fresh_memory(old, increment);
	return old;
}

void *os_map(size_t length)
{
	void *p;

	if (fault_fires(OS_OP_MAP))
		return NULL;
	p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		p = NULL;
		errno = ENOMEM;
	}
	note(OS_OP_MAP, length, p);
	vg_fresh_memory(p, length);
	return p;
}

bool os_unmap(void *addr, size_t length)
{
	if (fault_fires(OS_OP_UNMAP))
		return false;
	bool ok = munmap(addr, length) == 0;

	note(OS_OP_UNMAP, length, addr);
	return ok;
}

bool os_sbrk_down(size_t decrement)
{
	void *old;

	if (decrement > (size_t)INTPTR_MAX) {
		errno = EINVAL;
		return false;
	}
	if (fault_fires(OS_OP_SBRK_DOWN))
		return false;
	old = sbrk(-(intptr_t)decrement);
	note(OS_OP_SBRK_DOWN, decrement, old == (void *)-1 ? NULL : (char *)old - decrement);
	return old != (void *)-1;
}

bool os_release_pages(void *addr, size_t length)
{
	if (fault_fires(OS_OP_ADVISE))
		return false;
	bool ok = madvise(addr, length, MADV_DONTNEED) == 0;

	note(OS_OP_ADVISE, length, ok ? addr : NULL);
	return ok;
}

void *os_remap(void *addr, size_t old_length, size_t new_length)
{
	void *p;

	if (fault_fires(OS_OP_REMAP))
		return NULL;
	p = mremap(addr, old_length, new_length, MREMAP_MAYMOVE);
	if (p == MAP_FAILED) {
		p = NULL;
		errno = ENOMEM;
	}
	note(OS_OP_REMAP, new_length, p);
	return p;
}

size_t os_page_size(void)
{
	static size_t page;

	if (page == 0)
		page = (size_t)getpagesize();
	return page;
}
