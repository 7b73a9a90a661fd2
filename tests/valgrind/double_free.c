/* SPDX-License-Identifier: MIT */
/*
 * double_free.c - frees a block twice.  osmem rejects the second free itself
 * (memcheck is told of the first only) and prints its one-line report:
 * "osmem: os_free(): double free or use after free of 0x...".
 */
#include <osmem.h>

int main(void)
{
	void *p = os_malloc(40);

	os_free(p);
	os_free(p);   /* the bug */
	return 0;
}
