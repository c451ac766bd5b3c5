# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# TAP-style results for the bash test scripts: source it, then
#
#   ok NAME                    "ok - NAME"
#   not_ok NAME [WHY]          "not ok - NAME: WHY"
#   check NAME WHY CMD...      ok NAME when CMD succeeds, else not_ok
#   wait_for FILE ERE SECS     until a line of FILE matches ERE (0), or
#                              SECS passed (1)
#   tap_summary                "N passed, N failed"; status 1 on failures
#
# TAP_PASSED and TAP_FAILED count the results.

TAP_PASSED=0
TAP_FAILED=0

ok() {
	echo "ok - $1"
	TAP_PASSED=$((TAP_PASSED + 1))
}

not_ok() {
	echo "not ok - $1${2:+: $2}"
	TAP_FAILED=$((TAP_FAILED + 1))
}

check() {
	local name=$1 why=$2

	shift 2
	if "$@"; then ok "$name"; else not_ok "$name" "$why"; fi
}

wait_for() {
	local i

	for ((i = 0; i < $3 * 10; i++)); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

tap_summary() {
	echo "$TAP_PASSED passed, $TAP_FAILED failed"
	[ "$TAP_FAILED" = 0 ]
}
