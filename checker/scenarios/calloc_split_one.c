/*
 * calloc_split_one: a leftover of exactly 40 is split off as a free block of
 * 8 (section 4 step 3).
 *
 *   os_calloc(1, 200)  first heap use: brk(NULL), brk(H+0x20000) -> H+0x20,
 *                      block [0, 232)
 *   os_calloc(1, 8)    guard -> H+0x108
 *   os_free(H+0x20)
 *   os_calloc(20, 8)   160 bytes: best fit the 200 block, leftover 40: split
 *                      -> H+0x20 (size 160); free block at 192, payload 224 =
 *                      H+0xe0, size 8
 *   note H+0xe0        size 8, free
 *   os_calloc(1, 8)    best fit: the 8 block -> H+0xe0 (size 8)
 */
#include "scenario.h"

int main(void)
{
	void *a = t_calloc(1, 200);

	t_calloc(1, 8);
	t_free(a);
	a = t_calloc(20, 8);
	note_block(next_payload(a));
	t_calloc(1, 8);
	return 0;
}
