# Tests of the libc drop-in (build/libosmalloc.{a,so}); included by the main Makefile.
#
#   make check-dropin            the CUnit suites (test_dropin.c, test_heap.c: linked
#                                with libosmalloc.a), then the
#                                thread stress test (plain, with mallopt changing
#                                the mapping threshold meanwhile, and with OSMEM_OPTIONS
#                                giving memory back at every free) and the fork stress
#                                test under LD_PRELOAD=build/libosmalloc.so; each stage
#                                and the total end with "N passed, M failed"
#   make check-dropin-helgrind   the same stress tests, shrunk, under
#                                valgrind --tool=helgrind (error = failure)
#
# Variables: DROPIN_THREADS_ARGS, DROPIN_MALLOPT_ARGS, DROPIN_FORK_ARGS (native
# runs), DROPIN_HG_THREADS_ARGS, DROPIN_HG_MALLOPT_ARGS, DROPIN_HG_FORK_ARGS
# (helgrind runs); see the usage comments of threads.c and fork.c.  Each stress
# program also runs on its own: LD_PRELOAD=build/libosmalloc.so build/tests/dropin-threads
# (or with -l, on libc's malloc, to check the test itself).

# -fno-builtin: the compiler must not reason about malloc (fold alignment
# checks, drop malloc/free pairs, assume malloc(0) != NULL).
DROPIN_CFLAGS := -O2 -g -std=gnu11 $(WARN) -fno-builtin -Iinclude

DROPIN_THREADS_ARGS    ?=
DROPIN_MALLOPT_ARGS    ?= -o -n 16384
DROPIN_FORK_ARGS       ?=
DROPIN_HG_THREADS_ARGS ?= -n 4000 -r 32
DROPIN_HG_MALLOPT_ARGS ?= -o -n 1000 -r 32 -m 100000
DROPIN_HG_FORK_ARGS    ?= -f 40 -c 200 -w 120

.PHONY: check-dropin check-dropin-helgrind

$(BUILD)/tests/dropin: tests/dropin/test_dropin.c tests/dropin/cunit.h tests/dropin/cucheck.h tests/cunit_main.h include/osmem.h $(BUILD)/libosmalloc.a
	mkdir -p $(BUILD)/tests
	$(CC) $(DROPIN_CFLAGS) -o $@ $< $(BUILD)/libosmalloc.a -lcunit -lpthread

# Plain programs on libc's API: malloc is osmem's through LD_PRELOAD.
$(BUILD)/tests/dropin-threads: tests/dropin/threads.c tests/dropin/stress.h
	mkdir -p $(BUILD)/tests
	$(CC) $(DROPIN_CFLAGS) -o $@ $< -lpthread

$(BUILD)/tests/dropin-fork: tests/dropin/fork.c tests/dropin/stress.h
	mkdir -p $(BUILD)/tests
	$(CC) $(DROPIN_CFLAGS) -o $@ $< -lpthread

DROPIN_BINS := $(BUILD)/tests/dropin $(BUILD)/tests/dropin-threads $(BUILD)/tests/dropin-fork

check-dropin: $(DROPIN_BINS) $(BUILD)/libosmalloc.so
	@BUILD=$(BUILD) THREADS_ARGS="$(DROPIN_THREADS_ARGS)" MALLOPT_ARGS="$(DROPIN_MALLOPT_ARGS)" \
		FORK_ARGS="$(DROPIN_FORK_ARGS)" tests/dropin/run.sh native

check-dropin-helgrind: $(BUILD)/tests/dropin-threads $(BUILD)/tests/dropin-fork $(BUILD)/libosmalloc.so
	@BUILD=$(BUILD) THREADS_ARGS="$(DROPIN_HG_THREADS_ARGS)" MALLOPT_ARGS="$(DROPIN_HG_MALLOPT_ARGS)" \
		FORK_ARGS="$(DROPIN_HG_FORK_ARGS)" tests/dropin/run.sh helgrind
