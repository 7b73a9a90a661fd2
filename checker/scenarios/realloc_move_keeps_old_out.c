/*
 * realloc_move_keeps_old_out: while a realloc moves, the old block is still
 * allocated, so it is neither a candidate nor merged with the free block
 * before it (rule 9).
 *
 *   os_malloc(200)     f: first heap use: brk(NULL), brk(H+0x20000); block
 *                      [0, 232) -> H+0x20
 *   os_malloc(200)     p: block [232, 464) -> H+0x108
 *   os_malloc(8)       g: block [464, 504) -> H+0x1f0; rest at 504, payload
 *                      536 = H+0x218, size 130536
 *   os_free(H+0x20)
 *   os_realloc(H+0x108, 400)  next is g (allocated), not last: move.
 *                      Coalesce: f alone (p is allocated; merged, f + p =
 *                      432 would have fit at H).  Best fit: f (200) too
 *                      small; the rest -> H+0x218 (size 400).  Then p is
 *                      freed.
 *   os_malloc(432)     coalesce f + old p: 200 + 32 + 200 = 432 at H, exact
 *                      -> H+0x20 (size 432)
 */
#include "scenario.h"

int main(void)
{
	void *f = t_malloc(200);
	void *p = t_malloc(200);

	t_malloc(8);
	t_free(f);
	t_realloc(p, 400);
	t_malloc(432);
	return 0;
}
