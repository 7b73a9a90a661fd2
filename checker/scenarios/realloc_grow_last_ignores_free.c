/*
 * realloc_grow_last_ignores_free: a growing last block grows at the break
 * even when a large enough free block exists elsewhere (section 5 rule 8).
 *
 *   os_malloc(3000)    first heap use: brk(NULL), brk(H+0x20000); block
 *                      [0, 3032) -> H+0x20
 *   os_malloc(8)       guard, block [3032, 3072) -> H+0xbf8
 *   os_malloc(127968)  the rest is exactly 131072 - 3072 - 32 = 127968 ->
 *                      H+0xc20, ends at the break
 *   os_malloc(100)     nothing free, the last block is allocated: append,
 *                      + 136: brk(H+0x20088) -> H+0x20020 (size 104)
 *   os_free(H+0x20)    a free block of 3000 now exists
 *   os_realloc(H+0x20020, 2000)  no next block; it is the last: grow by
 *                      2000 - 104 = 1896: brk(H+0x20088 + 0x768 = H+0x207f0),
 *                      in place, although the 3000 block would fit
 *   os_malloc(2000)    best fit: the 3000 block; leftover 1000: split ->
 *                      H+0x20; free payload 32 + 2000 + 32 = 2064 = H+0x810,
 *                      size 968
 */
#include "scenario.h"

int main(void)
{
	void *a = t_malloc(3000);
	void *b;

	t_malloc(8);
	t_malloc(127968);
	b = t_malloc(100);
	t_free(a);
	t_realloc(b, 2000);
	a = t_malloc(2000);
	note_block(next_payload(a));
	return 0;
}
