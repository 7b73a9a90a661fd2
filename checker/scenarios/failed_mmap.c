/*
 * failed_mmap: a size that does not overflow but cannot be mapped: the mmap
 * is made, fails, and the call returns NULL with errno = ENOMEM; the
 * allocator stays usable (section 6).  n = SIZE_MAX - 39 = 2^64 - 40.
 *
 *   os_malloc(n)          A = 2^64 - 40 (a multiple of 8); 32 + A = 2^64 - 8
 *                         = 18446744073709551608 does not overflow and is
 *                         >= 128 KiB: mmap(NULL, 18446744073709551608, ...)
 *                         = -1 ENOMEM -> NULL, ENOMEM
 *   os_calloc(1, n)       the same mmap, the same failure
 *   os_malloc(100)        the heap still works: brk(NULL), brk(H+0x20000)
 *                         -> H+0x20 (size 104)
 *   os_realloc(H+0x20, n) rule 5: a new mapping first; it fails -> NULL,
 *                         ENOMEM; the block is intact (size 104, alloc)
 *   os_malloc(200000)     mapping works: mmap 200032 -> M1 (the failed
 *                         attempts created no mapping)
 */
#include "scenario.h"

#define HUGE (SIZE_MAX - 39)

int main(void)
{
	void *p;

	t_malloc(HUGE);
	note_errno();
	t_calloc(1, HUGE);
	note_errno();
	p = t_malloc(100);
	t_realloc(p, HUGE);
	note_errno();
	note_block(p);
	t_malloc(200000);
	return 0;
}
