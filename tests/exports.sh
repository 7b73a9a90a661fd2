#!/usr/bin/env bash
# The strict library exports exactly the os_* API and the page families' API
# (osmem_mm.h), nothing of libc's malloc family (a program linked with -losmem
# keeps libc malloc); the drop-in exports exactly glibc's malloc family plus
# the os_* API: preloaded, an exported xcalloc/xfree would replace other
# libraries' own (osmem_mm.h), so the mm API is in its static archive only.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
check() {   # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi
}
exports=$(nm -D --defined-only build/libosmem.so | awk '$2 ~ /^[TWDBV]$/ {print $3}' | sort | tr '\n' ' ')
mm="mm_init mm_instantiate_new_page_family mm_print_block_usage mm_print_memory_usage mm_print_registered_page_families"
check "libosmem.so exports exactly the os_* and the mm API (osmem_mm.h) (got: $exports)" \
	test "$exports" = "$mm os_calloc os_free os_malloc os_realloc xcalloc xfree "
check "libosmem.a defines no malloc-family symbol" \
	bash -c '! nm --defined-only build/libosmem.a | grep -Eq " [TW] (malloc|free|calloc|realloc|memalign|posix_memalign|aligned_alloc|valloc|pvalloc)$"'
dropin=$(nm -D --defined-only build/libosmalloc.so | awk '$2 ~ /^[TWDBV]$/ {print $3}' | sort | tr '\n' ' ')
want="aligned_alloc calloc cfree free mallinfo2 malloc malloc_stats malloc_trim malloc_usable_size mallopt memalign os_calloc os_free os_malloc os_realloc posix_memalign pvalloc realloc reallocarray valloc "
check "libosmalloc.so exports exactly the malloc family and the os_* API, not the mm API (got: $dropin)" \
	test "$dropin" = "$want"
check "libosmalloc.a defines the mm API for static links" \
	bash -c '[ "$(nm --defined-only build/libosmalloc.a | grep -cE " T (mm_init|xcalloc|xfree)$")" = 3 ]'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
