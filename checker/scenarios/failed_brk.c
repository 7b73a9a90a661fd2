/*
 * failed_brk: when moving the break fails, the call returns NULL with errno
 * = ENOMEM and the heap stays consistent and usable (section 6).  The
 * scenario lowers RLIMIT_DATA to 64 KiB, so the kernel refuses any break
 * more than 64 KiB above the heap start: brk returns the old break.
 *
 * With the limit:
 *   os_malloc(100)     the first heap allocation: sbrk(131072): brk(NULL) =
 *                      H, brk(H+0x20000) = H (refused) -> NULL, ENOMEM
 *   os_malloc(100)     still no heap, so again the preallocation; glibc's
 *                      sbrk knows the break now (the failed brk returned it),
 *                      so no brk(NULL): brk(H+0x20000) = H -> NULL, ENOMEM
 * Without it:
 *   os_malloc(100)     brk(H+0x20000) = H+0x20000 -> H+0x20 (size 104); the
 *                      rest at 136 (payload H+0xa8) has size 130904
 *   os_malloc(130900)  A = 130904: the rest, exact -> H+0xa8; the heap is full
 * With the limit:
 *   os_malloc(1000)    nothing free, the last block is allocated: append,
 *                      + 1032: brk(H+0x20408) = H+0x20000 -> NULL, ENOMEM
 *   os_free(H+0xa8)    the last block is free
 *   os_malloc(131000)  best fit: none (130904); grow the free last block by
 *                      96: brk(H+0x20060) = H+0x20000 -> NULL, ENOMEM
 *   note H+0xa8        size 130904, free: unchanged
 * Without it:
 *   os_malloc(131000)  the same growth succeeds: brk(H+0x20060) = H+0x20060
 *                      -> H+0xa8 (size 131000)
 */
#include <sys/resource.h>

#include "scenario.h"

static struct rlimit saved;

static void limit_data(rlim_t bytes)
{
	struct rlimit low;

	getrlimit(RLIMIT_DATA, &saved);
	low = saved;
	low.rlim_cur = bytes;
	setrlimit(RLIMIT_DATA, &low);
}

static void unlimit_data(void)
{
	setrlimit(RLIMIT_DATA, &saved);
}

static void expect_enomem(void *result)
{
	(void)result;
	note_errno();
}

int main(void)
{
	void *q;

	limit_data(64 * 1024);
	expect_enomem(t_malloc(100));
	expect_enomem(t_malloc(100));
	unlimit_data();
	t_malloc(100);
	q = t_malloc(130900);
	limit_data(64 * 1024);
	expect_enomem(t_malloc(1000));
	t_free(q);
	expect_enomem(t_malloc(131000));
	note_block(q);
	unlimit_data();
	t_malloc(131000);
	return 0;
}
