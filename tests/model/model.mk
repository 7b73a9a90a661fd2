# The reference model and the differential tests (included by the main Makefile).
# See tests/model/README.md.
#
#   make check-diff        a deep bin walked and taken in order (idxwalk.c), then
#                          >= 1e6 random ops (5 seeds x 250000), library vs model,
#                          compared after every op; ends with "N passed, M failed"
#   make check-diff-mutants  proves the comparison has teeth: builds deliberately
#                          wrong models and expects each to be caught
#   make fuzz              fresh random seeds forever, until a mismatch
#   make fuzz-libfuzzer    the same comparison driven by libFuzzer (clang), if available
#
# Variables: DIFF_ARGS (check-diff), FUZZ_ARGS (fuzz), LIBFUZZER_ARGS (fuzz-libfuzzer,
# e.g. LIBFUZZER_ARGS=-max_total_time=60), FUZZ_CC (default clang).

MODEL_CFLAGS := -O2 -g -std=gnu11 $(WARN) -Iinclude -Isrc -Itests/model
MODEL_SRC    := tests/model/model.c tests/model/diff.c
MODEL_HDRS   := tests/model/model.h tests/model/diff.h include/osmem.h include/block_meta.h \
		src/testing.h src/os.h

DIFF_ARGS      ?= --seed 1 --seeds 5 --ops 250000 --stats
FUZZ_ARGS      ?=
LIBFUZZER_ARGS ?= -max_len=4096 -timeout=20
FUZZ_CC        ?= clang

.PHONY: check-diff check-diff-mutants fuzz fuzz-libfuzzer

$(BUILD)/tests/difftest: tests/model/difftest.c $(MODEL_SRC) $(MODEL_HDRS) $(BUILD)/libosmem.a | $(BUILD)/tests
	$(CC) $(MODEL_CFLAGS) -o $@ tests/model/difftest.c $(MODEL_SRC) $(BUILD)/libosmem.a -lpthread

$(BUILD)/tests/idxwalk: tests/model/idxwalk.c include/osmem.h include/osmem_inspect.h $(BUILD)/libosmem.a | $(BUILD)/tests
	$(CC) $(MODEL_CFLAGS) -o $@ $< $(BUILD)/libosmem.a -lpthread

# idxwalk first (a deep bin; its own "N passed" line), then the random stream.
check-diff: $(BUILD)/tests/difftest $(BUILD)/tests/idxwalk
	./$(BUILD)/tests/idxwalk
	./$(BUILD)/tests/difftest $(DIFF_ARGS)

fuzz: $(BUILD)/tests/difftest
	./$(BUILD)/tests/difftest --forever $(FUZZ_ARGS)

# ---- mutants: a wrong model must be caught ----
# name:extra-cflags.  Each mutant breaks one rule of docs/CONTRACT.md.
MODEL_MUTANTS := split48:-DMODEL_SPLIT_MIN=48 split32:-DMODEL_SPLIT_MIN=32 \
		 mmap-threshold:-DMODEL_MMAP_THRESHOLD=131080 calloc-threshold:-DMODEL_PAGE_SIZE=4104 \
		 prealloc:-DMODEL_PREALLOC=135168 \
		 tie-highest-address:-DMODEL_MUTANT=1 first-fit:-DMODEL_MUTANT=2 \
		 eager-coalesce:-DMODEL_MUTANT=3 absorb-all:-DMODEL_MUTANT=4 \
		 no-grow-last-realloc:-DMODEL_MUTANT=5 move-frees-first:-DMODEL_MUTANT=6 \
		 no-grow-free-last:-DMODEL_MUTANT=7

$(BUILD)/tests/mutants:
	mkdir -p $@

check-diff-mutants: $(BUILD)/libosmem.a | $(BUILD)/tests/mutants
	@pass=0; fail=0; \
	for m in $(MODEL_MUTANTS); do \
		name=$${m%%:*}; flags=$${m#*:}; bin=$(BUILD)/tests/mutants/difftest-$$name; \
		$(CC) $(MODEL_CFLAGS) $$flags -o $$bin tests/model/difftest.c $(MODEL_SRC) \
			$(BUILD)/libosmem.a -lpthread || exit 1; \
		if $$bin --seed 1 --seeds 1 --ops 20000 >$$bin.log 2>&1; then \
			echo "mutant $$name: NOT caught (see $$bin.log)"; fail=$$((fail + 1)); \
		else \
			echo "mutant $$name: caught: $$(grep -m1 -A1 '^MISMATCH' $$bin.log | tr -s ' \n' ' ')"; \
			pass=$$((pass + 1)); \
		fi; \
	done; \
	echo "$$pass passed, $$fail failed"; [ $$fail -eq 0 ]

# ---- libFuzzer ----
# The library is rebuilt with coverage instrumentation (and AddressSanitizer)
# so that the fuzzer is guided by the library's branches, not only the model's.
FUZZ_DIR   := $(BUILD)/fuzz
FUZZ_SAN   := -fsanitize=fuzzer-no-link,address
# The strict profile's sources (the main Makefile's STRICT_OBJ; never the libc
# drop-in's override.c, which would replace the fuzzer's own malloc).
FUZZ_LIB_SRC := $(if $(STRICT_OBJ),$(patsubst $(BUILD)/obj/strict/%.o,src/%.c,$(STRICT_OBJ)),\
			$(filter-out src/override.c,$(wildcard src/*.c)))
FUZZ_LIB_OBJ := $(patsubst src/%.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_LIB_SRC))

$(FUZZ_DIR)/obj:
	mkdir -p $@

$(FUZZ_DIR)/obj/%.o: src/%.c $(wildcard src/*.h include/*.h) | $(FUZZ_DIR)/obj
	$(FUZZ_CC) -O1 -g -std=gnu11 -fvisibility=hidden -Wall -Wextra -Iinclude -Isrc $(FUZZ_SAN) -c $< -o $@

$(FUZZ_DIR)/fuzz_ops: tests/model/fuzz_ops.c $(MODEL_SRC) $(MODEL_HDRS) $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) -O1 -g -std=gnu11 $(WARN) -Iinclude -Isrc -Itests/model -fsanitize=fuzzer,address \
		-o $@ tests/model/fuzz_ops.c $(MODEL_SRC) $(FUZZ_LIB_OBJ) -lpthread

fuzz-libfuzzer:
	@mkdir -p $(FUZZ_DIR); \
	printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
		> $(FUZZ_DIR)/probe.c; \
	if ! command -v $(FUZZ_CC) >/dev/null 2>&1 || \
	   ! $(FUZZ_CC) -fsanitize=fuzzer,address $(FUZZ_DIR)/probe.c -o $(FUZZ_DIR)/probe >/dev/null 2>&1; then \
		echo "fuzz-libfuzzer: SKIPPED: '$(FUZZ_CC) -fsanitize=fuzzer,address' does not work here."; \
		echo "  Install clang and its runtime (Debian: apt-get install clang libclang-rt-14-dev, or"; \
		echo "  llvm's compiler-rt for your clang), or use 'make fuzz' (no clang needed)."; \
		exit 0; \
	fi; \
	$(MAKE) --no-print-directory $(FUZZ_DIR)/fuzz_ops && mkdir -p $(FUZZ_DIR)/corpus && \
	echo "fuzz-libfuzzer: $(FUZZ_DIR)/fuzz_ops $(LIBFUZZER_ARGS) $(FUZZ_DIR)/corpus (Ctrl-C to stop)" && \
	./$(FUZZ_DIR)/fuzz_ops $(LIBFUZZER_ARGS) $(FUZZ_DIR)/corpus
