/* SPDX-License-Identifier: MIT */
/*
 * fork.c - fork stress test of the libc drop-in.
 *
 * T threads (4) allocate, check, reallocate and free blocks continuously
 * while the main thread forks F times (200).  Each child, single-threaded in
 * a copy of a busy allocator: checks and frees blocks the parent allocated
 * before the fork (heap and mapped), mallocs/reallocs/frees a few hundred
 * blocks (touching every byte), lets libc allocate for itself (strdup,
 * asprintf with a long format, a stdio stream), walks the allocator
 * (mallinfo2) and _exit(0)s.  The parent requires every child to exit 0
 * within a timeout (SIGALRM; a child deadlocked on a lock held at fork time
 * is killed and counted as failed).
 *
 *   dropin-fork [-f forks] [-t threads] [-c child-blocks] [-m max-size]
 *               [-w timeout-seconds] [-l]
 *
 * -l allows running on libc's malloc; otherwise malloc must be osmem's
 * (LD_PRELOAD).  Ends with "N passed, M failed": one test per child, per
 * thread, and the parent's own blocks.  Synchronisation is pthread mutexes
 * only, for helgrind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

#define SLOTS 64
#define PARENT_BLOCKS 24

struct slot {
	void *p;
	size_t size;
	uint64_t seq;
};

struct worker {
	pthread_t tid;
	unsigned int id;
	uint64_t rng;
	unsigned long ops;
	struct failures fail;
	struct slot slots[SLOTS];
};

static unsigned int nforks = 200, nthreads = 4, child_blocks = 300, timeout = 20;
static size_t max_size = 300 * KiB;

static pthread_mutex_t stop_mu = PTHREAD_MUTEX_INITIALIZER;
static bool stop;

static bool stopping(void)
{
	bool s;

	pthread_mutex_lock(&stop_mu);
	s = stop;
	pthread_mutex_unlock(&stop_mu);
	return s;
}

static void check_slot(struct worker *w, const struct slot *s)
{
	size_t at = pattern_check(s->p, s->size, pattern_seed(w->id, s->seq));

	if (at != s->size)
		fail_note(&w->fail, "block %p of %zu bytes: byte %zu changed", s->p, s->size, at);
}

static void step(struct worker *w, uint64_t seq)
{
	struct slot *s = &w->slots[rng_next(&w->rng) % SLOTS];
	size_t n = random_size(&w->rng, max_size);
	unsigned int how = (unsigned int)(rng_next(&w->rng) % 10);
	void *p;

	w->ops++;
	if (s->p) {
		check_slot(w, s);
		if (how < 6) {
			free(s->p);
			s->p = NULL;
			return;
		}
		p = realloc(s->p, n);
		if (!p) {
			fail_note(&w->fail, "realloc(%p, %zu) returned NULL (errno %d)", s->p, n, errno);
			return;
		}
		size_t keep = n < s->size ? n : s->size, at = pattern_check(p, keep, pattern_seed(w->id, s->seq));

		if (at != keep)
			fail_note(&w->fail, "realloc(%zu -> %zu): byte %zu lost", s->size, n, at);
	} else {
		p = how < 7 ? malloc(n) : how < 9 ? calloc(1, n) : memalign(256, n);
		if (!p) {
			fail_note(&w->fail, "allocation of %zu bytes returned NULL (errno %d)", n, errno);
			return;
		}
	}
	if ((uintptr_t)p % 16)
		fail_note(&w->fail, "%p is not 16-aligned", p);
	*s = (struct slot){ p, n, seq };
	pattern_fill(p, n, pattern_seed(w->id, seq));
}

static void *run(void *arg)
{
	struct worker *w = arg;
	uint64_t seq = 0;

	while (!stopping())
		for (int i = 0; i < 64; i++)
			step(w, ++seq);
	for (int i = 0; i < SLOTS; i++) {
		if (w->slots[i].p) {
			check_slot(w, &w->slots[i]);
			free(w->slots[i].p);
		}
	}
	return NULL;
}

/* ---- the child ---- */

static struct slot parent_blocks[PARENT_BLOCKS];

