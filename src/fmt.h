/* SPDX-License-Identifier: MIT */
/*
 * fmt.h - a heap-free line formatter for diagnostics.
 *
 * The allocator may not call stdio (it allocates, and in the drop-in it would
 * recurse into us), so messages are assembled in a caller-provided buffer and
 * written with one write(2).  Output that does not fit is truncated, never
 * overflowed.
 */
#ifndef OSMEM_FMT_H
#define OSMEM_FMT_H

#include <stddef.h>
#include <stdint.h>

struct fmt_buf {
	char *buf;
	size_t cap;
	size_t len;
};

#define FMT_BUF_INIT(array) { (array), sizeof(array), 0 }

void fmt_char(struct fmt_buf *f, char c);
void fmt_str(struct fmt_buf *f, const char *s);
void fmt_hex(struct fmt_buf *f, uintptr_t v);     /* 0x-prefixed */
void fmt_hex_upper(struct fmt_buf *f, uintptr_t v);   /* 0x-prefixed, 0x10A000 (show_alloc_mem) */
void fmt_hex_digits(struct fmt_buf *f, unsigned long long v, int width);   /* upper case, zero-padded, no prefix */
void fmt_dec(struct fmt_buf *f, unsigned long long v);
void fmt_write(int fd, const struct fmt_buf *f);  /* one write(2), retried on EINTR */

#endif /* OSMEM_FMT_H */
