#!/usr/bin/env bash
# The strict library exports exactly the os_* API, the inspection API of
# osmem_inspect.h and the page families' API (osmem_mm.h), and nothing of
# libc's malloc family (a program linked with -losmem keeps libc malloc); the
# drop-in exports exactly glibc's malloc family plus the os_* and inspection
# APIs: preloaded, an exported xcalloc/xfree would replace other libraries'
# own (osmem_mm.h), so the mm API is in its static archive only.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
check() {   # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi
}
exports=$(nm -D --defined-only build/libosmem.so | awk '$2 ~ /^[TWDBV]$/ {print $3}' | sort | tr '\n' ' ')
# sorted WORD...: the words, one sorted space-separated line, as nm | sort gives them.
sorted() { printf '%s\n' "$@" | sort | tr '\n' ' '; }
os_api="os_calloc os_free os_malloc os_realloc"
inspect="os_heap_check os_heap_walk os_stats os_stats_print show_alloc_mem show_alloc_mem_ex"
mm="mm_init mm_instantiate_new_page_family mm_print_block_usage mm_print_memory_usage mm_print_registered_page_families xcalloc xfree"
libc="aligned_alloc calloc cfree free mallinfo2 malloc malloc_stats malloc_trim malloc_usable_size mallopt memalign posix_memalign pvalloc realloc reallocarray valloc"
# shellcheck disable=SC2086
want=$(sorted $os_api $inspect $mm)
check "libosmem.so exports exactly the os_*, inspection and mm APIs (got: $exports)" \
	test "$exports" = "$want"
check "libosmem.a defines no malloc-family symbol" \
	bash -c '! nm --defined-only build/libosmem.a | grep -Eq " [TW] (malloc|free|calloc|realloc|memalign|posix_memalign|aligned_alloc|valloc|pvalloc)$"'
dropin=$(nm -D --defined-only build/libosmalloc.so | awk '$2 ~ /^[TWDBV]$/ {print $3}' | sort | tr '\n' ' ')
# shellcheck disable=SC2086
want=$(sorted $libc $os_api $inspect)
check "libosmalloc.so exports exactly the malloc family, the os_* and inspection APIs, not the mm API (got: $dropin)" \
	test "$dropin" = "$want"
check "libosmalloc.a defines the mm API for static links" \
	bash -c '[ "$(nm --defined-only build/libosmalloc.a | grep -cE " T (mm_init|xcalloc|xfree)$")" = 3 ]'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
