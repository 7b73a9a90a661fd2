/* SPDX-License-Identifier: MIT */
/*
 * diff.c - the differential engine: the real library against the model.
 * See diff.h.
 */
#define _GNU_SOURCE
#include "diff.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "block_meta.h"
#include "osmem.h"
#include "testing.h"

#define H ((size_t)sizeof(struct block_meta))

_Static_assert(sizeof(struct block_meta) == MODEL_HDR || MODEL_HDR != 32,
	       "the model's header size is the contract's");

/* ------------------------------------------------------------------ */
/* The observer: every kernel call the library makes.                 */

#define MAX_EVENTS 64
#define MAX_MAP_IDS ((size_t)1 << 22)   /* mappings per sequence */

struct event {
	enum os_op op;
	size_t arg;
	void *res;
	size_t id;      /* MAP: id given to the new mapping; UNMAP: id of the unmapped one */
};

static struct event events[MAX_EVENTS];
static int nevents;
static bool events_overflow;

/* Real mappings: id -> address (NULL once unmapped), and the live ones by
 * address for munmap identification. */
static char **id_base;
static size_t next_real_id;
static bool ids_overflow;

struct rmap {
	char *base;
	size_t len;
	size_t id;
};
static struct rmap rmaps[DIFF_MAX_LIVE + MAX_EVENTS];
static size_t nrmaps;

static void observe(enum os_op op, size_t arg, void *res)
{
	struct event *e;

	if (nevents >= MAX_EVENTS) {
		events_overflow = true;
		return;
	}
	e = &events[nevents++];
	e->op = op;
	e->arg = arg;
	e->res = res;
	e->id = SIZE_MAX;
	if (op == OS_OP_MAP && res) {
		if (next_real_id >= MAX_MAP_IDS || nrmaps >= sizeof(rmaps) / sizeof(rmaps[0])) {
			ids_overflow = true;
			return;
		}
		e->id = next_real_id++;
		id_base[e->id] = res;
		rmaps[nrmaps++] = (struct rmap){ res, arg, e->id };
	} else if (op == OS_OP_UNMAP) {
		for (size_t i = 0; i < nrmaps; i++) {
			if (rmaps[i].base == res) {
				e->id = rmaps[i].id;
				id_base[e->id] = NULL;
				rmaps[i] = rmaps[--nrmaps];
				break;
			}
		}
	}
}

static void forget_real_maps(void)
{
	for (size_t i = 0; i < nrmaps; i++)
		id_base[rmaps[i].id] = NULL;
	nrmaps = 0;
	next_real_id = 0;
	ids_overflow = false;
}

/* ------------------------------------------------------------------ */
/* Payload patterns.                                                   */

static uint64_t mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static inline uint64_t pat_word(uint64_t tag, size_t k)
{
	return tag + (uint64_t)k * 0xD6E8FEB86659FD93ull;
}

static inline unsigned char pat_byte(uint64_t tag, size_t i)
{
	return (unsigned char)(pat_word(tag, i >> 3) >> (8 * (i & 7)));
}

/* The hot loops (every payload byte is written once and read back at least
 * once): let GCC vectorise them even at -O2. */
#if defined(__GNUC__) && !defined(__clang__)
#define HOT __attribute__((optimize("O3")))
#else
#define HOT
#endif

/* Write the pattern of `tag` into p[from, to).  Word k sits at byte 8k. */
HOT static void fill(char *p, size_t from, size_t to, uint64_t tag)
{
	size_t i = from;

	for (; i < to && (i & 7); i++)
		p[i] = (char)pat_byte(tag, i);
	for (; i + 8 <= to; i += 8) {
		uint64_t w = pat_word(tag, i >> 3);

		memcpy(p + i, &w, 8);
	}
	for (; i < to; i++)
		p[i] = (char)pat_byte(tag, i);
}

/* Any difference from the pattern in the whole words of p[from, to)?
 * (from, to multiples of 8; no early exit, so that it vectorises) */
