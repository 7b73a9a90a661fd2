#!/usr/bin/env bash
# pair.sh - instructions per malloc(32)/free pair, glibc against osmem's
# drop-in, counted by callgrind on the same binary (tests/bench/pair32.c).
#
# For each allocator: callgrind runs pair32 with N and with 2N pairs; the
# instructions per pair are (total(2N) - total(N)) / N, which cancels the
# fixed cost of start-up, the allocator's initialisation and exit.
#
# Prints a Markdown table and writes it to OUT (default build/bench/pair.md);
# the suite (run.py) puts it into docs/bench.md.  Last line: "N passed, M
# failed", one per allocator measured (a failed callgrind run fails).
#
# Settings: PAIR_N=200000  OUT=build/bench/pair.md  BIN=build/bench/pair32
#           OSMEM_LIB=build/libosmalloc.so
set -u
cd "$(dirname "$0")/../.." || exit 1
N=${PAIR_N:-200000}
OUT=${OUT:-build/bench/pair.md}
BIN=${BIN:-build/bench/pair32}
OSMEM_LIB=${OSMEM_LIB:-build/libosmalloc.so}

command -v valgrind >/dev/null 2>&1 || { echo "pair: valgrind is not installed"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# total_ir PRELOAD COUNT: the instruction total of one callgrind run
total_ir() {
	local out="$tmp/cg.out"
	rm -f "$out"
	if [ -n "$1" ]; then
		LD_PRELOAD=$1 valgrind --tool=callgrind --callgrind-out-file="$out" "$BIN" "$2" 2>"$tmp/cg.log"
	else
		valgrind --tool=callgrind --callgrind-out-file="$out" "$BIN" "$2" 2>"$tmp/cg.log"
	fi || { tail -n 5 "$tmp/cg.log" >&2; return 1; }
	sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$out" | head -n 1
}

pass=0 fail=0 rows="" glibc_ipp=""
for alloc in glibc osmem; do
	lib=""
	[ "$alloc" = osmem ] && lib=$PWD/$OSMEM_LIB
	if a=$(total_ir "$lib" "$N") && b=$(total_ir "$lib" $((2 * N))) && [ -n "$a" ] && [ -n "$b" ]; then
		ipp=$(awk -v a="$a" -v b="$b" -v n="$N" 'BEGIN { printf "%.1f", (b - a) / n }')
		ratio="1.00"
		[ "$alloc" = glibc ] && glibc_ipp=$ipp
		[ "$alloc" != glibc ] && [ -n "$glibc_ipp" ] && ratio=$(awk -v a="$ipp" -v b="$glibc_ipp" 'BEGIN { printf "%.2f", a / b }')
		rows+="| $alloc | $a | $b | $ipp | $ratio |"$'\n'
		echo "pair: $alloc: $a instructions for $N pairs, $b for $((2 * N)): $ipp per pair" >&2
		pass=$((pass + 1))
	else
		rows+="| $alloc | FAILED | FAILED | - | - |"$'\n'
		echo "pair: callgrind run with $alloc failed" >&2
		fail=$((fail + 1))
	fi
done

table="| allocator | instructions, N=$N | instructions, 2N | per pair ((2N - N) / N) | ratio to glibc |"$'\n'
table+="|---|---:|---:|---:|---:|"$'\n'$rows
mkdir -p "$(dirname "$OUT")"
printf '%s' "$table" >"$OUT"
printf '%s' "$table"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
