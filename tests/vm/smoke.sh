#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test: build rdpprn.ko for each test kernel, boot it in QEMU, insmod,
# check /proc/modules, rmmod, kmemleak scan (tests/vm/smoke/run).
#
# Usage: smoke.sh [debug|stock61|stock612 ...]   (default: all three)
#
# Logs: ${RDPPRN_BUILD:-<repo>/build}/<kernel>/smoke.log. Exit status 0 only
# if every kernel passed. Environment: see build-module.sh and run-vm.sh
# (VERBOSE=1 echoes the serial console); SMOKE_TIMEOUT (default 300 s).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${RDPPRN_BUILD:-$root/build}

kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(debug stock61 stock612)

results=()
failed=0
for k in "${kernels[@]}"; do
	t0=$(date +%s)
	res=FAIL
	why=
	payload=$build/$k/smoke-payload
	if ! tree=$("$here/build-module.sh" "$k"); then
		why=" (module build failed)"
	elif ! { rm -rf "$payload" && mkdir -p "$payload" &&
		cp "$here/smoke/run" "$tree/rdpprn.ko" "$payload/"; }; then
		why=" (payload setup failed)"
	elif ! "$here/run-vm.sh" --kernel "$k" --payload "$payload" \
		--log "$build/$k/smoke.log" --timeout "${SMOKE_TIMEOUT:-300}"; then
		why=" (see $build/$k/smoke.log)"
	else
		res=PASS
	fi
	[ "$res" = PASS ] || failed=1
	results+=("$(printf '%-9s %s in %ss%s' "$k" "$res" "$(($(date +%s) - t0))" "$why")")
done

echo "smoke.sh results:"
printf '  %s\n' "${results[@]}"
exit "$failed"
