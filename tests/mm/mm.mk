# Page families (include/osmem_mm.h); included by the main Makefile.
#
#   make check-mm   the CUnit suites of tests/mm linked with the strict library,
#                   again with the drop-in, and the strict build under valgrind
#                   memcheck (errors and definite leaks fail), and the thread suite
#                   under helgrind (any race fails); each run and the
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

check-mm: $(BUILD)/tests/mm $(BUILD)/tests/mm-dropin
	@BUILD=$(BUILD) MM_VALGRIND_OPS=$(MM_VALGRIND_OPS) tests/mm/run.sh
