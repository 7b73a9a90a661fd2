/*
 * realloc_shrink_split: shrinking stays in place and splits a leftover of 40
 * or more (section 5 rule 6); the split-off blocks are not merged until the
 * next allocation coalesces.
 *
 *   os_malloc(1000)   first heap use: brk(NULL), brk(H+0x20000); block
 *                     [0, 1032) -> H+0x20
 *   os_malloc(8)      guard, block [1032, 1072) -> H+0x428
 *   os_realloc(H+0x20, 500)  A = 504, leftover 496: split -> size 504; free
 *                     block at 536, payload 568 = H+0x238, size 464
 *   os_realloc(H+0x20, 464)  leftover 504 - 464 = 40: split -> size 464;
 *                     free block at 496, payload 528 = H+0x210, size 8
 *                     (not merged with the 464 block after it)
 *   os_realloc(H+0x20, 440)  leftover 24: no split, size 464
 *   os_malloc(504)    coalesce: 8 at 496 + 464 at 536 -> 8 + 32 + 464 = 504
 *                     at 496; best fit (exact) -> H+0x210 (size 504)
 * No syscall after the preallocation.
 */
#include "scenario.h"

int main(void)
{
	void *a = t_malloc(1000);

	t_malloc(8);
	t_realloc(a, 500);
	note_block(next_payload(a));
	t_realloc(a, 464);
	note_block(next_payload(a));
	note_block(next_payload(next_payload(a)));
	t_realloc(a, 440);
	t_malloc(504);
	return 0;
}
