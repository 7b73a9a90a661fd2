# Benchmarks (included by the main Makefile).  See docs/bench.md for the
# latest results and README.md "Performance".
#   make bench          everything below (BENCH_QUICK=1: 1 round, small sizes,
#                       reports under build/bench/quick/ instead of docs/)
#   make bench-suite    the 9-workload suite, glibc / osmem / jemalloc /
#                       mimalloc / tcmalloc preloaded (tests/bench/suite/run.py;
#                       also runs bench-pair); writes docs/bench.md, docs/bench.png
#   make bench-pair     instructions per malloc(32)/free pair under callgrind,
#                       glibc vs osmem's drop-in (tests/bench/pair.sh)
#   make bench-smoke    every workload once, small, under glibc and osmem, must
#                       succeed; a wrong allocator must fail them (make check stage)
#   make bench-scale    the live-block scale benchmark, osmem vs glibc;
#                       writes docs/bench-scale.md

BENCH_CFLAGS := -O2 -g -std=gnu11 $(WARN) -Iinclude
# workloads are plain libc programs; -fno-builtin keeps every malloc/free call
SUITE_CFLAGS := -O2 -g -std=gnu11 $(WARN) -fno-builtin
SUITE_C      := larson prodcons falseshare churn randchurn large frag
SUITE_BIN    := $(addprefix $(BUILD)/bench/suite/,$(SUITE_C) measure libbadalloc.so)

$(BUILD)/bench $(BUILD)/bench/suite:
	mkdir -p $@

$(BUILD)/bench/scale: tests/bench/scale.c include/osmem.h $(BUILD)/libosmem.a | $(BUILD)/bench
	$(CC) $(BENCH_CFLAGS) -o $@ $< $(BUILD)/libosmem.a -lpthread

$(BUILD)/bench/suite/%: tests/bench/suite/%.c tests/bench/suite/common.h | $(BUILD)/bench/suite
	$(CC) $(SUITE_CFLAGS) -o $@ $< -lpthread

$(BUILD)/bench/suite/libbadalloc.so: tests/bench/suite/badalloc.c | $(BUILD)/bench/suite
	$(CC) $(SUITE_CFLAGS) -shared -fPIC -o $@ $<

$(BUILD)/bench/pair32: tests/bench/pair32.c | $(BUILD)/bench
	$(CC) $(SUITE_CFLAGS) -o $@ $<

.PHONY: bench bench-suite bench-pair bench-smoke bench-scale
bench: bench-suite bench-scale

bench-suite: $(SUITE_BIN) $(BUILD)/bench/pair32 $(BUILD)/libosmalloc.so
	python3 tests/bench/suite/run.py

bench-pair: $(BUILD)/bench/pair32 $(BUILD)/libosmalloc.so
	tests/bench/pair.sh

bench-smoke: $(SUITE_BIN) $(BUILD)/libosmalloc.so
	python3 tests/bench/suite/run.py --smoke

ifneq ($(filter 1 yes,$(BENCH_QUICK)),)
bench-scale: export NS ?= 1e3 1e4
bench-scale: export PAIRS ?= 2e5
bench-scale: export REPS ?= 1
bench-scale: export CG_NS ?= 1e3
bench-scale: export CG_PAIRS ?= 2e4
bench-scale: export OUT ?= build/bench/quick/bench-scale.md
endif
bench-scale: $(BUILD)/bench/scale
	tests/bench/bench-scale.sh
