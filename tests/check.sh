#!/usr/bin/env bash
# Run every test stage of `make check`; each stage ends its output with a line
# "N passed, M failed".  Print a per-stage summary and, last, the totals.
set -u
cd "$(dirname "$0")/.."
. tests/counts.sh

total_pass=0 total_fail=0 summary=""
log_dir=build/check-logs
mkdir -p "$log_dir"

# A hung stage (say, an allocator bug that loops) fails instead of stalling.
STAGE_TIMEOUT=${STAGE_TIMEOUT:-600}

# stage NAME COMMAND...: run it, echo its output, add its closing counts.
stage() {
	local name=$1; shift
	local log="$log_dir/$name.log" rc line p f
	echo "=== $name: $*"
	timeout "$STAGE_TIMEOUT" "$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	closing_counts "$log" "$rc"
	line=$CLOSING_LINE p=$CLOSING_PASS f=$CLOSING_FAIL
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
	summary+=$(printf '%-22s %s (exit %d)' "$name" "${line:-no result line}" "$rc")$'\n'
}

run_make() { make -s "$@" >/dev/null; }

run_make build/tests/unit || { echo "build of the unit tests failed"; echo "0 passed, 1 failed"; exit 1; }

stage exports     tests/exports.sh
stage unit        ./build/tests/unit
stage unit-memcheck env OSMEM_UNDER_VALGRIND=1 valgrind -q --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=definite ./build/tests/unit
stage unit-helgrind env OSMEM_THREAD_OPS=20000 valgrind -q --tool=helgrind --error-exitcode=1 \
	./build/tests/unit threads
stage checker     checker/run
stage difftest    make -s check-diff
stage mutants     make -s check-diff-mutants
stage dropin      make -s check-dropin
stage dropin-helgrind make -s check-dropin-helgrind
stage zones       make -s check-zones
stage install     tests/install/install-test.sh
stage compat      make -s check-compat
stage trace       make -s check-trace
stage mm          make -s check-mm
stage inspect     make -s check-inspect
stage valgrind    make -s check-valgrind
stage bench-smoke make -s bench-smoke
stage large       make -s check-large
stage lock        make -s check-lock

echo
echo "=== summary"
printf '%s' "$summary"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
