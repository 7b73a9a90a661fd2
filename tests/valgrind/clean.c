/* SPDX-License-Identifier: MIT */
/*
 * clean.c - a correct program through every path: heap and mapped blocks,
 * calloc, realloc in place (shrink, grow at the end of the heap), realloc
 * that moves (heap to heap, heap to mapping), and reads of everything it
 * wrote, through every move.  Expected: "ERROR SUMMARY: 0 errors" and "All
 * heap blocks were freed -- no leaks are possible".  Any false report from
 * the annotations (a moved payload losing its definedness, a resized block
 * of the wrong size) would show up as an error here.
 */
#include <osmem.h>
#include <string.h>

static int sum(const unsigned char *p, size_t n)
{
	int s = 0;

	for (size_t i = 0; i < n; i++)
		s += p[i];
	return s;
}

int main(void)
{
	unsigned char *a = os_malloc(100), *b, *c, *z, *m;
	int bad = 0;

	memset(a, 1, 100);
	b = os_malloc(3000);
	memset(b, 2, 3000);
	z = os_calloc(10, 10);
	bad |= sum(z, 100) != 0;
	a = os_realloc(a, 40);            /* shrinks in place */
	bad |= sum(a, 40) != 40;
	a = os_realloc(a, 5000);          /* b is in the way: moves */
	bad |= sum(a, 40) != 40;
	memset(a + 40, 3, 4960);
	c = os_malloc(64);                /* now the last block */
	memset(c, 4, 64);
	c = os_realloc(c, 20000);         /* grows the heap in place */
	bad |= sum(c, 64) != 256;
	memset(c + 64, 5, 20000 - 64);
	m = os_realloc(b, 200000);        /* heap to mapping */
	bad |= sum(m, 3000) != 6000;
	memset(m + 3000, 6, 197000);
	m = os_realloc(m, 300000);        /* mapping to mapping */
	bad |= sum(m, 3000) != 6000 || m[199999] != 6;
	os_free(m);
	os_free(c);
	os_free(a);
	os_free(z);
	return bad;
}
