#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the integration payload for each kernel and run it in QEMU.
# udevadm goes into the guest too: 85-rdpprnd runs it as systemd-udevd to
# check the udev links, as tests/demo does.
#
# Usage: vm.sh [--suites LIST] [--append ARGS] [KERNEL...]
#              (default: stock61 debug)
#
#   KERNEL         debug, stock61 or stock612 (tests/vm/kernels.sh)
#   --suites LIST  only these suites, e.g. 10,20-data (it_suites=)
#   --append ARGS  more guest kernel command line for the suites, e.g.
#                  'it_hostile=1000000' (94-hostile's PDU count)
#
# Logs: build/integration/<kernel>.log; the payload: build/integration/
# payload-<kernel>. Exit status 0 only if every kernel passed (the guest's
# verdict and tests/vm/check-log.sh). Environment: IT_TIMEOUT (QEMU
# timeout in seconds, default 2400), VERBOSE=1 echoes the console.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

suites=
extra=
while [ $# -ge 2 ]; do
	case $1 in
	--suites) suites=$2 ;;
	--append) extra=$2 ;;
	*) break ;;
	esac
	shift 2
done
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(stock61 debug)

failed=0
summary=()
for k in "${kernels[@]}"; do
	payload=$root/build/integration/payload-$k
	log=$root/build/integration/$k.log
	t0=$(date +%s)
	res=FAIL
	if "$here/build-payload.sh" "$k" "$payload"; then
		append=$extra
		[ -z "$suites" ] || append="it_suites=$suites${append:+ $append}"
		if "$root/tests/vm/run-vm.sh" --kernel "$k" --payload "$payload" \
			--log "$log" --timeout "${IT_TIMEOUT:-2400}" \
			--add-bin /bin/udevadm \
			${append:+--append "$append"}; then
			res=PASS
		fi
	fi
	counts=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$log" 2>/dev/null | tail -n1 || true)
	# the guest's own summary must be there too (and say 0 failed)
	case $counts in
	*" passed, 0 failed") ;;
	*) res=FAIL ;;
	esac
	[ "$res" = PASS ] || failed=1
	summary+=("$(printf '%-9s %s in %ss: %s (log %s)' "$k" "$res" \
		"$(($(date +%s) - t0))" "${counts:-no summary}" "$log")")
done
echo "vm.sh results:"
printf '  %s\n' "${summary[@]}"
exit "$failed"
