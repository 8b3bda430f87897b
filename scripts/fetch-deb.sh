#!/usr/bin/env bash
# fetch-deb.sh PKG[:ARCH] DESTDIR
# Download one Debian package with `apt-get download` into the cache and unpack
# it under DESTDIR (idempotent: a DESTDIR with a .stamp is left alone).
# Used for files that must not be installed system-wide: the arm64 libfdt
# (conflicts with the host libfdt-dev), guest kernels, busybox for initramfs.
set -euo pipefail
pkg=$1 dest=$2
[ -f "$dest/.stamp" ] && exit 0
debs="$(dirname "$dest")/debs"
mkdir -p "$debs" "$dest"
name=${pkg%%:*}
(cd "$debs" && apt-get download -q "$pkg" >/dev/null 2>&1) || {
	# A fresh machine may have no package lists (or none for arm64 yet).
	bash "$(dirname "$0")/deps.sh"
	[ "$(id -u)" -eq 0 ] && apt-get update -qq || sudo apt-get update -qq
	(cd "$debs" && apt-get download -q "$pkg" >/dev/null)
}
deb=$(ls -t "$debs"/"${name}"_*.deb | head -1)
dpkg-deb -x "$deb" "$dest"
echo "$deb" >"$dest/.stamp"
echo "[fetch] $pkg -> $dest"
