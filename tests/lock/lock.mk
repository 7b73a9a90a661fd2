# Tests of the allocator lock (src/lock.c); included by the main Makefile.
#
#   make check-lock    the CUnit suite, linked with build/libosmem.a (the lock's
#                      hidden functions are reachable from a static link), then
#                      its contention test under helgrind (which must see a
#                      pthread mutex: no race reported); ends with
#                      "N passed, M failed"

.PHONY: check-lock

$(BUILD)/tests/lock: tests/lock/test_lock.c tests/cunit_main.h src/lock.h $(BUILD)/libosmem.a
	mkdir -p $(BUILD)/tests
	$(CC) -O2 -g -std=gnu11 $(WARN) -Iinclude -Isrc -o $@ $< $(BUILD)/libosmem.a -lcunit -lpthread

check-lock: $(BUILD)/tests/lock
	tests/lock/run.sh $(BUILD)/tests/lock
