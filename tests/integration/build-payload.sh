#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the payload of the rdpprn integration suites for one kernel.
#
# Usage: build-payload.sh KERNEL OUTDIR
#
#   KERNEL  debug, stock61 or stock612 (tests/vm/kernels.sh)
#   OUTDIR  created (emptied first): run, lib.sh, suites/, rdpprn.ko,
#           udev/70-rdpprn.rules, vectors/, bin/ with the static
#           rdpprn-test, rdpprnd, rdpprn-sim and rdpprnctl
#
# The module comes from tests/vm/build-module.sh (build/KERNEL/tree), the
# tools from userspace/Makefile with STATIC=1 in build/user-static (the
# busybox guest has no libnl), as tests/demo builds them. Then boot it:
#
#   tests/vm/run-vm.sh --kernel stock61 --payload OUTDIR --log LOG \
#       --add-bin /bin/udevadm
#
# or use tests/integration/vm.sh, which does both.
# Environment: RDPPRN_JOBS (make -j, default 2); VECTORS (the protocol
# vectors, default tests/vectors, as in tests/Makefile).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

if [ $# -ne 2 ]; then
	sed -n '/^# Usage:/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
kernel=$1
out=$2
case $kernel in
debug | stock61 | stock612) ;;
*) echo "build-payload.sh: unknown kernel $kernel (debug, stock61, stock612)" >&2; exit 2 ;;
esac
vectors=${VECTORS:-$root/tests/vectors}
[ -r "$vectors/01_c2s_device_list_announce_3dev.hex" ] ||
	{ echo "build-payload.sh: no test vectors in $vectors (set VECTORS)" >&2; exit 1; }

tree=$("$root/tests/vm/build-module.sh" "$kernel")

user=$root/build/user-static
mkdir -p "$user"
make -s -C "$root/userspace" -j"${RDPPRN_JOBS:-2}" STATIC=1 BUILD="$user" \
	>"$user/build.log" 2>&1 || {
	cat "$user/build.log" >&2
	echo "build-payload.sh: building the static tools failed" >&2
	exit 1
}

rm -rf "$out"
mkdir -p "$out/bin" "$out/suites" "$out/vectors" "$out/udev"
install -m 0755 "$here/run" "$out/run"
install -m 0644 "$here/lib.sh" "$out/lib.sh"
install -m 0644 "$here"/suites/*.sh "$out/suites/"
install -m 0644 "$tree/rdpprn.ko" "$out/rdpprn.ko"
for t in rdpprn-test rdpprnd rdpprn-sim rdpprnctl; do
	install -m 0755 "$user/$t" "$out/bin/$t"
done
install -m 0644 "$root/userspace/udev/70-rdpprn.rules" "$out/udev/"
install -m 0644 "$vectors"/*.hex "$out/vectors/"
echo "build-payload.sh: payload for $kernel in $out" >&2
