/* SPDX-License-Identifier: MIT */
/* The program for ownx.c: prints the closing line check-mm reads. */
#include <stdio.h>

int ownx_roundtrip(void);

int main(void)
{
	int failed = ownx_roundtrip() != 0;

	printf("ok   a library's own xcalloc/xfree stay its own under the preloaded drop-in\n");
	printf("%d passed, %d failed\n", !failed, failed);
	return failed;
}
