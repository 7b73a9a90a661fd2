/* SPDX-License-Identifier: MIT */
/*
 * dropin_overrun.c - plain malloc, run on the drop-in (LD_PRELOAD).  The
 * drop-in registers the request, not the capacity (glibc's rule), so
 * writing p[10] of malloc(10) is caught although the block has 16 bytes.
 * Expected: "Invalid write of size 1", "0 bytes after a block of size 10".
 */
#include <stdlib.h>

int main(void)
{
	char *volatile p = malloc(10);

	p[10] = 0;   /* the bug: an off-by-one */
	free(p);
	return 0;
}
