#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scan a VM serial log for kernel splats and KUnit failures.
#
# Usage: check-log.sh LOG
#
# Fails (exit 1), printing each offending line with context, on: KASAN,
# UBSAN, lockdep and RCU-lockdep splats, sleeping in atomic context,
# kmemleak reports, WARN()s (a "WARNING:" followed by a call trace), BUG:,
# Oops, general protection faults, panics, BUG_ON()s, refcount_t and list
# corruption reports, SLUB object corruption.
#
# If the log holds KTAP output (KUnit), it is handed to
# "kunit.py parse" (from Debian's linux-source-6.1, see kernels.sh kunit-py)
# for a summary, and any failed, crashed or incomplete test fails the check.
#
# Exit status: 0 clean, 1 problems found, 2 usage error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ $# -ne 1 ] || [ ! -r "$1" ]; then
	echo "usage: check-log.sh LOG" >&2
	exit 2
fi
log=$(realpath "$1")

status=0

# --- kernel splats ------------------------------------------------------------
# Lines that match a pattern below but are harmless. Keep each one narrow
# and say where it comes from.
whitelist=(
	# (none needed so far for the debug, stock 6.1 and stock 6.12 boots)
)

# Always a failure when seen on a line.
patterns=(
	'BUG: '                               # KASAN, sleeping in atomic, NULL deref, scheduling while atomic, ...
	'UBSAN: '
	'WARNING: possible circular locking'
	'possible recursive locking'
	'inconsistent lock state'
	'WARNING: suspicious RCU usage'
	'DEBUG_LOCKS_WARN_ON'
	'unreferenced object 0x'              # kmemleak report
	'new suspected memory leak'           # kmemleak scan summary
	'(^|[^A-Za-z])Oops([^A-Za-z]|$)'
	'general protection fault'
	'Kernel panic'
	'kernel BUG at'
	'refcount_t: '
	'list_(add|del) corruption'
	'^(\[ *[0-9]+\.[0-9]+\] )?BUG [^ ]+ \(.*\): ' # SLUB: "BUG kmalloc-64 (Not tainted): Poison overwritten"
	'Unable to handle kernel'
)

join() {
	local IFS='|'
	echo "$*"
}
bad_re=$(join "${patterns[@]}")
white_re=
if [ ${#whitelist[@]} -gt 0 ]; then
	white_re=$(join "${whitelist[@]}")
fi

# A "WARNING:" only counts when a "Call Trace:" follows within 100 lines:
# that is what the kernel's WARN() and the lockdep/RCU reports print, and it
# keeps a payload that merely prints the word from failing the run.
# Prints the line numbers of the offending lines.
hits=$(awk -v bad="$bad_re" -v white="$white_re" '
	{ sub(/\r$/, "") }
	white != "" && $0 ~ white { next }
	$0 ~ bad { print NR; next }
	/WARNING:/ { warn[NR] = 1 }
	/Call Trace:/ {
		for (w in warn)
			if (NR - w <= 100) { print w; delete warn[w] }
	}' "$log" | sort -n | uniq)

if [ -n "$hits" ]; then
	status=1
	n=$(echo "$hits" | wc -l)
	echo "check-log.sh: $n problem line(s) in $log:"
	# Context: 3 lines before, 30 after; overlapping ranges are merged;
	# at most 10 reports are printed.
	echo "$hits" | head -n 10 | awk -v file="$log" '
		{ from = $1 - 3; to = $1 + 30; if (from < 1) from = 1
		  n++; f[n] = from; t[n] = to; hit[$1] = 1 }
		END {
			for (i = 1; i <= n; i++) want[i] = 1
			line = 0; last = -1
			while ((getline l < file) > 0) {
				line++
				sub(/\r$/, "", l)
				show = 0
				for (i = 1; i <= n; i++)
					if (line >= f[i] && line <= t[i]) { show = 1; break }
				if (show) {
					if (line != last + 1) print "----- " file ":" line
					printf "%s %6d: %s\n", (line in hit) ? ">>" : "  ", line, l
					last = line
				}
			}
		}'
	echo "-----"
fi

# --- KUnit / KTAP -------------------------------------------------------------
# The serial log is not a KTAP document: every kernel line has a timestamp,
# other messages interleave, and on 6.1 each loaded test module prints its
# suite as an indented subtest with no top-level header, numbered from 1
# again for every module. So the KTAP lines are picked out, the top level is
# rebuilt (one header, a plan covering every suite that started, results
# renumbered), and that is what kunit.py parses.
if grep -qaE '(^|[] ])K?TAP version [0-9]+$' "$log"; then
	kunit_py=$("$here/kernels.sh" kunit-py)
	ktap=$(mktemp "${TMPDIR:-/tmp}/rdpprn-ktap.XXXXXX")
	trap 'rm -f "$ktap" "$ktap.out"' EXIT
	sed 's/\r$//; s/^\[ *[0-9]*\.[0-9]*\] //' "$log" | awk '
		!/^ *(KTAP version [0-9]+|TAP version [0-9]+|1\.\.[0-9]+|(not )?ok [0-9]+|# )/ { next }
		/^(KTAP|TAP) version / { next }
		/^1\.\.[0-9]+/ { planned += substr($1, 4); next }
		/^    # Subtest: / { suites++ }
		/^(not )?ok [0-9]+/ {
			n++
			if ($1 == "not") sub(/^not ok [0-9]+/, "not ok " n)
			else sub(/^ok [0-9]+/, "ok " n)
		}
		{ body[++lines] = $0 }
		END {
			print "KTAP version 1"
			print "1.." (planned > suites ? planned + 0 : suites + 0)
			for (i = 1; i <= lines; i++) print body[i]
		}' >"$ktap"
	echo "check-log.sh: KTAP output found, kunit.py parse:"
	krc=0
	python3 "$kunit_py" parse "$ktap" >"$ktap.out" 2>&1 || krc=$?
	cat "$ktap.out"
	# kunit.py exits 0 on some errors (e.g. a suite with no result line),
	# so its summary is checked too.
	if [ "$krc" != 0 ] ||
		grep -qE '\[(FAILED|CRASHED|ERROR)\]|(failed|crashed|errors): [1-9]' "$ktap.out" ||
		! grep -q 'Testing complete' "$ktap.out"; then
		echo "check-log.sh: KUnit reported failed, crashed, missing or unparsable tests"
		status=1
	fi
fi

if [ "$status" = 0 ]; then
	echo "check-log.sh: $log clean"
fi
exit "$status"
