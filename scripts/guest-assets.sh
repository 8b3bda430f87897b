#!/usr/bin/env bash
# guest-assets.sh — build the Linux-guest test assets in .cache/guest/:
#   Image                 uncompressed arm64 kernel Image from Debian's
#                         linux-image-<abi>-arm64 (what linux-image-arm64:arm64
#                         depends on; override with TESSERA_GUEST_KERNEL_PKG)
#   bcm2711-rpi-4-b.dtb   Raspberry Pi 4 B device tree from the same package
#   initramfs.cpio.gz     busybox-static:arm64 + tests/guests/linux/init,
#                         made by scripts/mkinitramfs.sh
# Idempotent: prints one line per asset it produces, nothing when all are there.
# Delete .cache/guest/ to refetch (e.g. after a Debian kernel update).
set -euo pipefail

scripts=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$scripts")
cache=$top/.cache
out=$cache/guest
init_src=$top/tests/guests/linux/init
mkdir -p "$out"

log() { echo "[guest] $*"; }
rel() { echo "${1#"$top"/}"; }

# The concrete kernel package behind the linux-image-arm64 metapackage.
resolve_kernel_pkg() {
	apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { sub(/:arm64$/, "", $2); print $2; exit }'
}

kernel_pkg() {
	local pkg=${TESSERA_GUEST_KERNEL_PKG:-}
	[ -n "$pkg" ] || pkg=$(resolve_kernel_pkg)
	if [ -z "$pkg" ]; then
		# No package lists for arm64 yet (fresh machine).
		bash "$scripts/deps.sh"
		if [ "$(id -u)" -eq 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi
		pkg=$(resolve_kernel_pkg)
	fi
	[ -n "$pkg" ] || { echo "guest-assets: cannot resolve linux-image-arm64:arm64" >&2; exit 1; }
	echo "$pkg"
}

# Is $1 an arm64 Image (magic "ARM\x64" at offset 56)?
is_arm64_image() {
	[ "$(od -An -tx1 -j56 -N4 "$1" | tr -d ' \n')" = "41524d64" ]
}

dtb=$out/bcm2711-rpi-4-b.dtb
if [ ! -f "$out/Image" ] || [ ! -f "$dtb" ]; then
	kpkg=$(kernel_pkg)
	kdir=$cache/$kpkg
	bash "$scripts/fetch-deb.sh" "$kpkg:arm64" "$kdir" >/dev/null
	if [ ! -f "$out/Image" ]; then
		vmlinuz=$(ls "$kdir"/boot/vmlinuz-* 2>/dev/null | head -1)
		[ -n "$vmlinuz" ] || { echo "guest-assets: no /boot/vmlinuz-* in $kpkg" >&2; exit 1; }
		# Debian's signed arm64 kernels ship a plain (EFI-stub) Image; other
		# builds ship it gzip-compressed.
		if [ "$(od -An -tx1 -N2 "$vmlinuz" | tr -d ' \n')" = "1f8b" ]; then
			gzip -dc "$vmlinuz" >"$out/Image.tmp"
		else
			cp "$vmlinuz" "$out/Image.tmp"
		fi
		is_arm64_image "$out/Image.tmp" ||
			{ rm -f "$out/Image.tmp"; echo "guest-assets: $vmlinuz is not an arm64 Image" >&2; exit 1; }
		mv "$out/Image.tmp" "$out/Image"
		basename "$(cat "$kdir/.stamp")" >"$out/kernel-package"
		log "$(rel "$out/Image") ($kpkg, $(($(stat -c %s "$out/Image") / 1048576)) MiB)"
	fi
	src=$(ls "$kdir"/usr/lib/linux-image-*/broadcom/bcm2711-rpi-4-b.dtb 2>/dev/null | head -1 || true)
	if [ ! -f "$dtb" ] && [ -n "$src" ]; then
		cp "$src" "$dtb.tmp" && mv "$dtb.tmp" "$dtb"
		log "$(rel "$dtb")"
	fi
fi

initrd=$out/initramfs.cpio.gz
bbdir=$cache/busybox-static-arm64
if [ ! -f "$initrd" ] || [ "$init_src" -nt "$initrd" ] || [ "$scripts/mkinitramfs.sh" -nt "$initrd" ] ||
	{ [ -f "$bbdir/bin/busybox" ] && [ "$bbdir/bin/busybox" -nt "$initrd" ]; }; then
	bash "$scripts/fetch-deb.sh" busybox-static:arm64 "$bbdir" >/dev/null
	# virtio-mmio and virtio-blk are modules in Debian's kernel (virtio core is
	# built in): the demo's passthrough disks need them.
	# From the same package as the cached Image, or insmod refuses them.
	kpkg=$(grep -o 'linux-image-[0-9][^ _]*' "$out/kernel-package" 2>/dev/null | head -1)
	[ -n "$kpkg" ] || kpkg=$(kernel_pkg)
	kdir=$cache/$kpkg
	bash "$scripts/fetch-deb.sh" "$kpkg:arm64" "$kdir" >/dev/null
	mods=$(find "$kdir/lib/modules" \( -name virtio_mmio.ko -o -name virtio_blk.ko \) | sort)
	# shellcheck disable=SC2086 # one word per module path
	bash "$scripts/mkinitramfs.sh" "$bbdir/bin/busybox" "$init_src" "$initrd" $mods
	log "$(rel "$initrd") ($(($(stat -c %s "$initrd") / 1024)) KiB)"
fi
