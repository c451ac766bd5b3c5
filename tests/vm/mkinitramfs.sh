#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the gzip-compressed cpio initramfs of the rdpprn test VM:
# busybox-static with all its applet links, /init (guest/init),
# /rdpprn/lib.sh (guest/lib.sh) and the payload at /payload.
#
# Usage:
#   mkinitramfs.sh -o OUT.cpio.gz [--payload DIR] [--add SRC:DST]...
#                  [--add-bin PATH[:DST]]...
#
#   --payload DIR      copied to /payload; must contain a "run" script
#                      (run by busybox sh; it may source /rdpprn/lib.sh)
#   --add SRC:DST      copy a file or directory SRC to DST in the image
#   --add-bin PATH[:DST]
#                      copy a dynamically linked binary to DST (default:
#                      PATH) together with every library ldd lists for it
#                      and the ELF interpreter, at their host paths
#
# The image is owned by root:root regardless of who builds it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	sed -n '/^# Usage:/,/^# The image/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

out=
payload=
adds=()
bins=()
while [ $# -gt 0 ]; do
	case $1 in
	-o | --output) out=$2; shift 2 ;;
	--payload) payload=$2; shift 2 ;;
	--add) adds+=("$2"); shift 2 ;;
	--add-bin) bins+=("$2"); shift 2 ;;
	-h | --help) usage ;;
	*) echo "mkinitramfs.sh: unknown argument $1" >&2; usage ;;
	esac
done
[ -n "$out" ] || usage

busybox=${BUSYBOX:-/bin/busybox}
# ldd fails on a static binary ("not a dynamic executable").
if [ ! -x "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
	echo "mkinitramfs.sh: $busybox is not static (apt-get install busybox-static)" >&2
	exit 1
fi

staging=$(mktemp -d "${TMPDIR:-/tmp}/rdpprn-initramfs.XXXXXX")
trap 'rm -rf "$staging"' EXIT
# mktemp makes it 0700, and it becomes the guest's "/": users other than
# root could not reach anything.
chmod 0755 "$staging"

mkdir -p "$staging"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,root,etc,lib/modules,payload,rdpprn}
cp "$busybox" "$staging/bin/busybox"
# Applet links made here rather than by "busybox --install" at boot: one
# less thing for a slow TCG guest to do.
while IFS= read -r applet; do
	[ -e "$staging/$applet" ] || [ -L "$staging/$applet" ] || ln -s /bin/busybox "$staging/$applet"
done < <("$busybox" --list-full)

chmod 1777 "$staging/tmp"
install -m 0755 "$here/guest/init" "$staging/init"
install -m 0644 "$here/guest/lib.sh" "$staging/rdpprn/lib.sh"

# Users for tests that drop privileges or check device node ownership.
cat >"$staging/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
rdpuser:x:1000:1000:RDP session user:/tmp:/bin/sh
rdpother:x:1001:1001:another RDP session user:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$staging/etc/group" <<'EOF'
root:x:0:
lp:x:7:
rdpuser:x:1000:
rdpother:x:1001:
nogroup:x:65534:
EOF

# The kernel opens /dev/console for PID 1 before anything is mounted.
if [ "$(id -u)" = 0 ]; then
	mknod -m 600 "$staging/dev/console" c 5 1
	mknod -m 666 "$staging/dev/null" c 1 3
fi

if [ -n "$payload" ]; then
	[ -d "$payload" ] || { echo "mkinitramfs.sh: payload $payload is not a directory" >&2; exit 1; }
	cp -a "$payload/." "$staging/payload/"
fi

# Copy SRC to DST inside the image, creating parent directories.
add_path() {
	local src=$1 dst=$2
	mkdir -p "$staging/$(dirname "$dst")"
	if [ -d "$src" ]; then
		mkdir -p "$staging/$dst"
		cp -a "$src/." "$staging/$dst/"
	else
		cp -L "$src" "$staging/$dst"
	fi
}

for a in "${adds[@]}"; do
	case $a in
	*:*) add_path "${a%%:*}" "${a#*:}" ;;
	*) echo "mkinitramfs.sh: --add wants SRC:DST, got $a" >&2; exit 1 ;;
	esac
done

# A dynamic binary and what the host's loader resolves for it. Libraries go
# to the path ldd printed (symlinks resolved to real files), which is where
# the same loader looks inside the guest.
add_bin() {
	local src=$1 dst=$2 lib
	[ -x "$src" ] || { echo "mkinitramfs.sh: $src is not an executable" >&2; exit 1; }
	add_path "$src" "$dst"
	# ldd lines: "libx.so.1 => /lib/.../libx.so.1 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)",
	# "linux-vdso.so.1 (0x...)" (no file), or "not a dynamic executable".
	while IFS= read -r lib; do
		[ -n "$lib" ] || continue
		[ -e "$staging/$lib" ] || add_path "$lib" "$lib"
	done < <(ldd "$src" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3; next }
		$1 ~ /^\// { print $1 }')
}

for b in "${bins[@]}"; do
	case $b in
	*:*) add_bin "${b%%:*}" "${b#*:}" ;;
	*) add_bin "$b" "$b" ;;
	esac
done

mkdir -p "$(dirname "$out")"
# Sorted, owned by root, fastest gzip: the image is rebuilt for every run.
(cd "$staging" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
