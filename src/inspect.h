/* SPDX-License-Identifier: MIT */
/*
 * inspect.h - the printer behind show_alloc_mem(): one section per region of
 * memory, one line per block.  Shared so that other kinds of region (the
 * small-object zones) print their sections the same way.
 */
#ifndef OSMEM_INSPECT_H_INTERNAL
#define OSMEM_INSPECT_H_INTERNAL

#include <stdbool.h>
#include <stddef.h>

struct dump_out {
	int fd;
	bool show_free;      /* show_alloc_mem_ex: free blocks too, marked "(free)" */
	size_t dump_bytes;   /* hex+ASCII dump of each block's first bytes (0: none) */
	size_t total;        /* payload bytes of the allocated blocks printed so far */
};

/* "LABEL : 0xSTART" */
void dump_section(struct dump_out *o, const char *label, const void *start);

/* "0xSTART - 0xEND : N bytes" for a block's payload [payload, payload + bytes),
 * and its dump; a free block only when o->show_free. */
void dump_block(struct dump_out *o, const void *payload, size_t bytes, bool is_free);

#endif /* OSMEM_INSPECT_H_INTERNAL */
