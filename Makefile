# osmem - see README.md.  `make` builds the libraries, `make check` runs every test.

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror
BASEFLAGS := -std=gnu11 -fPIC -fvisibility=hidden $(WARN) -Iinclude -Isrc
LDLIBS_T := -lpthread

BUILD    := build
SRC      := $(wildcard src/*.c)

# The strict profile: the os_* contract of docs/CONTRACT.md.
STRICT_OBJ := $(patsubst src/%.c,$(BUILD)/obj/strict/%.o,$(filter-out src/override.c src/trace.c,$(SRC)))

# The libc drop-in profile: 16-byte alignment, calloc maps at the malloc
# threshold, misuse aborts; plus the malloc family (override.c) and its
# allocation traces (trace.c).
DROPIN_DEFS := -DOSMEM_ALIGNMENT=16 -DOSMEM_CALLOC_MAPS_AT_PAGE=0 -DOSMEM_ABORT_ON_MISUSE=1
# Growth in steps, coalescing at free, trim, madvise, mapping cache, mremap, OSMEM_OPTIONS (config.h).
DROPIN_DEFS += -DOSMEM_DROPIN_HEAP=1
# Preloaded into any program, it must not export xcalloc/xfree (osmem_mm.h).
DROPIN_DEFS += -DOSMEM_MM_API=
# Small requests from size-class zones through per-thread caches (zone.c, tcache.c).
DROPIN_DEFS += -DOSMEM_ZONES=1
DROPIN_OBJ  := $(patsubst src/%.c,$(BUILD)/obj/dropin/%.o,$(SRC))

.PHONY: all demo check deps clean install uninstall
all: $(BUILD)/libosmem.so $(BUILD)/libosmem.a $(BUILD)/libosmalloc.so $(BUILD)/libosmalloc.a

$(BUILD)/obj/strict/%.o: src/%.c $(wildcard src/*.h include/*.h) | $(BUILD)/obj/strict
	$(CC) $(CFLAGS) $(BASEFLAGS) -c $< -o $@

$(BUILD)/obj/dropin/%.o: src/%.c $(wildcard src/*.h include/*.h) | $(BUILD)/obj/dropin
	$(CC) $(CFLAGS) $(BASEFLAGS) $(DROPIN_DEFS) -c $< -o $@

$(BUILD)/obj/strict $(BUILD)/obj/dropin $(BUILD)/tests $(BUILD)/checker:
	mkdir -p $@

# Shared libraries carry a soname (ABI version 1); the unversioned name is a
# symlink for linking.
SOVERSION := 1

$(BUILD)/libosmem.so.$(SOVERSION): $(STRICT_OBJ)
	$(CC) -shared -Wl,-soname,libosmem.so.$(SOVERSION) -o $@ $^ -lpthread

$(BUILD)/%.so: $(BUILD)/%.so.$(SOVERSION)
	ln -sf $(notdir $<) $@

$(BUILD)/libosmem.a: $(STRICT_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libosmalloc.so.$(SOVERSION): $(DROPIN_OBJ)
	$(CC) -shared -Wl,-soname,libosmalloc.so.$(SOVERSION) -o $@ $^ -lpthread

$(BUILD)/libosmalloc.a: $(DROPIN_OBJ)
	rm -f $@ && ar rcs $@ $^

# ---- demo ----
$(BUILD)/osmem-demo: utils/osmem-demo.c $(BUILD)/libosmem.a
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) -Iinclude -o $@ $< $(BUILD)/libosmem.a -lpthread

$(BUILD)/osmem-mm-demo: utils/osmem-mm-demo.c include/osmem_mm.h $(BUILD)/libosmem.a
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) -Iinclude -o $@ $< $(BUILD)/libosmem.a -lpthread

DEMO_PY := import ctypes, json; libc = ctypes.CDLL(None); \
	data = {str(i): list(range(i % 50)) for i in range(100000)}; \
	print('python3 built a dict of', len(data), 'lists;', len(json.dumps(data)) // 1024, 'KiB of JSON'); \
	print('malloc in this process is osmem:', hasattr(libc, 'os_malloc')); \
	libc.malloc_stats()

demo: $(BUILD)/osmem-demo $(BUILD)/libosmalloc.so $(BUILD)/osmem-mm-demo
	@echo "== 1. the os_* API, step by step (utils/osmem-demo.c)"
	@./$(BUILD)/osmem-demo
	@echo
	@echo "== 2. a real program on the libc drop-in: utils/osmem-run -- python3 ..."
	@PYTHONMALLOC=malloc utils/osmem-run -- python3 -c "$(DEMO_PY)"
	@echo
	@echo "== 3. typed allocation with page families (utils/osmem-mm-demo.c)"
	@./$(BUILD)/osmem-mm-demo

# ---- tests ----
TEST_SRC := $(wildcard tests/unit/*.c)

$(BUILD)/tests/unit: $(TEST_SRC) $(wildcard tests/unit/*.h) $(BUILD)/libosmem.a | $(BUILD)/tests
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) -Iinclude -Isrc -Itests/unit -o $@ $(TEST_SRC) \
		$(BUILD)/libosmem.a -lcunit -lpthread

# ---- installation ----
PREFIX     ?= /usr/local
DESTDIR    ?=
LIBDIR     := $(DESTDIR)$(PREFIX)/lib
INCDIR     := $(DESTDIR)$(PREFIX)/include
BINDIR     := $(DESTDIR)$(PREFIX)/bin
PCDIR      := $(LIBDIR)/pkgconfig
MAN3DIR    := $(DESTDIR)$(PREFIX)/share/man/man3
VERSION    := 1.0.0

# Every file install creates, so that uninstall removes exactly these.
INSTALLED := $(INCDIR)/osmem.h $(INCDIR)/block_meta.h $(INCDIR)/osmem_mm.h $(INCDIR)/osmem_inspect.h \
	$(LIBDIR)/libosmem.so.$(SOVERSION) $(LIBDIR)/libosmem.so $(LIBDIR)/libosmem.a \
	$(LIBDIR)/libosmalloc.so.$(SOVERSION) $(LIBDIR)/libosmalloc.so $(LIBDIR)/libosmalloc.a \
	$(BINDIR)/osmem-run $(PCDIR)/osmem.pc $(MAN3DIR)/osmem.3

install: all
	install -d $(INCDIR) $(LIBDIR) $(BINDIR) $(PCDIR) $(MAN3DIR)
	install -m 644 include/osmem.h include/block_meta.h $(INCDIR)/
	install -m 644 include/osmem_mm.h include/osmem_inspect.h $(INCDIR)/
	install -m 755 $(BUILD)/libosmem.so.$(SOVERSION) $(BUILD)/libosmalloc.so.$(SOVERSION) $(LIBDIR)/
	ln -sf libosmem.so.$(SOVERSION) $(LIBDIR)/libosmem.so
	ln -sf libosmalloc.so.$(SOVERSION) $(LIBDIR)/libosmalloc.so
	install -m 644 $(BUILD)/libosmem.a $(BUILD)/libosmalloc.a $(LIBDIR)/
	install -m 755 utils/osmem-run $(BINDIR)/
	install -m 644 docs/osmem.3 $(MAN3DIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' utils/osmem.pc.in > $(PCDIR)/osmem.pc

uninstall:
	rm -f $(INSTALLED)

deps:
	@tests/deps.sh

check: deps all
	@tests/check.sh

clean:
	rm -rf $(BUILD)

# Test and benchmark rules contributed by their own directories.
-include $(wildcard tests/*/*.mk)
