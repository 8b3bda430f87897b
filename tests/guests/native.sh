#!/usr/bin/env bash
# native.sh [-l LOAD_ADDR] [-m MEM_MIB] [-s CPUS] [-q QEMU_MACHINE_OPTS] GUEST [BOOTARGS]
#
# Runs build/guests/GUEST.bin on bare QEMU virt (TCG), with no hypervisor,
# to check a test guest itself. By default QEMU -kernel loads it at
# 0x40200000 with BOOTARGS as -append. With -l it is loaded at LOAD_ADDR
# (2 MiB-aligned, above 0x40000000, where QEMU keeps its own DTB) by QEMU's
# generic loader; then QEMU's DTB gets the bootargs with fdtput and goes in
# the last MiB of RAM, and a 3-instruction stub below it enters the guest
# with x0 = DTB. Exits with QEMU's status (0 after PSCI SYSTEM_OFF).
set -euo pipefail

load='' mem=256 cpus=1 machine=virt
while getopts l:m:s:q: opt; do
	case $opt in
	l) load=$((OPTARG)) ;;
	m) mem=$OPTARG ;;
	s) cpus=$OPTARG ;;
	q) machine=virt,$OPTARG ;;
	*) sed -n 2p "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n 2p "$0" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/build/guests/$1.bin
bootargs=${2-}
qemu=(qemu-system-aarch64 -M "$machine" -cpu max -smp "$cpus" -m "${mem}M"
	-nographic -nic none -no-reboot)

if [ -z "$load" ]; then
	exec timeout 60 "${qemu[@]}" -kernel "$bin" -append "$bootargs"
fi

ram_end=$((0x40000000 + mem * 0x100000))
dtb=$((ram_end - 0x100000))
stub=$((dtb - 0x10000))
if ((load % 0x200000 || load < 0x40200000 || load + 0x200000 > stub)); then
	printf "native.sh: -l 0x%x: not 2 MiB-aligned inside RAM above its first 2 MiB\n" "$load" >&2
	exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${qemu[@]}" -machine dumpdtb="$tmp/virt.dtb" >/dev/null
fdtput -t s "$tmp/virt.dtb" /chosen bootargs "$bootargs"

# movz x0, #(dtb >> 16), lsl #16; movz x1, #(load >> 16), lsl #16; br x1
movz() { echo $((0xd2a00000 | ($2 >> 16) << 5 | $1)); }
code=$(printf 0x%08x%08x "$(movz 1 $load)" "$(movz 0 $dtb)")
timeout 60 "${qemu[@]}" \
	-device loader,file="$bin",addr=$load,force-raw=on \
	-device loader,file="$tmp/virt.dtb",addr=$dtb,force-raw=on \
	-device loader,addr=$stub,data="$code",data-len=8 \
	-device loader,addr=$((stub + 8)),data=0xd61f0020,data-len=4 \
	-device loader,addr=$stub,cpu-num=0
