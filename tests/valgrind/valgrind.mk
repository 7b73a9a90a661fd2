# tests/valgrind: memcheck understands osmem (src/vg.c).  `make check-valgrind`
# runs one program per kind of bug under memcheck and checks the report;
# `make compare` prints osmem-compare's table for a few workloads.
VG_T := $(BUILD)/tests/valgrind
VG_STRICT := leak use_after_free uninit overrun double_free clean
VG_DROPIN := dropin_overrun dropin_realloc
VG_CFLAGS := -O0 -g -std=gnu11 $(WARN) -Iinclude

$(VG_T):
	mkdir -p $@

# -O0: the deliberate bugs must reach the binary as written.
$(addprefix $(VG_T)/,$(VG_STRICT)): $(VG_T)/%: tests/valgrind/%.c $(BUILD)/libosmem.a | $(VG_T)
	$(CC) $(VG_CFLAGS) -o $@ $< $(BUILD)/libosmem.a -lpthread

$(addprefix $(VG_T)/,$(VG_DROPIN)): $(VG_T)/%: tests/valgrind/%.c | $(VG_T)
	$(CC) $(VG_CFLAGS) -o $@ $<

.PHONY: check-valgrind compare
check-valgrind: $(addprefix $(VG_T)/,$(VG_STRICT) $(VG_DROPIN)) $(BUILD)/libosmalloc.so
	@tests/valgrind/run.sh

COMPARE_PY := d = {i: str(i) * 3 for i in range(20000)}; print(sum(map(len, d.values())))
compare: $(VG_T)/dropin_realloc $(VG_T)/workload $(BUILD)/libosmalloc.so
	@echo "== a small C workload (tests/valgrind/workload.c)"
	@utils/osmem-compare $(VG_T)/workload
	@echo
	@echo "== ls -R /usr/include"
	@utils/osmem-compare ls -R /usr/include
	@echo
	@echo "== python3 -c '$(COMPARE_PY)'"
	@PYTHONMALLOC=malloc utils/osmem-compare python3 -c "$(COMPARE_PY)"

$(VG_T)/workload: tests/valgrind/workload.c | $(VG_T)
	$(CC) -O2 -g -std=gnu11 $(WARN) -o $@ $<
