#!/bin/sh
# Replay fuzz inputs once each (`make fuzz-regress`): every seed, and every
# regression input, which must not crash (tests/fuzz/fuzz.mk).
#   regress.sh OUTDIR TARGET...
# OUTDIR/inputs/seeds/<target>/ holds the built seeds,
# OUTDIR/inputs/regressions/<target>/ the built regression inputs. Each
# regression input runs on its own, so each failure is reported by name.
# Ends with "fuzz-regress: N passed, M failed"; exits 1 if any failed.
set -u
out=$1
shift
passed=0 failed=0
mkdir -p "$out/logs"

report() {
	sed -n '/invariant violated\|^==[0-9]*==ERROR\|runtime error\|^ALARM\|deadly signal/,$p' "$1" |
		grep -v '^\(MS:\|base64:\|stat::\|SUMMARY: libFuzzer\|NOTE: libFuzzer\|  *Combine libFuzzer\)' |
		grep -v 'in fuzzer::\|in main \|__libc_start\|in _start \|__sanitizer_print_stack_trace\|libc.so.6+' |
		head -14 | sed 's/^/  | /'
}

for t in "$@"; do
	bin=$out/bin/fuzz_$t
	seeds=$(find "$out/inputs/seeds/$t" -type f 2>/dev/null | sort)
	if [ -n "$seeds" ]; then
		n=$(echo "$seeds" | wc -l)
		log=$out/logs/regress-$t-seeds.log
		# shellcheck disable=SC2086 # a list of files
		if "$bin" -timeout=10 $seeds >"$log" 2>&1; then
			passed=$((passed + n))
			echo "fuzz-regress: $t: $n seeds ok"
		else
			failed=$((failed + 1))
			echo "fuzz-regress: $t: a seed FAILED, log $log"
			report "$log"
		fi
	fi
	for f in $(find "$out/inputs/regressions/$t" -type f 2>/dev/null | sort); do
		what=$t/$(basename "$f")
		log=$out/logs/regress-$t-$(basename "$f").log
		if "$bin" -timeout=10 "$f" >"$log" 2>&1; then
			passed=$((passed + 1))
			echo "fuzz-regress: $what: ok"
		else
			failed=$((failed + 1))
			echo "fuzz-regress: $what: FAILED, log $log"
			report "$log"
		fi
	done
done
echo "fuzz-regress: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
