#!/usr/bin/env bash
# tests/valgrind/run.sh - each program of tests/valgrind/ has one deliberate
# bug (or none: clean.c); run it under memcheck and check that the expected
# report appears, in memcheck's own words.  Then osmem-compare on a tiny
# program: both columns present, the same error count.
# Ends with "N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
bin=build/tests/valgrind
out=build/tests/valgrind/logs
mkdir -p "$out"
pass=0 fail=0

if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind is not installed (apt-get install valgrind)"
	echo "0 passed, 1 failed"
	exit 1
fi

# memcheck NAME strict|dropin: run build/tests/valgrind/NAME, log to $out/NAME.log
memcheck() {
	local name=$1 mode=$2 pre=() vgopt=()
	# By default Valgrind replaces any library's malloc with its own; the
	# synonym keeps the drop-in's (only libc's malloc is replaced, unused).
	[ "$mode" = dropin ] && pre=(env LD_PRELOAD="$PWD/build/libosmalloc.so") \
		vgopt=(--soname-synonyms=somalloc=nouserintercepts)
	"${pre[@]}" valgrind "${vgopt[@]}" --leak-check=full "$bin/$name" >"$out/$name.log" 2>&1
}

# expect NAME MODE PHRASE...: every phrase occurs in the log (fixed strings).
expect() {
	local name=$1 mode=$2 phrase missing=()
	shift 2
	memcheck "$name" "$mode"
	for phrase in "$@"; do
		grep -qF -- "$phrase" "$out/$name.log" || missing+=("$phrase")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		echo "ok   $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name: missing \"${missing[*]}\" (log: $out/$name.log)"
		fail=$((fail + 1))
	fi
}

expect leak strict "definitely lost: 104 bytes in 1 blocks"
expect use_after_free strict "Invalid read of size 1" "10 bytes inside a block of size 64 free'd"
expect uninit strict "Conditional jump or move depends on uninitialised value(s)" \
	"ERROR SUMMARY: 1 errors from 1 contexts"
expect overrun strict "Invalid write of size 1" "0 bytes after a block of size 24 alloc'd"
expect double_free strict "osmem: os_free(): double free or use after free of 0x"
expect clean strict "ERROR SUMMARY: 0 errors from 0 contexts" \
	"All heap blocks were freed -- no leaks are possible"
expect dropin_overrun dropin "Invalid write of size 1" "0 bytes after a block of size 10 alloc'd"
expect dropin_realloc dropin "Conditional jump or move depends on uninitialised value(s)" \
	"ERROR SUMMARY: 1 errors from 1 contexts" "All heap blocks were freed -- no leaks are possible"

# osmem-compare: a table with both allocators and equal error counts (the
# program has one uninitialised read, found under either allocator).
table=$(utils/osmem-compare "$bin/dropin_realloc" 2>&1)
echo "$table" >"$out/compare.log"
errs=$(awk -F'|' '/^\| errors found/ { gsub(/ /, "", $3); gsub(/ /, "", $4); print $3, $4 }' <<<"$table")
if grep -q '| glibc' <<<"$table" && grep -q '| osmem' <<<"$table" && [ "$errs" = "1 1" ]; then
	echo "ok   osmem-compare"
	pass=$((pass + 1))
else
	echo "FAIL osmem-compare: errors \"$errs\", expected \"1 1\" (log: $out/compare.log)"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
