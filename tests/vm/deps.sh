#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the rdpprn VM test harness needs on a Debian 12 (bookworm)
# machine. Idempotent: packages already installed are left alone, and
# "apt-get update" runs only when a package or suite is not known yet (or
# when an install fails on stale package lists).
#
# Besides bookworm's 6.1 kernel it installs Debian 13's 6.12 kernel series
# from bookworm-backports, by its concrete versioned package names, so that
# both stay installed (the backports "linux-image-amd64" metapackage would
# replace bookworm's).
#
# Usage: tests/vm/deps.sh          (as root)
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
# DPkg::Lock::Timeout: wait for another apt (a package install of the
# machine's own, or a second test run) instead of failing at once.
APT_OPTS=(-y -q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=900
	--no-install-recommends)
BPO_SOURCES=/etc/apt/sources.list.d/rdpprn-backports.sources

PKGS=(
	# VM and initramfs
	qemu-system-x86 busybox-static cpio gzip rsync
	# kernels: stock 6.1, the source of the debug kernel
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
	# building the kernel and modules
	bc flex bison libelf-dev libssl-dev dwarves xz-utils zstd kmod
	python3 gcc make perl
	# userspace, unit tests, static checks
	libnl-3-dev libnl-genl-3-dev libcmocka-dev clang sparse shellcheck
	pkgconf
	# benchmark 2's CUSE baseline (tests/bench/cuse/)
	libfuse3-dev
	# the CUPS backend (userspace/cups/)
	libcups2-dev
	# the Debian guest (tests/vm/debian) and its overlays
	mmdebstrap e2fsprogs qemu-utils
	# packages (debian/), man pages, the YNL spec checks
	dpkg-dev debhelper dh-dkms lintian python3-docutils python3-yaml man-db
	groff-base
	python3-jsonschema linux-source-6.12
)

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: must run as root" >&2
	exit 1
fi

updated=0
apt_update() {
	[ "$updated" = 1 ] && return 0
	echo "deps.sh: apt-get update" >&2
	apt-get update -q -o DPkg::Lock::Timeout=900
	updated=1
}

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

has_candidate() {
	local c
	c=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	[ -n "$c" ] && [ "$c" != "(none)" ]
}

# Install "$@" (extra apt options first, then "--", then packages),
# refreshing the lists once if apt does not know a package or a download
# 404s because the lists are stale.
apt_install() {
	local opts=() p
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	for p in "$@"; do
		has_candidate "$p" || apt_update
	done
	if ! apt-get install "${APT_OPTS[@]}" "${opts[@]}" "$@"; then
		[ "$updated" = 1 ] && return 1
		apt_update
		apt-get install "${APT_OPTS[@]}" "${opts[@]}" "$@"
	fi
}

# Kernel images run update-initramfs on install, which is slow and useless
# here: the VM boots our own busybox initramfs. Skip it, but only where no
# bootloader could pick the new kernel as its default (a workstation with
# GRUB keeps the normal behaviour, so the machine stays bootable).
if [ ! -e /boot/grub/grub.cfg ] && [ ! -d /boot/efi/EFI ] && [ ! -d /boot/loader ]; then
	export INITRD=No
fi

newly=()

# --- bookworm packages --------------------------------------------------------
missing=()
for p in "${PKGS[@]}"; do
	installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps.sh: installing ${missing[*]}" >&2
	apt_install -- "${missing[@]}"
	newly+=("${missing[@]}")
fi

# --- bookworm-backports suite ---------------------------------------------------
# The URI (and keyring) of the machine's own bookworm entry, so that the
# project never names a mirror.
debian_uri() {
	local f
	for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		# deb822: paragraphs separated by blank lines; the one whose
		# Suites has the word "bookworm" (not bookworm-updates etc.).
		awk '
			BEGIN { RS = ""; FS = "\n" }
			{
				uri = ""; suites = ""; signed = ""; types = ""; enabled = "yes"
				for (i = 1; i <= NF; i++) {
					if ($i ~ /^URIs:/) { uri = $i; sub(/^URIs:[ \t]*/, "", uri) }
					else if ($i ~ /^Suites:/) { suites = " " $i " " }
					else if ($i ~ /^Signed-By:/) { signed = $i; sub(/^Signed-By:[ \t]*/, "", signed) }
					else if ($i ~ /^Types:/) { types = " " $i " " }
					else if ($i ~ /^Enabled:[ \t]*no/) { enabled = "no" }
				}
				if (enabled == "yes" && types ~ / deb / && suites ~ /[ \t]bookworm[ \t]/ && uri != "") {
					split(uri, u, /[ \t]+/)
					print u[1] "\t" signed
					exit
				}
			}' "$f" | grep . && return 0
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		# deb [options] URI bookworm components...
		awk '$1 == "deb" {
				i = 2
				if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
				if ($(i + 1) == "bookworm") { print $i "\t"; exit }
			}' "$f" | grep . && return 0
	done
	return 1
}

if [ ! -e "$BPO_SOURCES" ]; then
	if ! line=$(debian_uri); then
		echo "deps.sh: no Debian bookworm apt source found to derive bookworm-backports from" >&2
		exit 1
	fi
	uri=${line%%$'\t'*}
	signed=${line#*$'\t'}
	[ -n "$signed" ] || signed=/usr/share/keyrings/debian-archive-keyring.gpg
	echo "deps.sh: adding bookworm-backports from $uri to $BPO_SOURCES" >&2
	cat >"$BPO_SOURCES" <<EOF
# Added by rdpprn tests/vm/deps.sh: Debian 13's 6.12 kernel for the VM tests.
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: $signed
EOF
	updated=0
	apt_update
fi

# --- the 6.12 kernel from backports, by concrete package name -------------------
bpo_dep() {
	# apt-cache depends -t bookworm-backports linux-image-amd64
	#   -> "Depends: linux-image-6.12.<n>+bpo-amd64"
	apt-cache depends -t bookworm-backports "$1" 2>/dev/null |
		sed -n "s/^ *Depends: \($2-6\.12\.[^ ]*\).*/\1/p" | head -n1
}
img=$(bpo_dep linux-image-amd64 linux-image)
if [ -z "$img" ]; then
	apt_update
	img=$(bpo_dep linux-image-amd64 linux-image)
fi
hdr=$(bpo_dep linux-headers-amd64 linux-headers)
if [ -z "$img" ] || [ -z "$hdr" ]; then
	echo "deps.sh: cannot resolve the 6.12 kernel packages in bookworm-backports" >&2
	exit 1
fi
missing=()
for p in "$img" "$hdr"; do
	installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps.sh: installing ${missing[*]} from bookworm-backports" >&2
	# -t lets their dependencies (headers-common, kbuild, linux-base) come
	# from backports too. Naming only the concrete packages is not enough
	# to keep bookworm's 6.1 metapackages: apt (>= 2.3) also upgrades the
	# other installed binaries of the same source package (linux-image-amd64,
	# linux-headers-amd64, linux-libc-dev, linux-perf) unless told not to.
	apt_install -t bookworm-backports -o APT::Get::Upgrade-By-Source-Package=false \
		-- "${missing[@]}"
	newly+=("${missing[@]}")
fi

if [ ${#newly[@]} -gt 0 ]; then
	echo "deps.sh: installed: ${newly[*]}"
else
	echo "deps.sh: nothing to install, all present"
fi
for k in /boot/vmlinuz-6.1.* /boot/vmlinuz-6.12.*; do
	if [ -e "$k" ]; then
		echo "deps.sh: kernel $k"
	fi
done
