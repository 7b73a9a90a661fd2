/*
 * realloc_split_first: a mapped block shrinking to heap size moves (rule 4)
 * into the first hole, which is split; the old mapping goes after the copy.
 *
 * Setup: make_std_holes (scenario.h) with os_realloc(NULL, n): free holes
 * of 400 (H+0x20), 800 (H+0x1f8), 1200 (H+0x560) and the 128424-byte rest.
 *
 *   os_realloc(NULL, 200000)   mapped: mmap 200032 -> M1
 *   os_realloc(M1+0x20, 300)   mapped: always moves.  New block first: A =
 *                              304 < the malloc threshold: heap; best fit
 *                              400, leftover 96: split -> H+0x20 (size 304);
 *                              copy 304 bytes; then munmap(M1, 200032).
 *                              Free block payload 368 = H+0x170, size 64
 */
#include "scenario.h"

int main(void)
{
	void *holes[STD_HOLES];
	void *m;

	make_std_holes(t_realloc_null, holes);
	m = t_realloc(NULL, 200000);
	fill(m, 300);
	m = t_realloc(m, 300);
	note_filled(m, 300);
	note_block(next_payload(m));
	return 0;
}
