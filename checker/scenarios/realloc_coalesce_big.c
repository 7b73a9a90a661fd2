/*
 * realloc_coalesce_big: a growing realloc absorbs big free neighbours one at
 * a time until it fits (rule 7); then everything freed coalesces.
 *
 *   os_malloc(20000) x6  blocks of 20032: b0..b5 at H+0x20, H+0x4e60,
 *                      H+0x9ca0, H+0xeae0, H+0x13920, H+0x18760 (the first:
 *                      brk(NULL), brk(H+0x20000)); rest at 120192, size 10848
 *   os_free(b1..b4)    not merged (deferred)
 *   os_realloc(b0, 70000)  absorb b1: 20000 + 20032 = 40032; b2: 60064;
 *                      b3: 80096 >= 70000, stop.  Leftover 10096: split ->
 *                      size 70000; free block at 70032, payload 70064 =
 *                      H+0x111b0, size 10064.  b4 stays (size 20000, free).
 *   os_realloc(b0, 100000)  absorb the 10064 block: 80096; b4: 100128 >=
 *                      100000.  Leftover 128: split -> size 100000; free
 *                      block at 100032, payload 100064 = H+0x186e0, size 96
 *                      (it ends at 100160, where b5 starts)
 *   os_free(b0), os_free(b5)
 *   os_realloc(NULL, 131032)  coalesce [0, 131072) into 131040; leftover 8:
 *                      no split -> H+0x20 (size 131040)
 * No syscall after the preallocation.
 */
#include "scenario.h"

#define N 6

int main(void)
{
	void *b[N];

	for (int i = 0; i < N; i++)
		b[i] = t_malloc(20000);
	t_free_all(b + 1, 4);
	t_realloc(b[0], 70000);
	note_block(next_payload(b[0]));
	note_block(b[4]);
	t_realloc(b[0], 100000);
	note_block(next_payload(b[0]));
	t_free(b[0]);
	t_free(b[5]);
	t_realloc(NULL, 131032);
	return 0;
}
