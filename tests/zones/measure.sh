#!/usr/bin/env bash
# Measure the drop-in's small-object path against glibc malloc (same program,
# osmem preloaded or not): instructions per malloc(32)/free pair under
# callgrind, taken as the difference between runs of 2N and N pairs (so that
# start-up and exit cancel out), then the median ns/op of 3 interleaved runs
# of each loop of tests/zones/loops.c.  Not part of `make check` (timing).
set -u
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
loops=$build/tests/zones-loops
osmem=$build/libosmalloc.so
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# instructions ALLOCATOR N: total Ir of `loops pair N`.
instructions() {
	local pre=() out=$tmp/cg.$1.$2
	[ "$1" = osmem ] && pre=(env LD_PRELOAD="$osmem")
	"${pre[@]}" valgrind --tool=callgrind --callgrind-out-file="$out" "$loops" pair "$2" >/dev/null 2>&1
	awk '/^summary:/ {print $2}' "$out"
}

if command -v valgrind >/dev/null 2>&1; then
	n=100000
	for a in glibc osmem; do
		i1=$(instructions $a $n) i2=$(instructions $a $((2 * n)))
		echo "callgrind $a: $(( (i2 - i1) / n )) instructions per malloc(32)/free pair (loop included: 10 of them)"
	done
else
	echo "valgrind is not installed: no instruction counts"
fi

# median of three numbers
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

for mode in "pair 20000000" "churn 5000000" "prodcons 2000000"; do
	g=() o=()
	for r in 1 2 3; do
		g+=("$("$loops" $mode | awk '{print $2}')")
		o+=("$(LD_PRELOAD="$osmem" "$loops" $mode | awk '{print $2}')")
	done
	gm=$(median "${g[@]}") om=$(median "${o[@]}")
	echo "${mode%% *}: glibc $gm ns/op, osmem $om ns/op, osmem/glibc $(awk -v a="$om" -v b="$gm" 'BEGIN {printf "%.2f", a / b}')"
done
