/* SPDX-License-Identifier: MIT */
/*
 * measure.c - run one command, report its wall time and peak RSS.
 *
 *   measure [--preload LIB] [--timeout SECONDS] -- COMMAND [ARG...]
 *
 * Starts COMMAND with posix_spawnp (LD_PRELOAD=LIB set in the child's
 * environment only), waits with wait4, and prints, after everything the
 * command printed, one line on stdout:
 *
 *   measure: status=ok|exit:N|signal:N|timeout wall_s=1.234567 maxrss_kib=12345
 *            user_s=... sys_s=...
 *
 * maxrss_kib is wait4's ru_maxrss: the largest resident set of the command or
 * of any descendant it waited for (gcc's cc1, for one).  posix_spawn creates
 * the child without copying this process's memory (glibc uses vfork
 * semantics), so the peak is the command's own, not inflated by the runner.
 *
 * On timeout the command's whole process group is killed.  Exit status: 0
 * when the result line was printed (whatever the command did), 2 on a usage
 * or spawn error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void on_alarm(int sig)
{
	(void)sig;   /* only interrupts wait4 */
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* environ with LD_PRELOAD replaced by (or, for NULL, removed in favour of) LIB */
static char **child_env(const char *lib)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0)
			env[k++] = environ[i];
	if (lib) {
		size_t len = strlen(lib) + sizeof("LD_PRELOAD=");
		env[k] = malloc(len);
		if (!env[k])
			return NULL;
		snprintf(env[k], len, "LD_PRELOAD=%s", lib);
		k++;
	}
	env[k] = NULL;
	return env;
}

static int usage(void)
{
	fprintf(stderr, "usage: measure [--preload LIB] [--timeout SECONDS] -- COMMAND [ARG...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *lib = NULL;
	unsigned timeout = 0;
	int i = 1;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--preload") == 0 && i + 1 < argc)
			lib = argv[++i];
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout = (unsigned)strtoul(argv[++i], NULL, 10);
		else
			return usage();
	}
	if (i + 1 >= argc)
		return usage();
	char **cmd = &argv[i + 1];

	char **env = child_env(lib);
	posix_spawnattr_t attr;
	if (!env || posix_spawnattr_init(&attr) != 0)
		return 2;
	/* its own process group, so that a timeout kills the whole pipeline */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);

	struct sigaction sa = { .sa_handler = on_alarm };   /* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);

	fflush(stdout);
	double start = now_s();
	pid_t pid;
	int err = posix_spawnp(&pid, cmd[0], NULL, &attr, cmd, env);
	if (err != 0) {
		fprintf(stderr, "measure: cannot run %s: %s\n", cmd[0], strerror(err));
		return 2;
	}
	if (timeout)
		alarm(timeout);
	int status = 0, timed_out = 0;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR)
			return 2;
		timed_out = 1;
		kill(-pid, SIGKILL);
	}
	double wall = now_s() - start;
	alarm(0);

	char what[32];
	if (timed_out)
		snprintf(what, sizeof(what), "timeout");
	else if (WIFSIGNALED(status))
		snprintf(what, sizeof(what), "signal:%d", WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		snprintf(what, sizeof(what), "exit:%d", WEXITSTATUS(status));
	else
		snprintf(what, sizeof(what), "ok");
	printf("measure: status=%s wall_s=%.6f maxrss_kib=%ld user_s=%.3f sys_s=%.3f\n", what, wall,
		ru.ru_maxrss, tv_s(ru.ru_utime), tv_s(ru.ru_stime));
	return 0;
}
