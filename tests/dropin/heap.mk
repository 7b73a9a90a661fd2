# The drop-in's heap and large blocks (tests/dropin/test_heap.c): top pad, trim,
# madvise, mapping cache, mremap, mallopt, OSMEM_OPTIONS.  Linked with
# libosmalloc.a and built with -Isrc, to count system calls with the OS layer's
# counters (src/os.h) and to reach the knob table (src/options.h).
# Run by `make check-dropin` (stage dropin-heap of tests/dropin/run.sh).

$(BUILD)/tests/dropin-heap: tests/dropin/test_heap.c tests/dropin/cunit.h tests/cunit_main.h src/os.h src/options.h include/osmem.h $(BUILD)/libosmalloc.a
	mkdir -p $(BUILD)/tests
	$(CC) $(DROPIN_CFLAGS) -Isrc -o $@ $< $(BUILD)/libosmalloc.a -lcunit -lpthread

check-dropin: $(BUILD)/tests/dropin-heap
