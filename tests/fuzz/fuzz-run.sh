# fuzz-run.sh - run by 'make fuzz': fuzz-run.sh TARGET BINARY CORPUS SECONDS
# Runs the libFuzzer BINARY for SECONDS on a copy of CORPUS in a scratch
# directory (the committed corpus is never written), then prints the run's
# final "#N DONE cov: X ft: Y" line. The scratch directory is removed unless
# libFuzzer found a crash (it then holds the crash-* input and fuzz.log) or
# FUZZ_KEEP=1 (to merge new inputs by hand:
# BINARY -merge=1 CORPUS SCRATCH/corpus).
target=$1 bin=$2 corpus=$3 seconds=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$target.XXXXXX") || exit 1
mkdir "$work/corpus" || exit 1
cp "$corpus"/* "$work/corpus/" 2>/dev/null
chmod -R u+w "$work"
"$bin" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/fuzz.log" 2>&1
rc=$?
done_line=$(grep -a 'DONE' "$work/fuzz.log" | tail -n 1)
if test $rc -ne 0; then
	echo "$target: FAILED (exit $rc), libFuzzer log and input kept in $work:"
	grep -a -E '^==[0-9]+==ERROR|SUMMARY|runtime error|Test unit written' "$work/fuzz.log" | head -n 10
	exit 1
fi
echo "$target: ${done_line:-no DONE line (see libFuzzer output)}"
if test "x$FUZZ_KEEP" = x1; then
	echo "$target: scratch corpus kept in $work/corpus"
else
	rm -rf "$work"
fi
