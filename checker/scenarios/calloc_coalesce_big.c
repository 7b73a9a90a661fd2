/*
 * calloc_coalesce_big: eight of the largest heap callocs, freed, merge into
 * one block that the next calloc splits; it reads as zero across the old
 * headers.
 *
 *   os_calloc(1, 4000) x8  32 + 4000 < 4096: heap.  4032 bytes per block:
 *                      block k at 4032 k, payload 4032 k + 32: H+0x20,
 *                      H+0xfe0, H+0x1fa0, H+0x2f60, H+0x3f20, H+0x4ee0,
 *                      H+0x5ea0, H+0x6e60 (the first: brk(NULL),
 *                      brk(H+0x20000)); they end at 32256
 *   os_calloc(1, 8)    guard: block [32256, 32296) -> H+0x7e20; the rest is
 *                      at 32296, size 131072 - 32296 - 32 = 98744
 *   (fill) os_free x8  no syscall
 *   os_calloc(1, 4056) 32 + 4056 = 4088 < 4096: heap.  Coalesce [0, 32256)
 *                      into one block of 8 * 4032 - 32 = 32224.  Best fit:
 *                      32224 (rest 98744).  Leftover 32224 - 4056 = 28168:
 *                      split -> H+0x20 (size 4056), zero; free block at
 *                      4088, payload 4120 = H+0x1018, size 28136
 *   note H+0x1018      size 28136, free
 */
#include "scenario.h"

#define N 8

int main(void)
{
	void *p[N];
	void *big;

	for (int i = 0; i < N; i++)
		p[i] = t_calloc(1, 4000);
	t_calloc(1, 8);
	for (int i = 0; i < N; i++)
		fill(p[i], 4000);
	t_free_all(p, N);
	big = t_calloc(1, 4056);
	note_zeroed(big, 4056);
	note_block(next_payload(big));
	return 0;
}
