/*
 * realloc_split_middle: a mapped block moving to the heap lands in the
 * middle hole, which is split.
 *
 * Setup: make_std_holes (scenario.h) with os_realloc(NULL, n): free holes
 * of 400 (H+0x20), 800 (H+0x1f8), 1200 (H+0x560) and the rest.
 *
 *   os_realloc(NULL, 200000)   mmap 200032 -> M1
 *   os_realloc(M1+0x20, 600)   heap; best fit 800, leftover 200: split ->
 *                              H+0x1f8 (size 600); munmap(M1, 200032).
 *                              Free payload 504 + 600 + 32 = 1136 = H+0x470,
 *                              size 168
 */
#include "scenario.h"

int main(void)
{
	void *holes[STD_HOLES];
	void *m;

	make_std_holes(t_realloc_null, holes);
	m = t_realloc(NULL, 200000);
	m = t_realloc(m, 600);
	note_block(next_payload(m));
	return 0;
}
