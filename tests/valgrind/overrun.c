/* SPDX-License-Identifier: MIT */
/*
 * overrun.c - writes one byte past a 24-byte block, into the next block's
 * header.  A(24) = 24: no slack, so p[24] is the first byte of q's header.
 * Expected: "Invalid write of size 1", "0 bytes after a block of size 24".
 */
#include <osmem.h>

int main(void)
{
	char *p = os_malloc(24);
	char *q = os_malloc(24);

	p[24] = 0;   /* the bug */
	os_free(q);
	os_free(p);
	return 0;
}
