/*
 * realloc_absorb_last_then_grow: a growing realloc absorbs the free last
 * block (one an earlier allocation already passed over), is still too small,
 * is now the last block, and grows at the break (rules 7 and 8).  The
 * absorbed block is gone for good: the next malloc appends.
 *
 *   os_malloc(100)     first heap use: brk(NULL), brk(H+0x20000) -> H+0x20,
 *                      block [0, 136)
 *   os_malloc(8)       q: block [136, 176) -> H+0xa8
 *   os_malloc(16)      r: block [176, 224) -> H+0xd0; rest at 224, payload
 *                      H+0x100, size 131072 - 224 - 32 = 130816
 *   os_free(H+0xa8)
 *   os_malloc(8)       best fit: q's block (8, exact) -> H+0xa8
 *   os_realloc(H+0xd0, 131032)  32 + 131032 < 131072: heap.  Absorb the
 *                      rest: 16 + 32 + 130816 = 130864 < 131032.  Now the
 *                      last block: grow by 168: brk(H+0x200a8), in place
 *   os_malloc(100)     nothing free; the last block is allocated: append,
 *                      + 136: brk(H+0x20130) -> H+0x200c8
 */
#include "scenario.h"

int main(void)
{
	void *q, *r;

	t_malloc(100);
	q = t_malloc(8);
	r = t_malloc(16);
	t_free(q);
	t_malloc(8);
	t_realloc(r, 131032);
	t_malloc(100);
	return 0;
}
