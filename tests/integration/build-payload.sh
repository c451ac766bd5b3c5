#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the payload of the rdpprn integration suites for one kernel.
#
# Usage: build-payload.sh KDIR OUTDIR
#
#   KDIR    the kernel build tree to build rdpprn.ko against, or one of the
#           names of tests/vm/kernels.sh (debug, stock61, stock612)
#   OUTDIR  created (emptied first): run, lib.sh, suites/, rdpprn.ko,
#           bin/rdpprn-test (static), vectors/
#
# The module is built in a copy of the tree (build/integration/<key>/tree,
# gitignored; out-of-tree kbuild writes objects next to the sources), as
# tests/vm/build-module.sh does. Then boot it, e.g.:
#
#   tests/vm/run-vm.sh --kernel stock61 --payload OUTDIR --log LOG
#
# or use tests/integration/vm.sh, which does both.
# Environment: RDPPRN_JOBS (make -j, default 2); VECTORS (the shared test
# vectors, default ../shared/protocol/vectors beside the checkout, as in
# tests/Makefile).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

if [ $# -ne 2 ]; then
	sed -n '/^# Usage:/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
kdir=$1
out=$2
vectors=${VECTORS:-$(cd "$root/.." && pwd)/shared/protocol/vectors}
[ -r "$vectors/01_c2s_device_list_announce_3dev.hex" ] ||
	{ echo "build-payload.sh: no test vectors in $vectors (set VECTORS)" >&2; exit 1; }
case $kdir in
debug | stock61 | stock612) kdir=$("$root/tests/vm/kernels.sh" kdir "$kdir") ;;
esac
[ -f "$kdir/Makefile" ] || { echo "build-payload.sh: $kdir is no kernel build tree" >&2; exit 1; }
kdir=$(cd "$kdir" && pwd)

key=$(printf '%s' "$kdir" | sha256sum | cut -c1-12)
work=$root/build/integration/$key
tree=$work/tree
mkdir -p "$tree"
rsync -a --delete \
	--exclude=/.git --exclude=/build/ \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='*.a' --exclude='*.d' \
	--exclude=modules.order --exclude=Module.symvers --exclude=.tmp_versions/ \
	"$root/" "$tree/"

# Only rdpprn.ko is needed: CONFIG_KUNIT= keeps Kbuild from adding
# rdpprn_kunit.ko. The top-level Makefile still wants SHARED (the folder
# holding protocol/vectors) when the kernel has KUnit.
extra=(SHARED="$(cd "$vectors/../.." && pwd)" CONFIG_KUNIT=)
log=$work/module-build.log
if ! make -C "$tree" -j"${RDPPRN_JOBS:-2}" KDIR="$kdir" "${extra[@]}" modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-payload.sh: building rdpprn.ko against $kdir failed" >&2
	exit 1
fi
grep -E 'warning:|error:' "$log" >&2 || true
[ -f "$tree/rdpprn.ko" ] || { echo "build-payload.sh: rdpprn.ko not built" >&2; exit 1; }

bindir=$root/build/integration/rdpprn-test
make -s -C "$root/userspace/rdpprn-test" O="$bindir" STATIC=1 >"$work/rdpprn-test-build.log" 2>&1 || {
	cat "$work/rdpprn-test-build.log" >&2
	echo "build-payload.sh: building rdpprn-test failed" >&2
	exit 1
}

rm -rf "$out"
mkdir -p "$out/bin" "$out/suites" "$out/vectors"
install -m 0755 "$here/run" "$out/run"
install -m 0644 "$here/lib.sh" "$out/lib.sh"
install -m 0644 "$here"/suites/*.sh "$out/suites/"
install -m 0644 "$tree/rdpprn.ko" "$out/rdpprn.ko"
install -m 0755 "$bindir/rdpprn-test" "$out/bin/rdpprn-test"
install -m 0644 "$vectors"/*.hex "$out/vectors/"
echo "build-payload.sh: payload for $kdir in $out" >&2
