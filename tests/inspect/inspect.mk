# Tests of the inspection API (include/osmem_inspect.h); included by the main Makefile.
#
#   make check-inspect   the strict CUnit suite (build/libosmem.a), the same under
#                        valgrind memcheck, the drop-in suite (build/libosmalloc.a),
#                        and a real program on the drop-in with OSMEM_CHECK=1;
#                        each stage and the total end with "N passed, M failed"

INSPECT_CFLAGS := -O2 -g -std=gnu11 $(WARN) -Iinclude -Isrc

$(BUILD)/tests/inspect: tests/inspect/test_inspect.c tests/inspect/inspect_test.h tests/cunit_main.h include/osmem_inspect.h \
		$(BUILD)/libosmem.a | $(BUILD)/tests
	$(CC) $(INSPECT_CFLAGS) -o $@ $< $(BUILD)/libosmem.a -lcunit -lpthread

# -fno-builtin: malloc here is osmem's, the compiler must not reason about it.
$(BUILD)/tests/inspect-dropin: tests/inspect/test_inspect_dropin.c tests/inspect/inspect_test.h tests/cunit_main.h \
		include/osmem_inspect.h $(BUILD)/libosmalloc.a | $(BUILD)/tests
	$(CC) $(INSPECT_CFLAGS) -fno-builtin -o $@ $< $(BUILD)/libosmalloc.a -lcunit -lpthread

.PHONY: check-inspect
check-inspect: $(BUILD)/tests/inspect $(BUILD)/tests/inspect-dropin $(BUILD)/libosmalloc.so
	@BUILD=$(BUILD) tests/inspect/run.sh
