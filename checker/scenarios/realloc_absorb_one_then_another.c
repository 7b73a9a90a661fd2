/*
 * realloc_absorb_one_then_another: a growing realloc absorbs the following
 * free blocks one at a time and stops as soon as it is big enough (rule 7);
 * the next free block stays separate until a later realloc needs it.
 *
 *   os_malloc(100) x4  blocks of 136: p [0, 136) H+0x20, a [136, 272)
 *                      H+0xa8, b [272, 408) H+0x130, g [408, 544) H+0x1b8
 *                      (the first: brk(NULL), brk(H+0x20000))
 *   os_free(a), os_free(b)  no syscall, not merged (deferred)
 *   os_realloc(H+0x20, 200)  A = 200 > 104.  Absorb a: 104 + 32 + 104 =
 *                      240 >= 200: stop (b stays separate).  Leftover 40:
 *                      split -> size 200; free block at 232, payload 264 =
 *                      H+0x108, size 8
 *   notes              H+0x108 (size 8, free), H+0x130 (size 104, free)
 *   os_realloc(H+0x20, 300)  A = 304 > 200.  Absorb the 8 block: 240 < 304;
 *                      absorb b: 240 + 32 + 104 = 376 >= 304.  Leftover 72:
 *                      split -> size 304; free block at 336, payload 368 =
 *                      H+0x170, size 40 (it ends at 408, where g starts)
 *   note               H+0x170 (size 40, free)
 */
#include "scenario.h"

int main(void)
{
	void *p = t_malloc(100);
	void *a = t_malloc(100);
	void *b = t_malloc(100);

	t_malloc(100);
	t_free(a);
	t_free(b);
	t_realloc(p, 200);
	note_block(next_payload(p));
	note_block(b);
	t_realloc(p, 300);
	note_block(next_payload(p));
	return 0;
}
