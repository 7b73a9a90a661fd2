# The drop-in's dynamic mapping threshold (tests/large/test_large.c), linked
# with libosmalloc.a and built with -Isrc to count system calls (src/os.h)
# and to read the knobs (src/options.h).
#
#   make check-large    the CUnit suites (threshold, giveback); ends with
#                       "N passed, M failed"

$(BUILD)/tests/large: tests/large/test_large.c tests/dropin/cunit.h tests/cunit_main.h src/os.h src/options.h $(BUILD)/libosmalloc.a
	mkdir -p $(BUILD)/tests
	$(CC) $(DROPIN_CFLAGS) -Isrc -o $@ $< $(BUILD)/libosmalloc.a -lcunit -lpthread

.PHONY: check-large
check-large: $(BUILD)/tests/large
	@$(BUILD)/tests/large
