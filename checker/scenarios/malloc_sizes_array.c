/*
 * malloc_sizes_array: an array of sizes carved one after another from the
 * preallocated block, freed, then carved again at the same addresses.
 *
 * Rules: A(n) rounds to 8; each block takes 32 + A(n) bytes from the front
 * of the free rest (best fit = the rest, leftover always >= 40: split).
 *
 *   n       A(n)   block at  payload            ends at
 *   1       8      0         H+0x20   (32)      40      (first call: brk(NULL), brk(H+0x20000))
 *   7       8      40        H+0x48   (72)      80
 *   8       8      80        H+0x70   (112)     120
 *   9       16     120       H+0x98   (152)     168
 *   24      24     168       H+0xc8   (200)     224
 *   100     104    224       H+0x100  (256)     360
 *   1000    1000   360       H+0x188  (392)     1392
 *   4000    4000   1392      H+0x590  (1424)    5424
 *   10000   10000  5424      H+0x1550 (5456)    15456
 *   65536   65536  15456     H+0x3c80 (15488)   81024
 * The rest: block at 81024, payload 81056 = H+0x13ca0,
 * size 131072 - 81024 - 32 = 50016, free.
 *
 * Freeing all ten makes no syscall.  The next os_malloc(1) first coalesces:
 * the ten blocks and the rest are adjacent and free, so they become one
 * block of 131040 at H, exactly the state after the preallocation; the
 * second round therefore returns the same addresses, without a syscall.
 */
#include "scenario.h"

static const size_t sizes[] = { 1, 7, 8, 9, 24, 100, 1000, 4000, 10000, 65536 };

static void alloc_all(void **p)
{
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
		p[i] = t_malloc(sizes[i]);
}

int main(void)
{
	void *p[ARRAY_LEN(sizes)];

	alloc_all(p);
	note_block(next_payload(p[ARRAY_LEN(sizes) - 1]));
	t_free_all(p, ARRAY_LEN(sizes));
	alloc_all(p);
	return 0;
}
