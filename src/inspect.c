/* SPDX-License-Identifier: MIT */
/*
 * inspect.c - show_alloc_mem(), show_alloc_mem_ex() and os_heap_walk().
 *
 * show_alloc_mem prints in the 42-school format, addresses ascending:
 *
 *     HEAP : 0x5555557A2000                   a heap segment (its first header)
 *     0x5555557A2020 - 0x5555557A2088 : 104 bytes
 *     MMAP : 0x7FFFF7F9A000                   a mapped block (its header)
 *     0x7FFFF7F9A020 - 0x7FFFF7FCAD60 : 200000 bytes
 *     Total : 200104 bytes
 *
 * A block's line spans its payload, START + N == END, N being the payload
 * capacity.  In the drop-in, a heap block that is a zone of small objects
 * is shown as a "ZONE : 0x..." region listing its objects instead.  Heap segments are ascending in the list; mapped blocks are in
 * creation order, so the regions are merged by selection: before each
 * region, the lowest mapped header above the previous one is looked for in
 * the list's mapped tail (O(mappings^2) in all: a debugging aid).  Output is
 * written line by line with write(2) under the allocator lock; nothing is
 * allocated.
 */
#include "inspect.h"

#include <stdint.h>
#include <unistd.h>

#include "block.h"
#include "fmt.h"
#include "heap.h"
#include "lock.h"
#include "osmem_inspect.h"
#include "tcache.h"
#include "vg.h"
#include "zone.h"

#define DUMP_ROW 16

void dump_section(struct dump_out *o, const char *label, const void *start)
{
	char line[64];
	struct fmt_buf f = FMT_BUF_INIT(line);

	fmt_str(&f, label);
	fmt_str(&f, " : ");
	fmt_hex_upper(&f, (uintptr_t)start);
	fmt_str(&f, "\n");
	fmt_write(o->fd, &f);
}

