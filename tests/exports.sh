#!/usr/bin/env bash
# The strict library exports exactly the os_* API and nothing of libc's
# malloc family (a program linked with -losmem keeps libc malloc); the drop-in
# exports exactly glibc's malloc family plus the os_* API.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
check() {   # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi
}
exports=$(nm -D --defined-only build/libosmem.so | awk '$2 ~ /^[TWDBV]$/ {print $3}' | sort | tr '\n' ' ')
check "libosmem.so exports exactly os_calloc os_free os_malloc os_realloc (got: $exports)" \
	test "$exports" = "os_calloc os_free os_malloc os_realloc "
check "libosmem.a defines no malloc-family symbol" \
	bash -c '! nm --defined-only build/libosmem.a | grep -Eq " [TW] (malloc|free|calloc|realloc|memalign|posix_memalign|aligned_alloc|valloc|pvalloc)$"'
dropin=$(nm -D --defined-only build/libosmalloc.so | awk '$2 ~ /^[TWDBV]$/ {print $3}' | sort | tr '\n' ' ')
want="aligned_alloc calloc cfree free mallinfo2 malloc malloc_stats malloc_trim malloc_usable_size mallopt memalign os_calloc os_free os_malloc os_realloc posix_memalign pvalloc realloc reallocarray valloc "
check "libosmalloc.so exports exactly the malloc family and the os_* API (got: $dropin)" \
	test "$dropin" = "$want"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
