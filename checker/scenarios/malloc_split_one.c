/*
 * malloc_split_one: a leftover of exactly 40 (H + 8) is split off as a free
 * block of 8 right after the new payload (section 4 step 3).
 *
 *   os_malloc(200)     first heap use: brk(NULL), brk(H+0x20000); H+0x20,
 *                      block [0, 232)
 *   os_malloc(8)       guard: H+0x108, block [232, 272)
 *   os_free(H+0x20)
 *   os_malloc(160)     best fit: the 200 block (the rest is 130768); leftover
 *                      200 - 160 = 40 >= 40: split.  H+0x20 (size 160); the
 *                      free block is at 32 + 160 = 192, payload 224 = H+0xe0,
 *                      size 40 - 32 = 8
 *   note H+0xe0        size 8, free
 *   os_malloc(8)       best fit: the 8 block (before the 130768 rest),
 *                      exact -> H+0xe0 (size 8)
 */
#include "scenario.h"

int main(void)
{
	void *a = t_malloc(200);

	t_malloc(8);
	t_free(a);
	a = t_malloc(160);
	note_block(next_payload(a));
	t_malloc(8);
	return 0;
}
