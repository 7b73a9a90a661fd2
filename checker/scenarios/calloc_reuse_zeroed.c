/*
 * calloc_reuse_zeroed: calloc reuses freed heap blocks by best fit and the
 * memory reads as zero although the block held data (section 2).
 *
 *   os_calloc(1, 1000)  first heap use: brk(NULL), brk(H+0x20000) -> H+0x20
 *                       (size 1000), block [0, 1032)
 *   os_calloc(1, 8)     guard: block [1032, 1072) -> H+0x428 (size 8)
 *   (fill) os_free(H+0x20)
 *   os_calloc(1, 1000)  best fit: the 1000 block (exact) -> H+0x20, zero
 *   (fill) os_free(H+0x20)
 *   os_calloc(1, 968)   A = 968, leftover 32 < 40: the whole block ->
 *                       H+0x20 (size 1000), zero
 *   (fill) os_free(H+0x20)
 *   os_calloc(8, 100)   800: leftover 200: split -> H+0x20 (size 800), zero;
 *                       free block payload 32 + 800 + 32 = 864 = H+0x360,
 *                       size 168
 *   note H+0x360        size 168, free
 */
#include "scenario.h"

/* Dirty the block, free it, then calloc again and look at the bytes. */
static void *recycle(void *p, size_t nmemb, size_t size)
{
	fill(p, meta_of(p)->size);
	t_free(p);
	p = t_calloc(nmemb, size);
	note_zeroed(p, nmemb * size);
	return p;
}

int main(void)
{
	void *p = t_calloc(1, 1000);

	t_calloc(1, 8);
	p = recycle(p, 1, 1000);
	p = recycle(p, 1, 968);
	p = recycle(p, 8, 100);
	note_block(next_payload(p));
	return 0;
}
