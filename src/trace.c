/* SPDX-License-Identifier: MIT */
/*
 * trace.c - allocation traces (OSMEM_TRACE=file, the libc drop-in only).
 *
 * Design:
 *   - One static buffer of records under one lock, held across the traced
 *     call itself.  osmem serialises every call on its own lock anyway, so
 *     this costs no parallelism, and it makes the file order the order in
 *     which calls took effect: a free(p) is always recorded before the
 *     malloc that gets p back, whichever threads made them.  Replaying the
 *     records in file order is therefore a valid single-threaded history.
 *   - The buffer goes to the file with write(2) when it is full and from a
 *     destructor at exit; calls made after that (later destructors) are
 *     written one by one.  OSMEM_TRACE_SYNC=1 writes every record at once,
 *     so that a crash or abort loses nothing (slow).  Nothing here allocates
 *     or uses stdio.
 *   - fork: the child drops the records it inherited (the parent writes
 *     them) and traces on into FILE.PID.  A process started while another
 *     live process is writing FILE (a traced program that runs another
 *     traced program) also writes FILE.PID: the header names its writer.
 *   - secure_getenv: a set-user-ID program never writes a trace.
 */
#define _GNU_SOURCE
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block.h"
#include "fmt.h"
#include "osmem_trace.h"

#define TRACE_BUFFER_RECORDS 4096   /* 160 KiB of records per write(2) */

int trace_on;
__thread unsigned trace_depth __attribute__((tls_model("initial-exec")));
static __thread uint32_t cached_tid __attribute__((tls_model("initial-exec")));

static struct {
	pthread_mutex_t lock;
	int fd;
	bool write_through;   /* after the exit flush, or OSMEM_TRACE_SYNC=1 */
	size_t used;
	char path[PATH_MAX];
	struct osmem_trace_record buf[TRACE_BUFFER_RECORDS];
} tr = { .lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1 };

static void complain(const char *what)
{
	char line[PATH_MAX + 96];
	struct fmt_buf f = FMT_BUF_INIT(line);

	fmt_str(&f, "osmem: OSMEM_TRACE=");
	fmt_str(&f, tr.path);
	fmt_str(&f, ": ");
	fmt_str(&f, what);
	fmt_str(&f, ", not tracing\n");
	fmt_write(STDERR_FILENO, &f);
}

static bool write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* Called with the trace lock held (or single-threaded). */
static void flush_records(void)
{
	if (tr.used && !write_all(tr.fd, tr.buf, tr.used * sizeof(tr.buf[0]))) {
		trace_on = 0;   /* a full disk must not take the program down */
		complain("write failed");
	}
	tr.used = 0;
}

static bool process_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

/* Open `path` for a new trace and write its header.  Refuses (returns -2)
 * when `path` holds the trace of another process that is still running,
 * unless `take_over` (the fork child's own FILE.PID).  -1 on error. */
