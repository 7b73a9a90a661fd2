/*
 * realloc_absorb_then_move: absorbed blocks stay absorbed even when the
 * total is still too small and the block then moves (rule 7, rule 9).
 *
 *   os_malloc(100) x3  p [0, 136) H+0x20, a [136, 272) H+0xa8, g [272, 408)
 *                      H+0x130 (the first: brk(NULL), brk(H+0x20000)); the
 *                      rest at 408, payload 440 = H+0x1b8, size 130632
 *   os_free(H+0xa8)
 *   os_realloc(H+0x20, 1000)  absorb a: 104 + 32 + 104 = 240 < 1000; next is
 *                      g, allocated; not the last block: move.  Section 4:
 *                      free blocks: only the rest (a is inside p now) ->
 *                      split -> H+0x1b8 (size 1000); copy min(240, 1000);
 *                      the old block, size 240, is freed
 *   note H+0x20        size 240, free: the absorption stayed
 */
#include "scenario.h"

int main(void)
{
	void *p = t_malloc(100);
	void *a = t_malloc(100);
	void *q;

	t_malloc(100);
	t_free(a);
	fill(p, 104);
	q = t_realloc(p, 1000);
	note_filled(q, 104);
	note_block(p);
	return 0;
}
