/* SPDX-License-Identifier: MIT */
/*
 * prog.c - a deterministic program to record with OSMEM_TRACE (tests/trace/run.sh).
 *
 *   trace-prog single    ROUNDS calls chosen by a fixed LCG among the whole malloc
 *                        family (heap and mapped sizes, realloc to 0 included),
 *                        then one free per slot (NULL slots too): exactly
 *                        ROUNDS + SLOTS = 564 calls
 *   trace-prog fork      the parent mallocs 10 blocks, forks; the child makes
 *                        7 malloc/free pairs (14 calls) and exits; the parent
 *                        waits and frees its 10 blocks: 20 calls in the parent
 *   trace-prog threads   4 threads, each ROUNDS malloc-or-free calls on its own
 *                        slots then SLOTS frees: 4 * 564 calls, plus whatever
 *                        pthread_create and thread exit allocate
 *   trace-prog doublefree   malloc, free, free again: the drop-in aborts on
 *                        the third call (for OSMEM_TRACE_SYNC=1)
 *
 * Every call of the family goes through one function that counts it; the
 * count is printed last ("calls N"), with write(2): stdio would allocate.
 * Built with -fno-builtin so that the compiler keeps every call.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS 64
#define ROUNDS 500
#define THREADS 4

struct rng {
	uint64_t state;
};

static unsigned next(struct rng *r, unsigned bound)
{
	r->state = r->state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(r->state >> 33) % bound;
}

/* Mostly small heap blocks; one in 16 crosses the 128 KiB mapping threshold. */
static size_t pick_size(struct rng *r)
{
	if (next(r, 16) == 0)
		return 128 * 1024 + next(r, 200 * 1024);
	return 1 + next(r, 2000);
}

static unsigned long calls;   /* single and fork modes only */

static void count(void)
{
	__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
}

/* One call of the family on slot *p: frees or resizes a live block, or
 * allocates one in an empty slot. */
static void one_call(struct rng *r, void **p)
{
	void *q = NULL;

	count();
	if (*p) {
		switch (next(r, 4)) {
		case 0:
			free(*p);
			*p = NULL;
			return;
		case 1:
			/* realloc(p, 0) frees p in glibc's semantics: one in 8 */
			*p = realloc(*p, next(r, 8) ? pick_size(r) : 0);
			return;
		case 2:
			q = reallocarray(*p, 1 + next(r, 4), pick_size(r) / 4 + 1);
			break;
		default:
			free(*p);
			*p = NULL;
			return;
		}
		if (q)
			*p = q;
		return;
	}
	switch (next(r, 8)) {
	case 0:
		*p = calloc(1 + next(r, 8), pick_size(r) / 8 + 1);
		break;
	case 1:
		*p = memalign((size_t)32 << next(r, 6), pick_size(r));
		break;
	case 2:
		*p = aligned_alloc(64, pick_size(r));
		break;
	case 3:
		if (posix_memalign(p, 256, pick_size(r)) != 0)
			*p = NULL;
		break;
	case 4:
		*p = valloc(pick_size(r));
		break;
	case 5:
		*p = pvalloc(pick_size(r));
		break;
	default:
		*p = malloc(pick_size(r));
		break;
	}
}

/* ROUNDS calls on random slots, then free every slot (NULL ones too). */
static void workload(uint64_t seed)
{
	void *slot[SLOTS] = { 0 };
	struct rng r = { seed };

	for (int i = 0; i < ROUNDS; i++)
		one_call(&r, &slot[next(&r, SLOTS)]);
	for (int i = 0; i < SLOTS; i++) {
		count();
		free(slot[i]);
	}
}

static void *thread_main(void *arg)
{
	workload((uint64_t)(uintptr_t)arg);
	return NULL;
}

static void print_calls(void)
{
	char line[32], digits[24];
	int n = 0, len = 0;
	unsigned long v = calls;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(line, "calls ", 6);
	len = 6;
	while (n)
		line[len++] = digits[--n];
	line[len++] = '\n';
	if (write(STDOUT_FILENO, line, (size_t)len) != len)
		_exit(2);
}

static int fork_mode(void)
{
	void *kept[10];
	int status;
	pid_t pid;

	for (int i = 0; i < 10; i++) {
		count();
		kept[i] = malloc(100 + (size_t)i * 10);
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		calls = 0;
		for (int i = 0; i < 7; i++) {
			void *p;

			count();
			p = malloc(1000);
			count();
			free(p);
		}
		print_calls();
		exit(0);   /* not _exit: the trace is written by a destructor */
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 1;
	for (int i = 0; i < 10; i++) {
		count();
		free(kept[i]);
	}
	return 0;
}

static int threads_mode(void)
{
	pthread_t t[THREADS];

	for (uintptr_t i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, thread_main, (void *)(i + 1)) != 0)
			return 1;
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc != 2)
		return 2;
	if (strcmp(argv[1], "single") == 0)
		workload(42);
	else if (strcmp(argv[1], "fork") == 0)
		rc = fork_mode();
	else if (strcmp(argv[1], "threads") == 0)
		rc = threads_mode();
	else if (strcmp(argv[1], "doublefree") == 0) {
		void *p = malloc(10);

		free(p);
		free(p);
	}
	else
		return 2;
	print_calls();
	return rc;
}
