/*
 * realloc_prealloc: realloc(NULL, n) is os_malloc(n), so the first heap one
 * preallocates, once (sections 3 and 5 rule 1).
 *
 *   os_realloc(NULL, 100)     heap, first use: brk(NULL), brk(H+0x20000);
 *                             split -> H+0x20 (size 104); rest at 136
 *   os_realloc(NULL, 200000)  mapped: mmap 200032 -> M1; the heap is untouched
 *   os_realloc(NULL, 8)       no syscall: split the rest -> H+0xa8 (size 8);
 *                             new rest at 176, payload 208 = H+0xd0, size
 *                             130904 - 40 = 130864
 *   note H+0xd0               size 130864, free
 */
#include "scenario.h"

int main(void)
{
	void *q;

	t_realloc(NULL, 100);
	t_realloc(NULL, 200000);
	q = t_realloc(NULL, 8);
	note_block(next_payload(q));
	return 0;
}
