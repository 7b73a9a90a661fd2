#!/usr/bin/env bash
# Run the drop-in test stages (see dropin.mk).  Each stage ends its output
# with "N passed, M failed"; a per-stage summary and the totals come last.
#   run.sh native     the CUnit suite, then the stress tests under LD_PRELOAD
#   run.sh helgrind   the stress tests under valgrind --tool=helgrind
# Environment: BUILD (build), THREADS_ARGS, MALLOPT_ARGS, FORK_ARGS.
set -u
cd "$(dirname "$0")/../.."
. tests/counts.sh
build=${BUILD:-build}
mode=${1:-native}
case $build in /*) ;; *) build=$PWD/$build ;; esac
preload=$build/libosmalloc.so
log_dir=$build/check-logs
mkdir -p "$log_dir"

total_pass=0 total_fail=0 summary=""

# stage NAME COMMAND...: run it, show its output, add its closing counts.
stage() {
	local name=$1; shift
	local log="$log_dir/$name.log" rc line p f start ms
	echo "=== $name: $*"
	start=$(date +%s%N)
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	closing_counts "$log" "$rc"
	line=$CLOSING_LINE p=$CLOSING_PASS f=$CLOSING_FAIL
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
	summary+=$(printf '%-34s %s (exit %d, %d.%d s)' "$name" "${line:-no result line}" "$rc" $((ms / 1000)) $((ms % 1000 / 100)))$'\n'
}

case $mode in
native)
	# shellcheck disable=SC2086
	stage dropin-unit $build/tests/dropin
	stage dropin-heap $build/tests/dropin-heap
	# shellcheck disable=SC2086
	stage dropin-threads env LD_PRELOAD="$preload" $build/tests/dropin-threads ${THREADS_ARGS:-}
	# shellcheck disable=SC2086
	stage dropin-threads-mallopt env LD_PRELOAD="$preload" $build/tests/dropin-threads ${MALLOPT_ARGS:--o}
	# shellcheck disable=SC2086
	stage dropin-fork env LD_PRELOAD="$preload" $build/tests/dropin-fork ${FORK_ARGS:-}
	# The give-back paths at every free: trim to nothing, madvise from 4 KiB, a tiny mapping cache.
	stage dropin-threads-giveback env LD_PRELOAD="$preload" \
		OSMEM_OPTIONS=trim_threshold=0,top_pad=0,madvise_threshold=4k,mmap_cache_count=2,mmap_cache_bytes=1m \
		$build/tests/dropin-threads -n 16384
	;;
helgrind)
	if ! command -v valgrind >/dev/null 2>&1; then
		echo "valgrind is not installed (apt-get install valgrind)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	# somalloc=nouserintercepts: Valgrind must not replace the malloc family of
	# libosmalloc.so (by default it replaces it in every library).
	hg=(valgrind --tool=helgrind -q --error-exitcode=1 --soname-synonyms=somalloc=nouserintercepts)
	# Valgrind passes LD_PRELOAD on to the program, after its own preloads.
	# shellcheck disable=SC2086
	stage dropin-threads-helgrind env LD_PRELOAD="$preload" "${hg[@]}" $build/tests/dropin-threads ${THREADS_ARGS:-}
	# shellcheck disable=SC2086
	stage dropin-threads-mallopt-helgrind env LD_PRELOAD="$preload" "${hg[@]}" $build/tests/dropin-threads ${MALLOPT_ARGS:--o}
	# shellcheck disable=SC2086
	stage dropin-fork-helgrind env LD_PRELOAD="$preload" "${hg[@]}" $build/tests/dropin-fork ${FORK_ARGS:-}
	;;
*)
	echo "usage: $0 native|helgrind" >&2
	exit 2
	;;
esac

echo
echo "=== summary ($mode)"
printf '%s' "$summary"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
