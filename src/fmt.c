/* SPDX-License-Identifier: MIT */
#include "fmt.h"

#include <errno.h>
#include <unistd.h>

void fmt_char(struct fmt_buf *f, char c)
{
	if (f->len < f->cap)
		f->buf[f->len++] = c;
}

void fmt_str(struct fmt_buf *f, const char *s)
{
	while (*s)
		fmt_char(f, *s++);
}

/* v in `base` with at least `width` digits (zero-padded), from `digits`. */
static void fmt_digits(struct fmt_buf *f, unsigned long long v, unsigned base, int width,
		       const char *digits)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	while (n < width && n < (int)sizeof(tmp))
		tmp[n++] = '0';
	while (n)
		fmt_char(f, tmp[--n]);
}

static const char lower_digits[] = "0123456789abcdef";
static const char upper_digits[] = "0123456789ABCDEF";

void fmt_hex(struct fmt_buf *f, uintptr_t v)
{
	fmt_str(f, "0x");
	fmt_digits(f, v, 16, 1, lower_digits);
}

void fmt_hex_upper(struct fmt_buf *f, uintptr_t v)
{
	fmt_str(f, "0x");
	fmt_digits(f, v, 16, 1, upper_digits);
}

void fmt_hex_digits(struct fmt_buf *f, unsigned long long v, int width)
{
	fmt_digits(f, v, 16, width, upper_digits);
}

void fmt_dec(struct fmt_buf *f, unsigned long long v)
{
	fmt_digits(f, v, 10, 1, lower_digits);
}

void fmt_write(int fd, const struct fmt_buf *f)
{
	size_t done = 0;
	int saved = errno;   /* diagnostics must not disturb the caller's errno */

	while (done < f->len) {
		ssize_t n = write(fd, f->buf + done, f->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	errno = saved;
}
