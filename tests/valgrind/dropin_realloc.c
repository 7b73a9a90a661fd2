/* SPDX-License-Identifier: MIT */
/*
 * dropin_realloc.c - plain malloc/realloc on the drop-in.  Byte 0 of a
 * block is written, byte 1 is not; the block then moves twice (heap, then a
 * mapping).  Definedness travels with the payload: reading byte 0 is fine,
 * branching on byte 1 is the one error.  Expected: exactly one
 * "Conditional jump or move depends on uninitialised value(s)", no leak.
 */
#include <stdlib.h>

int main(void)
{
	char *p = malloc(16), *guard = malloc(16), *q;
	int r = 0;

	p[0] = 1;
	q = realloc(p, 1000);        /* the guard is in the way: moves on the heap */
	q = realloc(q, 300000);      /* moves into a mapping */
	if (q[0] == 1)               /* defined: copied twice */
		r = 1;
	if (q[1] == 5)               /* the bug: never written */
		r = 2;
	free(q);
	free(guard);
	return r == 2;
}
