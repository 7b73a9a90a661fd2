/*
 * malloc_coalesce_big: many big free blocks, some beyond the preallocation,
 * merge into one; the merged block is then split, and later grown.
 *
 *   os_malloc(20000) x6  A = 20000, 20032 bytes per block: block k at
 *                    20032 k, payload 20032 k + 32: H+0x20, H+0x4e60,
 *                    H+0x9ca0, H+0xeae0, H+0x13920, H+0x18760 (the first
 *                    call: brk(NULL), brk(H+0x20000)).  Rest: block at
 *                    120192, payload H+0x1d5a0, size 131072 - 120192 - 32 =
 *                    10848
 *   os_malloc(20000) best fit: none (10848 < 20000); the last block is free:
 *                    grow it by 20000 - 10848 = 9152: brk(H+0x20000 + 0x23c0
 *                    = H+0x223c0) -> H+0x1d5a0 (size 20000)
 *   os_malloc(20000) nothing free, the last block is allocated: append,
 *                    + 20032: brk(H+0x27200) -> H+0x223c0 + 0x20 = H+0x223e0
 *   os_free x8       no syscall
 *   os_malloc(131032) 32 + 131032 < 131072: heap.  Coalesce: [0, 0x27200)
 *                    is one free run: one block of 160256 - 32 = 160224.
 *                    Leftover 160224 - 131032 = 29192: split.  H+0x20 (size
 *                    131032); free block at 131064, payload 131096 =
 *                    H+0x20018, size 29160, the last block
 *   os_malloc(100000) best fit: none; the last block is free: grow it by
 *                    100000 - 29160 = 70840: brk(H+0x27200 + 70840 =
 *                    H+0x386b8) -> H+0x20018 (size 100000)
 */
#include "scenario.h"

#define N 8

int main(void)
{
	void *p[N];
	void *big;

	for (int i = 0; i < N; i++)
		p[i] = t_malloc(20000);
	t_free_all(p, N);
	big = t_malloc(131032);
	note_block(next_payload(big));
	t_malloc(100000);
	return 0;
}
