/*
 * realloc_split_last: mapped blocks moving to the heap split the last hole,
 * then the last heap block.
 *
 * Setup: make_std_holes (scenario.h) with os_realloc(NULL, n): free holes
 * of 400 (H+0x20), 800 (H+0x1f8), 1200 (H+0x560) and the rest (H+0xa58,
 * size 128424).
 *
 *   os_realloc(NULL, 200000)   mmap 200032 -> M1
 *   os_realloc(M1+0x20, 1100)  A = 1104: best fit 1200, leftover 96: split
 *                              -> H+0x560 (size 1104); munmap(M1, 200032).
 *                              Free payload 2512 = H+0x9d0, size 64
 *   os_realloc(NULL, 200000)   mmap 200032 -> M2
 *   os_realloc(M2+0x20, 1300)  A = 1304: only the rest fits: split the last
 *                              block -> H+0xa58 (size 1304); munmap(M2,
 *                              200032).  New rest payload 3984 = H+0xf90,
 *                              size 127088
 */
#include "scenario.h"

static const size_t sizes[] = { 1100, 1300 };

int main(void)
{
	void *holes[STD_HOLES];

	make_std_holes(t_realloc_null, holes);
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
		void *m = t_realloc(NULL, 200000);

		m = t_realloc(m, sizes[i]);
		note_block(next_payload(m));
	}
	return 0;
}
