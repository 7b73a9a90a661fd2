/* SPDX-License-Identifier: MIT */
/*
 * osmem-heapmap - draw osmem's heap as an SVG picture (and a PNG when a
 * converter is installed).
 *
 *   osmem-heapmap [-o OUT.svg] [-p OUT.png] [-k EVERY] [TRACE]
 *
 * It replays TRACE (an OSMEM_TRACE file) through the strict os_* library it
 * is linked with, or without TRACE a built-in workload (the "demo": blocks
 * of mixed sizes, half of them freed at random, larger ones appended, three
 * mappings), then walks every block and draws:
 *   - the sbrk heap left to right in rows of a fixed number of bytes, each
 *     segment from a new row: every block as its 32-byte header and its
 *     payload, allocated / free / header in distinct colours;
 *   - each mapping on a row of its own (a mapping is at least 128 KiB: drawn
 *     to the heap's scale it would fill the picture);
 *   - a legend and the figures: heap size, bytes in use and free, largest
 *     free block, fragmentation = 1 - largest free / total free, mappings;
 *   - from a trace (or the demo), a strip of fragmentation over time,
 *     sampled every EVERY calls (default: about 300 samples in all).
 * Each block is one <g class="alloc|free|mapped"> (with a <title> giving its
 * address and size) holding one rectangle per row it spans, so tools and
 * tests can count blocks in the SVG.
 *
 * The figures come from os_stats() (osmem_inspect.h), the blocks from the
 * block list (src/block.h).  Coalescing is deferred in osmem: free blocks
 * that touch are drawn as they are, separate until the next allocation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "block.h"
#include "replay.h"
#include "osmem_inspect.h"

#define MAP_WIDTH 960.0      /* px of one row */
#define LEFT 150.0           /* px of row labels */
#define ROW_H 16.0
#define ROW_GAP 4.0
#define MAX_HEAP_ROWS 48
#define MIN_ROW_BYTES 4096
#define STRIP_H 90.0
#define MAX_SAMPLES 300

#define COLOUR_ALLOC "#3b75af"
#define COLOUR_FREE "#a6dba0"
#define COLOUR_HEADER "#ef8a17"
#define COLOUR_MAPPED "#8e63b5"

struct sample {
	size_t call;
	double fragmentation;
};

struct picture {
	FILE *out;
	double y;             /* top of the next row */
	size_t row_bytes;     /* bytes per heap row */
	struct sample *samples;
	size_t nsamples, every, calls;
	const char *source;
};

static double fragmentation(const struct os_stats *f)
{
	return f->fragmentation;
}

/* ---- the workload ---- */

static uint64_t demo_rng = 2024;

static unsigned demo_next(unsigned bound)
{
	demo_rng = demo_rng * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(demo_rng >> 33) % bound;
}

static void demo_add(struct osmem_trace_record *rec, size_t *n, uint8_t op, uint64_t ptr, uint64_t size)
{
	rec[*n] = (struct osmem_trace_record){ .op = op, .ptr = ptr, .size = size, .tid = 1 };
	if (op != OSMEM_TRACE_FREE)
		rec[*n].result = *n + 1;   /* any unique number names the block */
	(*n)++;
}

/* 400 blocks of 16..784 bytes; about half freed at random (holes); 60 blocks
 * of 1..3 KiB that fit no hole (appended); three mappings. */
static void demo_trace(struct trace_file *t)
{
	struct osmem_trace_record *rec = trace_table(1000 * sizeof(*rec));
	size_t n = 0;

	for (int i = 0; i < 400; i++)
		demo_add(rec, &n, OSMEM_TRACE_MALLOC, 0, 16 + demo_next(768));
	for (size_t i = 0; i < 400; i++)
		if (demo_next(2))
			demo_add(rec, &n, OSMEM_TRACE_FREE, rec[i].result, 0);
	for (int i = 0; i < 60; i++)
		demo_add(rec, &n, OSMEM_TRACE_MALLOC, 0, 1024 + demo_next(2048));
	demo_add(rec, &n, OSMEM_TRACE_MALLOC, 0, 200 * 1024);
	demo_add(rec, &n, OSMEM_TRACE_MALLOC, 0, 400 * 1024);
	demo_add(rec, &n, OSMEM_TRACE_CALLOC, 0, 300 * 1024);
	rec[n - 1].arg = 1;
	memset(t, 0, sizeof(*t));
	trace_file_from_records(t, "the built-in demo workload", rec, n);
}

