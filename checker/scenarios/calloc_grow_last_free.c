/*
 * calloc_grow_last_free: calloc grows a free last block by the missing
 * amount, and the grown block (which held data) reads as zero.
 *
 *   os_malloc(130000)  first heap use: brk(NULL), brk(H+0x20000); leftover
 *                      1040: split -> H+0x20; rest at 130032, payload
 *                      130064 = H+0x1fc10, size 1008, the last block
 *   os_malloc(1000)    best fit: the rest, leftover 8: no split ->
 *                      H+0x1fc10 (size 1008)
 *   (fill) os_free(H+0x1fc10)
 *   os_calloc(1, 2000) 32 + 2000 < 4096: heap.  Best fit: none (1008 <
 *                      2000).  The last block is free: grow by 992:
 *                      brk(H+0x20000 + 0x3e0 = H+0x203e0) -> H+0x1fc10
 *                      (size 2000), zero
 */
#include "scenario.h"

int main(void)
{
	void *p;

	t_malloc(130000);
	p = t_malloc(1000);
	fill(p, 1008);
	t_free(p);
	p = t_calloc(1, 2000);
	note_zeroed(p, 2000);
	return 0;
}
