/*
 * malloc_split_middle: best fit picks the middle hole and splits it.
 *
 * Setup: make_std_holes (scenario.h): free holes of 400 (H+0x20), 800
 * (H+0x1f8, block at 472), 1200 (H+0x560) and the 128424-byte rest.
 *
 *   os_malloc(600)   A = 600.  Best fit: 400 is too small, 800 is the
 *                    smallest that fits.  Leftover 200 >= 40: split.
 *                    H+0x1f8 (size 600); the free block is at 504 + 600 =
 *                    1104, payload 1136 = H+0x470, size 200 - 32 = 168
 *   note H+0x470     size 168, free
 */
#include "scenario.h"

int main(void)
{
	void *holes[STD_HOLES];
	void *a;

	make_std_holes(t_malloc, holes);
	a = t_malloc(600);
	note_block(next_payload(a));
	return 0;
}
