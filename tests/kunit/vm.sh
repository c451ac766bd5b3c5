#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build rdpprn.ko and rdpprn_kunit.ko for the debug kernel (KASAN, UBSAN,
# lockdep, kmemleak, KUnit) and run the KUnit suites in it.
# Log: build/debug/kunit.log.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

tree=$("$root/tests/vm/build-module.sh" debug)
payload=$root/build/debug/kunit-payload
rm -rf "$payload"
mkdir -p "$payload"
cp "$here/run" "$tree/rdpprn.ko" "$tree/rdpprn_kunit.ko" "$payload/"
exec "$root/tests/vm/run-vm.sh" --kernel debug --payload "$payload" \
	--log "$root/build/debug/kunit.log" --timeout "${KUNIT_TIMEOUT:-600}"
