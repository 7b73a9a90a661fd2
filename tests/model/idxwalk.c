/* SPDX-License-Identifier: MIT */
/*
 * idxwalk.c - the free-block index's bins under a shape the random
 * differential test rarely builds: one bin holding a deep pairing heap.
 *
 * 1000 free 64-byte blocks, each between two live guards (so none merges),
 * are filed in one exact-size bin in falling address order: the coalescing
 * queue is a stack, so freeing them by rising address files the highest
 * first, and each new block (lower than the root) becomes the root with the
 * old root as its only child, a chain 1000 deep.  Then:
 *   1. os_heap_check() must walk the whole chain and find nothing wrong (a
 *      walk that recursed with a depth limit would report a loop);
 *   2. 1000 os_malloc(64) must return the freed blocks by rising address:
 *      they are the only free blocks of exactly 64 bytes, and the contract
 *      breaks ties between equal sizes by the lowest address;
 *   3. os_heap_check() stays clean after every take (the heap is rebuilt
 *      by pairing each time);
 *   4. with the blocks live again and the guards freed, the guards are the
 *      only free 64-byte blocks (each between two live blocks, so none
 *      merges; the 4096-byte block merges with the top, larger), so the next
 *      os_malloc(64) is the lowest guard.
 * A walk limited to 512 levels fails 1 and 3 (checked by hand: it reports a
 * loop).
 * Ends with "N passed, M failed".
 */
#include <stdint.h>
#include <stdio.h>

#include <osmem.h>
#include <osmem_inspect.h>

#define COUNT 1000
#define SIZE  64

static int passed, failed;

static void expect(int ok, const char *what)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL: %s\n", what);
	}
}

int main(void)
{
	static char *block[COUNT], *guard[COUNT + 1];
	size_t problems = 0;
	int in_order = 1;

	guard[0] = os_malloc(SIZE);
	for (int i = 0; i < COUNT; i++) {
		block[i] = os_malloc(SIZE);
		guard[i + 1] = os_malloc(SIZE);
	}
	for (int i = 0; i < COUNT; i++)   /* the list is in address order: rising */
		os_free(block[i]);
	/* An allocation that no 64-byte block fits merges and files the queue
	 * (the last freed, block[COUNT-1], first: the highest address). */
	char *big = os_malloc(4096);

	expect(big != NULL, "a 4096-byte allocation after the frees");
	expect(os_heap_check() == 0, "heap check over a 1000-deep bin");
	for (int i = 0; i < COUNT; i++) {
		char *p = os_malloc(SIZE);

		in_order &= p == block[i];
		problems += os_heap_check();
	}
	expect(in_order, "equal-size blocks handed out by rising address");
	expect(problems == 0, "heap check after every take");
	for (int i = 0; i <= COUNT; i++)
		os_free(guard[i]);
	os_free(big);
	expect(os_malloc(SIZE) == guard[0], "after freeing all, the lowest block first");
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
