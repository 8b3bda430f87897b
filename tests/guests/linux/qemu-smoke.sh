#!/usr/bin/env bash
# qemu-smoke.sh [TIMEOUT_SECONDS]
# Sanity check of the guest assets themselves, without Tessera: boot
# .cache/guest/Image + initramfs.cpio.gz directly on qemu-system-aarch64 -M virt
# (TCG), wait for the init lines and the "guest# " prompt, run one command,
# then `poweroff -f`. Prints the elapsed time of each step. The console log is
# kept in $SMOKE_LOG (default: a temporary file, printed on failure).
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
limit=${1:-300}
guest=$top/.cache/guest
bash "$top/scripts/guest-assets.sh"
log=${SMOKE_LOG:-$(mktemp)}
: >"$log"

t0=$(date +%s.%N)
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

coproc QEMU {
	exec timeout "$limit" qemu-system-aarch64 -M virt -cpu max -smp 2 -m 1G \
		-nographic -no-reboot -nic none -kernel "$guest/Image" \
		-initrd "$guest/initramfs.cpio.gz" -append "console=ttyAMA0" >"$log" 2>&1
}
qpid=$QEMU_PID

fail() {
	echo "qemu-smoke: FAIL: $*" >&2
	echo "----- console log ($log) -----" >&2
	tail -n 40 "$log" >&2
	kill "$qpid" 2>/dev/null || true
	exit 1
}

wait_for() { # FIXED-STRING
	until grep -aqF -- "$1" "$log"; do
		kill -0 "$qpid" 2>/dev/null || fail "QEMU exited before '$1'"
		sleep 0.2
	done
	echo "qemu-smoke: $(elapsed)s '$1'"
}

wait_for 'tessera-guest: init reached'
wait_for 'tessera-guest: nproc=2'
wait_for 'guest# '
echo 'echo answer-$((6*7))' >&"${QEMU[1]}"
wait_for 'answer-42'
echo 'poweroff -f' >&"${QEMU[1]}"
rc=0
wait "$qpid" || rc=$?
[ "$rc" -eq 0 ] || fail "QEMU exit status $rc (124 = timed out)"
echo "qemu-smoke: $(elapsed)s powered off; kernel: $(grep -aom1 'Linux version [^ ]*' "$log")"
echo "1 passed, 0 failed"
