/*
 * realloc_no_split: in-place resizes keep a leftover below 40 as slack
 * (section 5 rules 6 and 7).
 *
 *   os_malloc(200)     first heap use: brk(NULL), brk(H+0x20000); block
 *                      [0, 232) -> H+0x20
 *   os_malloc(100)     block [232, 368) -> H+0x108 (size 104)
 *   os_malloc(8)       guard, block [368, 408) -> H+0x190
 *   os_realloc(H+0x20, 168)  shrink: leftover 32 < 40: no split, size 200
 *   os_realloc(H+0x20, 161)  A = 168: the same, size 200
 *   os_realloc(H+0x20, 200)  same size: in place, size 200
 *   os_free(H+0x108)
 *   os_realloc(H+0x20, 320)  grow: absorb the free neighbour: 200 + 32 + 104
 *                      = 336 >= 320; leftover 16 < 40: no split, size 336
 * No syscall after the preallocation.
 */
#include "scenario.h"

static const size_t sizes[] = { 168, 161, 200 };

int main(void)
{
	void *a = t_malloc(200);
	void *n = t_malloc(100);

	t_malloc(8);
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
		t_realloc(a, sizes[i]);
	t_free(n);
	t_realloc(a, 320);
	return 0;
}
