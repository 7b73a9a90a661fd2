#!/usr/bin/env bash
# make check-mm: the page-family suites on the strict library, on the drop-in,
# on the strict library under valgrind memcheck, its thread suite under
# helgrind (a missing lock shows there at once), a library with its own
# xcalloc/xfree under the preloaded drop-in; then the totals.
set -u
cd "$(dirname "$0")/../.."
. tests/counts.sh
BUILD=${BUILD:-build}
pass=0 fail=0

# run NAME COMMAND...: echo its output, add its closing "N passed, M failed".
run() {
	local name=$1 log="$BUILD/tests/mm-$1.log" line p f rc
	shift
	echo "--- mm $name: $*"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	closing_counts "$log" "$rc"
	line=$CLOSING_LINE p=$CLOSING_PASS f=$CLOSING_FAIL
	pass=$((pass + p)) fail=$((fail + f))
}

run strict "$BUILD/tests/mm"
run dropin "$BUILD/tests/mm-dropin"
run memcheck env MM_THREAD_OPS="${MM_VALGRIND_OPS:-3000}" valgrind -q --error-exitcode=1 \
	--leak-check=full --errors-for-leak-kinds=definite "$BUILD/tests/mm"
run helgrind env MM_THREAD_OPS="${MM_VALGRIND_OPS:-3000}" valgrind -q --tool=helgrind --error-exitcode=1 \
	"$BUILD/tests/mm" threads
run preload env LD_PRELOAD="$PWD/$BUILD/libosmalloc.so" "$BUILD/tests/mm-preload"
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
