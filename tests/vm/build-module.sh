#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build rdpprn.ko (and rdpprn_kunit.ko where the kernel has KUnit) for one
# test kernel and print the directory that holds the .ko files.
#
# Usage: build-module.sh debug|stock61|stock612
#
# Out-of-tree kbuild writes its objects next to the sources, so each kernel
# gets its own copy of the tree (minus .git and build products) in
# <repo>/build/<kernel>/tree, which is gitignored; rsync keeps the objects
# of the previous build there, so rebuilds are incremental. Concurrent
# callers for the same kernel are serialized with a lock.
#
# Environment: RDPPRN_SRC   tree to build (default: this checkout)
#              RDPPRN_BUILD where the per-kernel dirs go (default:
#                           <repo>/build); use another one when building a
#                           different RDPPRN_SRC, so as not to disturb
#                           others using <repo>/build
#              RDPPRN_JOBS  make -j (default 2)
# The KUnit module's vectors come from the tree itself (tests/vectors).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
src=${RDPPRN_SRC:-$root}

if [ $# -ne 1 ]; then
	sed -n '/^# Usage:/p' "$0" | sed 's/^# //' >&2
	exit 2
fi
kernel=$1
kdir=$("$here/kernels.sh" kdir "$kernel")
out=${RDPPRN_BUILD:-$root/build}/$kernel
tree=$out/tree
mkdir -p "$out"
exec 9>"$out/.build-lock"
flock 9

# A tree copied from another source (RDPPRN_SRC) starts from scratch.
stamp=$tree/.rdpprn-build-src
if [ "$(cat "$stamp" 2>/dev/null)" != "$src" ]; then
	rm -rf "$tree"
	mkdir -p "$tree"
fi

# Excluded paths are neither copied nor deleted on the receiving side, so
# the build products of the last run survive. Of build/ only the generated
# sources (build/gen, used by the KUnit module) are copied.
# --checksum without -t: only files whose content changed are written, and
# they get the current time, so make sees them as newer than their objects
# even when the source file's own mtime is older (restored from a backup,
# copied with cp -p, ...). rsync's notices go to stderr: stdout is the
# result of this script.
rsync -rlpgoD --checksum --delete \
	--exclude=/.git \
	--include=/build/ --include=/build/gen/*** --exclude=/build/* \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='*.a' --exclude='*.d' \
	--exclude=modules.order --exclude=Module.symvers --exclude=.tmp_versions/ \
	--exclude=/.rdpprn-build-src \
	"$src/" "$tree/" >&2
echo "$src" >"$stamp"

log=$out/module-build.log
if ! make -C "$tree" -j"${RDPPRN_JOBS:-2}" KDIR="$kdir" modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-module.sh: building rdpprn for $kernel ($kdir) failed" >&2
	exit 1
fi
# Compiler warnings are worth seeing even when the build succeeds.
grep -E 'warning:|error:' "$log" >&2 || true
[ -f "$tree/rdpprn.ko" ] || { echo "build-module.sh: $tree/rdpprn.ko not built" >&2; exit 1; }
echo "$tree"
