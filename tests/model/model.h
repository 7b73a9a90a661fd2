/* SPDX-License-Identifier: MIT */
/*
 * model.h - a reference model of the os_* contract (docs/CONTRACT.md).
 *
 * The model is written from the contract text alone, for clarity rather than
 * speed: the heap is an array of simulated blocks kept in address order and
 * every rule is a linear scan over it.  It allocates no memory for payloads.
 * For every call it predicts
 *   - the returned location: NULL, a heap offset (payload address minus the
 *     heap start), or a mapping (identified by creation order: the first
 *     successful mmap of a sequence is mapping 0; payload = mapping + 32);
 *   - errno, where the contract fixes it (ENOMEM);
 *   - the kernel calls made inside the call, in order: sbrk increments,
 *     mmap lengths, munmap lengths and which mapping;
 *   - the resulting block list: heap blocks by address, then mapped blocks
 *     in creation order.
 *
 * Offsets: a heap block's `off` is the offset of its HEADER from the heap
 * start (the first heap block has off 0, its payload is at offset 32).
 */
#ifndef OSMEM_MODEL_H
#define OSMEM_MODEL_H

#include <stdbool.h>
#include <stddef.h>

/* The contract's numbers.  They can be overridden with -D to build a
 * deliberately wrong model (see model.mk: check-diff-mutants). */
#ifndef MODEL_HDR
#define MODEL_HDR 32                        /* H = sizeof(struct block_meta) */
#endif
#ifndef MODEL_MMAP_THRESHOLD
#define MODEL_MMAP_THRESHOLD (128 * 1024)   /* malloc/realloc: map when H + A(n) >= this */
#endif
#ifndef MODEL_PAGE_SIZE
#define MODEL_PAGE_SIZE 4096                /* calloc: map when H + A(n) >= this */
#endif
#ifndef MODEL_PREALLOC
#define MODEL_PREALLOC (128 * 1024)         /* first heap allocation moves the break by this */
#endif
#ifndef MODEL_SPLIT_MIN
#define MODEL_SPLIT_MIN (MODEL_HDR + 8)     /* split when the leftover is at least this (40) */
#endif

/* Not the contract but the kernel: an mmap longer than the user address
 * space (2^47 on x86-64) always fails.  Callers that want predictable
 * results use lengths far below or far above this. */
#define MODEL_KERNEL_MAP_LIMIT ((size_t)1 << 47)

/* MODEL_MUTANT (0 = the contract) selects a deliberately wrong variant of one
 * rule, to prove that the differential test notices (model.mk:
 * check-diff-mutants).  See model.c for the list. */
#ifndef MODEL_MUTANT
#define MODEL_MUTANT 0
#endif

enum model_status { MODEL_FREE = 0, MODEL_ALLOC = 1, MODEL_MAPPED = 2 };

enum model_where { MW_NULL, MW_HEAP, MW_MAP };

/* A returned pointer.  MW_HEAP: val = payload offset from the heap start;
 * MW_MAP: val = mapping id (payload = mapping + 32). */
struct model_loc {
	enum model_where where;
	size_t val;
};

/* One block.  Heap: off = header offset from the heap start.
 * Mapped: off = mapping id. */
struct model_block {
	size_t off;
	size_t size;
	int status;
};

enum model_call_kind { MC_SBRK, MC_MAP, MC_UNMAP };

/* One kernel call (or one attempt that fault injection failed).
 * SBRK:  arg = increment, at = expected old break as a heap offset.
 * MAP:   arg = length, id = the new mapping's id when ok.
 * UNMAP: arg = length, id = the mapping unmapped. */
struct model_call {
	enum model_call_kind kind;
	size_t arg;
	size_t at;
	size_t id;
	bool ok;
	bool injected;   /* failed by os_fault_inject: never reached the kernel */
};

#define MODEL_MAX_CALLS 8

struct model_result {
	struct model_loc ret;
	int err;             /* errno the contract demands, 0 when it says nothing */
	bool undefined;      /* the call is outside the contract (e.g. a bad pointer) */
	int ncalls;
	struct model_call calls[MODEL_MAX_CALLS];
};

/* Fault injection, mirroring os_fault_inject(): let `skip` calls through,
 * then fail `fail` calls without reaching the kernel. */
enum model_fault_op { MODEL_FAULT_SBRK, MODEL_FAULT_MAP, MODEL_FAULT_COUNT };

/* How often each rule fired, over the model's lifetime (coverage evidence). */
enum model_stat {
	MS_PREALLOC, MS_COALESCE, MS_FIT_SPLIT, MS_FIT_WHOLE_SLACK, MS_FIT_EXACT, MS_FIT_TIE,
	MS_GROW_LAST, MS_APPEND, MS_MAP, MS_UNMAP, MS_FREE_HEAP, MS_NULL_NO_CALL, MS_OVERFLOW,
	MS_FAIL_SBRK, MS_FAIL_MAP, MS_RA_NULL, MS_RA_ZERO, MS_RA_FREE_BLOCK, MS_RA_MAPPED_MOVE,
	MS_RA_TO_MAP, MS_RA_SHRINK_SPLIT, MS_RA_SAME_NO_SPLIT, MS_RA_ABSORB_FIT,
	MS_RA_ABSORB_SHORT, MS_RA_GROW_HEAP, MS_RA_GROW_DESPITE_FIT, MS_RA_MOVE,
	MS_COUNT
};
extern const char *const model_stat_names[MS_COUNT];

struct model {
	unsigned long stats[MS_COUNT];   /* not cleared by model_reset */
	bool heap_started;
	struct model_block *heap;     /* heap blocks in address order */
	size_t nheap, capheap;
	struct model_block *maps;     /* live mapped blocks in creation order */
	size_t nmaps, capmaps;
	size_t next_map_id;
	struct { unsigned long skip, fail; } fault[MODEL_FAULT_COUNT];
};

void model_init(struct model *m);
/* Back to a fresh process: no heap, no mappings, mapping ids from 0. */
void model_reset(struct model *m);
void model_destroy(struct model *m);

void model_malloc(struct model *m, size_t size, struct model_result *r);
void model_calloc(struct model *m, size_t nmemb, size_t size, struct model_result *r);
void model_realloc(struct model *m, struct model_loc ptr, size_t size, struct model_result *r);
void model_free(struct model *m, struct model_loc ptr, struct model_result *r);

void model_fault_inject(struct model *m, enum model_fault_op op, unsigned long skip,
			unsigned long fail);

/* The heap's end (= the break the heap owns) as an offset; 0 before the heap. */
size_t model_heap_end(const struct model *m);

/* The block whose payload is at `ptr`, or NULL. */
const struct model_block *model_find(const struct model *m, struct model_loc ptr);

#endif /* OSMEM_MODEL_H */
