/*
 * malloc_append_new_block: when nothing fits and the last heap block is
 * allocated, a new block is appended at the break, which moves by 32 + A(n)
 * (section 4 step 5, section 3).
 *
 *   os_malloc(131032)  32 + 131032 = 131064 < 131072: heap.  First heap use:
 *                      brk(NULL), brk(H+0x20000).  Leftover 131040 - 131032
 *                      = 8 < 40: no split, the whole block: H+0x20 (size 131040)
 *   os_malloc(100)     no free block; the last block is allocated: append
 *                      at the break H+0x20000, which moves by 32 + 104 = 136:
 *                      brk(H+0x20088); returns H+0x20020 (size 104)
 *   os_malloc(131032)  nothing free: append, + 32 + 131032 = 131064:
 *                      brk(H+0x20088 + 0x1fff8 = H+0x40080); the block is at
 *                      H+0x20088, payload H+0x200a8 (size 131032)
 *   os_free(H+0x20020) 104 bytes free, but not the last block
 *   os_malloc(200)     best fit: none (104 < 200); the last block is
 *                      allocated: append, + 232: brk(H+0x40168); returns
 *                      H+0x40080 + 0x20 = H+0x400a0 (size 200)
 */
#include "scenario.h"

int main(void)
{
	void *b;

	t_malloc(131032);
	b = t_malloc(100);
	t_malloc(131032);
	t_free(b);
	t_malloc(200);
	return 0;
}
