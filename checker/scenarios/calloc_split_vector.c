/*
 * calloc_split_vector: a vector of callocs splits each hole in turn; the
 * equal leftovers are then taken lowest address first.
 *
 * Setup: make_std_holes (scenario.h) with os_calloc(1, n): free holes of 400
 * (H+0x20), 800 (H+0x1f8), 1200 (H+0x560) and the rest.
 *
 *   os_calloc(1, 200)   best fit 400 -> H+0x20 (size 200); free H+0x108 (168)
 *   os_calloc(1, 600)   best fit 800 -> H+0x1f8 (size 600); free H+0x470 (168)
 *   os_calloc(1, 1000)  best fit 1200 -> H+0x560 (size 1000); free payload
 *                       1376 + 1000 + 32 = 2408 = H+0x968 (168)
 *   os_calloc(1, 160) x3  three 168 blocks, lowest address first, leftover
 *                       8: no split -> H+0x108, H+0x470, H+0x968 (size 168)
 */
#include "scenario.h"

static const size_t sizes[] = { 200, 600, 1000, 160, 160, 160 };

int main(void)
{
	void *holes[STD_HOLES];

	make_std_holes(t_calloc1, holes);
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
		t_calloc(1, sizes[i]);
	return 0;
}
