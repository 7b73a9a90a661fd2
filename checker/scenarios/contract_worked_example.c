/*
 * contract_worked_example: the worked example at the end of
 * docs/CONTRACT.md, step by step.
 *
 *   p = os_malloc(100)    heap start + 32; brk(NULL), brk(H+0x20000); free
 *                         rest 131040 - 32 - 104 = 130904
 *   q = os_malloc(200)    H + 32 + 104 + 32 = H+0xa8, no syscall; the rest
 *                         is now 130672 (payload 168 + 200 + 32 = 400 = H+0x190)
 *   os_free(p)            no syscall; p's block is free (size 104)
 *   r = os_malloc(64)     best fit: p's old block (104 beats 130672) -> H+0x20;
 *                         leftover 104 - 64 = 40: split into a free block of
 *                         8 at payload 32 + 64 + 32 = 128 = H+0x80
 *   s = os_calloc(1,5000) 32 + 5000 >= 4096: mmap(NULL, 5032, ...) -> M1+0x20
 */
#include "scenario.h"

int main(void)
{
	void *p = t_malloc(100);
	void *q = t_malloc(200);
	void *r;

	note_block(next_payload(q));
	t_free(p);
	note_block(p);
	r = t_malloc(64);
	note_block(next_payload(r));
	t_calloc(1, 5000);
	return 0;
}
