/* SPDX-License-Identifier: MIT */
#include "fmt.h"

#include <errno.h>
#include <unistd.h>

static void fmt_char(struct fmt_buf *f, char c)
{
	if (f->len < f->cap)
		f->buf[f->len++] = c;
}

void fmt_str(struct fmt_buf *f, const char *s)
{
	while (*s)
		fmt_char(f, *s++);
}

static void fmt_digits(struct fmt_buf *f, unsigned long long v, unsigned base)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		fmt_char(f, tmp[--n]);
}

void fmt_hex(struct fmt_buf *f, uintptr_t v)
{
	fmt_str(f, "0x");
	fmt_digits(f, v, 16);
}

void fmt_dec(struct fmt_buf *f, unsigned long long v)
{
	fmt_digits(f, v, 10);
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
