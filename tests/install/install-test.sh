#!/usr/bin/env bash
# Install into a temporary prefix, build a program against the installed
# library with pkg-config, run it, run a program through the installed
# osmem-run, then uninstall and check that nothing is left.
set -u
cd "$(dirname "$0")/../.."
pass=0 fail=0
check() {   # check DESCRIPTION COMMAND...
	if "${@:2}" >/dev/null 2>&1; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi
}

prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT

cat > "$work/prog.c" <<'C'
#include <osmem.h>
#include <block_meta.h>
#include <string.h>
int main(void)
{
	char *p = os_malloc(100);
	struct block_meta *m = (struct block_meta *)p - 1;
	strcpy(p, "hello");
	return !(m->size == 104 && m->status == STATUS_ALLOC && strcmp(p, "hello") == 0);
}
C

check "make install PREFIX=<tmp>" make -s install PREFIX="$prefix"
for f in include/osmem.h include/block_meta.h include/osmem_inspect.h lib/libosmem.so.1 lib/libosmem.so lib/libosmem.a \
	 lib/libosmalloc.so.1 lib/libosmalloc.so lib/libosmalloc.a bin/osmem-run \
	 lib/pkgconfig/osmem.pc share/man/man3/osmem.3; do
	check "installed $f" test -e "$prefix/$f"
done
check "installed include/osmem_mm.h" test -e "$prefix/include/osmem_mm.h"
check "libosmem.so.1 carries its soname" \
	bash -c "readelf -d '$prefix/lib/libosmem.so.1' | grep -q 'SONAME.*libosmem.so.1'"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
check "a program builds with pkg-config --cflags --libs osmem" \
	bash -c "cc -o '$work/prog' '$work/prog.c' \$(pkg-config --cflags --libs osmem)"
check "it runs against the installed libosmem.so.1" env LD_LIBRARY_PATH="$prefix/lib" "$work/prog"
check "it links statically against the installed libosmem.a" \
	bash -c "cc -o '$work/prog-static' '$work/prog.c' \$(pkg-config --cflags osmem) '$prefix/lib/libosmem.a' -lpthread && '$work/prog-static'"
check "a program using osmem_mm.h builds and runs against the installed library" \
	bash -c "printf '%s\n' '#include <osmem_mm.h>' 'typedef struct { int a[3]; } t_t;' \
		'int main(void) { t_t *p; if (MM_REG_STRUCT(t_t)) return 1; p = XCALLOC(2, t_t);' \
		'if (!p || p[1].a[2]) return 1; XFREE(p); return 0; }' > '$work/mm.c' && \
		cc -o '$work/mm' '$work/mm.c' \$(pkg-config --cflags --libs osmem) && \
		LD_LIBRARY_PATH='$prefix/lib' '$work/mm'"
check "the installed osmem-run preloads the installed drop-in" \
	bash -c "[ \"\$('$prefix/bin/osmem-run' -- sh -c 'echo \$LD_PRELOAD')\" = '$prefix/lib/libosmalloc.so' ]"
check "a real program runs under the installed osmem-run" \
	bash -c "[ \"\$('$prefix/bin/osmem-run' -- python3 -c 'print(sum(range(10**6)))')\" = 499999500000 ]"
check "make uninstall PREFIX=<tmp>" make -s uninstall PREFIX="$prefix"
check "uninstall leaves no file behind" bash -c "[ -z \"\$(find '$prefix' ! -type d)\" ]"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
