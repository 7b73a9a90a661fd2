/*
 * realloc_sizes_array: an array of blocks, each doubled in turn.  None can
 * grow in place (its neighbour is allocated, it is not the last block), so
 * each moves (rule 9): section 4 runs with the old block still allocated,
 * then the old block is freed; its space is reused once coalesced.
 *
 * os_realloc(NULL, n) for 8, 16, 24, 100, 1000 (the first preallocates):
 *   8 -> block [0, 40) H+0x20;  16 -> [40, 88) H+0x48;  24 -> [88, 144) H+0x78;
 *   100 -> [144, 280) H+0xb0 (size 104);  1000 -> [280, 1312) H+0x138;
 *   rest at 1312, payload 1344 = H+0x540, size 131072 - 1312 - 32 = 129728
 *
 *   os_realloc(H+0x20, 16)    free: only the rest.  Best fit the rest, split:
 *                             -> H+0x540 (size 16); rest at 1360, size 129680;
 *                             old [0, 40) freed
 *   os_realloc(H+0x48, 32)    coalesce: [0, 40) is alone (H+0x48 is allocated
 *                             during the move).  8 < 32: the rest -> block
 *                             1360, payload 1392 = H+0x570 (size 32); rest at
 *                             1424, size 129616; old [40, 88) freed
 *   os_realloc(H+0x78, 48)    coalesce [0, 40) + [40, 88) -> 56 at H.  Best
 *                             fit 56, leftover 8: no split -> H+0x20 (size
 *                             56); old [88, 144) freed
 *   os_realloc(H+0xb0, 200)   free: [88, 144) (24) and the rest -> rest:
 *                             payload 1456 = H+0x5b0 (size 200); rest at 1656,
 *                             size 129384; old [144, 280) freed
 *   os_realloc(H+0x138, 2000) coalesce [88, 144) + [144, 280) -> 160 at 88.
 *                             2000: the rest -> payload 1688 = H+0x698 (size
 *                             2000); rest at 3688, payload 3720 = H+0xe88,
 *                             size 129384 - 2032 = 127352; old [280, 1312) freed
 * Notes: H+0x78 is the merged block (size 160, free); H+0x138 (size 1000,
 * free); H+0xe88 (size 127352, free).
 */
#include "scenario.h"

static const size_t sizes[] = { 8, 16, 24, 100, 1000 };

int main(void)
{
	void *p[ARRAY_LEN(sizes)];
	void *old_2, *old_4;

	for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
		p[i] = t_realloc(NULL, sizes[i]);
	old_2 = p[2];
	old_4 = p[4];
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
		p[i] = t_realloc(p[i], 2 * sizes[i]);
	note_block(old_2);
	note_block(old_4);
	note_block(next_payload(p[4]));
	return 0;
}
