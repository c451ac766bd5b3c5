#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The patched xrdp-chansrv on its own, on the host: tests/xrdp/test-chansrv.py
# plays xrdp with the RDP client behind it, and rdpprnd (rdpprnd-fake: the
# real daemon with a fake kernel), against tests/xrdp/build.sh's binary.
# That binary reads /etc/xrdp/sesman.ini and listens in /tmp/.xrdp, so it
# runs in a mount namespace of its own with an overlay on /etc and a
# private /tmp: the machine's own files are never touched.
#
# Usage: chansrv-host.sh XRDP_CACHE_DIR RDPPRND_FAKE
# Output: test-chansrv.py's "ok"/"not ok" lines and "N passed, N failed";
# status 1 on a failure. Needs root (unshare -m, mounts).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -ne 2 ]; then
	sed -n '/^# Usage:/,/^# status/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
xrdp=$1
fake=$2
# not in /tmp, which the namespace replaces
tmp=$(mktemp -d /var/tmp/rdpprn-chansrv.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/upper" "$tmp/work"
# test-chansrv.py runs chansrv as nobody when it is root: the tools must
# be reachable for it
cp "$here/test-chansrv.py" "$fake" "$tmp/"
chmod 0755 "$tmp" "$tmp/test-chansrv.py" "$tmp/${fake##*/}"

# (from /: the caller's directory may be under the /tmp it hides, and
# pyenv's python3 wants to enter it)
cd /
unshare -m -- /bin/sh -ec '
	mount --make-rprivate /
	mount -t overlay overlay \
		-o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc
	mkdir -p /etc/xrdp
	mount -t tmpfs -o mode=1777 tmpfs /tmp
	install -d -m 1777 /tmp/.xrdp /tmp/work
	LD_LIBRARY_PATH=$2/root/usr/lib/xrdp exec python3 "$1/test-chansrv.py" \
		"$2/root/usr/sbin/xrdp-chansrv" /etc/xrdp /tmp/.xrdp /tmp/work \
		"$1/$3"
' chansrv-host "$tmp" "$xrdp" "${fake##*/}"
