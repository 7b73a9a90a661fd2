/* SPDX-License-Identifier: MIT */
/*
 * capture.h - run a function with a file descriptor (1 or 2) redirected into
 * a memfd and return what it wrote, for the inspection tests.
 */
#ifndef INSPECT_CAPTURE_H
#define INSPECT_CAPTURE_H

#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CAPTURE_MAX 16384

/* Call fn(arg) with fd redirected; the output (NUL-terminated, truncated to
 * CAPTURE_MAX - 1 bytes) goes to out. */
static inline void capture_fd(int fd, void (*fn)(void *), void *arg, char out[CAPTURE_MAX])
{
	int mem = memfd_create("capture", 0), saved = dup(fd);
	ssize_t got;

	out[0] = '\0';
	fflush(stdout);
	fflush(stderr);
	if (mem < 0 || saved < 0)
		return;
	dup2(mem, fd);
	fn(arg);
	dup2(saved, fd);
	close(saved);
	got = pread(mem, out, CAPTURE_MAX - 1, 0);
	out[got > 0 ? got : 0] = '\0';
	close(mem);
}

static inline size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

#endif /* INSPECT_CAPTURE_H */
