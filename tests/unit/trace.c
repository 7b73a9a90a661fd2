/* SPDX-License-Identifier: MIT */
/*
 * trace.c - observe the OS calls osmem makes, with their arguments.
 *
 * The test binary defines sbrk, mmap and munmap itself, so the references in
 * the static libosmem.a bind to these wrappers instead of libc's.  libc's own
 * internal calls (its malloc growing with __sbrk, thread stacks with __mmap)
 * do not come through here, which is what tells a break moved by libc malloc
 * apart from one moved by osmem or by a test.
 *
 * osmem makes these calls under its lock and the tests make none while other
 * threads run, so the records need no lock of their own.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "osmem_test.h"

extern void *__sbrk(intptr_t increment);   /* glibc's sbrk, exported */

static char *tracked_brk;           /* the break after the last sbrk seen here */
static bool moved_by_someone_else;  /* the break changed between two of them */
static unsigned long seq;
static struct mmap_call mmap_rec;
static struct munmap_call munmap_rec;

void *sbrk(intptr_t increment)
{
	void *old;

	if (__sbrk(0) != tracked_brk)
		moved_by_someone_else = true;
	old = __sbrk(increment);
	tracked_brk = __sbrk(0);
	return old;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	void *ret = (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, offset);

	mmap_rec = (struct mmap_call){ addr, len, prot, flags, fd, offset, ret, ++seq };
	return ret;
}

int munmap(void *addr, size_t len)
{
	int ret = (int)syscall(SYS_munmap, addr, len);

	munmap_rec = (struct munmap_call){ addr, len, ret, ++seq };
	return ret;
}

const struct mmap_call *last_mmap(void)
{
	return &mmap_rec;
}

const struct munmap_call *last_munmap(void)
{
	return &munmap_rec;
}

void trace_break_from(char *brk)
{
	tracked_brk = brk;
	moved_by_someone_else = false;
}

/* Everything between `start` and the break came from osmem or the test
 * itself unless libc moved the break meanwhile: then leave it all alone.
 * Lowering keeps the test process's total break growth small, which matters
 * under valgrind (its emulated break segment is 8 MiB at most). */
void trace_release_break(char *start)
{
	if (moved_by_someone_else || __sbrk(0) != tracked_brk || tracked_brk == start)
		return;
	if (brk(start) == 0)
		tracked_brk = start;
}
