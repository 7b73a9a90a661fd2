# Allocation traces: the tools that read them and their tests; included by the
# main Makefile.
#
#   make trace-tools   build/osmem-replay (libc malloc family: glibc, or the
#                      drop-in under LD_PRELOAD), build/osmem-replay-strict
#                      (os_* via build/libosmem.a), build/osmem-heapmap
#   make check-trace   record tests/trace/prog.c under the drop-in, replay it,
#                      draw it; ends with "N passed, M failed" (tests/trace/run.sh)

# -fno-builtin: the compiler must not reason about malloc (drop calls whose
# result looks unused, fold malloc/free pairs): a replay makes every call.
TRACE_TOOL_CFLAGS := -O2 -g -std=gnu11 $(WARN) -fno-builtin -Iinclude -Iutils
TRACE_READER := utils/trace-file.c utils/trace-file.h include/osmem_trace.h
TRACE_REPLAY := utils/replay.c utils/replay.h $(TRACE_READER)

.PHONY: trace-tools check-trace

$(BUILD)/osmem-replay: utils/osmem-replay.c $(TRACE_REPLAY)
	mkdir -p $(BUILD)
	$(CC) $(TRACE_TOOL_CFLAGS) -o $@ $(filter %.c,$^)

$(BUILD)/osmem-replay-strict: utils/osmem-replay.c $(TRACE_REPLAY) $(BUILD)/libosmem.a
	$(CC) $(TRACE_TOOL_CFLAGS) -DREPLAY_STRICT -o $@ $(filter %.c,$^) $(BUILD)/libosmem.a -lpthread

# The heap map walks osmem's block list (src/block.h) and figures
# (src/stats.h): it links the strict library's hidden symbols statically.
$(BUILD)/osmem-heapmap: utils/osmem-heapmap.c $(TRACE_REPLAY) $(BUILD)/libosmem.a
	$(CC) $(TRACE_TOOL_CFLAGS) -Isrc -DREPLAY_STRICT -o $@ $(filter %.c,$^) $(BUILD)/libosmem.a -lpthread

$(BUILD)/tests/trace-prog: tests/trace/prog.c
	mkdir -p $(BUILD)/tests
	$(CC) $(TRACE_TOOL_CFLAGS) -o $@ $< -lpthread

TRACE_TOOLS := $(BUILD)/osmem-replay $(BUILD)/osmem-replay-strict $(BUILD)/osmem-heapmap

trace-tools: $(TRACE_TOOLS)

check-trace: $(TRACE_TOOLS) $(BUILD)/tests/trace-prog $(BUILD)/libosmalloc.so
	@BUILD=$(BUILD) tests/trace/run.sh
