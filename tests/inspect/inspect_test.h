/* SPDX-License-Identifier: MIT */
/*
 * inspect_test.h - what both inspection test programs share: capturing what a
 * function writes to fd 1 or 2, running this program again as a child with
 * one environment variable set, and running the CUnit suites.
 */
#ifndef INSPECT_TEST_H
#define INSPECT_TEST_H

#define _GNU_SOURCE
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
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

/* Run `self mode arg` (this program; argv[0], since under Valgrind
 * /proc/self/exe is Valgrind) with the environment variable var set to value
 * (NULL: unset); its stderr goes to err.  Returns the wait status. */
static inline int run_child(const char *self, const char *mode, const char *arg, const char *var,
			    const char *value, char *err, size_t cap)
{
	int fds[2], status = -1;
	size_t len = 0;
	ssize_t got;
	pid_t pid;

	err[0] = '\0';
	if (pipe(fds) != 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		if (value)
			setenv(var, value, 1);
		else
			unsetenv(var);
		execl(self, self, mode, arg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (len < cap - 1 && (got = read(fds[0], err + len, cap - 1 - len)) > 0)
		len += (size_t)got;
	err[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return status;
}

/* The runner: cunit_main(suites, argc, argv) from ../cunit_main.h. */
#include "../cunit_main.h"

#define TEST(fn) { #fn, fn }

#endif /* INSPECT_TEST_H */