/* "  0010  41 42 ... 50  |ABCDEFGHIJKLMNOP|": one row of up to DUMP_ROW bytes. */
static void dump_row(int fd, const unsigned char *p, size_t offset, size_t n)
{
	char line[128];
	struct fmt_buf f = FMT_BUF_INIT(line);

	fmt_str(&f, "  ");
	fmt_hex_digits(&f, offset, 4);
	fmt_str(&f, " ");
	for (size_t i = 0; i < DUMP_ROW; i++) {
		fmt_str(&f, " ");
		if (i < n)
			fmt_hex_digits(&f, p[i], 2);
		else
			fmt_str(&f, "  ");
	}
	fmt_str(&f, "  |");
	for (size_t i = 0; i < n; i++)
		fmt_char(&f, p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.');
	fmt_str(&f, "|\n");
	fmt_write(fd, &f);
}

static void dump_bytes(const struct dump_out *o, const unsigned char *p, size_t bytes)
{
	size_t n = bytes < o->dump_bytes ? bytes : o->dump_bytes;

	for (size_t off = 0; off < n; off += DUMP_ROW)
		dump_row(o->fd, p + off, off, n - off < DUMP_ROW ? n - off : DUMP_ROW);
}

void dump_block(struct dump_out *o, const void *payload, size_t bytes, bool is_free)
{
	char line[96];
	struct fmt_buf f = FMT_BUF_INIT(line);

	if (is_free && !o->show_free)
		return;
	fmt_hex_upper(&f, (uintptr_t)payload);
	fmt_str(&f, " - ");
	fmt_hex_upper(&f, (uintptr_t)payload + bytes);
	fmt_str(&f, " : ");
	fmt_dec(&f, bytes);
	fmt_str(&f, is_free ? " bytes (free)\n" : " bytes\n");
	fmt_write(o->fd, &f);
	if (!is_free)
		o->total += bytes;
	dump_bytes(o, payload, bytes);
}

#if OSMEM_ZONES
/* A zone of small objects (the drop-in) is one allocated heap block; it is
 * shown as its own region, "ZONE : 0x... (N-byte objects)", one line per
 * object given out.  Objects in other threads' caches count as given out, as
 * in os_stats(); the caller's own cache was flushed first. */
static void dump_zone_section(const struct zone_info *z, void *arg)
{
	struct dump_out *o = arg;
	char line[96];
	struct fmt_buf f = FMT_BUF_INIT(line);

	fmt_str(&f, "ZONE : ");
	fmt_hex_upper(&f, (uintptr_t)z->start);
	fmt_str(&f, " (");
	fmt_dec(&f, z->object_size);
	fmt_str(&f, "-byte objects)\n");
	fmt_write(o->fd, &f);
}

static void dump_zone_object(const struct zone_info *z, const void *object, enum zone_object_state state,
			     void *arg)
{
	dump_block(arg, object, z->object_size, state == ZONE_OBJECT_FREE);
}

/* Print b as a zone if it is one; true when it was. */
static bool dump_zone(struct dump_out *o, const struct block_meta *b)
{
	return b->status == STATUS_ALLOC && zone_walk_at(b + 1, dump_zone_section, dump_zone_object, o);
}
#else
static bool dump_zone(struct dump_out *o, const struct block_meta *b)
{
	(void)o;
	(void)b;
	return false;
}
#endif

/* Print the heap segment that starts at b; returns the next segment's first
 * block, or NULL after the last heap block. */
static const struct block_meta *dump_segment(struct dump_out *o, const struct block_meta *b,
					     const struct block_meta *last)
{
	bool in_heap_section = false;

	for (;;) {
		if (dump_zone(o, b)) {
			in_heap_section = false;   /* blocks after the zone start a new HEAP section */
		} else {
			if (!in_heap_section)
				dump_section(o, "HEAP", b);
			in_heap_section = true;
			dump_block(o, b + 1, b->size, b->status == STATUS_FREE);
		}
		if (b == last)
			return NULL;
		if (block_end(b) != (const char *)b->next)
			return b->next;   /* a gap: the next segment starts there */
		b = b->next;
	}
}

/* The lowest mapped header above `above` (NULL: any), or NULL. */
static const struct block_meta *next_mapping(const struct block_meta *tail, const struct block_meta *above)
{
	const struct block_meta *best = NULL;

	for (const struct block_meta *m = tail; m; m = m->next)
		if ((!above || m > above) && (!best || m < best))
			best = m;
	return best;
}

static void dump_all(struct dump_out *o)
{
	struct heap_shape h;
	const struct block_meta *seg, *map, *mapped_tail;
	char line[64];
	struct fmt_buf f = FMT_BUF_INIT(line);

#if OSMEM_ZONES
	tcache_flush_all();   /* the caller's cached objects are free, not in use */
#endif
	lock_acquire();
	heap_shape(&h);
	seg = h.last ? blocks.head : NULL;
	mapped_tail = h.last ? h.last->next : blocks.head;
	map = next_mapping(mapped_tail, NULL);
	while (seg || map) {
		if (seg && (!map || seg < map)) {
			seg = dump_segment(o, seg, h.last);
		} else {
			dump_section(o, "MMAP", map);
			dump_block(o, map + 1, map->size, false);
			map = next_mapping(mapped_tail, map);
		}
	}
	lock_release();
	fmt_str(&f, "Total : ");
	fmt_dec(&f, o->total);
	fmt_str(&f, " bytes\n");
	fmt_write(o->fd, &f);
}

OSMEM_API void show_alloc_mem(void)
{
	struct dump_out o = { .fd = STDOUT_FILENO };
	bool quiet = vg_quiet_begin();

	dump_all(&o);
	vg_quiet_end(quiet);
}

OSMEM_API void show_alloc_mem_ex(size_t dump_bytes)
{
	struct dump_out o = { .fd = STDOUT_FILENO, .show_free = true, .dump_bytes = dump_bytes };
	bool quiet = vg_quiet_begin();

	dump_all(&o);
	vg_quiet_end(quiet);
}

OSMEM_API void os_heap_walk(void (*fn)(void *arg, const void *header, size_t header_bytes, size_t payload_bytes,
				       int kind),
			    void *arg)
{
	bool quiet = vg_quiet_begin();

	lock_acquire();
	for (const struct block_meta *b = blocks.head; b; b = b->next)
		fn(arg, b, HDR, b->size,
		   b->status == STATUS_MAPPED ? OS_BLOCK_MAPPED
		   : b->status == STATUS_FREE ? OS_BLOCK_FREE : OS_BLOCK_ALLOC);
	lock_release();
	vg_quiet_end(quiet);
}
