# fuzz-run.sh - run by 'make fuzz': fuzz-run.sh TARGET BINARY CORPUS SECONDS
# Runs the libFuzzer BINARY for SECONDS on a copy of CORPUS in a scratch
# directory under $TMPDIR (the committed corpus is never written), then
# prints one report, in one write so that parallel runs (make fuzz
# FUZZ_JOBS=N) do not mix their lines:
#   TARGET: #N DONE cov: X ft: Y ...          (libFuzzer's final line)
#   TARGET: FAILED (exit N), libFuzzer log and input kept in DIR:
#     the finding, indented: the error and SUMMARY lines, the first frames
#     in this project's sources, the path of the crash input, its base64
# The scratch directory is removed unless libFuzzer found something (it then
# holds the crash-*, timeout-*, leak-* or oom-* input and fuzz.log) or
# FUZZ_KEEP=1 (to merge new inputs by hand:
# BINARY -merge=1 CORPUS SCRATCH/corpus). Exit 0, or 1 on a finding.
target=$1 bin=$2 corpus=$3 seconds=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$target.XXXXXX") || exit 1
mkdir "$work/corpus" || exit 1
cp "$corpus"/* "$work/corpus/" 2>/dev/null
chmod -R u+w "$work"
"$bin" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/fuzz.log" 2>&1
rc=$?
if test $rc -ne 0; then
	# ASan and LeakSanitizer write "==PID==ERROR:", libFuzzer's own
	# findings (deadly signal, timeout, out-of-memory) "==PID== ERROR:".
	finding=$({
		grep -a -E '^==[0-9]+== ?ERROR|runtime error|^SUMMARY' "$work/fuzz.log" | head -n 6
		grep -a -E '^ +#[0-9]+ 0x[0-9a-f]+ in .*/(common|plugins|tests)/[^ ]*\.c:[0-9]+' \
			"$work/fuzz.log" | head -n 3
		grep -a -E 'Test unit written|^Base64: ' "$work/fuzz.log" | head -n 2
	} | cut -c 1-400 | sed 's/^ */  /')
	printf '%s: FAILED (exit %s), libFuzzer log and input kept in %s:\n%s\n' \
		"$target" "$rc" "$work" "$finding"
	exit 1
fi
done_line=$(grep -a 'DONE' "$work/fuzz.log" | tail -n 1)
if test "x$FUZZ_KEEP" = x1; then
	printf '%s: %s\n%s: scratch corpus kept in %s/corpus\n' "$target" \
		"${done_line:-no DONE line (see libFuzzer output)}" "$target" "$work"
else
	printf '%s: %s\n' "$target" "${done_line:-no DONE line (see libFuzzer output)}"
	rm -rf "$work"
fi
