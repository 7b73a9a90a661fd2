/* SPDX-License-Identifier: MIT */
/*
 * options.c - the runtime knobs.  See options.h.
 *
 * Design: one table row per knob {name, variable, bounds, doc}; adding a
 * knob is adding a row (its variable lives with the code it tunes or here).
 * The environment is parsed in place, without allocating and without libc's
 * string functions that might: this code runs inside malloc, possibly before
 * libc has finished initialising.  Every rejected item costs exactly one
 * warning line on stderr (src/fmt.h, one write(2)) and changes nothing; the
 * parser never reads past the string's end, whatever the input.
 */
#include "options.h"

#include <stdint.h>
#include <unistd.h>

#include "config.h"
#include "fmt.h"
#include "mapcache.h"
#include "tcache.h"
#include "zone.h"

size_t opt_mmap_threshold = OSMEM_MMAP_THRESHOLD;
size_t opt_trim_threshold = OSMEM_TRIM_THRESHOLD;
size_t opt_top_pad = OSMEM_TOP_PAD;
size_t opt_madvise_threshold = OSMEM_MADVISE_THRESHOLD;
size_t opt_mmap_max = OSMEM_MMAP_MAX;
size_t opt_mmap_cache_count = OSMEM_MMAP_CACHE_COUNT;
size_t opt_mmap_cache_bytes = OSMEM_MMAP_CACHE_BYTES;
size_t opt_mmap_threshold_dynamic = OSMEM_MMAP_THRESHOLD_DYNAMIC;

#define KiB ((size_t)1024)
#define MiB (KiB * 1024)
#define GiB (MiB * 1024)

const struct option_knob option_knobs[] = {
	{ "mmap_threshold", &opt_mmap_threshold, 0, OSMEM_MMAP_THRESHOLD_MAX,
	  "requests of at least this many bytes (32-byte header included) get a mapping of their own" },
	{ "mmap_threshold_dynamic", &opt_mmap_threshold_dynamic, 0, 1,
	  "1: a freed mapping raises mmap_threshold above its length (up to 32 MiB) and trim_threshold to twice that" },
	{ "trim_threshold", &opt_trim_threshold, 0, SIZE_MAX,
	  "a free top of the heap larger than this is given back (brk down), keeping top_pad" },
	{ "top_pad", &opt_top_pad, 0, GiB,
	  "every heap growth asks this many bytes more (rounded to pages)" },
	{ "madvise_threshold", &opt_madvise_threshold, 0, SIZE_MAX,
	  "a free heap block into which this many bytes were freed releases its whole pages (madvise)" },
	{ "mmap_max", &opt_mmap_max, 0, SIZE_MAX,
	  "live mappings at most; larger requests beyond come from the heap" },
	{ "mmap_cache_count", &opt_mmap_cache_count, 0, MAPCACHE_SLOTS,
	  "freed mappings kept for reuse, at most" },
	{ "mmap_cache_bytes", &opt_mmap_cache_bytes, 0, SIZE_MAX,
	  "bytes of freed mappings kept for reuse, at most" },
#if OSMEM_ZONES
	{ "zone_max_size", &opt_zone_max_size, 0, ZONE_MAX_SIZE,
	  "requests up to this many bytes come from size-class zones (0: none)" },
	{ "zone_spare", &opt_zone_spare, 0, 1024,
	  "empty zones kept per size class instead of going back to the heap" },
	{ "tcache_count", &opt_tcache_count, 0, 65535,
	  "objects each thread caches per size class (0: no cache)" },
	{ "tcache_bytes", &opt_tcache_bytes, 0, 16 * MiB,
	  "bytes each thread caches per size class, at most (but 8 objects at least)" },
#endif
	{ NULL, NULL, 0, 0, NULL },
};

bool options_loaded;

/* ---- bounded string slices (no libc: it may not be ready) ---- */

struct slice {
	const char *p;
	size_t len;
};

static bool slice_is(struct slice s, const char *word)
{
	size_t i = 0;

	for (; i < s.len; i++)
		if (word[i] != s.p[i])   /* word[i] == '\0' mismatches too */
			return false;
	return word[i] == '\0';
}

/* Up to (but excluding) `stop` or the string's end. */
static struct slice slice_until(const char *p, char stop)
{
	struct slice s = { p, 0 };

