/*
 * realloc_split_vector: a vector of blocks shrunk in place, each split
 * (rule 6); a later grow absorbs exactly the one free neighbour it needs
 * (rule 7) and leaves the rest of the heap alone.
 *
 *   os_malloc(1000) x4  blocks of 1032: [0, 1032) H+0x20, [1032, 2064)
 *                       H+0x428, [2064, 3096) H+0x830, [3096, 4128) H+0xc38
 *                       (the first: brk(NULL), brk(H+0x20000)); the rest at
 *                       4128, payload 4160 = H+0x1040, size 126912
 *   os_realloc(p, 500) x4  A = 504, leftover 496: split each; the free block
 *                       is at payload p + 504 + 32: H+0x238, H+0x640,
 *                       H+0xa48, H+0xe50, size 464 each.  The last one
 *                       touches the free rest but shrinking does not merge.
 *   os_realloc(H+0xc38, 1000)  absorb the next free block: 504 + 32 + 464 =
 *                       1000 >= 1000, leftover 0: in place, size 1000; the
 *                       rest is not absorbed (H+0x1040, size 126912)
 */
#include "scenario.h"

#define N 4

int main(void)
{
	void *v[N];

	for (int i = 0; i < N; i++)
		v[i] = t_malloc(1000);
	for (int i = 0; i < N; i++)
		t_realloc(v[i], 500);
	note_block(next_payload(v[N - 1]));
	note_block(next_payload(next_payload(v[N - 1])));
	t_realloc(v[N - 1], 1000);
	note_block(next_payload(v[N - 1]));
	return 0;
}
