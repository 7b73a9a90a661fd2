/* SPDX-License-Identifier: MIT */
/*
 * osmem_trace.h - the file format of OSMEM_TRACE, for tools that read it.
 *
 * A trace is one header followed by fixed-size records, one per call of the
 * malloc family made by the traced program, in the order the calls took
 * effect (the recorder serialises traced calls, so even a multi-threaded
 * program's records form one valid history).  All fields are little-endian
 * (the machine's own order: traces are read on the machine that wrote them).
 * See docs/TRACE.md.
 */
#ifndef OSMEM_TRACE_H
#define OSMEM_TRACE_H

#include <stdint.h>

#define OSMEM_TRACE_MAGIC "OSMTRACE"   /* 8 bytes, no NUL */
#define OSMEM_TRACE_VERSION 1

struct osmem_trace_header {
	char magic[8];           /* OSMEM_TRACE_MAGIC */
	uint32_t version;        /* OSMEM_TRACE_VERSION */
	uint32_t record_size;    /* sizeof(struct osmem_trace_record) */
	uint32_t pid;            /* the process that wrote the file */
	uint32_t alignment;      /* the recording library's payload alignment */
};

/* The entry point called.  Arguments as in glibc's prototypes. */
enum osmem_trace_op {
	OSMEM_TRACE_MALLOC = 1,         /* size                       -> result */
	OSMEM_TRACE_FREE = 2,           /* ptr                                  */
	OSMEM_TRACE_CALLOC = 3,         /* arg = nmemb, size          -> result */
	OSMEM_TRACE_REALLOC = 4,        /* ptr, size                  -> result */
	OSMEM_TRACE_REALLOCARRAY = 5,   /* ptr, arg = nmemb, size     -> result */
	OSMEM_TRACE_MEMALIGN = 6,       /* arg = alignment, size      -> result */
	OSMEM_TRACE_ALIGNED_ALLOC = 7,  /* arg = alignment, size      -> result */
	OSMEM_TRACE_POSIX_MEMALIGN = 8, /* arg = alignment, size      -> result (*memptr, or 0 on error) */
	OSMEM_TRACE_VALLOC = 9,         /* size                       -> result */
	OSMEM_TRACE_PVALLOC = 10,       /* size                       -> result */
	OSMEM_TRACE_OP_LIMIT
};

/* flags */
#define OSMEM_TRACE_F_MAPPED 1u   /* the result is a mapped block (not in the sbrk heap) */

struct osmem_trace_record {
	uint64_t ptr;       /* the pointer passed (free, realloc, reallocarray), else 0 */
	uint64_t result;    /* the pointer returned, 0 for NULL (and for free) */
	uint64_t size;      /* the size argument (calloc, reallocarray: of one element) */
	uint64_t arg;       /* calloc, reallocarray: nmemb; aligned ops: alignment; else 0 */
	uint32_t tid;       /* the calling thread (kernel thread id) */
	uint8_t op;         /* enum osmem_trace_op */
	uint8_t flags;      /* OSMEM_TRACE_F_* */
	uint16_t reserved;  /* 0 */
};

_Static_assert(sizeof(struct osmem_trace_header) == 24, "the trace header is 24 bytes");
_Static_assert(sizeof(struct osmem_trace_record) == 40, "a trace record is 40 bytes");

#endif /* OSMEM_TRACE_H */