static void replay_sampled(struct picture *pic, const struct trace_file *t)
{
	void **live = trace_table(t->count * sizeof(void *));
	struct os_stats f;

	if (!pic->every)
		pic->every = t->count / MAX_SAMPLES + 1;
	pic->samples = trace_table((t->count / pic->every + 2) * sizeof(struct sample));
	for (size_t i = 0; i < t->count; i++) {
		replay_record(t, i, live);
		if ((i + 1) % pic->every == 0 || i + 1 == t->count) {
			os_stats(&f);
			pic->samples[pic->nsamples++] = (struct sample){ i + 1, fragmentation(&f) };
		}
	}
	pic->calls = t->count;
}

/* ---- drawing ---- */

static void rect(struct picture *pic, double x, double y, double w, const char *fill)
{
	fprintf(pic->out, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.0f\" fill=\"%s\"/>", x, y,
		w < 0.3 ? 0.3 : w, ROW_H, fill);
}

/* Bytes [from, to) of a heap segment starting at `base` whose first row is at
 * pic->y, wrapped over rows of pic->row_bytes. */
static void heap_span(struct picture *pic, uintptr_t base, uintptr_t from, uintptr_t to, const char *fill)
{
	double scale = MAP_WIDTH / (double)pic->row_bytes;

	while (from < to) {
		size_t row = (from - base) / pic->row_bytes;
		uintptr_t row_end = base + (row + 1) * pic->row_bytes, stop = to < row_end ? to : row_end;

		rect(pic, LEFT + (double)(from - base - row * pic->row_bytes) * scale,
		     pic->y + (double)row * (ROW_H + ROW_GAP), (double)(stop - from) * scale, fill);
		from = stop;
	}
}

static const char *status_class(const struct block_meta *b)
{
	return b->status == STATUS_MAPPED ? "mapped" : b->status == STATUS_FREE ? "free" : "alloc";
}

static void block_open(struct picture *pic, const struct block_meta *b)
{
	fprintf(pic->out, "<g class=\"%s\"><title>%s block at %p: header 32 + payload %zu bytes</title>",
		status_class(b), status_class(b), (void *)b, b->size);
}

static void row_labels(struct picture *pic, const char *what, size_t rows, size_t row_bytes)
{
	for (size_t r = 0; r < rows; r++)
		fprintf(pic->out, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s +%#zx</text>\n", LEFT - 6,
			pic->y + (double)r * (ROW_H + ROW_GAP) + ROW_H - 4, r ? "" : what, r * row_bytes);
}

/* One heap segment: the blocks from b while they touch.  Returns the block
 * after the segment. */
static struct block_meta *draw_segment(struct picture *pic, struct block_meta *b, int index)
{
	uintptr_t base = (uintptr_t)b;
	struct block_meta *last = b;
	char label[48];
	size_t rows;

	while (last->next && last->next->status != STATUS_MAPPED && (char *)last->next == block_end(last))
		last = last->next;
	rows = ((uintptr_t)block_end(last) - base + pic->row_bytes - 1) / pic->row_bytes;
	snprintf(label, sizeof(label), "heap %d", index);
	row_labels(pic, label, rows, pic->row_bytes);
	for (struct block_meta *c = b;; c = c->next) {
		block_open(pic, c);
		heap_span(pic, base, (uintptr_t)c, (uintptr_t)(c + 1), COLOUR_HEADER);
		heap_span(pic, base, (uintptr_t)(c + 1), (uintptr_t)block_end(c),
			  c->status == STATUS_FREE ? COLOUR_FREE : COLOUR_ALLOC);
		fprintf(pic->out, "</g>\n");
		if (c == last)
			break;
	}
	pic->y += (double)rows * (ROW_H + ROW_GAP) + 8;
	return last->next;
}

