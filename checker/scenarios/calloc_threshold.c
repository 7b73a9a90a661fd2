/*
 * calloc_threshold: calloc maps when 32 + A(nmemb * size) >= 4096, i.e. when
 * the product is above 4056 (A >= 4064); malloc keeps its 128 KiB threshold.
 *
 *   os_calloc(1, 4056)  32 + 4056 = 4088: heap, first use: brk(NULL),
 *                       brk(H+0x20000) -> H+0x20 (size 4056); block [0, 4088)
 *   os_calloc(1, 4057)  A = 4064, 32 + 4064 = 4096: mmap 4096 -> M1 (size 4064)
 *   os_calloc(4064, 1)  the product counts: mmap 4096 -> M2 (size 4064)
 *   os_calloc(8, 507)   4056: heap, block [4088, 8176) -> H+0x1018 (size 4056)
 *   os_calloc(1, 4063)  A = 4064: mmap 4096 -> M3 (size 4064)
 *   os_calloc(1, 4049)  A = 4056: heap, block [8176, 12264) -> H+0x2010
 *   os_malloc(4064)     malloc: 32 + 4064 < 131072: heap, block at 12264 ->
 *                       H+0x3008 (size 4064)
 *   os_free(M1..M3)     munmap(Mk, 4096) each
 */
#include "scenario.h"

int main(void)
{
	void *m[3];

	t_calloc(1, 4056);
	m[0] = t_calloc(1, 4057);
	m[1] = t_calloc(4064, 1);
	t_calloc(8, 507);
	m[2] = t_calloc(1, 4063);
	t_calloc(1, 4049);
	t_malloc(4064);
	t_free_all(m, 3);
	return 0;
}
