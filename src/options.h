/* SPDX-License-Identifier: MIT */
/*
 * options.h - the runtime knobs: one table, filled from the environment
 * variable OSMEM_OPTIONS ("key=value,...") on first use and from mallopt.
 *
 * Each knob is a global `size_t opt_...` read by the code it tunes, under the
 * allocator lock.  Its default is the profile's number from config.h: in the
 * strict profile those defaults switch the machinery off, and the
 * environment is not read (OSMEM_READ_OPTIONS = 0), so the contract holds.
 */
#ifndef OSMEM_OPTIONS_H
#define OSMEM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

extern size_t opt_mmap_threshold;   /* header + size at or above this is mapped */
extern size_t opt_trim_threshold;   /* trim a free top block larger than this */
extern size_t opt_top_pad;          /* extra bytes asked at every heap growth */
extern size_t opt_madvise_threshold;/* release a free block's pages past this many freed bytes */
extern size_t opt_mmap_max;         /* live mappings at most */
extern size_t opt_mmap_cache_count; /* freed mappings kept at most */
extern size_t opt_mmap_cache_bytes; /* ... of this many bytes in all */
extern size_t opt_mmap_threshold_dynamic; /* 1: freed mappings raise mmap_threshold (mapped.c) */

struct option_knob {
	const char *name;   /* the OSMEM_OPTIONS key */
	size_t *var;
	size_t min, max;    /* accepted values, bounds included */
	const char *doc;    /* one line, for README's table */
};

/* The table, terminated by a row with name NULL. */
extern const struct option_knob option_knobs[];

/* Read OSMEM_OPTIONS once (a no-op after; retried while the environment is
 * not set up yet).  Call with the allocator lock held. */
void options_load(void);

extern bool options_loaded;

static inline void options_ensure_loaded(void)
{
	if (__builtin_expect(!options_loaded, 0))
		options_load();
}

/* Apply "key=value,..." (a value is decimal, optionally followed by k, m or
 * g); each unknown key or bad value writes one warning line on stderr and is
 * skipped.  Never allocates.  Lock held. */
void options_parse(const char *text);

/* Set the knob `name` if value is within its bounds; false otherwise.
 * Here and in OSMEM_OPTIONS, setting mmap_threshold, trim_threshold,
 * top_pad or mmap_max also sets mmap_threshold_dynamic to 0. */
bool options_set(const char *name, size_t value);

#endif /* OSMEM_OPTIONS_H */
