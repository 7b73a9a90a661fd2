#!/usr/bin/env bash
# bench-scale.sh - how free+malloc cost grows with the number of live blocks,
# osmem (os_malloc/os_free) against glibc (malloc/free) on the identical
# operation stream.  See tests/bench/scale.c for what one run does.
#
# 1. Wall time: for every N, REPS runs of each allocator, interleaved
#    (osmem, glibc, osmem, glibc, ...), one process per run; the median
#    ns/pair of each goes into a Markdown table.  Then the floors (scale.c
#    --alloc floor, floor2, floor2-serial: the loop's unavoidable memory
#    traffic with no allocator work), REPS runs each, in a second table.
# 2. Instructions: callgrind, counting only the pair loop
#    (--toggle-collect=pair_loop), for both allocators.
#
# Prints the report and writes it to docs/bench-scale.md (OUT).
#
# Settings (environment variables):
#   NS="1e3 1e4 1e5 1e6"  live-block counts
#   PAIRS=1e6             free+malloc pairs per timed run
#   REPS=3                runs per allocator and N (median taken)
#   MAX_SECONDS=20        time cap per run phase (fill, pair loop); a capped
#                         cell is marked, see the legend in the report
#   CG_NS="1e3 3e3" CG_PAIRS=1e5 CG_MAX_SECONDS=120   the callgrind runs
#                         (N=1e4 does not fit: valgrind limits the program
#                         break to 8 MiB, and osmem's heap lives there)
#   FLOORS="floor floor2 floor2-serial"   (FLOORS= skips them)
#   SEED=42  OUT=docs/bench-scale.md  BIN=build/bench/scale
set -u
cd "$(dirname "$0")/../.." || exit 1

NS=${NS:-"1e3 1e4 1e5 1e6"}
PAIRS=${PAIRS:-1e6}
REPS=${REPS:-3}
MAX_SECONDS=${MAX_SECONDS:-20}
CG_NS=${CG_NS:-"1e3 3e3"}
CG_PAIRS=${CG_PAIRS:-1e5}
CG_MAX_SECONDS=${CG_MAX_SECONDS:-120}
SEED=${SEED:-42}
FLOORS=${FLOORS-floor floor2 floor2-serial}
OUT=${OUT:-docs/bench-scale.md}
BIN=${BIN:-build/bench/scale}

if [ "$BIN" = build/bench/scale ]; then
	make -s "$BIN" || { echo "bench-scale: cannot build $BIN" >&2; exit 1; }
fi
[ -x "$BIN" ] || { echo "bench-scale: no benchmark binary $BIN" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# field LINE KEY: the value of KEY=... in a result line of scale.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p; s/^$2=\([^ ]*\).*/\1/p" <<<"$1" | head -n 1; }

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# fmt_ns VALUE: ns with sensible precision
fmt_ns() { awk -v x="$1" 'BEGIN { printf (x >= 100 ? "%.0f" : "%.1f"), x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

# One timed run; appends its result line to $tmp/ALLOC-N and echoes progress.
run_one() {
	local alloc=$1 n=$2 line
	if ! line=$("$BIN" --alloc "$alloc" --n "$n" --pairs "$PAIRS" --seed "$SEED" \
			--max-seconds "$MAX_SECONDS" --quiet); then
		echo "bench-scale: run failed: $BIN --alloc $alloc --n $n" >&2
		return 1
	fi
	echo "$line" >>"$tmp/$alloc-$n"
	printf '  %-5s N=%-4s %10s ns/pair  (fill %ss, loop %ss%s%s)\n' "$alloc" "$n" \
		"$(field "$line" ns_per_pair)" "$(field "$line" fill_s)" "$(field "$line" loop_s)" \
		"$( [ "$(field "$line" fill_capped)" = 1 ] && echo ", FILL CAPPED at $(field "$line" n_live) blocks")" \
		"$( [ "$(field "$line" pairs_capped)" = 1 ] && echo ", loop capped after $(field "$line" pairs_done) pairs")" >&2
}

# cell ALLOC N: sets CELL_VAL (median ns/pair) and CELL_MARK ("" exact,
# ">" lower bound (fill capped), "~" estimate (pair loop capped)).
cell() {
	local f="$tmp/$1-$2"
	CELL_VAL=$(sed -n 's/.* ns_per_pair=\([^ ]*\).*/\1/p' "$f" | median) || CELL_VAL=""
	CELL_MARK=""
	if grep -q ' fill_capped=1' "$f"; then CELL_MARK=">"
	elif grep -q ' pairs_capped=1' "$f"; then CELL_MARK="~"
	fi
}

show() { # VALUE MARK -> table text
	[ -n "$1" ] || { echo "failed"; return; }
	case $2 in
	">") echo "> $(fmt_ns "$1")" ;;
	"~") echo "$(fmt_ns "$1") (est.)" ;;
	*) fmt_ns "$1" ;;
	esac
}

