#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the payload directory of a host-driven Debian guest
# (tests/vm/guest.sh vm_start KERNEL DIR LOG --debian): the boot script
# and, in bin/, the static rdpprn-test (agent, relay) and rdpprn-sim.
# A suite adds its own files to DIR afterwards.
#
# Usage: payload.sh OUTDIR
# Environment: RDPPRN_JOBS (make -j, default 2).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)

if [ $# -ne 1 ]; then
	sed -n '/^# Usage:/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
out=$1

user=$root/build/user-static
tools=(rdpprn-test rdpprn-sim)
mkdir -p "$user"
make -s -C "$root/userspace" -j"${RDPPRN_JOBS:-2}" STATIC=1 BUILD="$user" \
	"${tools[@]/#/$user/}" >"$user/build-debian.log" 2>&1 || {
	cat "$user/build-debian.log" >&2
	echo "debian/payload.sh: building the static tools failed" >&2
	exit 1
}

rm -rf "$out"
# 0755 whatever the umask: the guest runs the tools as other users too
install -d -m 0755 "$out" "$out/bin"
install -m 0644 "$here/boot" "$out/boot"
install -m 0644 "$here/setup-lib.sh" "$out/setup-lib.sh"
for t in "${tools[@]}"; do
	install -m 0755 "$user/$t" "$out/bin/$t"
done
