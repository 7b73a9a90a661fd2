/*
 * malloc_grow_last_free: when nothing fits and the last heap block is free,
 * it grows by exactly the missing amount and keeps its address (section 4
 * step 4, section 3).
 *
 *   os_malloc(130000)  first heap use: brk(NULL), brk(H+0x20000).  Leftover
 *                      131040 - 130000 = 1040 >= 40: split.  H+0x20 (size
 *                      130000); rest at 130032, payload 130064 = H+0x1fc10,
 *                      size 1040 - 32 = 1008, free, the last block
 *   os_malloc(2000)    best fit: none (1008 < 2000).  The last block is free:
 *                      grow it by 2000 - 1008 = 992: brk(H+0x20000 + 992 =
 *                      H+0x203e0); returns H+0x1fc10 (size 2000)
 *   os_free(H+0x1fc10) no syscall
 *   os_malloc(3000)    coalesce: nothing (the block before is allocated);
 *                      best fit: none (2000 < 3000); the last block is free:
 *                      grow by 1000: brk(H+0x203e0 + 0x3e8 = H+0x207c8);
 *                      returns H+0x1fc10 (size 3000)
 */
#include "scenario.h"

int main(void)
{
	void *b;

	t_malloc(130000);
	b = t_malloc(2000);
	t_free(b);
	t_malloc(3000);
	return 0;
}
