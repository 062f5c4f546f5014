# replay-test.sh - sourced by tests/fuzz/replay-<target>.test after it sets
# $target: replay tests/fuzz/corpus/<target> through tests/fuzz/replay_<target>.
# Runs from the top build directory; the corpus is read from $srcdir (the
# source tree, read-only under make distcheck). REPLAY_WRAPPER, if set, is
# put in front of the binary, e.g. REPLAY_WRAPPER='valgrind -q --error-exitcode=1'.
: "${srcdir:=.}"
bin=./tests/fuzz/replay_$target
corpus=$srcdir/tests/fuzz/corpus/$target
if test ! -x "$bin"; then
	echo "$bin: not built" >&2
	exit 99
fi
if test ! -d "$corpus"; then
	echo "$corpus: no corpus" >&2
	exit 99
fi
exec $REPLAY_WRAPPER "$bin" "$corpus"
