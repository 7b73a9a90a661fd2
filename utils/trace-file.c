/* SPDX-License-Identifier: MIT */
/*
 * trace-file.c - map, check and link an OSMEM_TRACE file.  See trace-file.h.
 *
 * Linking replays the trace's own history on a hash map from address to the
 * record that returned it (open addressing, linear probing, deletion by
 * backward shift): an allocation inserts its result, a free removes its
 * pointer, a realloc does both.  Each address is live at most once at any
 * moment of the history, because the recorder writes calls in the order they
 * took effect (docs/TRACE.md).
 */
#include "trace-file.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void *trace_table(size_t bytes)
{
	void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

static const char *const op_names[OSMEM_TRACE_OP_LIMIT] = {
	[OSMEM_TRACE_MALLOC] = "malloc",
	[OSMEM_TRACE_FREE] = "free",
	[OSMEM_TRACE_CALLOC] = "calloc",
	[OSMEM_TRACE_REALLOC] = "realloc",
	[OSMEM_TRACE_REALLOCARRAY] = "reallocarray",
	[OSMEM_TRACE_MEMALIGN] = "memalign",
	[OSMEM_TRACE_ALIGNED_ALLOC] = "aligned_alloc",
	[OSMEM_TRACE_POSIX_MEMALIGN] = "posix_memalign",
	[OSMEM_TRACE_VALLOC] = "valloc",
	[OSMEM_TRACE_PVALLOC] = "pvalloc",
};

const char *trace_op_name(uint8_t op)
{
	return op > 0 && op < OSMEM_TRACE_OP_LIMIT ? op_names[op] : "?";
}

bool trace_op_allocates(uint8_t op)
{
	return op != OSMEM_TRACE_FREE && op != OSMEM_TRACE_REALLOC && op != OSMEM_TRACE_REALLOCARRAY;
}

size_t trace_requested(const struct osmem_trace_record *r)
{
	size_t total;

	if (r->op != OSMEM_TRACE_CALLOC && r->op != OSMEM_TRACE_REALLOCARRAY)
		return r->size;
	return __builtin_mul_overflow(r->arg, r->size, &total) ? SIZE_MAX : total;
}

/* ---- address -> record map ---- */

struct slot {
	uint64_t addr;   /* 0: empty */
	int64_t rec;
};

struct addr_map {
	struct slot *slot;
	size_t mask;
};

static size_t home(const struct addr_map *m, uint64_t addr)
{
	return (size_t)((addr >> 4) * 0x9e3779b97f4a7c15ull >> 17) & m->mask;
}

static size_t find(const struct addr_map *m, uint64_t addr)
{
	size_t i = home(m, addr);

	while (m->slot[i].addr && m->slot[i].addr != addr)
		i = (i + 1) & m->mask;
	return i;
}

static void map_put(struct addr_map *m, uint64_t addr, int64_t rec)
{
	size_t i = find(m, addr);

	m->slot[i].addr = addr;
	m->slot[i].rec = rec;
}

/* Remove addr; returns the record it mapped to, or TRACE_NO_SRC. */
static int64_t map_take(struct addr_map *m, uint64_t addr)
{
	size_t i = find(m, addr), j = i;
	int64_t rec;

	if (!m->slot[i].addr)
		return TRACE_NO_SRC;
	rec = m->slot[i].rec;
	/* Backward shift: pull later entries of the probe run into the hole
	 * when the hole lies between their home and where they sit. */
	for (;;) {
		size_t k;

		m->slot[i].addr = 0;
		do {
			j = (j + 1) & m->mask;
			if (!m->slot[j].addr)
				return rec;
			k = home(m, m->slot[j].addr);
		} while (i <= j ? (i < k && k <= j) : (i < k || k <= j));
		m->slot[i] = m->slot[j];
		i = j;
	}
}

/* ---- linking ---- */

struct linker {
	struct addr_map live;
	size_t live_bytes;
	uint32_t *tids;   /* distinct thread ids seen, a small open-addressing set */
	size_t tid_mask;
};

static void note_thread(struct trace_file *t, struct linker *l, uint32_t tid)
{
	size_t i = (tid * 2654435761u) & l->tid_mask;

	while (l->tids[i] && l->tids[i] != tid)
		i = (i + 1) & l->tid_mask;
	if (!l->tids[i] && t->threads < l->tid_mask / 2) {
		l->tids[i] = tid;
		t->threads++;
	}
}

static void gain(struct trace_file *t, struct linker *l, size_t i)
{
	map_put(&l->live, t->rec[i].result, (int64_t)i);
	l->live_bytes += trace_requested(&t->rec[i]);
	if (l->live_bytes > t->peak_live_bytes)
		t->peak_live_bytes = l->live_bytes;
	if (t->first_heap_result < 0 && !(t->rec[i].flags & OSMEM_TRACE_F_MAPPED))
		t->first_heap_result = (int64_t)i;
}

static void lose(struct trace_file *t, struct linker *l, int64_t src)
{
	l->live_bytes -= trace_requested(&t->rec[src]);
	(void)map_take(&l->live, t->rec[src].result);
}

static void link_record(struct trace_file *t, struct linker *l, size_t i)
{
	const struct osmem_trace_record *r = &t->rec[i];
	int64_t src = TRACE_NO_SRC;

	if (r->op > 0 && r->op < OSMEM_TRACE_OP_LIMIT)
		t->op_calls[r->op]++;
	note_thread(t, l, r->tid);
	if (r->ptr) {
		size_t at = find(&l->live, r->ptr);

		if (l->live.slot[at].addr)
			src = l->live.slot[at].rec;
		else
			t->unknown++;
	}
	t->src[i] = src;
	if (trace_op_allocates(r->op)) {
		if (r->result)
			gain(t, l, i);
		return;
	}
	/* free, realloc, reallocarray: the old block goes unless a resize
	 * failed (NULL for a size that is not 0: the old block stays). */
	if (src != TRACE_NO_SRC && (r->op == OSMEM_TRACE_FREE || r->result || trace_requested(r) == 0))
		lose(t, l, src);
	if (r->op != OSMEM_TRACE_FREE && r->result)
		gain(t, l, i);
}

static size_t pow2_at_least(size_t n)
{
	size_t p = 16;

	while (p < n)
		p *= 2;
	return p;
}

static bool link_trace(struct trace_file *t)
{
	struct linker l = { 0 };
	size_t cap = pow2_at_least(2 * t->count + 2);

	l.live.slot = trace_table(cap * sizeof(struct slot));
	l.live.mask = cap - 1;
	l.tid_mask = 65536 - 1;
	l.tids = trace_table((l.tid_mask + 1) * sizeof(uint32_t));
	t->src = trace_table(t->count * sizeof(int64_t));
	t->first_heap_result = -1;
	for (size_t i = 0; i < t->count; i++)
		link_record(t, &l, i);
	munmap(l.live.slot, cap * sizeof(struct slot));
	munmap(l.tids, (l.tid_mask + 1) * sizeof(uint32_t));
	return true;
}

static bool fail(const char *path, const char *why)
{
	fprintf(stderr, "%s: %s\n", path, why);
	return false;
}

bool trace_file_load(struct trace_file *t, const char *path)
{
	struct stat st;
	const struct osmem_trace_header *h;
	void *m;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(t, 0, sizeof(*t));
	t->path = path;
	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(path);
		return false;
	}
	if ((size_t)st.st_size < sizeof(*h)) {
		close(fd);
		return fail(path, "too short for an osmem trace header");
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		perror(path);
		return false;
	}
	h = m;
	if (memcmp(h->magic, OSMEM_TRACE_MAGIC, sizeof(h->magic)) != 0)
		return fail(path, "not an osmem trace (bad magic)");
	if (h->version != OSMEM_TRACE_VERSION || h->record_size != sizeof(struct osmem_trace_record))
		return fail(path, "unsupported trace version or record size");
	t->header = h;
	if (((size_t)st.st_size - sizeof(*h)) % sizeof(struct osmem_trace_record))
		fprintf(stderr, "%s: warning: a truncated last record is ignored\n", path);
	return trace_file_from_records(t, path, (const struct osmem_trace_record *)(h + 1),
				       ((size_t)st.st_size - sizeof(*h)) / sizeof(struct osmem_trace_record));
}

bool trace_file_from_records(struct trace_file *t, const char *name, const struct osmem_trace_record *rec,
			     size_t count)
{
	const struct osmem_trace_header *header = t->header;

	memset(t, 0, sizeof(*t));
	t->path = name;
	t->header = header;
	t->rec = rec;
	t->count = count;
	return link_trace(t);
}
