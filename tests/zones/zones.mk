# Tests of the drop-in's small-object zones and per-thread caches (src/zone.c,
# src/tcache.c); included by the main Makefile.
#
#   make check-zones     the CUnit suite, linked with build/libosmalloc.a (its
#                        hidden zone functions are reachable from a static link);
#                        ends with "N passed, M failed"
#   make zones-measure   instructions per malloc(32)/free pair (callgrind) and
#                        ns per operation of a few loops, osmem's drop-in vs
#                        glibc malloc (tests/zones/measure.sh)

ZONES_CFLAGS := -O2 -g -std=gnu11 $(WARN) -fno-builtin -Iinclude -Isrc $(DROPIN_DEFS)

.PHONY: check-zones zones-measure

$(BUILD)/tests/zones: tests/zones/test_zones.c tests/dropin/cucheck.h $(wildcard src/*.h) $(BUILD)/libosmalloc.a
	mkdir -p $(BUILD)/tests
	$(CC) $(ZONES_CFLAGS) -o $@ $< $(BUILD)/libosmalloc.a -lcunit -lpthread

$(BUILD)/tests/zones-loops: tests/zones/loops.c
	mkdir -p $(BUILD)/tests
	$(CC) -O2 -g -std=gnu11 $(WARN) -fno-builtin -o $@ $< -lpthread

check-zones: $(BUILD)/tests/zones
	./$(BUILD)/tests/zones

zones-measure: $(BUILD)/tests/zones-loops $(BUILD)/libosmalloc.so
	BUILD=$(BUILD) tests/zones/measure.sh
