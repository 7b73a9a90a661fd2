#!/usr/bin/env bash
# `make check-inspect` (see inspect.mk): the inspection suites, natively and
# under memcheck, and a real program on the drop-in with OSMEM_CHECK=1.  Each
# stage ends with "N passed, M failed"; the totals come last.
set -u
cd "$(dirname "$0")/../.."
. tests/counts.sh
build=${BUILD:-build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
total_pass=0 total_fail=0

# stage NAME COMMAND...: run it, show its output, add its closing counts.
stage() {
	local name=$1 out rc line p f
	shift
	echo "=== $name: $*"
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	closing_counts /dev/stdin <<<"$out" "$rc"
	line=$CLOSING_LINE p=$CLOSING_PASS f=$CLOSING_FAIL
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
}

# A program that allocates a lot through the drop-in, checked after every
# call: it must run to its end (an abort would mean a false alarm or a bug).
checked_program() {
	local out
	out=$(env OSMEM_CHECK=1 LD_PRELOAD="$build/libosmalloc.so" python3 -c \
		'import json; d = {str(i): list(range(i % 30)) for i in range(2000)}; print(len(json.dumps(d)))') &&
		[ -n "$out" ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
}

stage inspect "$build/tests/inspect"
if command -v valgrind >/dev/null 2>&1; then
	# OSMEM_VALGRIND=0: the suite reads headers on purpose; memcheck checks
	# the inspection code's own accesses, not a program's use of blocks.
	stage inspect-memcheck env OSMEM_VALGRIND=0 valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
		"$build/tests/inspect"
else
	stage inspect-memcheck sh -c 'echo "valgrind is not installed"; echo "0 passed, 1 failed"'
fi
stage inspect-dropin "$build/tests/inspect-dropin"
if command -v python3 >/dev/null 2>&1; then
	stage inspect-oscheck-python checked_program
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
