/* SPDX-License-Identifier: MIT */
/*
 * pair32.c - the cheapest allocation there is: malloc(32), free, N times.
 *
 *   pair32 N
 *
 * Run under callgrind (tests/bench/pair.sh) once with N and once with 2N
 * pairs: the difference of the two instruction totals is the cost of N pairs,
 * with the process's start-up and exit (dynamic linking, the allocator's
 * first-call set-up) cancelled out.  What remains per pair besides malloc
 * and free is this loop's own few instructions (count, store, compare),
 * the same for every allocator.
 *
 * Built with -fno-builtin so that the compiler cannot drop the pair (it may
 * otherwise delete a malloc whose block is freed unused), and the block is
 * written through a volatile pointer so the pair is a real use.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: pair32 N\n");
		return 2;
	}
	unsigned long n = strtoul(argv[1], NULL, 10);
	for (unsigned long i = 0; i < n; i++) {
		volatile char *p = malloc(32);
		if (!p)
			return 1;
		p[0] = (char)i;
		free((void *)p);
	}
	return 0;
}
