/*
 * realloc_move_not_last: a block that cannot grow in place and is not the
 * last heap block moves (rule 9); the data is copied, the old block freed.
 *
 *   os_malloc(100)     first heap use: brk(NULL), brk(H+0x20000); block
 *                      [0, 136) -> H+0x20
 *   os_malloc(100)     g: block [136, 272) -> H+0xa8; rest at 272, payload
 *                      304 = H+0x130, size 130768
 *   os_realloc(H+0x20, 2000)  next block g allocated, not last: move.  Best
 *                      fit the rest, split -> H+0x130 (size 2000); rest
 *                      payload 304 + 2000 + 32 = 2336 = H+0x920, size 128736.
 *                      Old block freed.  No syscall.
 *   notes              104 bytes kept; H+0x20 (size 104, free); H+0x920
 *                      (size 128736, free)
 */
#include "scenario.h"

int main(void)
{
	void *a = t_malloc(100);
	void *q;

	t_malloc(100);
	fill(a, 104);
	q = t_realloc(a, 2000);
	note_filled(q, 104);
	note_block(a);
	note_block(next_payload(q));
	return 0;
}
