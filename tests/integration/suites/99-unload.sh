# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The end: an open job pins the module; with only an idle session left
# the module unloads (ending that session), and nothing leaks.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

left=$(find /sys/class/rdpprn -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
check_eq no-devices-left "$left" 0

if serve_start unload --printer name=Last,id=1; then
	node=$(serve_node 1)
	# a process holding a job open
	sleep 30 3>"$node" &
	holder=$!
	wait_line "$SERVE_LOG" '^CREATE dev=1 file=' 10
	if rmmod rdpprn 2>/dev/null; then
		not_ok rmmod-refused-while-job-open "rmmod succeeded with a job open"
	else
		ok rmmod-refused-while-job-open
	fi
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	wait_jobs 1 10
fi

# the session of that serve is still alive (and idle) now
if rmmod rdpprn; then
	ok rmmod
else
	not_ok rmmod "rmmod rdpprn failed: $(grep '^rdpprn ' /proc/modules)"
fi
check rmmod-module-gone "rdpprn still in /proc/modules" \
	sh -c "! grep -q '^rdpprn ' /proc/modules"
check rmmod-class-gone "/sys/class/rdpprn still exists" \
	sh -c "! [ -e /sys/class/rdpprn ]"
check rmmod-node-gone "${node:-node} still exists" \
	sh -c "! [ -e '${node:-/nonexistent}' ]"
if [ -n "$SERVE_PID" ]; then
	kill -TERM "$SERVE_PID" 2>/dev/null
	wait "$SERVE_PID" 2>/dev/null
	echo "# serve after rmmod:"
	show_log "$SERVE_LOG"
fi
if have_kmemleak; then
	if kmemleak_check; then
		ok kmemleak-clean
	else
		not_ok kmemleak-clean "kmemleak reported leaks (see above)"
	fi
else
	echo "# kmemleak not available on this kernel"
fi
exit 0
