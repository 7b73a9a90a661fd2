# Page families (include/osmem_mm.h); included by the main Makefile.
#
#   make check-mm   the CUnit suites of tests/mm linked with the strict library,
#                   again with the drop-in, and the strict build under valgrind
#                   memcheck (errors and definite leaks fail), and the thread suite
#                   under helgrind (any race fails), and a library with xcalloc/xfree
#                   of its own under the preloaded drop-in; each run and the
#                   total end with "N passed, M failed"
#
# Variables: MM_VALGRIND_OPS, the operations per thread of the thread test
# under valgrind (the native runs do 40000).

MM_TEST_SRC := $(wildcard tests/mm/*.c)
MM_TEST_DEP := $(MM_TEST_SRC) tests/mm/mm_test.h tests/cunit_main.h src/mm.h src/os.h include/osmem_mm.h include/osmem.h
MM_CFLAGS   := $(CFLAGS) -std=gnu11 $(WARN) -Iinclude -Isrc -Itests/mm
MM_VALGRIND_OPS ?= 3000

.PHONY: check-mm

$(BUILD)/tests/mm: $(MM_TEST_DEP) $(BUILD)/libosmem.a | $(BUILD)/tests
	$(CC) $(MM_CFLAGS) -o $@ $(MM_TEST_SRC) $(BUILD)/libosmem.a -lcunit -lpthread

$(BUILD)/tests/mm-dropin: $(MM_TEST_DEP) $(BUILD)/libosmalloc.a | $(BUILD)/tests
	$(CC) $(MM_CFLAGS) -fno-builtin -o $@ $(MM_TEST_SRC) $(BUILD)/libosmalloc.a -lcunit -lpthread

# A library with its own xcalloc/xfree, and a program using it (run preloaded).
$(BUILD)/tests/libownx.so: tests/mm/preload/ownx.c | $(BUILD)/tests
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) -fPIC -shared -o $@ $<

$(BUILD)/tests/mm-preload: tests/mm/preload/main.c $(BUILD)/tests/libownx.so
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) -o $@ $< -L$(BUILD)/tests -lownx -Wl,-rpath,$(abspath $(BUILD)/tests)

check-mm: $(BUILD)/tests/mm $(BUILD)/tests/mm-dropin $(BUILD)/tests/mm-preload $(BUILD)/libosmalloc.so
	@BUILD=$(BUILD) MM_VALGRIND_OPS=$(MM_VALGRIND_OPS) tests/mm/run.sh