static void child_fail(int *bad, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void child_fail(int *bad, const char *fmt, ...)
{
	char line[300];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		n = 0;
	(*bad)++;
}

static int child(unsigned int index)
{
	uint64_t rng = mix64(0xc41dULL + index) | 1;
	void *blocks[64] = { 0 };
	size_t sizes[64] = { 0 };
	int bad = 0;

	/* The parent's blocks came along: intact, and ours to free. */
	for (int i = 0; i < PARENT_BLOCKS; i++) {
		struct slot *s = &parent_blocks[i];
		size_t at = pattern_check(s->p, s->size, pattern_seed(999, s->seq));

		if (at != s->size)
			child_fail(&bad, "child %u: parent block %d (%zu bytes): byte %zu changed", index, i, s->size,
				   at);
		if (i % 2 == (int)(index % 2))
			free(s->p);
	}
	for (unsigned int k = 0; k < child_blocks; k++) {
		unsigned int j = (unsigned int)(rng_next(&rng) % 64);
		size_t n = random_size(&rng, max_size);

		if (blocks[j]) {
			size_t at = pattern_check(blocks[j], sizes[j], pattern_seed(1000 + index, j));

			if (at != sizes[j])
				child_fail(&bad, "child %u: block of %zu bytes: byte %zu changed", index, sizes[j], at);
			if (k % 3 == 0) {
				void *q = realloc(blocks[j], n);

				if (!q) {
					child_fail(&bad, "child %u: realloc(%zu) failed", index, n);
					continue;
				}
				if (pattern_check(q, n < sizes[j] ? n : sizes[j], pattern_seed(1000 + index, j)) !=
				    (n < sizes[j] ? n : sizes[j]))
					child_fail(&bad, "child %u: realloc lost data", index);
				blocks[j] = q;
				sizes[j] = n;
				pattern_fill(q, n, pattern_seed(1000 + index, j));
				continue;
			}
			free(blocks[j]);
		}
		blocks[j] = k % 5 == 0 ? calloc(n, 1) : malloc(n);
		sizes[j] = n;
		if (!blocks[j] || (uintptr_t)blocks[j] % 16) {
			child_fail(&bad, "child %u: allocation of %zu bytes = %p", index, n, blocks[j]);
			blocks[j] = NULL;
			continue;
		}
		pattern_fill(blocks[j], n, pattern_seed(1000 + index, j));
	}
	for (int j = 0; j < 64; j++)
		free(blocks[j]);

	/* libc allocating for itself, through the same allocator. */
	char *s = strdup("a string duplicated in a forked child"), *t = NULL;
	if (!s || strcmp(s, "a string duplicated in a forked child") != 0)
		child_fail(&bad, "child %u: strdup", index);
	free(s);
	if (asprintf(&t, "%s %05000u %s", "child", index, "done") != 5000 + 11 || !t)
		child_fail(&bad, "child %u: asprintf", index);
	free(t);
	FILE *f = fopen("/dev/null", "w");
	if (!f || fprintf(f, "%08000d\n", (int)index) != 8001 || fclose(f) != 0)
		child_fail(&bad, "child %u: stdio on /dev/null", index);

	/* One walk of every block: the list survived the fork. */
	struct mallinfo2 m = mallinfo2();
	if (running_on_osmem() && m.arena < m.uordblks + m.fordblks)
		child_fail(&bad, "child %u: mallinfo2 inconsistent (arena %zu, in use %zu, free %zu)", index,
			   m.arena, m.uordblks, m.fordblks);
	return bad ? 1 : 0;
}

/* ---- the parent ---- */

static void on_alarm(int sig)
{
	(void)sig;   /* only interrupts waitpid */
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-f forks] [-t threads] [-c child-blocks] [-m max-size] [-w timeout] [-l]\n", prog);
	return 2;
}

