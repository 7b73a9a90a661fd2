/* SPDX-License-Identifier: MIT */
/*
 * ownx.c - a shared library with its own xcalloc/xfree of other signatures,
 * as libgettextlib and libreadline have, calling them through its PLT.
 * Loaded under LD_PRELOAD=libosmalloc.so, its calls must still reach these
 * (the drop-in keeps the mm API to itself: osmem_mm.h).
 */
#include <stdlib.h>

__attribute__((visibility("default"))) void *xcalloc(size_t nmemb, size_t size)
{
	return calloc(nmemb, size);
}

__attribute__((visibility("default"))) void xfree(void *p)
{
	free(p);
}

/* 0 when its own xcalloc and xfree did the work. */
__attribute__((visibility("default"))) int ownx_roundtrip(void)
{
	int *v = xcalloc(3, sizeof(int));
	int ok = v && v[2] == 0;

	xfree(v);
	return !ok;
}
