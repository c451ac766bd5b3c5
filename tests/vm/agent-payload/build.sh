#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the payload of the host-driven test VM (tests/vm/guest.sh).
#
# Usage: build.sh KERNEL OUTDIR
#
#   KERNEL  debug, stock61 or stock612 (tests/vm/kernels.sh)
#   OUTDIR  created (emptied first): run, rdpprn.ko, 70-rdpprn.rules and
#           bin/ with the static rdpprn-test, rdpprnd, rdpprn-sim and
#           rdpprnctl
#
# The module comes from tests/vm/build-module.sh, the tools from
# userspace/Makefile with STATIC=1 in build/user-static, as for
# tests/integration/build-payload.sh.
# Environment: RDPPRN_JOBS (make -j, default 2).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)

if [ $# -ne 2 ]; then
	sed -n '/^# Usage:/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
kernel=$1
out=$2

tree=$("$root/tests/vm/build-module.sh" "$kernel")

user=$root/build/user-static
tools=(rdpprn-test rdpprnd rdpprn-sim rdpprnctl)
mkdir -p "$user"
make -s -C "$root/userspace" -j"${RDPPRN_JOBS:-2}" STATIC=1 BUILD="$user" \
	"${tools[@]/#/$user/}" >"$user/build-agent.log" 2>&1 || {
	cat "$user/build-agent.log" >&2
	echo "agent-payload/build.sh: building the static tools failed" >&2
	exit 1
}

rm -rf "$out"
# 0755 whatever the umask: the guest runs the tools as other users too
mkdir -p -m 0755 "$out" "$out/bin"
install -m 0755 "$here/run" "$out/run"
install -m 0644 "$tree/rdpprn.ko" "$out/rdpprn.ko"
for t in "${tools[@]}"; do
	install -m 0755 "$user/$t" "$out/bin/$t"
done
install -m 0644 "$root/userspace/udev/70-rdpprn.rules" "$out/"
echo "agent-payload/build.sh: payload for $kernel in $out" >&2
