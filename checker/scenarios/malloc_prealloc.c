/*
 * malloc_prealloc: the first heap allocation moves the break by 128 KiB, once.
 *
 * Rules (section 3): the first heap allocation calls sbrk(131072), which
 * shows as brk(NULL) (glibc's first query) then brk(H+0x20000); that makes
 * one free block at H of size 131072 - 32 = 131040, used like any other
 * (best fit + split, section 4).  A mapping in between does not touch the
 * heap, and later heap allocations make no brk.
 *
 *   os_malloc(100)     A = 104; brk(NULL) = H, brk(H+0x20000).  The free
 *                      block [0, 131072) of size 131040 fits; leftover
 *                      131040 - 104 = 130936 >= 40: split.  Returns H+0x20
 *                      (size 104); the rest is a free block at offset
 *                      32 + 104 = 136, payload H+0xa8 (168),
 *                      size 130936 - 32 = 130904.
 *   note H+0xa8        size 130904, free
 *   os_malloc(200)     best fit = the rest; split: returns H+0xa8 (size 200);
 *                      rest at 168 + 200 = 368, payload 400 = H+0x190,
 *                      size 130904 - 200 - 32 = 130672.  No syscall.
 *   os_malloc(200000)  mapped: mmap 200032 -> M1+0x20; the heap is untouched.
 *   os_malloc(5000)    heap: returns H+0x190 (size 5000); rest at payload
 *                      400 + 5000 + 32 = 5432 = H+0x1538,
 *                      size 130672 - 5032 = 125640.  No syscall.
 *   note H+0x1538      size 125640, free
 */
#include "scenario.h"

int main(void)
{
	void *p = t_malloc(100);

	note_block(next_payload(p));
	t_malloc(200);
	t_malloc(200000);
	p = t_malloc(5000);
	note_block(next_payload(p));
	return 0;
}