# ratio mark of a/b, from the marks of a and b
ratio_mark() {
	case "$1$2" in
	"") echo "" ;;
	">") echo ">" ;;
	*) echo "~" ;;
	esac
}
show_ratio() { # A MARKA B MARKB
	if [ -z "$1" ] || [ -z "$3" ]; then echo "-"; return; fi
	local r m
	r=$(ratio "$1" "$3")
	m=$(ratio_mark "$2" "$4")
	case $m in
	">") echo "> $r" ;;
	"~") echo "$r (est.)" ;;
	*) echo "$r" ;;
	esac
}

# ---- 1. wall time -------------------------------------------------------
echo "bench-scale: $REPS x {osmem, glibc} per N, $PAIRS pairs, cap ${MAX_SECONDS}s per phase" >&2
start=$(date +%s)
for n in $NS; do
	for ((r = 1; r <= REPS; r++)); do
		run_one osmem "$n"
		run_one glibc "$n"
	done
done

table="| N live blocks | osmem ns/pair | glibc ns/pair | osmem/glibc |"$'\n'
table+="|---:|---:|---:|---:|"$'\n'
first_n="" last_n=""
for n in $NS; do
	cell osmem "$n"; ov=$CELL_VAL om=$CELL_MARK
	cell glibc "$n"; gv=$CELL_VAL gm=$CELL_MARK
	table+="| $n | $(show "$ov" "$om") | $(show "$gv" "$gm") | $(show_ratio "$ov" "$om" "$gv" "$gm") |"$'\n'
	[ -n "$first_n" ] || first_n=$n
	last_n=$n
done

cell osmem "$first_n"; o1=$CELL_VAL o1m=$CELL_MARK
cell osmem "$last_n"; o2=$CELL_VAL o2m=$CELL_MARK
cell glibc "$first_n"; g1=$CELL_VAL g1m=$CELL_MARK
cell glibc "$last_n"; g2=$CELL_VAL g2m=$CELL_MARK
growth="Growth from N=$first_n to N=$last_n (ns/pair at N=$last_n / ns/pair at N=$first_n): "
growth+="osmem $(show_ratio "$o2" "$o2m" "$o1" "$o1m"), glibc $(show_ratio "$g2" "$g2m" "$g1" "$g1m")."
# ---- 1b. the floors ----------------------------------------------------
floor_table=""
if [ -n "$FLOORS" ]; then
	echo "bench-scale: floors {$FLOORS}, $REPS runs each per N" >&2
	for n in $NS; do
		for ((r = 1; r <= REPS; r++)); do
			for f in $FLOORS; do run_one "$f" "$n"; done
		done
	done
	floor_table="| N live blocks |"
	sep="|---:|"
	for f in $FLOORS; do floor_table+=" $f ns/pair |"; sep+="---:|"; done
	floor_table+=" osmem ns/pair |"$'\n'"$sep---:|"$'\n'
	for n in $NS; do
		floor_table+="| $n |"
		for f in $FLOORS; do cell "$f" "$n"; floor_table+=" $(show "$CELL_VAL" "$CELL_MARK") |"; done
		cell osmem "$n"
		floor_table+=" $(show "$CELL_VAL" "$CELL_MARK") |"$'\n'
	done
