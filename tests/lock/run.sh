#!/bin/bash
# run.sh BIN - the lock suite natively, then under helgrind (fewer rounds):
# there the lock must be a pthread mutex that helgrind understands, or the
# plain counter it protects shows as a data race (--error-exitcode).
# Last line: "N passed, M failed" over both runs.
set -u
bin=$1
. "$(dirname "$0")/../counts.sh"
pass=0 fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

run() {
	"$@" >"$out" 2>&1
	local rc=$?
	closing_counts "$out" "$rc"
	[ "$CLOSING_FAIL" -eq 0 ] || cat "$out"
	echo "$CLOSING_LINE ($*)"
	pass=$((pass + CLOSING_PASS)) fail=$((fail + CLOSING_FAIL))
}

run "$bin"
if command -v valgrind >/dev/null 2>&1; then
	run env OSMEM_UNDER_VALGRIND=1 LOCK_ROUNDS=5000 valgrind -q --tool=helgrind --error-exitcode=1 "$bin"
else
	echo "valgrind is not installed: helgrind run skipped"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
