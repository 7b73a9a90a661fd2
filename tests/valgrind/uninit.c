/* SPDX-License-Identifier: MIT */
/*
 * uninit.c - branches on a byte of os_malloc'd memory nobody wrote.
 * Expected: "Conditional jump or move depends on uninitialised value(s)".
 * os_calloc'd and written bytes right before it must not be reported: the
 * expected error count is exactly 1.
 */
#include <osmem.h>

int main(void)
{
	char *z = os_calloc(4, 4);
	char *p = os_malloc(16);
	int r = 0;

	p[0] = 1;
	if (p[0] == 1 && z[15] == 0)   /* defined: no error */
		r = 1;
	if (p[3] == 7)                 /* the bug: p[3] was never written */
		r = 2;
	os_free(p);
	os_free(z);
	return r == 2;
}
