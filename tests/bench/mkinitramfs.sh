#!/usr/bin/env bash
# mkinitramfs.sh INIT OUTPUT
# The bench initramfs: /init (tests/bench/init-stamp.S, built static), an
# empty /dev with the /dev/console node (5,1) the kernel opens as init's
# stdout, and nothing else, so the boot it times spends no time unpacking.
# Like scripts/mkinitramfs.sh it needs no root (the console node is a
# hand-made newc entry appended to what cpio wrote) and is reproducible
# (fixed mtimes, sorted entries, gzip -n).
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 INIT OUTPUT" >&2; exit 2; }
init=$1 output=$2
epoch=${SOURCE_DATE_EPOCH:-0}
[ -f "$init" ] || { echo "mkinitramfs: no init at $init" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/dev"
cp "$init" "$root/init"
chmod 0755 "$root/dev" "$root/init"
find "$root" -exec touch -h -d "@$epoch" {} +

# One newc header: magic then 13 fields of 8 hex digits, the name, padding.
newc_entry() { # NAME MODE RDEVMAJOR RDEVMINOR INO
	local name=$1 namesize=$((${#1} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$5" "$2" 0 0 1 "$epoch" 0 0 0 "$3" "$4" "$namesize" 0
	printf '%s\0' "$name"
	head -c $(((4 - (110 + namesize) % 4) % 4)) /dev/zero
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
