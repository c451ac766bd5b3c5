#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build rdpprn's Debian packages (debian/) from this checkout and check
# them with lintian.
#
# Usage: build-debs.sh OUTDIR
#
# The files of the checkout (tracked, and untracked ones git does not
# ignore, so that work in progress is what gets packaged) are copied to
# OUTDIR/src/rdpprn-<version>, where "dpkg-buildpackage -b" runs; the
# .debs, .buildinfo and .changes land in OUTDIR, the build log in
# OUTDIR/build.log and lintian's in OUTDIR/lintian.log. Fails when the
# build fails or lintian reports an error or a warning (tags that are
# overridden in debian/*.lintian-overrides carry their reason there).
# Build dependencies: tests/vm/deps.sh installs them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

if [ $# -ne 1 ]; then
	sed -n '/^# Usage:/,/^# Build dependencies/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
out=$(realpath -m "$1")
version=$(awk 'NR == 1 { print substr($2, 2, length($2) - 2) }' "$root/debian/changelog")
src=$out/src/rdpprn-$version

rm -rf "$out"
mkdir -p "$src"
cd "$root"
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do
			# deleted but not yet committed
			[ -e "$f" ] && printf '%s\0' "$f"
		done | cpio -0pdm --quiet "$src"
else
	tar -C "$root" --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -
fi

cd "$src"
echo "build-debs.sh: dpkg-buildpackage in $src (log $out/build.log)" >&2
if ! dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	echo "build-debs.sh: dpkg-buildpackage failed, see $out/build.log" >&2
	exit 1
fi
mv "$out"/src/*.deb "$out"/src/*.buildinfo "$out"/src/*.changes "$out/"

changes=("$out"/rdpprn_"$version"_*.changes)
echo "build-debs.sh: lintian ${changes[0]##*/} (log $out/lintian.log)" >&2
rc=0
# No --show-overrides: with it, lintian 2.116 fails on the overridden
# warnings too (debian/*.lintian-overrides say why each is there)
lintian --fail-on error,warning --display-info \
	"${changes[0]}" >"$out/lintian.log" 2>&1 || rc=$?
cat "$out/lintian.log" >&2
if [ "$rc" != 0 ]; then
	echo "build-debs.sh: lintian reports errors or warnings" >&2
	exit 1
fi
ls "$out"/*.deb
