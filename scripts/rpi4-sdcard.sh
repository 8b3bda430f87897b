#!/usr/bin/env bash
# rpi4-sdcard.sh — the Raspberry Pi 4 boot files Tessera needs
# (make PLATFORM=rpi4 sdcard / deploy; docs/raspberry-pi-4.md).
#
#   scripts/rpi4-sdcard.sh --build build/rpi4 [--console mini|pl011]
#                          [--firmware DIR] [--deploy DIR]
#
# Writes into <build>/sdcard/:
#   config.txt         arm_64bit, kernel=, device_tree=, enable_gic, the UART
#   tessera8.img       Tessera with its VM config and guest images (kernel8.img)
#   tessera-rpi4.dtb   the board DTB Tessera reads (Debian's bcm2711-rpi-4-b.dtb,
#                      stdout-path naming the console UART)
# and, when mkfs.vfat (dosfstools), mcopy (mtools) and sfdisk (fdisk) are
# installed, <build>/sdcard.img: a card image with one FAT32 partition
# holding those files.
#
# The firmware (start4.elf, fixup4.dat) is the Raspberry Pi Foundation's:
# --firmware DIR copies it from a Raspberry Pi OS boot partition (mounted, or
# a copy of it) into the folder and the image. Without it the folder and the
# image lack the firmware and are not bootable on their own.
#
# --deploy DIR writes the three files into a mounted Raspberry Pi OS boot
# partition instead, which has the firmware already. Its config.txt is kept
# as config-raspios.txt (once): copy it back to boot Raspberry Pi OS again.
set -euo pipefail

FIRMWARE_FILES=(start4.elf fixup4.dat)
IMAGE_MIB=64
PART_START=2048 # sectors: the partition starts at 1 MiB
MARK="# Tessera"

build= console=mini firmware= deploy=
usage() {
	sed -n 4,6p "$0" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift 2 ;;
	--console) console=$2; shift 2 ;;
	--firmware) firmware=$2; shift 2 ;;
	--deploy) deploy=$2; shift 2 ;;
	*) usage ;;
	esac
done
[ -n "$build" ] || usage
case "$console" in mini | pl011) ;; *) echo "sdcard: --console mini or pl011" >&2; exit 2 ;; esac

log() { echo "[sdcard] $*"; }
die() { echo "sdcard: $*" >&2; exit 1; }

image=$build/kernel8.img
dtb=$build/bcm2711-rpi-4-b-$console.dtb
for f in "$image" "$dtb"; do
	[ -f "$f" ] || die "$f missing: run make PLATFORM=rpi4 first"
done

# config.txt for the console chosen. The mini-UART's baud clock is the VPU
# core clock, so it is pinned at the 500 MHz Tessera assumes; the PL011 is
# moved onto GPIO 14/15 by the disable-bt overlay (Bluetooth off).
config_txt() {
	cat <<EOF
$MARK: written by make PLATFORM=rpi4 sdcard (docs/raspberry-pi-4.md).
[pi4]
arm_64bit=1
kernel=tessera8.img
device_tree=tessera-rpi4.dtb
enable_gic=1
# Serial console: GPIO 14 (TXD, header pin 8), GPIO 15 (RXD, pin 10), 115200 8N1.
enable_uart=1
EOF
	if [ "$console" = mini ]; then
		cat <<EOF
# The mini-UART (UART1) is clocked by the VPU core clock: keep it at 500 MHz.
core_freq=500
core_freq_min=500
EOF
	else
		cat <<EOF
# The PL011 (UART0) on GPIO 14/15 instead of the Bluetooth chip.
dtoverlay=disable-bt
EOF
	fi
	cat <<EOF
# Firmware messages on the same UART (uncomment when nothing appears):
#uart_2ndstage=1
[all]
EOF
}

# $1: destination directory.
write_files() {
	config_txt >"$1/config.txt"
	cp "$image" "$1/tessera8.img"
	cp "$dtb" "$1/tessera-rpi4.dtb"
}

copy_firmware() {
	local f
	for f in "${FIRMWARE_FILES[@]}"; do
		[ -f "$firmware/$f" ] || die "$firmware/$f missing: is that a Raspberry Pi OS boot partition?"
		cp "$firmware/$f" "$1/"
	done
	if [ "$console" = pl011 ]; then
		[ -f "$firmware/overlays/disable-bt.dtbo" ] || die "$firmware/overlays/disable-bt.dtbo missing"
		mkdir -p "$1/overlays"
		cp "$firmware/overlays/disable-bt.dtbo" "$1/overlays/"
	fi
}

deploy_to() {
	[ -f "$1/start4.elf" ] || die "$1 has no start4.elf: not a Raspberry Pi 4 boot partition"
	if [ -f "$1/config.txt" ] && ! head -n 1 "$1/config.txt" | grep -q "^$MARK"; then
		[ -e "$1/config-raspios.txt" ] || mv "$1/config.txt" "$1/config-raspios.txt"
		log "kept the old config.txt as $1/config-raspios.txt"
	fi
	write_files "$1"
	sync
	log "wrote config.txt, tessera8.img, tessera-rpi4.dtb to $1"
}

have_image_tools() {
	command -v mkfs.vfat >/dev/null && command -v mcopy >/dev/null && command -v sfdisk >/dev/null
}

# A card image: an MBR with one FAT32 (LBA) partition from 1 MiB.
make_image() {
	local img=$build/sdcard.img dir=$1 off=$((PART_START * 512)) f
	local sectors=$((IMAGE_MIB * 2048 - PART_START))
	rm -f "$img"
	truncate -s "${IMAGE_MIB}M" "$img"
	echo "start=$PART_START, type=c, bootable" | sfdisk -q "$img"
	mkfs.vfat -F 32 -n BOOT --offset "$PART_START" "$img" $((sectors / 2)) >/dev/null
	for f in "$dir"/*; do
		mcopy -s -i "$img@@$off" "$f" ::/
	done
	log "$(rel "$img") (${IMAGE_MIB} MiB: write it to the whole card, e.g. /dev/sdX)"
}

rel() { echo "${1#"$PWD"/}"; }

if [ -n "$deploy" ]; then
	deploy_to "$deploy"
	exit 0
fi
out=$build/sdcard
rm -rf "$out"
mkdir -p "$out"
write_files "$out"
[ -z "$firmware" ] || copy_firmware "$out"
log "$(rel "$out")/: $(cd "$out" && echo *)"
if have_image_tools; then
	make_image "$out"
else
	log "no card image: install dosfstools, mtools and fdisk for $(rel "$build")/sdcard.img"
fi
[ -n "$firmware" ] || log "no firmware: add ${FIRMWARE_FILES[*]} from a Raspberry Pi OS boot partition (RPI_FIRMWARE=<dir>)"
