/*
 * malloc_split_first: best fit picks the first hole and splits it.
 *
 * Setup: make_std_holes (scenario.h): free holes of 400 (H+0x20), 800
 * (H+0x1f8), 1200 (H+0x560) and the 128424-byte rest, kept apart by guards.
 *
 *   os_malloc(300)   A = 304.  Coalesce: nothing touches.  Best fit: the
 *                    400 hole at H (the smallest >= 304).  Leftover 96 >= 40:
 *                    split.  H+0x20 (size 304); the new free block is at
 *                    32 + 304 = 336, payload 368 = H+0x170, size 96 - 32 = 64
 *   note H+0x170     size 64, free
 *   os_malloc(40)    best fit: the 64 block; leftover 24 < 40: no split ->
 *                    H+0x170 (size 64)
 */
#include "scenario.h"

int main(void)
{
	void *holes[STD_HOLES];
	void *a;

	make_std_holes(t_malloc, holes);
	a = t_malloc(300);
	note_block(next_payload(a));
	t_malloc(40);
	return 0;
}
