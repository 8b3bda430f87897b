#!/bin/sh
# Run one libFuzzer target for a bounded time (tests/fuzz/fuzz.mk, `make fuzz`).
#   run-target.sh NAME BINARY SECONDS OUTDIR [LIBFUZZER-FLAGS...] -- SEED-DIRS...
#
# New inputs go to OUTDIR/corpus/NAME (kept between runs), crashing inputs to
# OUTDIR/artifacts/NAME/ (each with a .hex copy, the form to commit under
# tests/fuzz/regressions/NAME/), libFuzzer's output to OUTDIR/logs/NAME.log.
# libFuzzer stops at the first crash; this script then starts it again until
# SECONDS are used up (at most FUZZ_MAX_CRASHES restarts, default 1000), so
# one known bug does not hide the rest. A crash is reported, and its input
# kept, only the first time its signature (the broken invariant or the
# sanitizer's error, and the innermost core/ vgic/ mm/ frame) shows up in a
# run. The executions of all rounds are added up from libFuzzer's final
# stats (-print_final_stats=1).
#
# Prints one line per target, and the report of each distinct crash; writes
# "ok" or "FAIL" to OUTDIR/results/NAME. Always exits 0: fuzz.mk's summary
# decides, after every target has run.
set -u
name=$1 bin=$2 secs=$3 out=$4
shift 4
flags=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	flags="$flags $1"
	shift
done
[ $# -gt 0 ] && shift
seeds=""
for d in "$@"; do
	[ -d "$d" ] && seeds="$seeds $d"
done
max_crashes=${FUZZ_MAX_CRASHES:-1000}

corpus=$out/corpus/$name
art=$out/artifacts/$name
log=$out/logs/$name.log
mkdir -p "$corpus" "$art/previous" "$out/logs" "$out/results"
rm -f "$out/results/$name" "$out/results/$name.line"
# Inputs from earlier runs stay, out of the way of this run's report.
find "$art" -maxdepth 1 -type f -exec mv {} "$art/previous/" \;
: >"$log"

stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }

# What a crash is: the broken invariant or the sanitizer's error, and where.
report() {
	sed -n '/invariant violated\|^==[0-9]*==ERROR\|runtime error\|^ALARM\|deadly signal/,$p' "$1"
}
signature() {
	kind=$(report "$1" | grep -m1 -o 'invariant violated: .*\|ERROR: AddressSanitizer: [A-Za-z-]*\|runtime error: .*\|ERROR: libFuzzer: [a-z-]*')
	where=$(report "$1" | grep -m1 -o '#[0-9]* 0x[0-9a-f]* in [A-Za-z0-9_]* [^ ]*/\(core\|vgic\|mm\)/[^ :]*' |
		sed 's/.* in //')
	echo "${kind:-unknown} @ ${where:-the fuzz target}"
}

start=$(date +%s)
execs=0 crashes=0 distinct=0 round=0 cov=""
sigs=$out/logs/$name.signatures
: >"$sigs"
while :; do
	left=$((secs - ($(date +%s) - start)))
	[ "$left" -gt 0 ] || break
	round=$((round + 1))
	rlog=$out/logs/$name.round.log
	# shellcheck disable=SC2086 # flags and seeds are lists of words
	"$bin" -max_total_time="$left" -print_final_stats=1 -timeout=5 -rss_limit_mb=2048 \
		-artifact_prefix="$art/" $flags "$corpus" $seeds >"$rlog" 2>&1
	rc=$?
	{ echo "=== round $round: exit $rc"; cat "$rlog"; } >>"$log"
	n=$(stat number_of_executed_units "$rlog")
	execs=$((execs + ${n:-0}))
	c=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$rlog" | tail -1)
	cov=${c:-$cov}
	[ "$rc" -eq 0 ] && break
	crashes=$((crashes + 1))
	sig=$(signature "$rlog")
	unit=$(sed -n 's/.*Test unit written to //p' "$rlog" | tail -1)
	if grep -qxF "$sig" "$sigs"; then
		[ -n "$unit" ] && rm -f "$unit" # seen in this run already
	else
		echo "$sig" >>"$sigs"
		distinct=$((distinct + 1))
		echo "--- $name: crash: $sig"
		# The report: from the invariant's or the sanitizer's first line on.
		report "$rlog" |
			grep -v '^\(MS:\|base64:\|Base64:\|stat::\|SUMMARY: libFuzzer\|NOTE: libFuzzer\|  *Combine libFuzzer\|0x[0-9a-f]*,\|\\\)' |
			grep -v 'in fuzzer::\|in main \|__libc_start\|in _start \|__sanitizer_print_stack_trace\|libc.so.6+' |
			head -30 | sed 's/^/  | /'
	fi
	[ "$crashes" -lt "$max_crashes" ] || break
done
rm -f "$out/logs/$name.round.log"
took=$(($(date +%s) - start))
units=$(find "$corpus" -type f | wc -l)

for f in "$art"/crash-* "$art"/timeout-* "$art"/oom-* "$art"/leak-* "$art"/slow-unit-*; do
	case $f in *'*'* | *.hex) continue ;; esac
	[ -f "$f" ] || continue
	od -An -tx1 -v "$f" >"$f.hex"
	echo "  input: $f (as text: $f.hex)"
done
summary=$(printf '%-9s %10s execs in %2ss (%s/s), cov %s, corpus %s' "$name" "$execs" "$took" \
	"$((execs / (took > 0 ? took : 1)))" "${cov:-?}" "$units")
if [ "$crashes" -eq 0 ]; then
	echo "$summary: ok" | tee "$out/results/$name.line"
	echo ok >"$out/results/$name"
else
	echo "$summary: $crashes CRASHES ($distinct distinct), log $log" | tee "$out/results/$name.line"
	echo FAIL >"$out/results/$name"
fi
exit 0