HOT static bool words_differ(const char *p, size_t from, size_t to, uint64_t tag, bool zero)
{
	uint64_t acc = 0;

	for (size_t i = from; i < to; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		acc |= w ^ (zero ? 0 : pat_word(tag, i >> 3));
	}
	return acc != 0;
}

/* First byte in p[0, len) that differs from the pattern (or from zero), or
 * SIZE_MAX. */
static size_t verify_bytes(const char *p, size_t len, uint64_t tag, bool zero)
{
	size_t whole = len & ~(size_t)7, chunk = 4096, i;

	for (i = 0; i < whole; i += chunk) {
		size_t end = i + chunk < whole ? i + chunk : whole;

		if (words_differ(p, i, end, tag, zero))
			break;
	}
	for (; i < len; i++)
		if ((unsigned char)p[i] != (zero ? 0 : pat_byte(tag, i)))
			return i;
	return SIZE_MAX;
}

static size_t verify(const char *p, size_t len, uint64_t tag)
{
	return verify_bytes(p, len, tag, false);
}

static size_t verify_zero(const char *p, size_t len)
{
	return verify_bytes(p, len, 0, true);
}

/* ------------------------------------------------------------------ */
/* Formatting.                                                         */

struct sbuf {
	char *buf;
	size_t cap, len;
};

static void sb_printf(struct sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->len >= s->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->len += (size_t)n;
	if (s->len > s->cap)
		s->len = s->cap;
}

static void sb_loc(struct sbuf *s, struct model_loc l)
{
	switch (l.where) {
	case MW_NULL: sb_printf(s, "NULL"); break;
	case MW_HEAP: sb_printf(s, "heap+0x%zx", l.val); break;
	case MW_MAP: sb_printf(s, "map#%zu+32", l.val); break;
	}
}

/* Where a real pointer points, in the model's terms, for messages. */
static void sb_real_ptr(const struct diff *d, struct sbuf *s, const void *p)
{
	const char *c = p;

	if (!p) {
		sb_printf(s, "NULL");
		return;
	}
	if (d->heap_known && c >= d->heap_start && c < d->heap_end) {
		sb_printf(s, "heap+0x%zx", (size_t)(c - d->heap_start));
		return;
	}
	for (size_t i = 0; i < nrmaps; i++) {
		if (c >= rmaps[i].base && c < rmaps[i].base + rmaps[i].len) {
			sb_printf(s, "map#%zu+%zu", rmaps[i].id, (size_t)(c - rmaps[i].base));
			return;
		}
	}
	sb_printf(s, "%p (neither heap nor a live mapping)", p);
}

static void sb_model_call(struct sbuf *s, const struct model_call *c)
{
	switch (c->kind) {
	case MC_SBRK:
		sb_printf(s, "sbrk(+%zu)", c->arg);
		if (c->ok)
			sb_printf(s, " old break heap+0x%zx", c->at);
		break;
	case MC_MAP:
		sb_printf(s, "mmap(%zu)", c->arg);
		if (c->ok)
			sb_printf(s, " = map#%zu", c->id);
		break;
	case MC_UNMAP:
		sb_printf(s, "munmap(map#%zu, %zu)", c->id, c->arg);
		break;
	}
	if (!c->ok)
		sb_printf(s, c->injected ? " FAILS (injected: not observed)" : " FAILS");
}

static void sb_event(const struct diff *d, struct sbuf *s, const struct event *e)
{
	switch (e->op) {
	case OS_OP_SBRK:
		sb_printf(s, "sbrk(+%zu)", e->arg);
		if (e->res) {
			sb_printf(s, " old break ");
			sb_real_ptr(d, s, e->res);
		}
		break;
	case OS_OP_MAP:
		sb_printf(s, "mmap(%zu)", e->arg);
		if (e->res)
			sb_printf(s, " = map#%zu", e->id);
		break;
	case OS_OP_UNMAP:
		if (e->id == SIZE_MAX)
			sb_printf(s, "munmap(%p: not a live mapping, %zu)", e->res, e->arg);
		else
			sb_printf(s, "munmap(map#%zu, %zu)", e->id, e->arg);
		break;
	default:
		sb_printf(s, "op %d", (int)e->op);
	}
	if (!e->res)
		sb_printf(s, " FAILS");
}

