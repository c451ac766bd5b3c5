# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The netlink ABI cases asserted from C: malformed PDUs, per-entry
# announce results and limits, I/O responses, session lifetime, dumps.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

for c in check-malformed check-announce check-io check-session check-dump; do
	echo "# rdpprn-test $c"
	timeout 300 rdpprn-test "$c"
	rc=$?
	[ "$rc" -le 1 ] || not_ok "$c" "exited with status $rc"
done
exit 0
