#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian guest: a Debian 12 root file system made with mmdebstrap from
# this machine's own apt sources, with systemd, udev and the packages of
# tests/vm/debian/packages, booted by tests/vm/run-vm.sh --debian on the
# stock 6.1 and 6.12 kernels. Built once into
# ${RDPPRN_CACHE:-/var/cache/rdpprn}/debian-<hash>, outside the checkout,
# and reused while the hash of its inputs (the package list with the
# kernel releases filled in, this recipe, customize.sh and the apt
# sources) is unchanged.
#
# Usage:
#   build.sh [dir]    build if needed; print the cache dir, which holds
#                     rootfs.img (raw ext4; boot it with snapshot=on or
#                     under a qcow2 overlay, never write it),
#                     vmlinuz-<release>, initrd.img-<release>, and
#                     packages (dpkg -l of the image)
#   build.sh prune    delete the images of other hashes
#
# Adding a package: one line in tests/vm/debian/packages. The next run
# builds a new image (3-6 minutes, mostly downloads) and prune removes the
# old one.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../kernels.sh
. "$here/../kernels.sh"

cache_root=${RDPPRN_CACHE:-/var/cache/rdpprn}
cmd=${1:-dir}

rel61=$(rdpprn_kernel_release stock61)
rel612=$(rdpprn_kernel_release stock612)

# The machine's enabled apt sources, deb822 and one-line, as the guest's.
host_sources() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		cat "$f"
		echo
	done
}
host_lists() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		if [ -r "$f" ]; then
			grep -E '^[[:space:]]*deb[[:space:]]' "$f" || true
		fi
	done
}

# The package list with comments dropped and the releases filled in.
package_list() {
	sed -e 's/#.*//' -e "s/@STOCK61@/$rel61/g" -e "s/@STOCK612@/$rel612/g" \
		"$here/packages" | tr -s ' \t' ' ' | sed -e 's/^ //' -e 's/ $//' -e '/^$/d'
}

image_hash() {
	{
		package_list
		sha256sum "$here/build.sh" "$here/customize.sh" | cut -d' ' -f1
		host_sources
		host_lists
		dpkg --print-architecture
	} | sha256sum | cut -c1-16
}

dir=$cache_root/debian-$(image_hash)

if [ "$cmd" = prune ]; then
	for d in "$cache_root"/debian-*; do
		if [ ! -d "$d" ] || [ "$d" = "$dir" ]; then continue; fi
		echo "build.sh: removing $d" >&2
		rm -rf "$d"
	done
	exit 0
fi
[ "$cmd" = dir ] || { sed -n '/^# Usage:/,/^# Adding/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

if [ -f "$dir/stamp" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$cache_root"
exec 9>"$cache_root/debian.lock"
flock 9
if [ -f "$dir/stamp" ]; then
	echo "$dir"
	exit 0
fi

include=$(package_list | grep -v '^DOWNLOAD:' | tr ' ' '\n' | paste -sd, -)
download=$(package_list | sed -n 's/^DOWNLOAD: *//p' | tr '\n' ' ')

t0=$(date +%s)
rm -rf "$dir"
mkdir -p "$dir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdpprn-debian.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
host_sources >"$tmp/guest.sources"
host_lists >"$tmp/guest.list"
mirrors=()
[ ! -s "$tmp/guest.sources" ] || mirrors+=("$tmp/guest.sources")
[ ! -s "$tmp/guest.list" ] || mirrors+=("$tmp/guest.list")
[ ${#mirrors[@]} -gt 0 ] || { echo "build.sh: no apt sources on this machine" >&2; exit 1; }

echo "build.sh: building the Debian guest in $dir (log $dir/build.log)" >&2
# --variant=apt: Essential packages and apt, the rest by name.
# Check-Valid-Until/Check-Date: the machine's mirror may serve a snapshot
# whose Release files are past their Valid-Until, as the host's own apt
# configuration allows. Documentation is left out: the guest is read by
# tests, not people (man pages stay: the package suite checks them).
# shellcheck disable=SC2016 # $1 is mmdebstrap's, expanded by its shell
if ! mmdebstrap --variant=apt --mode=root --format=directory \
	--include="$include" \
	--aptopt='Acquire::Check-Valid-Until "false"' \
	--aptopt='Acquire::Check-Date "false"' \
	--aptopt='Acquire::Languages "none"' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--essential-hook="$here/customize.sh --initramfs \"\$1\"" \
	--customize-hook="$here/customize.sh \"\$1\" $download" \
	bookworm "$tmp/rootfs" "${mirrors[@]}" >"$dir/build.log" 2>&1; then
	tail -n 40 "$dir/build.log" >&2
	echo "build.sh: mmdebstrap failed, see $dir/build.log" >&2
	exit 1
fi

for rel in "$rel61" "$rel612"; do
	for f in vmlinuz initrd.img; do
		[ -r "$tmp/rootfs/boot/$f-$rel" ] ||
			{ echo "build.sh: the guest has no /boot/$f-$rel" >&2; exit 1; }
		cp "$tmp/rootfs/boot/$f-$rel" "$dir/"
	done
done
chroot "$tmp/rootfs" dpkg -l >"$dir/packages"

# Room for what the suites add (packages, DKMS builds, a second kernel's
# headers): the image is sparse, unused space costs nothing.
used=$(du -sm "$tmp/rootfs" | cut -f1)
mkfs.ext4 -q -F -L rdpprn-guest -d "$tmp/rootfs" "$dir/rootfs.img" \
	"$((used + used / 2 + 2048))M" >>"$dir/build.log" 2>&1 ||
	{ tail -n 20 "$dir/build.log" >&2; echo "build.sh: mkfs.ext4 failed" >&2; exit 1; }
date -u +%FT%TZ >"$dir/stamp"
echo "build.sh: Debian guest ready in $(($(date +%s) - t0)) s: $dir" >&2
echo "$dir"
