/*
 * calloc_no_split: a leftover below 40 stays with the block as slack
 * (section 4 step 3); the recycled block still reads as zero.
 *
 *   os_calloc(1, 200)   first heap use: brk(NULL), brk(H+0x20000) -> H+0x20
 *                       (size 200), block [0, 232)
 *   os_calloc(1, 8)     guard: block [232, 272) -> H+0x108
 *   (fill) os_free(H+0x20)
 *   os_calloc(21, 8)    168 bytes: best fit the 200 block, leftover 32 < 40:
 *                       no split -> H+0x20 (size 200), zero
 *   os_free(H+0x20)
 *   os_calloc(1, 161)   A = 168: the same -> H+0x20 (size 200)
 */
#include "scenario.h"

int main(void)
{
	void *a = t_calloc(1, 200);

	t_calloc(1, 8);
	fill(a, 200);
	t_free(a);
	a = t_calloc(21, 8);
	note_zeroed(a, 168);
	t_free(a);
	t_calloc(1, 161);
	return 0;
}
