/*
 * malloc_best_fit: the smallest free block that fits wins, not the first.
 *
 * Setup: make_holes with sizes 1200, 800, 400 (each followed by an 8-byte
 * guard), then the three are freed:
 *   hole 1200: block [0, 1232), H+0x20       guard H+0x4f0  (1264)
 *   hole 800:  block [1272, 2104), H+0x518   guard H+0x858  (2136)
 *   hole 400:  block [2144, 2576), H+0x880   guard H+0xa30  (2608)
 *   rest:      block [2616, 131072), size 128424
 *
 *   os_malloc(300)   A = 304: fits 1200, 800, 400 and the rest; the smallest
 *                    is the last hole, 400 -> H+0x880 (size 304); leftover
 *                    96: split, free payload 2176 + 304 + 32 = 2512 =
 *                    H+0x9d0, size 64
 *   os_malloc(800)   exact fit 800 beats the first-placed 1200 -> H+0x518
 *   os_malloc(900)   A = 904: 1200 is now the smallest that fits -> H+0x20
 *                    (size 904); leftover 296: split, free payload
 *                    32 + 904 + 32 = 968 = H+0x3c8, size 264
 *   note H+0x3c8     size 264, free
 */
#include "scenario.h"

static const size_t sizes[] = { 1200, 800, 400 };

int main(void)
{
	void *holes[ARRAY_LEN(sizes)];
	void *a;

	make_holes(t_malloc, sizes, ARRAY_LEN(sizes), holes);
	t_malloc(300);
	t_malloc(800);
	a = t_malloc(900);
	note_block(next_payload(a));
	return 0;
}
