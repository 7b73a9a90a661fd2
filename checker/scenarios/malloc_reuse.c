/*
 * malloc_reuse: freed heap blocks are reused by best fit; mapped memory never.
 *
 *   os_malloc(1000)    first heap use: brk(NULL), brk(H+0x20000); block [0, 1032),
 *                      returns H+0x20 (size 1000); rest free from 1032
 *   os_malloc(1000)    block [1032, 2064): H+0x428 (1064); rest at 2064,
 *                      size 131072 - 2064 - 32 = 128976
 *   os_free(H+0x20)    no syscall; note: H+0x20 (size 1000, free)
 *   os_malloc(1000)    best fit: 1000 (exact, at H) beats 128976 -> H+0x20
 *   os_free(H+0x20)
 *   os_malloc(968)     A = 968 fits the 1000 block; leftover 32 < 40: no
 *                      split, the whole block (size 1000) -> H+0x20
 *   os_free(H+0x428)   no syscall
 *   os_malloc(1000)    coalesce first: the freed [1032, 2064) and the rest
 *                      touch -> one block at 1032, size 1000 + 32 + 128976
 *                      = 130008; best fit it, leftover >= 40: split ->
 *                      H+0x428 (size 1000)
 *   os_malloc(200000)  mmap 200032 -> M1; os_free: munmap(M1, 200032)
 *   os_malloc(200000)  never reused: a new mmap -> M2; os_free: munmap(M2, 200032)
 */
#include "scenario.h"

int main(void)
{
	void *a = t_malloc(1000);
	void *b = t_malloc(1000);

	t_free(a);
	note_block(a);
	t_free(t_malloc(1000));
	t_malloc(968);
	t_free(b);
	t_malloc(1000);
	t_free(t_malloc(200000));
	t_free(t_malloc(200000));
	return 0;
}
