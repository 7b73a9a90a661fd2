#!/usr/bin/env bash
# The strict library exports exactly the os_* API and the inspection API of
# osmem_inspect.h, and nothing of libc's malloc family (a program linked with
# -losmem keeps libc malloc); the drop-in exports exactly glibc's malloc
# family plus both.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
check() {   # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi
}
exports=$(nm -D --defined-only build/libosmem.so | awk '$2 ~ /^[TWDBV]$/ {print $3}' | sort | tr '\n' ' ')
inspect="os_heap_check os_heap_walk "
inspect_tail="os_stats os_stats_print "
shows="show_alloc_mem show_alloc_mem_ex "
check "libosmem.so exports exactly the os_* and inspection API (got: $exports)" \
	test "$exports" = "os_calloc os_free ${inspect}os_malloc os_realloc ${inspect_tail}${shows}"
check "libosmem.a defines no malloc-family symbol" \
	bash -c '! nm --defined-only build/libosmem.a | grep -Eq " [TW] (malloc|free|calloc|realloc|memalign|posix_memalign|aligned_alloc|valloc|pvalloc)$"'
dropin=$(nm -D --defined-only build/libosmalloc.so | awk '$2 ~ /^[TWDBV]$/ {print $3}' | sort | tr '\n' ' ')
want="aligned_alloc calloc cfree free mallinfo2 malloc malloc_stats malloc_trim malloc_usable_size mallopt memalign os_calloc os_free ${inspect}os_malloc os_realloc ${inspect_tail}posix_memalign pvalloc realloc reallocarray ${shows}valloc "
check "libosmalloc.so exports exactly the malloc family, the os_* and the inspection API (got: $dropin)" \
	test "$dropin" = "$want"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