static const char *status_name(int st)
{
	switch (st) {
	case STATUS_FREE: return "FREE";
	case STATUS_ALLOC: return "ALLOC";
	case STATUS_MAPPED: return "MAPPED";
	}
	return "?";
}

static void sb_model_block(struct sbuf *s, const struct model_block *b)
{
	if (b->status == MODEL_MAPPED)
		sb_printf(s, "map#%zu size %zu %s", b->off, b->size, status_name(b->status));
	else
		sb_printf(s, "heap+0x%zx size %zu %s", b->off, b->size, status_name(b->status));
}

void diff_describe(const struct diff *d, const struct diff_op *op, char *buf, size_t len)
{
	struct sbuf s = { buf, len, 0 };
	const struct diff_live *l = NULL;

	buf[0] = '\0';
	if ((op->kind == D_REALLOC || op->kind == D_FREE) && op->slot != DIFF_NULL_SLOT &&
	    op->slot < d->nlive)
		l = &d->live[op->slot];

	switch (op->kind) {
	case D_MALLOC:
		sb_printf(&s, "os_malloc(%zu)", op->a);
		break;
	case D_CALLOC:
		sb_printf(&s, "os_calloc(%zu, %zu)", op->a, op->b);
		break;
	case D_REALLOC:
	case D_FREE:
		sb_printf(&s, op->kind == D_FREE ? "os_free(" : "os_realloc(");
		if (l) {
			sb_loc(&s, l->loc);
			sb_printf(&s, " [slot %zu, %zu bytes]", op->slot, l->req);
		} else {
			sb_printf(&s, "NULL");
		}
		if (op->kind == D_REALLOC)
			sb_printf(&s, ", %zu", op->a);
		sb_printf(&s, ")");
		break;
	case D_REALLOC_FREED:
		if (d->nfreed)
			sb_printf(&s, "os_realloc(freed heap+0x%zx, %zu)",
				  d->freed[op->slot % d->nfreed], op->a);
		else
			sb_printf(&s, "os_realloc(freed <none>, %zu) [skipped]", op->a);
		break;
	case D_FAULT:
		sb_printf(&s, "os_fault_inject(%s, skip %zu, fail %zu)", op->a ? "MAP" : "SBRK",
			  op->b, op->c);
		break;
	default:
		sb_printf(&s, "op kind %d", (int)op->kind);
	}
}

/* ------------------------------------------------------------------ */
/* Reporting.                                                          */

static char report_buf[1 << 16];

static void report_begin(struct diff *d, const struct diff_op *op, struct sbuf *s, const char *what)
{
	char desc[256];

	diff_describe(d, op, desc, sizeof(desc));
	s->buf = report_buf;
	s->cap = sizeof(report_buf);
	s->len = 0;
	sb_printf(s, "MISMATCH seed=%" PRIu64 " op #%lu: %s\n  %s\n", d->seed, d->opno, desc, what);
}

static int report_end(struct diff *d, struct sbuf *s)
{
	if (!d->fuzzer)
		sb_printf(s, "  reproduce: difftest --seed %" PRIu64 " --seeds 1 --ops %lu --verbose\n",
			  d->seed, d->opno + 1);
	if (!d->quiet) {
		fflush(stdout);
		fwrite(s->buf, 1, s->len, stderr);
	}
	return 1;
}