fi
floor_section=""
if [ -n "$floor_table" ]; then
	floor_section=$(cat <<FLOOR
## The floor: what the loop costs with no allocator work

The same fill (by os_malloc, so the same heap), then per pair only the memory traffic no allocator can avoid
(tests/bench/scale.c, --alloc floor*): \`floor\` reads the victim's header word and writes its first byte;
\`floor2\` also reads the header and writes the first byte of a second random live block (the block best fit
hands out is somewhere else); \`floor2-serial\` is floor2 with each touch waiting for the one before, as the
reads of an allocator's own code do. Median of $REPS runs.

$floor_table

How to read it: floor2 is the bound for an allocator whose misses all overlap; floor2-serial's growth with N
is what two dependent misses (read the victim's header, then touch the block handed out) cost on this
machine. An allocator that reads the victim's header before it knows which block to hand out cannot grow
less than floor2-serial does; osmem's growth minus floor2-serial's is its own doing (neighbour headers for
coalescing, index nodes).
FLOOR
)
fi
wall_s=$(( $(date +%s) - start ))

# ---- 2. instructions (callgrind) ----------------------------------------
# cg_run ALLOC N: prints the instructions per pair of the pair loop, or
# nothing (and a message on stderr) when the run failed.
cg_run() {
	local alloc=$1 n=$2 cgout="$tmp/callgrind.$1.$2" line ir done_pairs ipp
	line=$(valgrind --tool=callgrind --toggle-collect=pair_loop --callgrind-out-file="$cgout" \
		"$BIN" --alloc "$alloc" --n "$n" --pairs "$CG_PAIRS" --seed "$SEED" \
		--max-seconds "$CG_MAX_SECONDS" --quiet 2>"$cgout.log")
	ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$cgout" 2>/dev/null | head -n 1)
	done_pairs=$(field "$line" pairs_done)
	if [ -z "$line" ] || [ -z "$ir" ] || [ -z "$done_pairs" ] || [ "$done_pairs" -eq 0 ]; then
		echo "bench-scale: callgrind run of $alloc at N=$n failed:" >&2
		grep -v '^==[0-9]*== *$' "$cgout.log" | tail -n 5 >&2
		return
	fi
	ipp=$(awk -v a="$ir" -v b="$done_pairs" 'BEGIN { printf "%.0f", a / b }')
	[ "$(field "$line" fill_capped)" = 1 ] && ipp="> $ipp"
	echo "  $alloc N=$n: $ir instructions / $done_pairs pairs = $ipp per pair$(
		[ "$(field "$line" pairs_capped)" = 1 ] && echo ' (loop capped)')" >&2
	echo "$ipp"
}

cg_table="" cg_note=""
if command -v valgrind >/dev/null 2>&1; then
	echo "bench-scale: callgrind, N in {$CG_NS}, $CG_PAIRS pairs (pair loop only)" >&2
	cg_table="| N live blocks | osmem instructions/pair | glibc instructions/pair | osmem/glibc |"$'\n'
	cg_table+="|---:|---:|---:|---:|"$'\n'
	for n in $CG_NS; do
		oi=$(cg_run osmem "$n")
		gi=$(cg_run glibc "$n")
		r="-"
		case "$oi$gi" in
		*">"*) ;;
		*) [ -n "$oi" ] && [ -n "$gi" ] && r=$(ratio "$oi" "$gi") ;;
		esac
		cg_table+="| $n | ${oi:-failed} | ${gi:-failed} | $r |"$'\n'
	done
else
	cg_note="valgrind is not installed: no instruction counts."
fi

# ---- report -------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git status --porcelain -- src include 2>/dev/null)" ] && rev+=" (src/include modified)"

report=$(cat <<EOF
# osmem scale benchmark

Generated by \`make bench-scale\` (tests/bench/bench-scale.sh, tests/bench/scale.c) on $(date -u +%Y-%m-%d),
osmem at commit $rev, $(${CC:-cc} --version | head -n 1), $cpu, $(nproc) CPUs.

Each run holds N live blocks of random sizes 8..4096 bytes, then times $PAIRS pairs of
"free a uniformly random live block, malloc a new random size in its slot (touching its first byte)".
The sizes and victims are pre-generated from seed $SEED, so osmem (os_malloc/os_free) and glibc
(malloc/free) run the identical stream, each in a fresh process. Median of $REPS interleaved runs.

## Wall time (CLOCK_MONOTONIC around the pair loop)

$table
$growth

Legend: "(est.)" = the pair loop hit the ${MAX_SECONDS}s cap and ns/pair was measured over the pairs done;
"> x" = the fill hit the cap, so the loop ran with fewer live blocks than N and x is a lower bound.
The benchmark took ${wall_s}s.

${floor_section}

## Instructions (callgrind, pair loop only: \`--toggle-collect=pair_loop\`)

$CG_PAIRS pairs after the fill, same streams as above. The count includes the loop's own few
instructions per pair (load the victim, touch the new block), the same for both allocators.

${cg_table:-}
${cg_note:-}

Why not N=1e4: valgrind gives the program break at most 8 MiB, and osmem's heap lives in the
break (10^4 blocks of 2 KiB on average need about 20 MiB), so os_malloc fails with ENOMEM there.
N=3e3 (about 6.3 MiB) is close to the largest that fits.
EOF
)
report=$(cat -s <<<"$report")   # squeeze the blank lines left by empty parts

echo
echo "$report"
mkdir -p "$(dirname "$OUT")"
echo "$report" >"$OUT"
echo
echo "bench-scale: written to $OUT" >&2
