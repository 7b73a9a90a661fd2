# tests/counts.sh - sourced by the scripts that run test stages.
#
# closing_counts FILE RC: read the last line "N passed, M failed" of FILE
# (a stage's output) into CLOSING_LINE, CLOSING_PASS and CLOSING_FAIL.  A
# stage with no such line did not run to its end, and one that exited
# non-zero with no failure counted failed all the same: each is one failure.
closing_counts() {
	CLOSING_LINE=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -n "$CLOSING_LINE" ]; then
		CLOSING_PASS=${CLOSING_LINE%% passed*}
		CLOSING_FAIL=${CLOSING_LINE#*passed, }
		CLOSING_FAIL=${CLOSING_FAIL%% failed*}
	else
		CLOSING_PASS=0 CLOSING_FAIL=1
	fi
	if [ "$2" -ne 0 ] && [ "$CLOSING_FAIL" -eq 0 ]; then
		CLOSING_FAIL=1
	fi
}
