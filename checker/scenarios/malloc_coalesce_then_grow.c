/*
 * malloc_coalesce_then_grow: coalescing comes first; when the merged run is
 * the last block and still too small, it grows by the missing amount only
 * (section 4 steps 1 and 4).
 *
 *   os_malloc(130000)  first heap use: brk(NULL), brk(H+0x20000); split ->
 *                      H+0x20; rest at 130032, payload H+0x1fc10, size 1008
 *   os_malloc(1000)    the rest, leftover 8: no split -> H+0x1fc10 (size 1008)
 *   os_malloc(500)     A = 504: nothing free, last allocated: append, + 536:
 *                      brk(H+0x20218) -> H+0x20020 (size 504)
 *   os_free(H+0x1fc10), os_free(H+0x20020)   adjacent, both free
 *   os_malloc(3000)    coalesce: 1008 + 32 + 504 = 1544 at 130032, the last
 *                      block.  Best fit: none.  Grow it by 3000 - 1544 =
 *                      1456: brk(H+0x20218 + 0x5b0 = H+0x207c8) -> H+0x1fc10
 *                      (size 3000)
 */
#include "scenario.h"

int main(void)
{
	void *q, *r;

	t_malloc(130000);
	q = t_malloc(1000);
	r = t_malloc(500);
	t_free(q);
	t_free(r);
	t_malloc(3000);
	return 0;
}