static int open_trace_file(const char *path, bool take_over)
{
	struct osmem_trace_header h;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	if (!take_over && pread(fd, &h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
	    memcmp(h.magic, OSMEM_TRACE_MAGIC, sizeof(h.magic)) == 0 &&
	    h.pid != (uint32_t)getpid() && process_alive((pid_t)h.pid)) {
		close(fd);
		return -2;
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, OSMEM_TRACE_MAGIC, sizeof(h.magic));
	h.version = OSMEM_TRACE_VERSION;
	h.record_size = sizeof(struct osmem_trace_record);
	h.pid = (uint32_t)getpid();
	h.alignment = OSMEM_ALIGNMENT;
	if (ftruncate(fd, 0) != 0 || !write_all(fd, &h, sizeof(h))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* FILE.PID, in a static buffer (this runs in a fork child: no allocation). */
static const char *path_for_this_process(void)
{
	static char name[PATH_MAX + 24];
	struct fmt_buf f = { name, sizeof(name) - 1, 0 };

	fmt_str(&f, tr.path);
	fmt_str(&f, ".");
	fmt_dec(&f, (unsigned long long)getpid());
	name[f.len] = '\0';
	return name;
}

static void trace_fork_child(void)
{
	pthread_mutex_init(&tr.lock, NULL);   /* its holder did not come along */
	tr.used = 0;                          /* the parent writes these */
	cached_tid = 0;
	close(tr.fd);
	tr.fd = open_trace_file(path_for_this_process(), true);
	if (tr.fd < 0) {
		trace_on = 0;
		complain("cannot open FILE.PID in a fork child");
	}
}

__attribute__((constructor)) static void trace_init(void)
{
	const char *path = secure_getenv("OSMEM_TRACE");
	const char *sync = secure_getenv("OSMEM_TRACE_SYNC");

	if (!path || !*path)
		return;
	if (strlen(path) >= sizeof(tr.path)) {
		complain("path too long");
		return;
	}
	strcpy(tr.path, path);
	tr.fd = open_trace_file(tr.path, false);
	if (tr.fd == -2)
		tr.fd = open_trace_file(path_for_this_process(), true);
	if (tr.fd < 0) {
		complain("cannot open");
		return;
	}
	tr.write_through = sync && strcmp(sync, "1") == 0;
	pthread_atfork(NULL, NULL, trace_fork_child);
	trace_on = 1;
}

__attribute__((destructor)) static void trace_fini(void)
{
	if (!trace_on)
		return;
	pthread_mutex_lock(&tr.lock);
	flush_records();
	tr.write_through = true;   /* later destructors' calls go out one by one */
	pthread_mutex_unlock(&tr.lock);
}

static void trace_begin(void)
{
	trace_depth++;
	pthread_mutex_lock(&tr.lock);
}

static uint32_t thread_id(void)
{
	if (!cached_tid)
		cached_tid = (uint32_t)gettid();
	return cached_tid;
}

static uint8_t result_flags(void *result)
{
	return result && payload_block(result)->status == STATUS_MAPPED ? OSMEM_TRACE_F_MAPPED : 0;
}

/* Append one record (trace lock held); errno is the call's and stays. */
static void trace_record(enum osmem_trace_op op, uintptr_t ptr, void *result, size_t size, size_t arg)
{
	int saved = errno;

	if (trace_on) {   /* off after a failed write */
		tr.buf[tr.used++] = (struct osmem_trace_record){
			.ptr = ptr, .result = (uintptr_t)result, .size = size, .arg = arg,
			.tid = thread_id(), .op = (uint8_t)op, .flags = result_flags(result),
		};
		if (tr.used == TRACE_BUFFER_RECORDS || tr.write_through)
			flush_records();
	}
	errno = saved;
}

static void trace_finish(void)
{
	pthread_mutex_unlock(&tr.lock);
	trace_depth--;
}

/* Record the call just made and release the lock. */
static void trace_end(enum osmem_trace_op op, uintptr_t ptr, void *result, size_t size, size_t arg)
{
	trace_record(op, ptr, result, size, arg);
	trace_finish();
}

/* ---- one wrapper per entry point: lock, call the public function again, record ----
 *
 * TRACED(op, ptr, size, arg, call): `ptr` is read before the call (after a
 * realloc it is only a number). */
#define TRACED(op, ptr, size, arg, call) ({                              \
	uintptr_t old_ = (uintptr_t)(ptr);                               \
	void *result_;                                                   \
	trace_begin();                                                   \
	result_ = (call);                                                \
	trace_end(op, old_, result_, size, arg);                         \
	result_;                                                         \
})

void *trace_malloc(size_t size)
{
	return TRACED(OSMEM_TRACE_MALLOC, 0, size, 0, malloc(size));
}

void trace_free(void *ptr)
{
	/* Recorded before the call, so that with OSMEM_TRACE_SYNC=1 a free that
	 * aborts (invalid or double) is in the trace. */
	trace_begin();
	trace_record(OSMEM_TRACE_FREE, (uintptr_t)ptr, NULL, 0, 0);
	free(ptr);
	trace_finish();
}

void *trace_calloc(size_t nmemb, size_t size)
{
	return TRACED(OSMEM_TRACE_CALLOC, 0, size, nmemb, calloc(nmemb, size));
}

void *trace_realloc(void *ptr, size_t size)
{
	return TRACED(OSMEM_TRACE_REALLOC, ptr, size, 0, realloc(ptr, size));
}

void *trace_reallocarray(void *ptr, size_t nmemb, size_t size)
{
	return TRACED(OSMEM_TRACE_REALLOCARRAY, ptr, size, nmemb, reallocarray(ptr, nmemb, size));
}

void *trace_memalign(size_t align, size_t size)
{
	return TRACED(OSMEM_TRACE_MEMALIGN, 0, size, align, memalign(align, size));
}

void *trace_aligned_alloc(size_t align, size_t size)
{
	return TRACED(OSMEM_TRACE_ALIGNED_ALLOC, 0, size, align, aligned_alloc(align, size));
}

/* Returns an error code, not a pointer: written out. */
int trace_posix_memalign(void **memptr, size_t align, size_t size)
{
	int rc;

	trace_begin();
	rc = posix_memalign(memptr, align, size);
	trace_end(OSMEM_TRACE_POSIX_MEMALIGN, 0, rc ? NULL : *memptr, size, align);
	return rc;
}

void *trace_valloc(size_t size)
{
	return TRACED(OSMEM_TRACE_VALLOC, 0, size, 0, valloc(size));
}

void *trace_pvalloc(size_t size)
{
	return TRACED(OSMEM_TRACE_PVALLOC, 0, size, 0, pvalloc(size));
}
