/* SPDX-License-Identifier: MIT */
/*
 * use_after_free.c - reads a byte of a block after os_free.
 * Expected: "Invalid read of size 1", 10 bytes inside the freed 64-byte block.
 */
#include <osmem.h>

int main(void)
{
	volatile char *p = os_malloc(64);

	p[10] = 'x';
	os_free((void *)p);
	return p[10] == 'x';   /* the bug */
}
