/*
 * calloc_sizes_array: an array of sizes below the page threshold carved from
 * the preallocated block; then products on both sides of the threshold.
 *
 *   n       A(n)   block at  payload            ends at
 *   1       8      0         H+0x20   (32)      40      (first call: brk(NULL), brk(H+0x20000))
 *   7       8      40        H+0x48   (72)      80
 *   8       8      80        H+0x70   (112)     120
 *   9       16     120       H+0x98   (152)     168
 *   24      24     168       H+0xc8   (200)     224
 *   100     104    224       H+0x100  (256)     360
 *   1000    1000   360       H+0x188  (392)     1392
 *   2000    2000   1392      H+0x590  (1424)    3424
 *   4000    4000   3424      H+0xd80  (3456)    7456
 *   4056    4056   7456      H+0x1d40 (7488)    11544   (32 + 4056 = 4088 < 4096)
 * The rest: block at 11544, payload 11576 = H+0x2d38, size 131072 - 11544 -
 * 32 = 119496.
 *
 *   os_calloc(4, 1016)  4064 bytes: 32 + 4064 = 4096: mmap 4096 -> M1 (size 4064)
 *   os_calloc(8, 507)   4056 bytes: heap -> H+0x2d38 (size 4056)
 *   os_free(M1+0x20)    munmap(M1, 4096)
 */
#include "scenario.h"

static const size_t sizes[] = { 1, 7, 8, 9, 24, 100, 1000, 2000, 4000, 4056 };

int main(void)
{
	void *p = NULL;

	for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
		p = t_calloc(1, sizes[i]);
	note_block(next_payload(p));
	p = t_calloc(4, 1016);
	t_calloc(8, 507);
	t_free(p);
	return 0;
}
