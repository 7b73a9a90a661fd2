/* SPDX-License-Identifier: MIT */
/*
 * leak.c - one os_malloc'd block whose only pointer is dropped.
 * Expected: memcheck's leak check lists it as "definitely lost", 104 bytes:
 * the strict profile opens a block's whole capacity, A(100) = 104 (vg.h).
 */
#include <osmem.h>

void *volatile sink;

int main(void)
{
	sink = os_malloc(100);
	sink = 0;    /* the last pointer to the block is gone */
	return 0;
}
