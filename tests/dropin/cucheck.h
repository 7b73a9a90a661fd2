/* SPDX-License-Identifier: MIT */
/*
 * cucheck.h - CUnit helpers shared by the drop-in's test programs
 * (test_dropin.c, tests/zones/test_zones.c):
 *   CHECK(cond, fmt, ...)                 an assertion whose failure says why;
 *   EXPECT_ABORT(fn, prefix, problem)     fn, run in a child with stderr on a
 *                                         pipe, writes one line starting with
 *                                         prefix and containing problem, then
 *                                         dies of SIGABRT.
 */
#ifndef OSMEM_TESTS_CUCHECK_H
#define OSMEM_TESTS_CUCHECK_H

#include <CUnit/Basic.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static inline bool check_at(const char *file, unsigned int line, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline bool check_at(const char *file, unsigned int line, bool ok, const char *fmt, ...)
{
	char msg[512] = "";

	if (!ok) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
	return ok;
}

/* CHECK(cond, fmt, ...): a CUnit assertion whose failure message says why. */
#define CHECK(cond, ...) check_at(__FILE__, __LINE__, (cond), __VA_ARGS__)

/* Run fn in a child with fd 2 on a pipe: it must write exactly one line that
 * starts with `prefix` and contains `problem`, and die of SIGABRT. */
static inline void expect_abort(const char *file, unsigned int line, void (*fn)(void), const char *prefix,
			 const char *problem)
{
	char out[1024];
	size_t len = 0;
	ssize_t got;
	int fds[2], status = 0;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if (!check_at(file, line, pipe(fds) == 0, "pipe failed"))
		return;
	pid = fork();
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		alarm(20);   /* a hang fails (SIGALRM) instead of blocking the suite */
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while (len < sizeof(out) - 1 && (got = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)got;
	out[len] = '\0';
	close(fds[0]);
	if (!check_at(file, line, pid > 0 && waitpid(pid, &status, 0) == pid, "fork/waitpid failed"))
		return;
	check_at(file, line, WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
		 "child did not die of SIGABRT: status 0x%x; stderr \"%s\"", status, out);
	check_at(file, line, strncmp(out, prefix, strlen(prefix)) == 0, "stderr \"%s\" does not start with \"%s\"",
		 out, prefix);
	check_at(file, line, len > 0 && strchr(out, '\n') == out + len - 1, "stderr is not one line: \"%s\"", out);
	check_at(file, line, strstr(out, problem) != NULL, "stderr \"%s\" does not say \"%s\"", out, problem);
}
#define EXPECT_ABORT(fn, prefix, problem) expect_abort(__FILE__, __LINE__, (fn), (prefix), (problem))

#endif /* OSMEM_TESTS_CUCHECK_H */
