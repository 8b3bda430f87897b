#!/usr/bin/env bash
# Install everything Tessera needs to build, run and test, from Debian packages.
# Idempotent and quiet when everything is present. Never names a mirror host:
# bookworm-backports reuses the URI of the machine's own Debian entry.
set -euo pipefail

HOST_PKGS=(make gcc gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
	device-tree-compiler libfdt-dev libcmocka-dev u-boot-qemu cpio gzip
	python3 gdb-multiarch)
# libfdt-dev is not Multi-Arch: same, so libfdt-dev and libfdt-dev:arm64 conflict.
# The host one is installed; the arm64 one is fetched with `apt-get download`
# and unpacked into the build cache by scripts/fetch-deb.sh (see docs/building.md).
ARM64_PKGS=()
BACKPORTS_PKGS=(qemu-system-arm qemu-system-data)
QEMU_MIN_MAJOR=10

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { echo "[deps] $*"; }

missing() {
	local p out=()
	for p in "$@"; do
		[ -n "$p" ] || continue
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || out+=("$p")
	done
	echo "${out[@]:-}"
}

# Optional groups, installed only when named: `scripts/deps.sh fuzz` installs
# what `make fuzz` needs (clang's libFuzzer and sanitizer runtimes, and
# llvm-symbolizer for readable stacks). libclang-rt-14-dev is only recommended
# by clang-14, so it is named here. Nothing else (cross compiler, QEMU) is touched.
FUZZ_PKGS=(make clang-14 libclang-rt-14-dev llvm-14 device-tree-compiler libfdt-dev)
# `scripts/deps.sh bench`: gnuplot draws build/bench/chart.png for `make bench`.
BENCH_PKGS=(gnuplot-nox)

install_group() {
	local need
	need=$(missing "$@")
	[ -n "$need" ] || exit 0
	if [ ! -f /var/lib/apt/lists/lock ] ||
		[ -z "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -i bookworm)" ]; then
		log "apt-get update"
		$SUDO apt-get update -qq
	fi
	log "installing: $need"
	export DEBIAN_FRONTEND=noninteractive
	local apt=($SUDO apt-get install -y -qq --no-install-recommends)
	"${apt[@]}" $need >/dev/null || { $SUDO apt-get update -qq && "${apt[@]}" $need >/dev/null; }
	log "done"
	exit 0
}

case "${1:-}" in
"") ;;
fuzz) install_group "${FUZZ_PKGS[@]}" ;;
bench) install_group "${BENCH_PKGS[@]}" ;;
*) echo "deps: unknown package group \"$1\" (known: fuzz, bench)" >&2; exit 2 ;;
esac

qemu_ok() {
	command -v qemu-system-aarch64 >/dev/null 2>&1 || return 1
	local major
	major=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -1)
	[ "${major:-0}" -ge "$QEMU_MIN_MAJOR" ]
}

# The URI of the Debian main-archive entry (deb822 or one-line format).
debian_uri() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}' "$f"
	done | head -1
	grep -hE '^deb\s+(\[[^]]*\]\s+)?\S+\s+bookworm\s' /etc/apt/sources.list 2>/dev/null |
		sed -E 's/^deb\s+(\[[^]]*\]\s+)?(\S+).*/\2/' | head -1 || true
}

enable_backports() {
	local list=/etc/apt/sources.list.d/tessera-backports.sources uri
	[ -f "$list" ] && return 0
	uri=$(debian_uri | head -1 || true)
	[ -n "$uri" ] || { echo "deps: no Debian bookworm entry found in apt sources" >&2; exit 1; }
	log "enabling bookworm-backports from $uri"
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"$uri" | $SUDO tee "$list" >/dev/null
	NEED_UPDATE=1
}

NEED_UPDATE=0
need_host=$(missing "${HOST_PKGS[@]}")
need_arm64=$(missing "${ARM64_PKGS[@]:-}")
need_qemu=0
qemu_ok || need_qemu=1

if [ -z "$need_host" ] && [ -z "$need_arm64" ] && [ "$need_qemu" -eq 0 ]; then
	exit 0
fi

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	log "adding arm64 multiarch"
	$SUDO dpkg --add-architecture arm64
	NEED_UPDATE=1
fi
[ "$need_qemu" -eq 0 ] || enable_backports
if [ "$NEED_UPDATE" -eq 1 ] || [ ! -f /var/lib/apt/lists/lock ] ||
	[ -z "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -i bookworm)" ]; then
	log "apt-get update"
	$SUDO apt-get update -qq
fi

export DEBIAN_FRONTEND=noninteractive
APT=($SUDO apt-get install -y -qq --no-install-recommends)
if [ -n "$need_host$need_arm64" ]; then
	log "installing: $need_host $need_arm64"
	"${APT[@]}" $need_host $need_arm64 >/dev/null || { apt-get update -qq && "${APT[@]}" $need_host $need_arm64 >/dev/null; }
fi
if [ "$need_qemu" -eq 1 ]; then
	log "installing QEMU from bookworm-backports"
	"${APT[@]}" -t bookworm-backports "${BACKPORTS_PKGS[@]}" >/dev/null
fi
qemu_ok || { echo "deps: qemu-system-aarch64 >= $QEMU_MIN_MAJOR is required" >&2; exit 1; }
log "done"
