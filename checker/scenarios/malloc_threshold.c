/*
 * malloc_threshold: malloc maps when 32 + A(n) >= 131072, i.e. A(n) >=
 * 131040, i.e. n >= 131033 (section 2).  131033, 131039 and 131040 all
 * round to A = 131040 and map 131072 bytes; 131032 and 131025 (A = 131032,
 * 32 + A = 131064) stay on the heap.
 *
 *   os_malloc(131032)  heap, first use: brk(NULL), brk(H+0x20000); the
 *                      131040 block fits with leftover 8 < 40: no split ->
 *                      H+0x20 (size 131040)
 *   os_malloc(131033)  A = 131040: mmap 131072 -> M1+0x20 (size 131040)
 *   os_malloc(131039)  A = 131040: mmap 131072 -> M2+0x20 (size 131040)
 *   os_malloc(131040)  A = 131040: mmap 131072 -> M3+0x20 (size 131040)
 *   os_malloc(131041)  A = 131048: mmap 131080 -> M4+0x20 (size 131048)
 *   os_malloc(131025)  A = 131032: heap; nothing free, the last block is
 *                      allocated: append, + 32 + 131032 = 131064:
 *                      brk(H+0x20000 + 0x1fff8 = H+0x3fff8) -> H+0x20020
 *   os_free(M1..M4)    munmap(Mk, 32 + size): 131072, 131072, 131072, 131080
 */
#include "scenario.h"

int main(void)
{
	void *m[4];

	t_malloc(131032);
	m[0] = t_malloc(131033);
	m[1] = t_malloc(131039);
	m[2] = t_malloc(131040);
	m[3] = t_malloc(131041);
	t_malloc(131025);
	t_free_all(m, 4);
	return 0;
}
