#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xrdp 0.9.21.1 (Debian 12's version) with the chansrv patches of
# userspace/integrations/xrdp, built on this machine (Debian 12, the same
# libraries as the test guest) for the xrdp tests. Built once into
# ${RDPPRN_CACHE:-/var/cache/rdpprn}/xrdp-<hash>, outside the checkout,
# and reused while the hash of its inputs (the upstream tarball, the patches
# and this script) is unchanged. The tarball is third-party source kept
# beside the repository: ../shared/third_party/xrdp-0.9.21.1.tar.gz.
#
# Usage:
#   build.sh [dir]    build if needed; print the cache dir, which holds
#                     root/ (make install DESTDIR=root/: xrdp, xrdp-sesman,
#                     xrdp-chansrv, their libraries and configuration,
#                     prefix /usr, /etc/xrdp, PAM, FUSE), build.log, and
#                     runtime-libs (the Debian packages whose libraries
#                     the binaries load, one a line, for the guest)
#   build.sh prune    delete the builds of other hashes
#
# Exit status 3: the tarball is missing (the suite reports "not run").
# Build dependencies missing on this machine are installed with apt-get.
# A build takes about two minutes on 2 cores.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
tarball=$(cd "$repo/.." && pwd)/shared/third_party/xrdp-0.9.21.1.tar.gz
# The patch series, applied in the order of their names
patches=("$repo"/userspace/integrations/xrdp/[0-9][0-9][0-9][0-9]-*.patch)
cache_root=${RDPPRN_CACHE:-/var/cache/rdpprn}
cmd=${1:-dir}

# What configure needs for this set of features (no painter, rfxcodec,
# jpeg, opus, mp3lame, pixman: xrdp's defaults less the two submodules).
build_deps=(autoconf automake libtool pkgconf make gcc libc6-dev patch
	libssl-dev libpam0g-dev libx11-dev libxfixes-dev libxrandr-dev
	libfuse-dev)

case $cmd in
dir|prune) ;;
*) sed -n '/^# Usage:/,/^# A build/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

if [ ! -r "$tarball" ]; then
	echo "build.sh: $tarball is missing: the xrdp tests need xrdp's source there" >&2
	exit 3
fi

hash=$(sha256sum "$tarball" "${patches[@]}" "$here/build.sh" | cut -d' ' -f1 |
	sha256sum | cut -c1-16)
dir=$cache_root/xrdp-$hash

if [ "$cmd" = prune ]; then
	for d in "$cache_root"/xrdp-*; do
		if [ ! -d "$d" ] || [ "$d" = "$dir" ]; then continue; fi
		echo "build.sh: removing $d" >&2
		rm -rf "$d"
	done
	exit 0
fi

if [ -f "$dir/stamp" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$cache_root"
exec 9>"$cache_root/xrdp.lock"
flock 9
if [ -f "$dir/stamp" ]; then
	echo "$dir"
	exit 0
fi

missing=()
for p in "${build_deps[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "build.sh: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 || true
	apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
		"${missing[@]}" >&2
fi

t0=$(date +%s)
# In the cache root, so that the finished build moves into place with a
# rename: a reader sees the whole build or none.
tmp=$(mktemp -d "$cache_root/.xrdp-build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
mkdir -p "$out/root"
log=$out/build.log
echo "build.sh: building patched xrdp in $tmp (log $log)" >&2

# Debian's layout (/usr, /etc/xrdp, /var), no systemd units (the tests
# start the daemons themselves), no static libraries, no self-tests.
# (Chained with &&: errexit does not apply inside an if's condition.)
build() {
	tar -xzf "$tarball" -C "$tmp" &&
	cd "$tmp/xrdp-0.9.21.1" &&
	for p in "${patches[@]}"; do patch -p1 <"$p" || return; done &&
	./bootstrap &&
	./configure --prefix=/usr --sysconfdir=/etc --localstatedir=/var \
		--enable-fuse --enable-pam --disable-painter --disable-rfxcodec \
		--with-systemdsystemunitdir=no --disable-static &&
	make -j2 &&
	make install DESTDIR="$out/root"
}
if ! (build) >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	echo "build.sh: the xrdp build failed, see $log (kept in $dir.failed)" >&2
	rm -rf "$dir.failed"
	mv "$out" "$dir.failed"
	exit 1
fi
for f in xrdp xrdp-sesman xrdp-chansrv; do
	[ -x "$out/root/usr/sbin/$f" ] ||
		{ echo "build.sh: no usr/sbin/$f in the build" >&2; exit 1; }
done

# The Debian packages of the shared libraries the ELF files load, xrdp's
# own libraries (found in root/) left out. ldd may name a library by its
# /usr path while the package ships it under /lib, or the other way.
owner() {
	local p=$1 q pkg
	for q in "$p" "${p#/usr}" "/usr$p" "$(readlink -f "$p")"; do
		pkg=$(dpkg-query -S "$q" 2>/dev/null | head -n 1 | cut -d: -f1) || true
		if [ -n "$pkg" ]; then
			echo "$pkg"
			return 0
		fi
	done
	echo "build.sh: warning: no package ships $p" >&2
}
libdirs=$(find "$out/root" -name '*.so*' -printf '%h\n' | sort -u | paste -sd: -)
find "$out/root" -type f | while IFS= read -r f; do
	[ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
	LD_LIBRARY_PATH=$libdirs ldd "$f" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'
done | grep -v "^$out/" | sort -u | while IFS= read -r lib; do
	owner "$lib"
done | sort -u >"$out/runtime-libs"
[ -s "$out/runtime-libs" ] || { echo "build.sh: no runtime libraries found" >&2; exit 1; }

echo "built in $(($(date +%s) - t0)) s from $(sha256sum "$tarball" | cut -d' ' -f1)" >>"$log"
date -u +%FT%TZ >"$out/stamp"
rm -rf "$dir"
mv "$out" "$dir"
echo "build.sh: patched xrdp ready in $(($(date +%s) - t0)) s: $dir" >&2
echo "$dir"
