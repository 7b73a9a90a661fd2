/*
 * malloc_split_vector: a vector of requests splits each hole in turn; the
 * equal-sized leftovers are then taken lowest address first.
 *
 * Setup: make_std_holes (scenario.h): free holes of 400 (H+0x20), 800
 * (H+0x1f8), 1200 (H+0x560) and the 128424-byte rest.
 *
 *   os_malloc(200)   best fit 400: split, leftover 200.  H+0x20 (size 200);
 *                    free block payload 32 + 200 + 32 = 264 = H+0x108,
 *                    size 168
 *   os_malloc(600)   free: 168, 800, 1200, rest.  Best fit 800: H+0x1f8
 *                    (size 600); free payload 504 + 600 + 32 = 1136 =
 *                    H+0x470, size 168
 *   os_malloc(1000)  free: 168, 168, 1200, rest.  Best fit 1200: H+0x560
 *                    (size 1000); free payload 1376 + 1000 + 32 = 2408 =
 *                    H+0x968, size 168
 *   os_malloc(160)   three free blocks of 168: the lowest address wins,
 *                    leftover 8: no split -> H+0x108 (size 168)
 *   os_malloc(160)   -> H+0x470 (size 168)
 *   os_malloc(160)   -> H+0x968 (size 168)
 */
#include "scenario.h"

static const size_t sizes[] = { 200, 600, 1000, 160, 160, 160 };

int main(void)
{
	void *holes[STD_HOLES];

	make_std_holes(t_malloc, holes);
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
		t_malloc(sizes[i]);
	return 0;
}
