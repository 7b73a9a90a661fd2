/*
 * calloc_coalesce: calloc merges adjacent free blocks first (section 4 step
 * 1) and the merged block, old headers included, reads as zero.
 *
 *   os_calloc(1, 100)  first heap use: brk(NULL), brk(H+0x20000); block
 *                      [0, 136) -> H+0x20 (size 104)
 *   os_calloc(1, 200)  block [136, 368) -> H+0xa8 (size 200)
 *   os_calloc(1, 300)  A = 304, block [368, 704) -> H+0x190 (size 304)
 *   os_calloc(1, 8)    guard, block [704, 744) -> H+0x2e0
 *   (fill) os_free x3  no syscall
 *   os_calloc(1, 600)  coalesce [0, 704) into one block of 672 at H; best
 *                      fit 672 (rest 130296); leftover 72: split -> H+0x20
 *                      (size 600), zero; free payload 664 = H+0x298, size 40
 *   note H+0x298       size 40, free
 */
#include "scenario.h"

static const size_t sizes[] = { 100, 200, 300 };

int main(void)
{
	void *p[ARRAY_LEN(sizes)];
	void *d;

	for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
		p[i] = t_calloc(1, sizes[i]);
	t_calloc(1, 8);
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
		fill(p[i], sizes[i]);
	t_free_all(p, ARRAY_LEN(sizes));
	d = t_calloc(1, 600);
	note_zeroed(d, 600);
	note_block(next_payload(d));
	return 0;
}
