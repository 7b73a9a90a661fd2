# osmem - see README.md.  `make` builds the libraries, `make check` runs every test.

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror
BASEFLAGS := -std=gnu11 -fPIC -fvisibility=hidden $(WARN) -Iinclude -Isrc
LDLIBS_T := -lpthread

BUILD    := build
SRC      := $(wildcard src/*.c)

# The strict profile: the os_* contract of docs/CONTRACT.md.
STRICT_OBJ := $(patsubst src/%.c,$(BUILD)/obj/strict/%.o,$(filter-out src/override.c,$(SRC)))

# The libc drop-in profile: 16-byte alignment, calloc maps at the malloc
# threshold, misuse aborts; plus the malloc family (override.c).
DROPIN_DEFS := -DOSMEM_ALIGNMENT=16 -DOSMEM_CALLOC_MAPS_AT_PAGE=0 -DOSMEM_ABORT_ON_MISUSE=1
DROPIN_OBJ  := $(patsubst src/%.c,$(BUILD)/obj/dropin/%.o,$(SRC))

.PHONY: all demo check deps clean
all: $(BUILD)/libosmem.so $(BUILD)/libosmem.a $(BUILD)/libosmalloc.so $(BUILD)/libosmalloc.a

$(BUILD)/obj/strict/%.o: src/%.c $(wildcard src/*.h include/*.h) | $(BUILD)/obj/strict
	$(CC) $(CFLAGS) $(BASEFLAGS) -c $< -o $@

$(BUILD)/obj/dropin/%.o: src/%.c $(wildcard src/*.h include/*.h) | $(BUILD)/obj/dropin
	$(CC) $(CFLAGS) $(BASEFLAGS) $(DROPIN_DEFS) -c $< -o $@

$(BUILD)/obj/strict $(BUILD)/obj/dropin $(BUILD)/tests $(BUILD)/checker:
	mkdir -p $@

$(BUILD)/libosmem.so: $(STRICT_OBJ)
	$(CC) -shared -o $@ $^ -lpthread

$(BUILD)/libosmem.a: $(STRICT_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libosmalloc.so: $(DROPIN_OBJ)
	$(CC) -shared -o $@ $^ -lpthread

$(BUILD)/libosmalloc.a: $(DROPIN_OBJ)
	rm -f $@ && ar rcs $@ $^

# ---- demo ----
$(BUILD)/osmem-demo: utils/osmem-demo.c $(BUILD)/libosmem.a
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) -Iinclude -o $@ $< $(BUILD)/libosmem.a -lpthread

demo: $(BUILD)/osmem-demo
	./$(BUILD)/osmem-demo

# ---- tests ----
TEST_SRC := $(wildcard tests/unit/*.c)

$(BUILD)/tests/unit: $(TEST_SRC) $(wildcard tests/unit/*.h) $(BUILD)/libosmem.a | $(BUILD)/tests
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) -Iinclude -Isrc -Itests/unit -o $@ $(TEST_SRC) \
		$(BUILD)/libosmem.a -lcunit -lpthread

deps:
	@tests/deps.sh

check: deps all
	@tests/check.sh

clean:
	rm -rf $(BUILD)

# Test and benchmark rules contributed by their own directories.
-include $(wildcard tests/*/*.mk)