static void draw_mapping(struct picture *pic, const struct block_meta *b)
{
	double scale = MAP_WIDTH / (double)(HDR + b->size);

	fprintf(pic->out, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">mmap %zu KiB</text>\n", LEFT - 6,
		pic->y + ROW_H - 4, (HDR + b->size) / 1024);
	double header = (double)HDR * scale < 2 ? 2 : (double)HDR * scale;   /* visible at any size */

	block_open(pic, b);
	rect(pic, LEFT, pic->y, header, COLOUR_HEADER);
	rect(pic, LEFT + header, pic->y, MAP_WIDTH - header, COLOUR_MAPPED);
	fprintf(pic->out, "</g>\n");
	pic->y += ROW_H + ROW_GAP;
}

/* Heap segments first (the list holds heap blocks before mapped ones), then
 * the mappings. */
static void draw_blocks(struct picture *pic)
{
	struct block_meta *b = blocks.head;
	int segment = 0;

	while (b && b->status != STATUS_MAPPED)
		b = draw_segment(pic, b, ++segment);
	if (b) {
		pic->y += 10;
		fprintf(pic->out, "<text x=\"%.0f\" y=\"%.1f\" font-weight=\"bold\">mappings (one row each, "
			"each to its own scale)</text>\n", LEFT, pic->y);
		pic->y += 8;
	}
	for (; b; b = b->next)
		draw_mapping(pic, b);
}

static void draw_legend(struct picture *pic)
{
	static const char *const names[] = { "allocated payload", "free payload", "header (32 bytes)", "mapped payload" };
	static const char *const fills[] = { COLOUR_ALLOC, COLOUR_FREE, COLOUR_HEADER, COLOUR_MAPPED };

	fprintf(pic->out, "<g id=\"legend\">\n");
	for (int i = 0; i < 4; i++) {
		double x = LEFT + i * 200.0;

		fprintf(pic->out, "<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"14\" fill=\"%s\"/>"
			"<text x=\"%.0f\" y=\"%.0f\">%s</text>\n", x, pic->y, fills[i], x + 20, pic->y + 12, names[i]);
	}
	fprintf(pic->out, "</g>\n");
	pic->y += 30;
}

static void draw_figures(struct picture *pic, const struct os_stats *f)
{
	fprintf(pic->out, "<g id=\"figures\"><text x=\"%.0f\" y=\"%.0f\">heap %zu bytes: in use %zu in %zu blocks, "
		"free %zu in %zu blocks, largest free %zu, fragmentation %.2f; mapped %zu blocks, %zu bytes"
		"</text></g>\n", LEFT, pic->y, f->heap_size, f->heap_in_use_bytes, f->blocks - f->free_blocks - f->mapped_count,
		f->heap_free_bytes, f->free_blocks, f->largest_free, fragmentation(f), f->mapped_count, f->mapped_bytes);
	pic->y += 22;
}

