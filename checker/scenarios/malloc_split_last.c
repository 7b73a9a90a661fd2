/*
 * malloc_split_last: splitting the last hole, then the last heap block.
 *
 * Setup: make_std_holes (scenario.h): free holes of 400 (H+0x20), 800
 * (H+0x1f8), 1200 (H+0x560, block at 1344) and the rest (H+0xa58, block at
 * 2616, size 128424), the last heap block.
 *
 *   os_malloc(1100)  A = 1104.  Best fit: 1200 (400 and 800 are too small).
 *                    Leftover 96: split.  H+0x560 (size 1104); the free block
 *                    is at 1376 + 1104 = 2480, payload 2512 = H+0x9d0,
 *                    size 96 - 32 = 64
 *   note H+0x9d0     size 64, free
 *   os_malloc(1300)  A = 1304.  Only the rest fits: split the last block.
 *                    H+0xa58 (size 1304); the new rest is at 2648 + 1304 =
 *                    3952, payload 3984 = H+0xf90, size 128424 - 1304 - 32
 *                    = 127088.  No syscall.
 *   note H+0xf90     size 127088, free
 */
#include "scenario.h"

int main(void)
{
	void *holes[STD_HOLES];
	void *a;

	make_std_holes(t_malloc, holes);
	a = t_malloc(1100);
	note_block(next_payload(a));
	a = t_malloc(1300);
	note_block(next_payload(a));
	return 0;
}
