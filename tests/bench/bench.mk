# Benchmarks (included by the main Makefile).  See tests/bench/bench-scale.sh.
#   make bench          every benchmark (for now: bench-scale)
#   make bench-scale    the live-block scale benchmark, osmem vs glibc;
#                       writes docs/bench-scale.md

BENCH_CFLAGS := -O2 -g -std=gnu11 $(WARN) -Iinclude

$(BUILD)/bench:
	mkdir -p $@

$(BUILD)/bench/scale: tests/bench/scale.c include/osmem.h $(BUILD)/libosmem.a | $(BUILD)/bench
	$(CC) $(BENCH_CFLAGS) -o $@ $< $(BUILD)/libosmem.a -lpthread

.PHONY: bench bench-scale
bench: bench-scale

bench-scale: $(BUILD)/bench/scale
	tests/bench/bench-scale.sh
