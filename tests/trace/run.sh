#!/usr/bin/env bash
# make check-trace: OSMEM_TRACE in the drop-in, osmem-replay and osmem-heapmap.
# Records tests/trace/prog.c (build/tests/trace-prog) under LD_PRELOAD=libosmalloc.so
# in a temporary directory, replays and draws the traces; ends with "N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
B=$ROOT/${BUILD:-build}
PROG=$B/tests/trace-prog
DROPIN=$B/libosmalloc.so
INFO="python3 $ROOT/tests/trace/traceinfo.py info"
pass=0 fail=0
check() {   # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi
}
field() {   # field NAME "records N threads T ...": the number after NAME
	local words=($2) i
	for ((i = 0; i < ${#words[@]}; i++)); do
		[ "${words[i]}" = "$1" ] && { echo "${words[i + 1]}"; return; }
	done
	echo -1
}
traced() {   # traced FILE COMMAND...: run under the drop-in, recording to FILE
	env OSMEM_TRACE="$1" LD_PRELOAD="$DROPIN" "${@:2}"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# ---- a single-threaded program: every call recorded, and replayed to the same places ----
out=$(traced "$work/single.bin" "$PROG" single)
info=$($INFO single.bin)
# prog.c single makes ROUNDS (500) calls, one per round, then one free per
# slot (SLOTS = 64): 564 calls, each through one entry point of the family.
check "the program made 564 calls (got: $out)" test "$out" = "calls 564"
check "the trace holds one record per call: 564 (got: $info)" test "$(field records "$info")" = 564
check "one thread, recorded by the drop-in's 16-byte alignment, 40-byte records" \
	test "$(field threads "$info") $(field alignment "$info") $(field record_size "$info")" = "1 16 40"

replay=$(LD_PRELOAD="$DROPIN" "$B/osmem-replay" --check single.bin)
rc=$?
check "replayed under the drop-in, every result is where it was recorded (exit $rc)" \
	bash -c '[ '$rc' -eq 0 ] && grep -Eq "^check: [1-9][0-9]* results compared, 0 mismatches$" <<<"$1"' _ "$replay"
check "the replay summary counts the 564 records of 1 thread" grep -q "single.bin: 564 records, 1 thread," <<<"$replay"

# The check must be able to fail: move one recorded heap result by 16 bytes.
python3 "$ROOT/tests/trace/traceinfo.py" shift single.bin shifted.bin 10 16
replay=$(LD_PRELOAD="$DROPIN" "$B/osmem-replay" --check shifted.bin)
rc=$?
check "--check finds a result moved by 16 bytes (exit $rc)" \
	bash -c '[ '$rc' -eq 1 ] && grep -q ", 1 mismatches$" <<<"$1"' _ "$replay"

check "the same trace replays on glibc malloc" bash -c '"$1" single.bin >/dev/null' _ "$B/osmem-replay"
check "the same trace replays on the strict os_* library" \
	bash -c '"$1" single.bin | grep -q "replayed through os_\*"' _ "$B/osmem-replay-strict"

# ---- fork: the child traces into FILE.PID and does not repeat the parent's records ----
out=$(traced "$work/fork.bin" "$PROG" fork | tr '\n' ' ')
children=(fork.bin.*)
# prog.c fork: the parent makes 10 mallocs + 10 frees, the child 7 malloc/free pairs.
check "fork: the parent's trace holds its 20 calls only (prog: $out)" \
	test "$(field records "$($INFO fork.bin)")" = 20
check "fork: the child wrote one FILE.PID trace (got: ${children[*]})" test "${#children[@]}" = 1
child_info=$($INFO "${children[0]}")
check "fork: the child's trace holds its 14 calls and names the child (${children[0]}: $child_info)" \
	test "$(field records "$child_info") fork.bin.$(field pid "$child_info")" = "14 ${children[0]}"

# ---- threads: one valid history, replayed in one thread ----
out=$(traced "$work/threads.bin" "$PROG" threads)
info=$($INFO threads.bin)
# 4 threads x 564 calls each (see single); pthread_create/exit may add their own.
check "threads: at least 4 x 564 records from at least 4 threads ($info)" \
	test "$(field records "$info")" -ge 2256 -a "$(field threads "$info")" -ge 4
check "threads: the trace replays under the drop-in" \
	bash -c 'LD_PRELOAD="$1" "$2" threads.bin | grep -Eq "threads.bin: [0-9]+ records, [4-9] threads"' _ "$DROPIN" "$B/osmem-replay"
check "threads: and on glibc malloc" bash -c '"$1" threads.bin >/dev/null' _ "$B/osmem-replay"

# ---- a traced program that runs another one: the second writes FILE.PID ----
traced "$work/nested.bin" sh -c '"$1" single >/dev/null; true' _ "$PROG"
nested=(nested.bin.*)
check "a traced shell's traced child writes its own FILE.PID with its 564 calls (${nested[*]})" \
	test "${#nested[@]}" = 1 -a "$(field records "$($INFO "${nested[0]}" 2>/dev/null)")" = 564

# ---- OSMEM_TRACE_SYNC=1: the call that aborts is in the trace ----
OSMEM_TRACE_SYNC=1 traced "$work/sync.bin" "$PROG" doublefree 2>/dev/null
# malloc, free, and the double free (recorded before the drop-in aborts in it)
check "OSMEM_TRACE_SYNC=1 keeps the 3 calls of a program that aborts" \
	test "$(field records "$($INFO sync.bin)")" = 3

# ---- tracing off: nothing written, nothing else changes ----
mkdir off && cd off
out=$(LD_PRELOAD="$DROPIN" "$PROG" single)
out2=$(OSMEM_TRACE= LD_PRELOAD="$DROPIN" "$PROG" single)
check "without OSMEM_TRACE (or with it empty) the program runs and no file appears" \
	test "$out $out2 $(ls -A | wc -l)" = "calls 564 calls 564 0"
cd ..

# ---- osmem-heapmap ----
SVG="python3 $ROOT/tests/trace/svgcount.py"
python3 "$ROOT/tests/trace/traceinfo.py" write known.bin "malloc 100" "malloc 100" "malloc 100" \
	"malloc 100" "malloc 100" "malloc 100" "malloc 100" "malloc 100" "malloc 100" "malloc 100" \
	"free 2" "free 5" "free 8" "malloc 200000"
"$B/osmem-heapmap" -o known.svg known.bin
got=$($SVG known.svg)
# The strict library replays it: the first malloc preallocates 128 KiB and
# splits off a 104-byte block (A(100) = 104); each next malloc splits the free
# tail again: 10 allocated blocks and the free tail.  Freeing calls 2, 5, 8
# (no two adjacent) makes 3 free blocks that nothing merges; malloc(200000)
# is mapped (32 + 200000 >= 128 KiB).  So: 7 allocated, 4 free, 1 mapped, and
# 7 x 104 = 728 bytes in use.
check "heap map of a known sequence: 7 allocated, 4 free, 1 mapped block drawn ($(head -1 <<<"$got"))" \
	grep -q "^alloc 7 free 4 mapped 1 " <<<"$got"
check "its figures say 728 bytes in use in 7 blocks, 1 mapped block" \
	grep -q "^figures: heap .*in use 728 in 7 blocks, .*mapped 1 blocks" <<<"$got"
check "the picture has the legend (allocated, free, header, mapped)" \
	grep -q " legend allocated_payload|free_payload|header_(32_bytes)|mapped_payload " <<<"$got"

"$B/osmem-heapmap" -o single.svg single.bin
got=$($SVG single.svg)
check "the recorded trace's heap map parses and has the fragmentation strip ($(head -1 <<<"$got"))" \
	grep -q " strip yes$" <<<"$got"

png_msg=$("$B/osmem-heapmap" -o demo.svg -p demo.png 2>&1)
rc=$?
got=$($SVG demo.svg)
blocks=$(sed -n 's/^figures: .*in use [0-9]* in \([0-9]*\) blocks.*/\1/p' <<<"$got")
check "the demo's picture draws as many allocated blocks as its figures count ($blocks)" \
	grep -q "^alloc $blocks " <<<"$got"
if command -v rsvg-convert >/dev/null; then
	check "-p writes a PNG (rsvg-convert)" bash -c '[ '$rc' -eq 0 ] && [ "$(head -c 4 demo.png | tail -c 3)" = PNG ]'
else
	check "-p without a converter says so and succeeds ($png_msg)" \
		bash -c '[ '$rc' -eq 0 ] && grep -q "no SVG converter" <<<"$1" && [ ! -e demo.png ]' _ "$png_msg"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
