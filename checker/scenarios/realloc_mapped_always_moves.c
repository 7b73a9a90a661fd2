/*
 * realloc_mapped_always_moves: a mapped block moves even when shrinking; the
 * new block comes first (heap or mapping by the malloc threshold, possibly
 * the preallocation), then the copy, then munmap of the old one (rule 4).
 *
 *   os_malloc(200000)  mmap 200032 -> M1 (size 200000)
 *   os_realloc(M1+0x20, 100)  A = 104: heap, its first use: brk(NULL),
 *                      brk(H+0x20000); split -> H+0x20 (size 104); copy;
 *                      then munmap(M1, 200032).  Rest at 136, payload
 *                      H+0xa8, size 130904, the last block
 *   os_malloc(140000)  mmap 140032 -> M2 (size 140000)
 *   os_realloc(M2+0x20, 131033)  A = 131040, 32 + A = 131072: still a
 *                      mapping: mmap 131072 -> M3; munmap(M2, 140032)
 *   os_realloc(M3+0x20, 131032)  A = 131032: heap.  Best fit: none (the rest
 *                      is 130904); the last block is free: grow it by 128:
 *                      brk(H+0x20080) -> H+0xa8 (size 131032); then
 *                      munmap(M3, 131072)
 */
#include "scenario.h"

int main(void)
{
	void *m = t_malloc(200000);

	fill(m, 100);
	m = t_realloc(m, 100);
	note_filled(m, 100);
	m = t_malloc(140000);
	m = t_realloc(m, 131033);
	fill(m, 131033);
	m = t_realloc(m, 131032);
	note_filled(m, 131032);
	return 0;
}
