/*
 * calloc_split_first: calloc's best fit picks the first hole and splits it.
 *
 * Setup: make_std_holes (scenario.h) with os_calloc(1, n): free holes of 400
 * (H+0x20), 800 (H+0x1f8), 1200 (H+0x560) and the 128424-byte rest.
 *
 *   os_calloc(1, 300)  A = 304.  Best fit: 400.  Leftover 96: split ->
 *                      H+0x20 (size 304), zero; free block at 336, payload
 *                      368 = H+0x170, size 64
 *   note H+0x170       size 64, free
 *   os_calloc(5, 8)    40 bytes: best fit the 64 block, leftover 24: no
 *                      split -> H+0x170 (size 64)
 */
#include "scenario.h"

int main(void)
{
	void *holes[STD_HOLES];
	void *a;

	make_std_holes(t_calloc1, holes);
	a = t_calloc(1, 300);
	note_zeroed(a, 300);
	note_block(next_payload(a));
	t_calloc(5, 8);
	return 0;
}
