#!/usr/bin/env bash
# mkinitramfs.sh BUSYBOX INIT OUTPUT
# Build a gzip-compressed newc initramfs for the Linux test guest:
#   /bin/busybox (a static arm64 busybox), /bin/sh -> busybox, /init (INIT),
#   empty /dev /proc /sys /tmp /root /etc /run /sbin /usr/bin /usr/sbin
#   (the applet links are made at boot by `busybox --install -s` in /init),
#   and a /dev/console character node (5,1).
# Needs no root: every entry is stored as owned by 0:0, and /dev/console, which
# a normal user cannot mknod, is written as a hand-made newc entry appended to
# the archive that cpio wrote (the kernel unpacks concatenated archives).
# Reproducible: sorted entries, fixed mtimes (SOURCE_DATE_EPOCH, default 0),
# cpio --reproducible, gzip -n.
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 BUSYBOX INIT OUTPUT [MODULE.ko...]" >&2; exit 2; }
busybox=$1 init=$2 output=$3
shift 3 # the rest: kernel modules for /lib/modules (init loads them)
epoch=${SOURCE_DATE_EPOCH:-0}
[ -f "$busybox" ] || { echo "mkinitramfs: no busybox at $busybox" >&2; exit 1; }
[ -f "$init" ] || { echo "mkinitramfs: no init script at $init" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,etc,run}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$init" "$root/init"
if [ $# -gt 0 ]; then
	mkdir -p "$root/lib/modules"
	cp "$@" "$root/lib/modules/"
fi
find "$root" -type d -exec chmod 0755 {} +
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
chmod 0755 "$root/bin/busybox" "$root/init"
find "$root" -exec touch -h -d "@$epoch" {} +

# One newc header: magic then 13 fields of 8 hex digits.
newc_entry() { # NAME MODE RDEVMAJOR RDEVMINOR INO
	local name=$1 namesize=$((${#1} + 1)) pad
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$5" "$2" 0 0 1 "$epoch" 0 0 0 "$3" "$4" "$namesize" 0
	printf '%s\0' "$name"
	pad=$(((4 - (110 + namesize) % 4) % 4))
	head -c "$pad" /dev/zero
}

mkdir -p "$(dirname "$output")"
(
	cd "$root"
	find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --reproducible --quiet
	newc_entry dev/console $((0020000 | 0600)) 5 1 $((0x7ffffff0))
	newc_entry 'TRAILER!!!' 0 0 0 0
) | gzip -n -9 >"$output.tmp"
mv "$output.tmp" "$output"
