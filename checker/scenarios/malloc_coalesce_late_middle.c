/*
 * malloc_coalesce_late_middle: blocks freed at different times merge as soon
 * as the gap between them is freed: freeing the middle block joins it with
 * neighbours that were freed (and passed over) by earlier allocations.
 *
 *   os_malloc(100) x3  a [0, 136) H+0x20, b [136, 272) H+0xa8, c [272, 408)
 *                      H+0x130 (the first: brk(NULL), brk(H+0x20000))
 *   os_malloc(8)       guard [408, 448) H+0x1b8; rest at 448, payload 480 =
 *                      H+0x1e0, size 131072 - 448 - 32 = 130592
 *   os_free(a)
 *   os_malloc(200)     a (104) is too small: the rest -> H+0x1e0; rest at 680,
 *                      payload H+0x2c8, size 130360
 *   os_free(c)
 *   os_malloc(200)     c (104) too small, a and c are not adjacent: the rest
 *                      -> H+0x2c8; rest at 912, size 130128
 *   os_free(b)         now [0, 408) is all free
 *   note H+0x20        size 104, free: not merged yet
 *   os_malloc(300)     A = 304.  Coalesce a + b + c: 3 * 104 + 2 * 32 = 376 at
 *                      H; best fit 376; leftover 72: split -> H+0x20 (size
 *                      304); free payload 32 + 304 + 32 = 368 = H+0x170, size 40
 */
#include "scenario.h"

int main(void)
{
	void *a = t_malloc(100);
	void *b = t_malloc(100);
	void *c = t_malloc(100);

	t_malloc(8);
	t_free(a);
	t_malloc(200);
	t_free(c);
	t_malloc(200);
	t_free(b);
	note_block(a);
	a = t_malloc(300);
	note_block(next_payload(a));
	return 0;
}
