/* SPDX-License-Identifier: MIT */
/*
 * block_meta.h - the header that sits immediately before every payload.
 *
 * A program may include this file and read the header in front of any pointer
 * returned by the os_* API:
 *
 *     struct block_meta *m = (struct block_meta *)p - 1;
 *
 * `size` is the payload capacity in bytes (a multiple of 8), `status` one of
 * the STATUS_* values below.  `prev` and `next` link every block, heap and
 * mapped, into one list.  Treat the header as read-only: writing to it is heap
 * corruption.
 */
#ifndef OSMEM_BLOCK_META_H
#define OSMEM_BLOCK_META_H

#include <stddef.h>

struct block_meta {
	size_t size;
	int status;
	struct block_meta *prev;
	struct block_meta *next;
};

#define STATUS_FREE   0
#define STATUS_ALLOC  1
#define STATUS_MAPPED 2

#endif /* OSMEM_BLOCK_META_H */
