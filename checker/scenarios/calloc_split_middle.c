/*
 * calloc_split_middle: calloc's best fit picks the middle hole and splits it.
 *
 * Setup: make_std_holes (scenario.h) with os_calloc(1, n): free holes of 400
 * (H+0x20), 800 (H+0x1f8, block at 472), 1200 (H+0x560) and the rest.
 *
 *   os_calloc(6, 100)  600 bytes.  Best fit: 800.  Leftover 200: split ->
 *                      H+0x1f8 (size 600), zero; free block at 504 + 600 =
 *                      1104, payload 1136 = H+0x470, size 168
 *   note H+0x470       size 168, free
 */
#include "scenario.h"

int main(void)
{
	void *holes[STD_HOLES];
	void *a;

	make_std_holes(t_calloc1, holes);
	a = t_calloc(6, 100);
	note_zeroed(a, 600);
	note_block(next_payload(a));
	return 0;
}
