/*
 * calloc_split_last: calloc splits the last hole, then the last heap block.
 *
 * Setup: make_std_holes (scenario.h) with os_calloc(1, n): free holes of 400
 * (H+0x20), 800 (H+0x1f8), 1200 (H+0x560, block at 1344) and the rest
 * (H+0xa58, block at 2616, size 128424).
 *
 *   os_calloc(1, 1100)  A = 1104.  Best fit: 1200, leftover 96: split ->
 *                       H+0x560 (size 1104); free payload 1376 + 1104 + 32 =
 *                       2512 = H+0x9d0, size 64
 *   os_calloc(1, 1300)  A = 1304 (32 + 1304 < 4096: heap).  Only the rest
 *                       fits: split the last block -> H+0xa58 (size 1304);
 *                       new rest payload 2648 + 1304 + 32 = 3984 = H+0xf90,
 *                       size 128424 - 1304 - 32 = 127088
 */
#include "scenario.h"

int main(void)
{
	void *holes[STD_HOLES];
	void *a;

	make_std_holes(t_calloc1, holes);
	a = t_calloc(1, 1100);
	note_block(next_payload(a));
	a = t_calloc(1, 1300);
	note_block(next_payload(a));
	return 0;
}
