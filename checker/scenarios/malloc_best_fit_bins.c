/*
 * malloc_best_fit_bins: best fit over free blocks of widely different sizes,
 * including the leftovers that splits create, each request taking the
 * smallest block that fits (section 4 steps 2-3).
 *
 * Setup: make_holes with sizes 600, 3000, 4096, 200, each followed by an
 * 8-byte guard, then the four are freed:
 *   600 at block 0, H+0x20;  3000 at 672, H+0x2c0;  4096 at 3744, H+0xec0;
 *   200 at 7912, H+0x1f08;   guards H+0x298, H+0xe98, H+0x1ee0, H+0x1ff0;
 *   rest at 8184, H+0x2018, size 131072 - 8184 - 32 = 122856
 *
 *   os_malloc(100)   A = 104: smallest fit 200; leftover 96: split ->
 *                    H+0x1f08 (size 104); free H+0x1f90 (7944 + 136), size 64
 *   os_malloc(300)   A = 304: 600; leftover 296 -> H+0x20 (size 304); free
 *                    H+0x170 (32 + 336), size 264
 *   os_malloc(1000)  3000 -> H+0x2c0 (size 1000); free H+0x6c8 (704 + 1032),
 *                    size 1968
 *   os_malloc(2000)  1968 is too small: 4096 -> H+0xec0 (size 2000); free
 *                    H+0x16b0 (3776 + 2032), size 2064
 *   os_malloc(4000)  only the rest -> H+0x2018; rest H+0x2fd8, size 118824
 *   os_malloc(2064)  exact -> H+0x16b0
 *   os_malloc(1968)  exact -> H+0x6c8
 *   os_malloc(200)   free: 64, 264, rest: 264, leftover 64: split -> H+0x170
 *                    (size 200); free H+0x258 (368 + 232), size 32
 *   os_malloc(8)     free: 32, 64: 32, leftover 24: no split -> H+0x258
 *                    (size 32)
 *   os_malloc(8)     64, leftover 56: split -> H+0x1f90 (size 8); free
 *                    H+0x1fb8 (8080 + 40), size 24
 * No syscall after the preallocation.
 */
#include "scenario.h"

static const size_t holes_sizes[] = { 600, 3000, 4096, 200 };
static const size_t requests[] = { 100, 300, 1000, 2000, 4000, 2064, 1968, 200, 8, 8 };

int main(void)
{
	void *holes[ARRAY_LEN(holes_sizes)];

	make_holes(t_malloc, holes_sizes, ARRAY_LEN(holes_sizes), holes);
	note_block(next_payload(malloc_each(requests, ARRAY_LEN(requests))));
	return 0;
}