static int harness_error(struct diff *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int harness_error(struct diff *d, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "HARNESS seed=%" PRIu64 " op #%lu: ", d->seed, d->opno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

/* ------------------------------------------------------------------ */
/* Comparisons.                                                        */

/* The expected calls: those that reached the kernel (injected failures
 * never do, so the observer cannot see them). */
static int expected_calls(const struct model_result *r, const struct model_call **out)
{
	int n = 0;

	for (int i = 0; i < r->ncalls; i++)
		if (!r->calls[i].injected)
			out[n++] = &r->calls[i];
	return n;
}

static bool call_matches(struct diff *d, const struct model_call *c, const struct event *e)
{
	switch (c->kind) {
	case MC_SBRK:
		if (e->op != OS_OP_SBRK || e->arg != c->arg || (e->res != NULL) != c->ok)
			return false;
		return !c->ok || (size_t)((char *)e->res - d->heap_start) == c->at;
	case MC_MAP:
		if (e->op != OS_OP_MAP || e->arg != c->arg || (e->res != NULL) != c->ok)
			return false;
		return !c->ok || e->id == c->id;
	case MC_UNMAP:
		return e->op == OS_OP_UNMAP && e->arg == c->arg && e->id == c->id;
	}
	return false;
}

static int check_calls(struct diff *d, const struct diff_op *op, const struct model_result *r)
{
	const struct model_call *exp[MODEL_MAX_CALLS];
	int nexp = expected_calls(r, exp);
	bool ok = !events_overflow && nexp == nevents;
	struct sbuf s;

	/* The heap start is the old break of the sequence's first sbrk. */
	for (int i = 0; i < nevents; i++) {
		struct event *e = &events[i];

		if (e->op != OS_OP_SBRK || !e->res)
			continue;
		if (!d->heap_known) {
			d->heap_known = true;
			d->heap_start = e->res;
			d->heap_end = e->res;
		}
	}
	for (int i = 0; ok && i < nevents; i++)
		ok = call_matches(d, exp[i], &events[i]);

	/* Track the heap's end from the real calls (and re-check contiguity). */
	for (int i = 0; i < nevents; i++) {
		struct event *e = &events[i];

		if (e->op == OS_OP_SBRK && e->res) {
			if ((char *)e->res != d->heap_end)
				ok = false;
			d->heap_end = (char *)e->res + e->arg;
			if ((size_t)(d->heap_end - d->heap_start) > d->max_heap)
				d->max_heap = (size_t)(d->heap_end - d->heap_start);
		}
	}
	if (ok)
		return 0;

	report_begin(d, op, &s, "kernel calls differ");
	sb_printf(&s, "  expected (model), %d call(s):\n", r->ncalls);
	for (int i = 0; i < r->ncalls; i++) {
		sb_printf(&s, "    ");
		sb_model_call(&s, &r->calls[i]);
		sb_printf(&s, "\n");
	}
	sb_printf(&s, "  actual (library), %d call(s)%s:\n", nevents,
		  events_overflow ? " and more (overflow)" : "");
	for (int i = 0; i < nevents; i++) {
		sb_printf(&s, "    ");
		sb_event(d, &s, &events[i]);
		sb_printf(&s, "\n");
	}
	return report_end(d, &s);
}

/* The real address the model's location stands for, or NULL if unknown. */
static char *real_of(const struct diff *d, struct model_loc l)
{
	switch (l.where) {
	case MW_NULL:
		return NULL;
	case MW_HEAP:
		return d->heap_known ? d->heap_start + l.val : NULL;
	case MW_MAP:
		return l.val < MAX_MAP_IDS && id_base[l.val] ? id_base[l.val] + H : NULL;
	}
	return NULL;
}

static int check_return(struct diff *d, const struct diff_op *op, const struct model_result *r,
			void *ret, int err)
{
	struct sbuf s;
	char *want = real_of(d, r->ret);
	bool ok = (r->ret.where == MW_NULL) ? ret == NULL : (want && ret == want);

	if (ok && r->ret.where == MW_NULL && r->err && err != r->err) {
		report_begin(d, op, &s, "errno differs");
		sb_printf(&s, "  expected errno %d (%s), actual %d (%s)\n", r->err, strerror(r->err),
			  err, strerror(err));
		return report_end(d, &s);
	}
	if (ok)
		return 0;
	report_begin(d, op, &s, "returned pointer differs");
	sb_printf(&s, "  expected ");
	sb_loc(&s, r->ret);
	sb_printf(&s, ", actual ");
	sb_real_ptr(d, &s, ret);
	sb_printf(&s, "\n");
	return report_end(d, &s);
}

/* The model's k-th block in list order: heap blocks by address, then
 * mapped blocks by creation. */
static const struct model_block *model_block_at(const struct model *m, size_t k)
{
	return k < m->nheap ? &m->heap[k] : &m->maps[k - m->nheap];
}

static char *real_block_addr(const struct diff *d, const struct model_block *b)
{
	if (b->status == MODEL_MAPPED)
		return b->off < MAX_MAP_IDS ? id_base[b->off] : NULL;
	return d->heap_start + b->off;
}

/* Can we read a header at p without faulting? */
static bool readable_header(const struct diff *d, const char *p)
{
	if (!p)
		return false;
	if (d->heap_known && p >= d->heap_start && p + H <= d->heap_end)
		return true;
	for (size_t i = 0; i < nrmaps; i++)
		if (rmaps[i].base == p)
			return true;
	return false;
}

static void list_context(struct diff *d, struct sbuf *s, size_t k)
{
	const struct model *m = &d->m;
	size_t n = m->nheap + m->nmaps;
	size_t lo = k >= 3 ? k - 3 : 0, hi = k + 4 < n ? k + 4 : n;

	sb_printf(s, "  model blocks %zu..%zu of %zu:\n", lo, hi ? hi - 1 : 0, n);
	for (size_t i = lo; i < hi; i++) {
		sb_printf(s, "    [%zu] ", i);
		sb_model_block(s, model_block_at(m, i));
		sb_printf(s, "%s\n", i == k ? "   <--" : "");
	}
	/* the real list from its head, as far as it is safe to read */
	struct block_meta *b = (struct block_meta *)real_block_addr(d, model_block_at(m, 0));

	sb_printf(s, "  library blocks %zu..:\n", lo);
	for (size_t i = 0; b && i < hi + 2; i++) {
		if (!readable_header(d, (char *)b)) {
			sb_printf(s, "    [%zu] ", i);
			sb_real_ptr(d, s, b);
			sb_printf(s, " (not read)\n");
			break;
		}
		if (i >= lo) {
			sb_printf(s, "    [%zu] ", i);
			sb_real_ptr(d, s, b);
			sb_printf(s, " size %zu %s%s\n", b->size, status_name(b->status),
				  i == k ? "   <--" : "");
		}
		b = b->next;
	}
	if (!b)
		sb_printf(s, "    (end of list)\n");
}

static int list_mismatch(struct diff *d, const struct diff_op *op, size_t k, const char *what)
{
	struct sbuf s;

	report_begin(d, op, &s, "block list differs");
	sb_printf(&s, "  at list position %zu: %s\n", k, what);
	list_context(d, &s, k);
	return report_end(d, &s);
}

static int check_list(struct diff *d, const struct diff_op *op)
{
	const struct model *m = &d->m;
	size_t n = m->nheap + m->nmaps;
	struct block_meta *b, *prev = NULL;

	if (n == 0)
		return 0;            /* nothing to reach the real list from */
	if (m->nheap && !d->heap_known)
		return list_mismatch(d, op, 0, "the model has a heap, the library made none");
	b = (struct block_meta *)real_block_addr(d, model_block_at(m, 0));
	if (!b)
		return list_mismatch(d, op, 0, "first block's mapping is unknown");
	if (b->prev != NULL)
		return list_mismatch(d, op, 0, "the first block's prev is not NULL");
	for (size_t k = 0; k < n; k++) {
		const struct model_block *e = model_block_at(m, k);
		char *want = real_block_addr(d, e);

		if ((char *)b != want || !want)
			return list_mismatch(d, op, k, "block address differs");
		if (b->prev != prev)
			return list_mismatch(d, op, k, "prev link does not point at the previous block");
		if (b->size != e->size || b->status != e->status)
			return list_mismatch(d, op, k, "size or status differs");
		prev = b;
		b = b->next;
	}
	if (b != NULL)
		return list_mismatch(d, op, n, "the library's list goes on past the model's last block");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Live blocks.                                                        */

static int data_mismatch(struct diff *d, const struct diff_op *op, const char *what,
			 struct model_loc loc, size_t at, const char *p, unsigned char want)
{
	struct sbuf s;

	report_begin(d, op, &s, "payload bytes differ");
	sb_printf(&s, "  %s: block ", what);
	sb_loc(&s, loc);
	sb_printf(&s, ", byte %zu: expected 0x%02x, actual 0x%02x\n", at, want,
		  (unsigned char)p[at]);
	return report_end(d, &s);
}

static int verify_live(struct diff *d, const struct diff_op *op, const struct diff_live *l,
		       size_t len, const char *what)
{
	size_t bad = verify(l->ptr, len, l->tag);

	if (bad == SIZE_MAX)
		return 0;
	return data_mismatch(d, op, what, l->loc, bad, l->ptr, pat_byte(l->tag, bad));
}

static void add_live(struct diff *d, struct model_loc loc, char *ptr, size_t req)
{
	struct diff_live *l = &d->live[d->nlive++];

	l->loc = loc;
	l->ptr = ptr;
	l->req = req;
	l->tag = mix64(d->seed * 0x100000001B3ull + d->next_tag++);
	fill(ptr, 0, req, l->tag);
	if (loc.where == MW_MAP)
		d->nlive_maps++;
	else
		d->live_heap_bytes += req;
}

static void drop_live(struct diff *d, size_t slot)
{
	struct diff_live *l = &d->live[slot];

	if (l->loc.where == MW_MAP) {
		d->nlive_maps--;
	} else {
		d->live_heap_bytes -= l->req;
		d->freed[d->freed_pos] = l->loc.val;
		d->freed_pos = (d->freed_pos + 1) % DIFF_FREED_RING;
		if (d->nfreed < DIFF_FREED_RING)
			d->nfreed++;
	}
	d->live[slot] = d->live[--d->nlive];
}

/* ------------------------------------------------------------------ */
/* The engine.                                                         */

static int devnull = -1;

void diff_begin(struct diff *d, uint64_t seed)
{
	if (!id_base) {
		void *p = mmap(NULL, MAX_MAP_IDS * sizeof(char *), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED) {
			perror("difftest: mmap");
			exit(3);
		}
		id_base = p;
	}
	if (devnull < 0)
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	os_set_observer(observe);
	os_fault_inject(OS_OP_SBRK, 0, 0);
	os_fault_inject(OS_OP_MAP, 0, 0);
	os_fault_inject(OS_OP_UNMAP, 0, 0);
	osmem_test_reset();
	nevents = 0;
	events_overflow = false;
	forget_real_maps();

	model_reset(&d->m);
	d->seed = seed;
	d->opno = 0;
	d->nlive = 0;
	d->nlive_maps = 0;
	d->live_heap_bytes = 0;
	d->nfreed = 0;
	d->freed_pos = 0;
	d->next_tag = 0;
	d->heap_known = false;
	d->heap_start = d->heap_end = NULL;
	d->max_heap = 0;
	d->brk_after = sbrk(0);
}

size_t diff_next_free_size(const struct diff *d, size_t slot)
{
	const struct model *m = &d->m;
	const struct diff_live *l = &d->live[slot];

	if (l->loc.where != MW_HEAP)
		return 0;
	for (size_t i = 0; i + 1 < m->nheap; i++)
		if (m->heap[i].off + H == l->loc.val)
			return m->heap[i + 1].status == MODEL_FREE ? m->heap[i + 1].size : 0;
	return 0;
}

int diff_step(struct diff *d, const struct diff_op *op)
{
	struct model_result r;
	struct diff_live *l = NULL;
	void *ret = NULL;
	int err = 0, rc;
	size_t old_req = 0;
	char desc[256];

	if (sbrk(0) != d->brk_after)
		return harness_error(d, "the break moved between operations (%p -> %p): "
				     "something else in this process uses brk", d->brk_after, sbrk(0));
	if (d->verbose) {
		diff_describe(d, op, desc, sizeof(desc));
		printf("#%lu %s\n", d->opno, desc);
	}
	if ((op->kind == D_REALLOC || op->kind == D_FREE) && op->slot != DIFF_NULL_SLOT) {
		if (op->slot >= d->nlive)
			return harness_error(d, "slot %zu is not live", op->slot);
		l = &d->live[op->slot];
		old_req = l->req;
		/* the block's bytes must be intact before the call */
		if ((rc = verify_live(d, op, l, l->req, "before the call")))
			return rc;
	}
	if ((op->kind == D_MALLOC || op->kind == D_CALLOC || op->kind == D_REALLOC) &&
	    d->nlive >= DIFF_MAX_LIVE && (op->kind != D_REALLOC || !l)) {
		d->opno++;            /* live table full: skip */
		return 0;
	}

	nevents = 0;
	events_overflow = false;

	switch (op->kind) {
	case D_MALLOC:
		model_malloc(&d->m, op->a, &r);
		errno = 0;
		ret = os_malloc(op->a);
		err = errno;
		break;
	case D_CALLOC:
		model_calloc(&d->m, op->a, op->b, &r);
		errno = 0;
		ret = os_calloc(op->a, op->b);
		err = errno;
		break;
	case D_REALLOC:
		model_realloc(&d->m, l ? l->loc : (struct model_loc){ MW_NULL, 0 }, op->a, &r);
		if (r.undefined)
			return harness_error(d, "the model calls this realloc undefined");
		errno = 0;
		ret = os_realloc(l ? l->ptr : NULL, op->a);
		err = errno;
		break;
	case D_FREE:
		model_free(&d->m, l ? l->loc : (struct model_loc){ MW_NULL, 0 }, &r);
		if (r.undefined)
			return harness_error(d, "the model calls this free undefined");
		os_free(l ? l->ptr : NULL);
		break;
	case D_REALLOC_FREED: {
		struct model_loc fl = { MW_HEAP, 0 };
		const struct model_block *mb;
		int saved;

		if (d->nfreed == 0 || op->a == 0) {
			d->opno++;
			return 0;
		}
		fl.val = d->freed[op->slot % d->nfreed];
		mb = model_find(&d->m, fl);
		if (!mb || mb->status != MODEL_FREE) {
			d->opno++;   /* absorbed or reused since: not a free block any more */
			return 0;
		}
		model_realloc(&d->m, fl, op->a, &r);
		/* the library reports the use after free on stderr: silence it */
		fflush(stderr);
		saved = dup(2);
		if (devnull >= 0 && saved >= 0)
			dup2(devnull, 2);
		ret = os_realloc(d->heap_start + fl.val, op->a);
		if (saved >= 0) {
			dup2(saved, 2);
			close(saved);
		}
		break;
	}
	case D_FAULT:
		memset(&r, 0, sizeof(r));
		r.ret.where = MW_NULL;
		model_fault_inject(&d->m, op->a ? MODEL_FAULT_MAP : MODEL_FAULT_SBRK, op->b, op->c);
		os_fault_inject(op->a ? OS_OP_MAP : OS_OP_SBRK, op->b, op->c);
		break;
	default:
		return harness_error(d, "unknown op kind %d", (int)op->kind);
	}

	if (ids_overflow)
		return harness_error(d, "too many mappings in one sequence");
	if ((rc = check_calls(d, op, &r)))
		return rc;
	if ((rc = check_return(d, op, &r, ret, err)))
		return rc;
	if ((rc = check_list(d, op)))
		return rc;

	/* Bytes, and the live table. */
	switch (op->kind) {
	case D_MALLOC:
		if (ret)
			add_live(d, r.ret, ret, op->a);
		break;
	case D_CALLOC:
		if (ret) {
			size_t len = op->a * op->b, bad = verify_zero(ret, len);

			if (bad != SIZE_MAX)
				return data_mismatch(d, op, "calloc memory is not zero", r.ret, bad,
						     ret, 0);
			add_live(d, r.ret, ret, len);
		}
		break;
	case D_REALLOC:
		if (!l) {
			if (ret)
				add_live(d, r.ret, ret, op->a);
		} else if (op->a == 0) {
			drop_live(d, op->slot);
		} else if (!ret) {
			/* failed: the old block must be intact */
			if ((rc = verify_live(d, op, l, l->req, "after a failed realloc")))
				return rc;
		} else {
			size_t keep = old_req < op->a ? old_req : op->a;
			struct model_loc old = l->loc;

			l->ptr = ret;
			if ((rc = verify_live(d, op, l, keep, "bytes kept by realloc")))
				return rc;
			fill(ret, keep, op->a, l->tag);
			if (old.where == MW_MAP)
				d->nlive_maps--;
			else
				d->live_heap_bytes -= old_req;
			if (old.where == MW_HEAP && (old.val != r.ret.val || r.ret.where != MW_HEAP)) {
				d->freed[d->freed_pos] = old.val;
				d->freed_pos = (d->freed_pos + 1) % DIFF_FREED_RING;
				if (d->nfreed < DIFF_FREED_RING)
					d->nfreed++;
			}
			l->loc = r.ret;
			l->req = op->a;
			if (r.ret.where == MW_MAP)
				d->nlive_maps++;
			else
				d->live_heap_bytes += op->a;
		}
		break;
	case D_FREE:
		if (l)
			drop_live(d, op->slot);
		break;
	default:
		break;
	}

	if (d->verbose) {
		struct sbuf s = { report_buf, sizeof(report_buf), 0 };

		sb_printf(&s, "    = ");
		sb_loc(&s, r.ret);
		for (int i = 0; i < r.ncalls; i++) {
			sb_printf(&s, i ? ", " : "  [");
			sb_model_call(&s, &r.calls[i]);
		}
		sb_printf(&s, "%s  (%zu heap blocks, %zu mapped)\n", r.ncalls ? "]" : "",
			  d->m.nheap, d->m.nmaps);
		fwrite(s.buf, 1, s.len, stdout);
	}
	d->brk_after = sbrk(0);
	d->opno++;
	return 0;
}

int diff_end(struct diff *d)
{
	struct diff_op op = { .kind = D_FREE, .slot = DIFF_NULL_SLOT };
	int rc = 0;

	for (size_t i = 0; i < d->nlive && !rc; i++)
		rc = verify_live(d, &op, &d->live[i], d->live[i].req, "at the end of the sequence");

	os_fault_inject(OS_OP_SBRK, 0, 0);
	os_fault_inject(OS_OP_MAP, 0, 0);
	osmem_test_reset();
	nevents = 0;
	forget_real_maps();
	/* Give the heap's memory back: nobody else moved the break since the
	 * heap started (checked before every op), so all of it is ours. */
	if (d->heap_known && sbrk(0) == d->heap_end && brk(d->heap_start) != 0)
		perror("difftest: brk");
	d->heap_known = false;
	d->nlive = 0;
	model_reset(&d->m);
	return rc;
}