static void draw_strip(struct picture *pic)
{
	double top = pic->y + 18, x;

	if (!pic->nsamples)
		return;
	fprintf(pic->out, "<g id=\"strip\"><text x=\"%.0f\" y=\"%.0f\" font-weight=\"bold\">fragmentation "
		"(1 - largest free / free) over %zu calls, every %zu calls</text>\n", LEFT, pic->y + 6, pic->calls,
		pic->every);
	fprintf(pic->out, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"#f4f4f4\"/>\n", LEFT,
		top, MAP_WIDTH, STRIP_H);
	fprintf(pic->out, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">1</text><text x=\"%.0f\" y=\"%.0f\" "
		"text-anchor=\"end\">0</text>\n", LEFT - 6, top + 10, LEFT - 6, top + STRIP_H);
	fprintf(pic->out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", COLOUR_ALLOC);
	for (size_t i = 0; i < pic->nsamples; i++) {
		x = LEFT + MAP_WIDTH * (double)pic->samples[i].call / (double)pic->calls;
		fprintf(pic->out, "%.1f,%.1f ", x, top + STRIP_H * (1.0 - pic->samples[i].fragmentation));
	}
	fprintf(pic->out, "\"/></g>\n");
	pic->y = top + STRIP_H + 10;
}

/* Bytes per heap row: a power of two, so that the heap fits in MAX_HEAP_ROWS. */
static size_t choose_row_bytes(const struct os_stats *f)
{
	size_t r = MIN_ROW_BYTES;

	while (f->heap_size / r > MAX_HEAP_ROWS)
		r *= 2;
	return r;
}

/* The picture's body goes to a memory stream first: the height of the SVG,
 * in its first line, is known only once everything is laid out. */
static bool draw(struct picture *pic, FILE *out)
{
	struct os_stats f;
	char *body = NULL;
	size_t len = 0;

	os_stats(&f);
	pic->row_bytes = choose_row_bytes(&f);
	pic->out = open_memstream(&body, &len);
	if (!pic->out)
		return false;
	fprintf(pic->out, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	pic->y = 24;
	fprintf(pic->out, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"15\" font-weight=\"bold\">osmem heap map: %s, "
		"after %zu calls (%zu bytes per row)</text>\n", LEFT, pic->y, pic->source, pic->calls, pic->row_bytes);
	pic->y += 16;
	draw_legend(pic);
	draw_figures(pic, &f);
	draw_blocks(pic);
	pic->y += 10;
	draw_strip(pic);
	if (fclose(pic->out) != 0)
		return false;
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
		LEFT + MAP_WIDTH + 20, pic->y + 10);
	fwrite(body, 1, len, out);
	fprintf(out, "</svg>\n");
	free(body);
	return !ferror(out);
}

/* ---- PNG ---- */

static bool run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* rsvg-convert, inkscape, or ImageMagick's convert (not a stand-in of the
 * same name: it must say it is ImageMagick). */
static bool to_png(const char *svg, const char *png)
{
	char *svgc = (char *)svg, *pngc = (char *)png, out_opt[4200];

	if (have("rsvg-convert"))
		return run((char *[]){ "rsvg-convert", "-o", pngc, svgc, NULL });
	if (have("inkscape")) {
		snprintf(out_opt, sizeof(out_opt), "--export-filename=%s", png);
		return run((char *[]){ "inkscape", out_opt, svgc, NULL });
	}
	if (system("convert -version 2>/dev/null | grep -q ImageMagick") == 0)
		return run((char *[]){ "convert", svgc, pngc, NULL });
	fprintf(stderr, "osmem-heapmap: no SVG converter (rsvg-convert, inkscape, ImageMagick's convert): "
		"%s not written\n", png);
	return true;
}

static int usage(void)
{
	fprintf(stderr, "usage: osmem-heapmap [-o OUT.svg] [-p OUT.png] [-k EVERY] [TRACE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct picture pic = { 0 };
	struct trace_file t;
	const char *svg = NULL, *png = NULL;
	FILE *out;
	int opt;

	while ((opt = getopt(argc, argv, "o:p:k:")) != -1) {
		if (opt == 'o')
			svg = optarg;
		else if (opt == 'p')
			png = optarg;
		else if (opt == 'k')
			pic.every = strtoul(optarg, NULL, 10);
		else
			return usage();
	}
	if (argc - optind > 1 || (png && !svg))
		return usage();
	if (optind < argc) {
		if (!trace_file_load(&t, argv[optind]))
			return 2;
	} else {
		demo_trace(&t);
	}
	pic.source = t.path;
	replay_sampled(&pic, &t);
	out = svg ? fopen(svg, "w") : stdout;
	if (!out || !draw(&pic, out) || fclose(out) != 0) {
		perror(svg ? svg : "stdout");
		return 2;
	}
	return png && !to_png(svg, png) ? 1 : 0;
}
