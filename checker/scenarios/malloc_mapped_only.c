/*
 * malloc_mapped_only: a program that only ever maps never touches the break.
 *
 * Rules: malloc maps when 32 + A(n) >= 131072 (section 2); the mapping is
 * mmap(NULL, 32 + A(n), PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
 * with no page rounding; os_free unmaps it at once with munmap(block,
 * 32 + size); mapped memory is never reused; no brk at all (section 3).
 *
 *   os_malloc(131072)   A = 131072, 32 + A = 131104 >= 131072: mmap 131104 -> M1
 *                       returns M1+0x20, size 131072, mapped
 *   os_malloc(1000000)  A = 1000000: mmap 1000032 -> M2+0x20, size 1000000
 *   os_malloc(131033)   A = 131040, 32 + A = 131072 >= 131072: mmap 131072 -> M3
 *   os_free(M2+0x20)    munmap(M2, 32 + 1000000 = 1000032)
 *   os_malloc(500001)   A = 500008: a new mapping, mmap 500040 -> M4 (never a
 *                       reuse of M2's memory by the allocator itself)
 *   os_free(M1+0x20)    munmap(M1, 131104)
 *   os_free(M3+0x20)    munmap(M3, 131072)
 *   os_free(M4+0x20)    munmap(M4, 500040)
 * No brk line anywhere.
 */
#include "scenario.h"

int main(void)
{
	void *p = t_malloc(131072);
	void *q = t_malloc(1000000);
	void *r = t_malloc(131033);
	void *s;

	t_free(q);
	s = t_malloc(500001);
	t_free(p);
	t_free(r);
	t_free(s);
	return 0;
}
