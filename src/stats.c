/* SPDX-License-Identifier: MIT */
/*
 * stats.c - os_stats() and os_stats_print(): the current figures from one
 * walk of the block list, the peaks from the running counters (stats.h), the
 * system call counts from the OS layer.
 */
#include "stats.h"

#include <string.h>

#include "block.h"
#include "fmt.h"
#include "heap.h"
#include "lock.h"
#include "os.h"
#include "osmem_inspect.h"
#include "vg.h"
#include "tcache.h"
#include "zone.h"

struct stats_running stats_running;

void stats_reset(void)
{
	memset(&stats_running, 0, sizeof(stats_running));
	for (int op = 0; op < OS_OP_COUNT; op++)
		stats_running.calls_base[op] = os_calls((enum os_op)op);
}

static size_t calls_since_reset(enum os_op op)
{
	return os_calls(op) - stats_running.calls_base[op];
}

static void count_block(struct os_stats *s, const struct block_meta *b)
{
	s->blocks++;
	switch (b->status) {
	case STATUS_MAPPED:
		s->mapped_count++;
		s->mapped_bytes += HDR + b->size;
		s->in_use_bytes += b->size;
		break;
	case STATUS_FREE:
		s->free_blocks++;
		s->heap_free_bytes += b->size;
		if (b->size > s->largest_free)
			s->largest_free = b->size;
		break;
	default:
		s->heap_in_use_bytes += b->size;
		s->in_use_bytes += b->size;
		break;
	}
}

#if OSMEM_ZONES
/* A zone is one allocated heap block: count only its taken objects as in
 * use (objects in thread caches are taken), its free objects as free. */
static void count_zone(const struct zone_info *z, void *arg)
{
	struct os_stats *s = arg;
	size_t idle = z->bytes - (z->objects - z->free_objects) * z->object_size;

	s->in_use_bytes -= idle;
	s->heap_in_use_bytes -= idle;
	s->heap_free_bytes += z->free_objects * z->object_size;
}
#endif

OSMEM_API void os_stats(struct os_stats *out)
{
	struct heap_shape h;
	bool quiet = vg_quiet_begin();

#if OSMEM_ZONES
	tcache_flush_all();   /* the caller's cached objects count as free */
#endif
	memset(out, 0, sizeof(*out));
	lock_acquire();
	for (const struct block_meta *b = blocks.head; b; b = b->next)
		count_block(out, b);
	heap_shape(&h);
	if (h.last && h.last->status == STATUS_FREE)
		out->top_free_bytes = h.last->size;
	out->heap_size = h.owned;
	out->peak_in_use_bytes = stats_running.peak_in_use;
	out->peak_heap_size = stats_running.peak_heap;
	out->peak_mapped_bytes = stats_running.peak_mapped;
	out->brk_calls = calls_since_reset(OS_OP_SBRK);
	out->mmap_calls = calls_since_reset(OS_OP_MAP);
	out->munmap_calls = calls_since_reset(OS_OP_UNMAP);
#if OSMEM_ZONES
	zone_walk(count_zone, NULL, out);
#endif
	lock_release();
	vg_quiet_end(quiet);
	if (out->heap_free_bytes)
		out->fragmentation = 1.0 - (double)out->largest_free / (double)out->heap_free_bytes;
}

void stats_print_line(int fd, const char *name, size_t value)
{
	char line[96];
	struct fmt_buf f = FMT_BUF_INIT(line);

	fmt_str(&f, name);
	fmt_dec(&f, value);
	fmt_str(&f, "\n");
	fmt_write(fd, &f);
}

/* "fragmentation     = 12.34 %": two decimals, rounded, without printf. */
static void print_percent(int fd, const char *name, double fraction)
{
	char line[96];
	struct fmt_buf f = FMT_BUF_INIT(line);
	unsigned long long hundredths = (unsigned long long)(fraction * 10000.0 + 0.5);

	fmt_str(&f, name);
	fmt_dec(&f, hundredths / 100);
	fmt_str(&f, ".");
	fmt_char(&f, (char)('0' + hundredths % 100 / 10));
	fmt_char(&f, (char)('0' + hundredths % 10));
	fmt_str(&f, " %\n");
	fmt_write(fd, &f);
}

OSMEM_API void os_stats_print(int fd)
{
	struct os_stats s;

	os_stats(&s);
	stats_print_line(fd, "osmem statistics\nin use bytes      = ", s.in_use_bytes);
	stats_print_line(fd, "heap in use bytes = ", s.heap_in_use_bytes);
	stats_print_line(fd, "heap free bytes   = ", s.heap_free_bytes);
	stats_print_line(fd, "heap size         = ", s.heap_size);
	stats_print_line(fd, "mapped blocks     = ", s.mapped_count);
	stats_print_line(fd, "mapped bytes      = ", s.mapped_bytes);
	stats_print_line(fd, "peak in use bytes = ", s.peak_in_use_bytes);
	stats_print_line(fd, "peak heap size    = ", s.peak_heap_size);
	stats_print_line(fd, "peak mapped bytes = ", s.peak_mapped_bytes);
	stats_print_line(fd, "brk calls         = ", s.brk_calls);
	stats_print_line(fd, "mmap calls        = ", s.mmap_calls);
	stats_print_line(fd, "munmap calls      = ", s.munmap_calls);
	stats_print_line(fd, "blocks            = ", s.blocks);
	stats_print_line(fd, "free blocks       = ", s.free_blocks);
	stats_print_line(fd, "largest free      = ", s.largest_free);
	print_percent(fd, "fragmentation     = ", s.fragmentation);
}
