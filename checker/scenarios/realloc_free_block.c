/*
 * realloc_free_block: realloc of a block that is STATUS_FREE returns NULL
 * and does nothing: no syscall, no split, no absorption (rule 3).
 *
 *   os_malloc(100)     first heap use: brk(NULL), brk(H+0x20000) -> H+0x20
 *   os_malloc(8)       guard -> H+0xa8
 *   os_free(H+0x20)
 *   os_realloc(H+0x20, 50)   free block: NULL; note: still size 104, free
 *                            (a live shrink would have split it)
 *   os_free(H+0xa8)          now the next block is free too
 *   os_realloc(H+0x20, 200)  NULL; note: still size 104, free (a live grow
 *                            would have absorbed H+0xa8)
 */
#include "scenario.h"

int main(void)
{
	void *p = t_malloc(100);
	void *g = t_malloc(8);

	t_free(p);
	t_realloc(p, 50);
	note_block(p);
	t_free(g);
	t_realloc(p, 200);
	note_block(p);
	return 0;
}