	while (p[s.len] && p[s.len] != stop)
		s.len++;
	return s;
}

static const struct option_knob *knob_named(struct slice name)
{
	for (const struct option_knob *k = option_knobs; k->name; k++)
		if (slice_is(name, k->name))
			return k;
	return NULL;
}

/* Decimal digits, then an optional k, m or g (any case); false on anything
 * else, on an empty value and on overflow. */
static bool parse_size(struct slice s, size_t *out)
{
	size_t v = 0, i = 0, unit = 1;

	if (s.len == 0)
		return false;
	for (; i < s.len && s.p[i] >= '0' && s.p[i] <= '9'; i++)
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (size_t)(s.p[i] - '0'), &v))
			return false;
	if (i == 0)
		return false;
	if (i + 1 == s.len) {
		switch (s.p[i] | 0x20) {   /* lower case */
		case 'k': unit = KiB; break;
		case 'm': unit = MiB; break;
		case 'g': unit = GiB; break;
		default: return false;
		}
	} else if (i != s.len) {
		return false;
	}
	return !__builtin_mul_overflow(v, unit, out);
}

/* One line: "osmem: OSMEM_OPTIONS: <what> "<item>", ignored" (item cut short). */
static void warn(const char *what, struct slice item)
{
	char line[160], shown[48];
	struct fmt_buf f = FMT_BUF_INIT(line);
	size_t n = item.len < sizeof(shown) - 4 ? item.len : sizeof(shown) - 4;

	for (size_t i = 0; i < n; i++) {
		char c = item.p[i];

		shown[i] = (c >= ' ' && c <= '~') ? c : '?';   /* keep the line one printable line */
	}
	if (n < item.len)
		shown[n++] = '.', shown[n++] = '.', shown[n++] = '.';
	shown[n] = '\0';
	fmt_str(&f, "osmem: OSMEM_OPTIONS: ");
	fmt_str(&f, what);
	fmt_str(&f, " \"");
	fmt_str(&f, shown);
	fmt_str(&f, "\", ignored\n");
	fmt_write(STDERR_FILENO, &f);
}

/* Setting any of glibc's four mallopt parameters fixes the mapping
 * threshold where it is, as glibc does: the program chose its own policy.
 * A later mmap_threshold_dynamic=1 turns the rule back on. */
static void knob_assign(const struct option_knob *k, size_t value)
{
	*k->var = value;
	if (k->var == &opt_mmap_threshold || k->var == &opt_trim_threshold || k->var == &opt_top_pad ||
	    k->var == &opt_mmap_max)
		opt_mmap_threshold_dynamic = 0;
}

static void apply_item(struct slice item)
{
	struct slice key = slice_until(item.p, '=');
	const struct option_knob *k;
	size_t value;

	if (key.len >= item.len) {
		warn("expected key=value, got", item);
		return;
	}
	k = knob_named(key);
	if (!k) {
		warn("unknown key in", item);
		return;
	}
	struct slice val = { item.p + key.len + 1, item.len - key.len - 1 };

	if (!parse_size(val, &value) || value < k->min || value > k->max) {
		warn("bad value (a size in the knob's range) in", item);
		return;
	}
	knob_assign(k, value);
}

void options_parse(const char *text)
{
	const char *p = text;

	while (p && *p) {
		struct slice item = slice_until(p, ',');

		if (item.len > 0)   /* ",," and a trailing comma are harmless */
			apply_item(item);
		p += item.len;
		if (*p == ',')
			p++;
	}
}

bool options_set(const char *name, size_t value)
{
	struct slice s = slice_until(name, '\0');
	const struct option_knob *k = knob_named(s);

	if (!k || value < k->min || value > k->max)
		return false;
	knob_assign(k, value);
	return true;
}

extern char **environ;

/* Our own getenv over `environ`: a NULL environment means libc has not set
 * it up yet (malloc called from the dynamic loader), so try again later. */
void options_load(void)
{
	static const char var[] = "OSMEM_OPTIONS=";

	if (!OSMEM_READ_OPTIONS) {
		options_loaded = true;
		return;
	}
	if (!environ)
		return;
	options_loaded = true;
	for (char **e = environ; *e; e++) {
		size_t i = 0;

		while (var[i] && (*e)[i] == var[i])
			i++;
		if (var[i] == '\0') {
			options_parse(*e + i);
			return;
		}
	}
}
