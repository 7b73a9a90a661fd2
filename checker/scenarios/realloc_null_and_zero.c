/*
 * realloc_null_and_zero: realloc(NULL, n) is os_malloc(n) (rule 1) and
 * realloc(p, 0) is os_free(p) returning NULL (rule 2).
 *
 *   os_realloc(NULL, 100)     first heap use: brk(NULL), brk(H+0x20000) ->
 *                             H+0x20 (size 104)
 *   os_realloc(NULL, 131040)  A = 131040: mapping, mmap 131072 -> M1
 *   os_realloc(H+0x20, 0)     frees the heap block: no syscall, NULL
 *   note H+0x20               size 104, free
 *   os_realloc(M1+0x20, 0)    frees the mapping: munmap(M1, 131072), NULL
 *   os_realloc(NULL, 0)       os_malloc(0): NULL, no syscall
 *   os_realloc(NULL, 8)       coalesce the freed block with the rest: 131040
 *                             at H; split -> H+0x20 (size 8)
 */
#include "scenario.h"

int main(void)
{
	void *p = t_realloc(NULL, 100);
	void *m = t_realloc(NULL, 131040);

	t_realloc(p, 0);
	note_block(p);
	t_realloc(m, 0);
	t_realloc(NULL, 0);
	t_realloc(NULL, 8);
	return 0;
}
