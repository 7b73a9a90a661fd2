/*
 * realloc_mapped_only: mapped blocks always move, growing, shrinking or
 * keeping their size (section 5 rule 4): the new mapping first, then the
 * copy, then munmap of the old one.  The break is never touched.
 *
 *   os_realloc(NULL, 200000)  = os_malloc: mmap 200032 -> M1 (size 200000)
 *   os_realloc(M1+0x20, 300000)  mmap 300032 -> M2; munmap(M1, 200032) ->
 *                             M2+0x20 (size 300000); the 200000 bytes kept
 *   os_realloc(M2+0x20, 131033)  A = 131040, 32 + A = 131072: a mapping;
 *                             mmap 131072 -> M3; munmap(M2, 300032)
 *   os_realloc(M3+0x20, 131040)  same A, still moves: mmap 131072 -> M4;
 *                             munmap(M3, 131072)
 *   os_realloc(M4+0x20, 0)    = os_free: munmap(M4, 131072); returns NULL
 */
#include "scenario.h"

int main(void)
{
	void *p = t_realloc(NULL, 200000);

	fill(p, 200000);
	p = t_realloc(p, 300000);
	note_filled(p, 200000);
	p = t_realloc(p, 131033);
	note_filled(p, 131033);
	p = t_realloc(p, 131040);
	t_realloc(p, 0);
	return 0;
}
