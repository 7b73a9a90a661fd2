/*
 * malloc_no_split: a leftover below 40 bytes (H + 8) stays with the block as
 * slack; the caller gets the whole block (section 4 step 3).
 *
 *   os_malloc(200)     first heap use: brk(NULL), brk(H+0x20000); block
 *                      [0, 232): H+0x20 (size 200)
 *   os_malloc(8)       guard, block [232, 272): H+0x108 (264); the rest is
 *                      at 272, payload 304 = H+0x130, size 131072 - 272 - 32
 *                      = 130768
 *   os_free(H+0x20)
 *   os_malloc(168)     best fit: the 200 block; leftover 32 < 40: no split
 *                      -> H+0x20 (size 200)
 *   os_free(H+0x20)
 *   os_malloc(161)     A = 168: same -> H+0x20 (size 200)
 *   os_free(H+0x20)
 *   os_malloc(193)     A = 200: exact, leftover 0 -> H+0x20 (size 200)
 *   os_malloc(130736)  32 + 130736 < 131072: heap.  Best fit: the rest
 *                      (130768); leftover 32 < 40: no split, the last block
 *                      whole -> H+0x130 (size 130768), no syscall
 */
#include "scenario.h"

int main(void)
{
	void *a = t_malloc(200);

	t_malloc(8);
	t_free(a);
	t_free(t_malloc(168));
	t_free(t_malloc(161));
	t_malloc(193);
	t_malloc(130736);
	return 0;
}
