/* SPDX-License-Identifier: MIT */
/*
 * trace-file.h - reading an OSMEM_TRACE file for the tools (osmem-replay,
 * osmem-heapmap): map it, check its header, and link every record to the
 * record that produced the pointer it passes.
 *
 * Linking turns addresses into record numbers once, before any replay: a
 * replay then keeps one live pointer per record (live[i] = what replaying
 * record i returned) and finds the block a free or realloc refers to as
 * live[src[i]], with no lookup in the timed loop.  The tools' own tables are
 * mmap'ed, never malloc'ed, so that they leave the allocator under test
 * alone.
 */
#ifndef OSMEM_TRACE_FILE_H
#define OSMEM_TRACE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "osmem_trace.h"

#define TRACE_NO_SRC (-1)   /* src[i]: ptr was NULL, or not live in the trace */

struct trace_file {
	const char *path;
	const struct osmem_trace_header *header;
	const struct osmem_trace_record *rec;
	size_t count;                 /* records */
	int64_t *src;                 /* per record: the record that returned rec[i].ptr */
	size_t op_calls[OSMEM_TRACE_OP_LIMIT];
	size_t threads;               /* distinct thread ids */
	size_t unknown;               /* frees/reallocs of pointers the trace never returned */
	size_t peak_live_bytes;       /* most bytes requested and not yet freed at once */
	int64_t first_heap_result;    /* the first record that returned a heap block, or -1 */
};

/* Map and link `path`.  On failure prints why on stderr and returns false. */
bool trace_file_load(struct trace_file *t, const char *path);

/* Link records made in memory (a tool's built-in workload; `result` may be
 * any unique non-zero number per live block).  t->header is left as is. */
bool trace_file_from_records(struct trace_file *t, const char *name, const struct osmem_trace_record *rec,
			     size_t count);

/* The bytes record r asked for (calloc and reallocarray: nmemb * size,
 * saturated). */
size_t trace_requested(const struct osmem_trace_record *r);

/* True for the ops that allocate a new block from nothing. */
bool trace_op_allocates(uint8_t op);

const char *trace_op_name(uint8_t op);

/* Zeroed memory straight from mmap (the tools never call malloc for
 * themselves); exits on failure. */
void *trace_table(size_t bytes);

#endif /* OSMEM_TRACE_FILE_H */
