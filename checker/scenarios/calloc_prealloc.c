/*
 * calloc_prealloc: the first heap calloc preallocates 128 KiB, once.
 *
 *   os_calloc(10, 10)  100 bytes, A = 104, 32 + 104 < 4096: heap.  First heap
 *                      use: brk(NULL), brk(H+0x20000); split the 131040
 *                      block -> H+0x20 (size 104), zeroed; the rest is at
 *                      136, size 130904
 *   os_calloc(25, 8)   200: best fit the rest, split -> H+0xa8 (size 200);
 *                      rest at 368, size 130904 - 232 = 130672
 *   os_calloc(1, 5000) mapped: mmap 5032 -> M1+0x20; the heap is untouched
 *   os_calloc(1, 4056) 32 + 4056 = 4088 < 4096: heap, no syscall -> payload
 *                      368 + 32 = 400 = H+0x190 (size 4056); rest at 400 +
 *                      4056 = 4456, payload 4488 = H+0x1188, size 130672 -
 *                      4056 - 32 = 126584
 *   note H+0x1188      size 126584, free
 */
#include "scenario.h"

int main(void)
{
	void *p = t_calloc(10, 10);

	note_zeroed(p, 100);
	t_calloc(25, 8);
	t_calloc(1, 5000);
	p = t_calloc(1, 4056);
	note_block(next_payload(p));
	return 0;
}