int main(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0, timeouts = 0;
	bool allow_libc = false;
	struct worker *workers;
	struct sigaction sa;
	sigset_t alrm, old;
	uint64_t rng = 12345;
	int opt;

	while ((opt = getopt(argc, argv, "f:t:c:m:w:l")) != -1) {
		switch (opt) {
		case 'f': nforks = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 't': nthreads = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'c': child_blocks = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'm': max_size = strtoul(optarg, NULL, 0); break;
		case 'w': timeout = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'l': allow_libc = true; break;
		default: return usage(argv[0]);
		}
	}
	if (max_size == 0 || timeout == 0)
		return usage(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!announce_allocator("dropin-fork", allow_libc)) {
		printf("0 passed, 1 failed\n");
		return 1;
	}
	printf("dropin-fork: %u forks, %u threads, %u blocks per child, sizes 1 .. %zu, timeout %u s\n", nforks,
	       nthreads, child_blocks, max_size, timeout);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;   /* no SA_RESTART: waitpid returns EINTR */
	sigaction(SIGALRM, &sa, NULL);
	/* SIGALRM must reach the main thread: the workers block it. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, &old);

	for (int i = 0; i < PARENT_BLOCKS; i++) {
		/* Every 6th is mapped (when max_size allows), the others on the heap. */
		size_t n = i % 6 == 5 ? (max_size > 200 * KiB ? 200 * KiB : max_size) : 40 + (size_t)i * 300;

		parent_blocks[i] = (struct slot){ malloc(n), n, (uint64_t)i };
		if (!parent_blocks[i].p) {
			printf("0 passed, 1 failed\n");
			return 1;
		}
		pattern_fill(parent_blocks[i].p, n, pattern_seed(999, (uint64_t)i));
	}

	workers = calloc(nthreads ? nthreads : 1, sizeof(*workers));
	for (unsigned int i = 0; i < nthreads; i++) {
		workers[i].id = i;
		workers[i].rng = mix64(i + 77) | 1;
		if (pthread_create(&workers[i].tid, NULL, run, &workers[i]) != 0) {
			printf("0 passed, 1 failed\n");
			return 1;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	for (unsigned int k = 0; k < nforks; k++) {
		int status = 0;
		pid_t pid, got;

		/* Some allocation on the main thread too, between forks. */
		for (int i = 0; i < 8; i++) {
			size_t n = random_size(&rng, max_size);
			void *p = malloc(n);

			if (p)
				memset(p, 0x77, n);
			free(p);
		}
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			printf("fork %u: fork failed (errno %d)\n", k, errno);
			failed++;
			continue;
		}
		if (pid == 0) {
			struct rlimit no_core = { 0, 0 };

			setrlimit(RLIMIT_CORE, &no_core);
			_exit(child(k));
		}
		alarm(timeout);
		got = waitpid(pid, &status, 0);
		alarm(0);
		if (got != pid) {
			printf("fork %u: child %d did not exit within %u s (waitpid: %s): killed\n", k, (int)pid,
			       timeout, strerror(errno));
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			timeouts++;
			failed++;
		} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			passed++;
		} else {
			if (WIFSIGNALED(status))
				printf("fork %u: child killed by signal %d\n", k, WTERMSIG(status));
			else
				printf("fork %u: child exited %d\n", k, WEXITSTATUS(status));
			failed++;
		}
	}

	pthread_mutex_lock(&stop_mu);
	stop = true;
	pthread_mutex_unlock(&stop_mu);
	for (unsigned int i = 0; i < nthreads; i++) {
		struct worker *w = &workers[i];

		pthread_join(w->tid, NULL);
		printf("thread %u: %lu operations: %s%s\n", i, w->ops, w->fail.count ? "FAILED: " : "ok",
		       w->fail.first);
		w->fail.count ? failed++ : passed++;
	}

	/* The children's frees did not touch the parent's copy. */
	unsigned int broken = 0;
	for (int i = 0; i < PARENT_BLOCKS; i++) {
		struct slot *s = &parent_blocks[i];

		if (pattern_check(s->p, s->size, pattern_seed(999, s->seq)) != s->size)
			broken++;
		free(s->p);
	}
	if (broken) {
		printf("FAILED: %u of the parent's blocks changed\n", broken);
		failed++;
	} else {
		passed++;
	}
	free(workers);
	printf("children: %u forked, %u timed out\n", nforks, timeouts);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
