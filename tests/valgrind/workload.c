/* SPDX-License-Identifier: MIT */
/*
 * workload.c - a small, deterministic allocation workload for `make compare`:
 * 200000 random malloc/calloc/realloc/free operations over 2000 slots, sizes
 * 1..4096 (and a few up to 256 KiB, mapped), everything freed at the end.
 * The same operations run whichever malloc serves them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 2000
#define OPS 200000

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t size_of_op(void)
{
	return next() % 100 == 0 ? 1 + next() % (256 * 1024) : 1 + next() % 4096;
}

int main(void)
{
	static char *slot[SLOTS];
	unsigned long touched = 0;

	for (int i = 0; i < OPS; i++) {
		int k = (int)(next() % SLOTS);
		size_t n = size_of_op();

		switch (next() % 4) {
		case 0:
			free(slot[k]);
			slot[k] = malloc(n);
			break;
		case 1:
			free(slot[k]);
			slot[k] = calloc(1, n);
			break;
		case 2:
			slot[k] = realloc(slot[k], n);   /* NULL only if out of memory */
			break;
		default:
			free(slot[k]);
			slot[k] = NULL;
			continue;
		}
		if (!slot[k])
			return 1;
		slot[k][0] = (char)i;   /* touch the block */
		memset(slot[k], 1, n < 64 ? n : 64);
		touched++;
	}
	for (int k = 0; k < SLOTS; k++)
		free(slot[k]);
	return touched == 0;
}
