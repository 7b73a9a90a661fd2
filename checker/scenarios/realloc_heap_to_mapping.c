/*
 * realloc_heap_to_mapping: a heap block whose new size reaches the malloc
 * threshold moves to a new mapping, even when its current size is already
 * that large (rule 5 comes before rule 6); the old block is freed.
 *
 *   os_malloc(100)     first heap use: brk(NULL), brk(H+0x20000) -> H+0x20
 *                      (size 104); rest at 136, size 130904
 *   os_realloc(H+0x20, 131032)  32 + 131032 < 131072: heap.  Grow: absorb
 *                      the rest: 104 + 32 + 130904 = 131040 >= 131032;
 *                      leftover 8: no split -> in place, size 131040
 *   os_realloc(H+0x20, 131033)  A = 131040, 32 + A = 131072: a mapping:
 *                      mmap 131072 -> M1+0x20 (size 131040); copy; the heap
 *                      block is freed (no syscall)
 *   note H+0x20        size 131040, free
 *   os_malloc(100)     best fit: that block; split -> H+0x20, no syscall
 */
#include "scenario.h"

int main(void)
{
	void *p = t_malloc(100);
	void *q;

	t_realloc(p, 131032);
	fill(p, 131040);
	q = t_realloc(p, 131033);
	note_filled(q, 131033);
	note_block(p);
	t_malloc(100);
	return 0;
}
