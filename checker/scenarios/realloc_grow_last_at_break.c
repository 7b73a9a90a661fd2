/*
 * realloc_grow_last_at_break: an allocated last block grows in place by
 * moving the break by the missing amount (section 5 rule 8), also after
 * absorbing a free neighbour (rule 7); shrinking never calls brk.
 *
 *   os_malloc(131000)  first heap use: brk(NULL), brk(H+0x20000).  Leftover
 *                      131040 - 131000 = 40: split -> H+0x20; free block at
 *                      131032, payload 131064 = H+0x1fff8, size 8 (last)
 *   os_malloc(100)     A = 104: nothing fits; the last block is free: grow it
 *                      by 96: brk(H+0x20060) -> H+0x1fff8 (size 104)
 *   os_realloc(H+0x1fff8, 1000)  no next block; it is the last: grow by
 *                      896: brk(H+0x20060 + 0x380 = H+0x203e0), in place
 *   os_realloc(H+0x1fff8, 1001)  A = 1008: grow by 8: brk(H+0x203e8)
 *   os_realloc(H+0x1fff8, 500)   A = 504: shrink; leftover 504: split, no
 *                      brk.  Free block at 131064 + 504 = 131568, payload
 *                      131600 = H+0x20210, size 1008 - 504 - 32 = 472
 *   os_realloc(H+0x1fff8, 2000)  absorb the free 472: 504 + 32 + 472 = 1008
 *                      < 2000; no more blocks: it is the last again: grow by
 *                      992: brk(H+0x203e8 + 0x3e0 = H+0x207c8), in place
 */
#include "scenario.h"

int main(void)
{
	void *b;

	t_malloc(131000);
	b = t_malloc(100);
	t_realloc(b, 1000);
	t_realloc(b, 1001);
	t_realloc(b, 500);
	note_block(next_payload(b));
	t_realloc(b, 2000);
	return 0;
}
