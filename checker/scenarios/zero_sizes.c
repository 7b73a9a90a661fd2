/*
 * zero_sizes: os_malloc(0), os_calloc with a zero count or size, and
 * os_realloc(NULL, 0) (= os_malloc(0)) return NULL and make no syscall; in
 * particular they do not trigger the preallocation (section 2).
 *
 *   os_malloc(0), os_calloc(0, 10), os_calloc(10, 0), os_calloc(0, 0),
 *   os_calloc(SIZE_MAX, 0), os_realloc(NULL, 0)      NULL, no syscall
 *   os_malloc(1)     the first heap allocation: brk(NULL), brk(H+0x20000)
 *                    -> H+0x20 (size 8)
 *   os_malloc(0)     NULL, no syscall
 */
#include "scenario.h"

static void zero_requests(void)
{
	t_malloc(0);
	t_calloc(0, 10);
	t_calloc(10, 0);
	t_calloc(0, 0);
	t_calloc(SIZE_MAX, 0);
	t_realloc(NULL, 0);
}

int main(void)
{
	zero_requests();
	t_malloc(1);
	t_malloc(0);
	return 0;
}
