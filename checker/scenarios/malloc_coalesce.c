/*
 * malloc_coalesce: os_free only marks blocks free; the next allocation first
 * merges every run of adjacent free blocks (section 4 step 1).
 *
 *   os_malloc(100)   first heap use: brk(NULL), brk(H+0x20000); block
 *                    [0, 136): H+0x20 (size 104)
 *   os_malloc(200)   block [136, 368): H+0xa8 (size 200)
 *   os_malloc(300)   A = 304, block [368, 704): H+0x190 (size 304)
 *   os_malloc(8)     guard, block [704, 744): H+0x2e0 (size 8); the rest is
 *                    [744, 131072), size 130296
 *   os_free x3       no syscall
 *   note H+0xa8      size 200, free: nothing merged yet (deferred)
 *   os_malloc(600)   coalesce: [0, 704) is one free run -> one block at H of
 *                    104 + 32 + 200 + 32 + 304 = 672.  Best fit: 672 (the
 *                    rest is 130296).  Leftover 72: split.  H+0x20 (size
 *                    600); free block payload 32 + 600 + 32 = 664 = H+0x298,
 *                    size 40
 *   note H+0x298     size 40, free
 */
#include "scenario.h"

int main(void)
{
	void *p[3];
	void *d;

	p[0] = t_malloc(100);
	p[1] = t_malloc(200);
	p[2] = t_malloc(300);
	t_malloc(8);
	t_free_all(p, 3);
	note_block(p[1]);
	d = t_malloc(600);
	note_block(next_payload(d));
	return 0;
}
