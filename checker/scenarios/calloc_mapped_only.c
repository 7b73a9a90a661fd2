/*
 * calloc_mapped_only: calloc maps when 32 + A(nmemb * size) >= 4096 (the page
 * size); a program that only maps never touches the break.
 *
 *   os_calloc(1, 4057)     A = 4064, 32 + A = 4096 >= 4096: mmap 4096 -> M1
 *                          (size 4064, mapped); fresh mappings read as zero
 *   os_calloc(1000, 1000)  1000000: mmap 1000032 -> M2 (size 1000000)
 *   os_calloc(3, 2000)     6000: mmap 6032 -> M3 (size 6000)
 *   os_calloc(2, 131072)   262144: mmap 262176 -> M4 (size 262144)
 *   os_free x4             munmap(Mk, 32 + size): 4096, 1000032, 6032, 262176
 * No brk line anywhere.
 */
#include "scenario.h"

int main(void)
{
	void *m[4];

	m[0] = t_calloc(1, 4057);
	note_zeroed(m[0], 4057);
	m[1] = t_calloc(1000, 1000);
	m[2] = t_calloc(3, 2000);
	m[3] = t_calloc(2, 131072);
	t_free_all(m, 4);
	return 0;
}
