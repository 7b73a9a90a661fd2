# Real-program compatibility suite for the libc drop-in: see tests/compat/run.
.PHONY: check-compat
check-compat: $(BUILD)/libosmalloc.so
	@tests/compat/run
