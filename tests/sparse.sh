#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sparse over every file of rdpprn.ko (C=2), built against Debian's 6.1
# headers in a scratch copy of the tree, so that the checkout and its
# per-kernel build trees stay untouched. Any sparse warning fails.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kdir=$("$root/tests/vm/kernels.sh" kdir stock61)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rsync -a --exclude .git --exclude build "$root/" "$tmp/"
if ! out=$(make -C "$kdir" M="$tmp" C=2 -j"${RDPPRN_JOBS:-2}" modules 2>&1); then
	echo "$out"
	echo "sparse.sh: the module did not build"
	exit 1
fi
files=$(grep -c '^  CHECK' <<<"$out" || true)
if grep -E ': (warning|error):' <<<"$out"; then
	echo "sparse.sh: sparse found problems in $files files"
	exit 1
fi
[ "$files" -gt 0 ] || { echo "sparse.sh: sparse checked nothing"; exit 1; }
echo "sparse.sh: $files files checked, clean"
