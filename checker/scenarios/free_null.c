/*
 * free_null: os_free(NULL) does nothing, whatever the state (section 6);
 * os_free of a heap block makes no syscall, of a mapped block one munmap.
 *
 *   os_free(NULL)       nothing, before any heap use
 *   os_malloc(10)       A = 16; first heap use: brk(NULL), brk(H+0x20000)
 *                       -> H+0x20 (size 16)
 *   os_free(NULL)       nothing
 *   os_malloc(200000)   mmap 200032 -> M1
 *   os_free(NULL)       nothing: no munmap
 *   os_free(M1+0x20)    munmap(M1, 200032)
 *   os_free(H+0x20)     no syscall (the heap never shrinks)
 *   os_free(NULL)       nothing
 */
#include "scenario.h"

int main(void)
{
	void *p, *m;

	t_free(NULL);
	p = t_malloc(10);
	t_free(NULL);
	m = t_malloc(200000);
	t_free(NULL);
	t_free(m);
	t_free(p);
	t_free(NULL);
	return 0;
}
