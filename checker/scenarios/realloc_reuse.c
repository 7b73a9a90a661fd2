/*
 * realloc_reuse: a moving realloc reuses a freed block by best fit, and the
 * block it leaves is reused in turn.
 *
 *   os_malloc(1000)   first heap use: brk(NULL), brk(H+0x20000); block
 *                     [0, 1032) -> H+0x20
 *   os_malloc(100)    block [1032, 1168) -> H+0x428 (size 104)
 *   os_malloc(8)      guard, block [1168, 1208) -> H+0x4b0; rest size 129832
 *   os_free(H+0x20)
 *   os_realloc(H+0x428, 1000)  the next block (guard) is allocated and the
 *                     block is not the last: move.  Best fit for 1000: the
 *                     freed 1000 block (exact) -> H+0x20; copy; the old
 *                     block is freed
 *   os_realloc(NULL, 100)  = os_malloc(100): best fit the freed 104 block
 *                     (exact) -> H+0x428 (size 104)
 */
#include "scenario.h"

int main(void)
{
	void *a = t_malloc(1000);
	void *b = t_malloc(100);

	t_malloc(8);
	t_free(a);
	fill(b, 104);
	b = t_realloc(b, 1000);
	note_filled(b, 104);
	t_realloc(NULL, 100);
	return 0;
}
