# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2034 # SERVE_* are for the suites
#
# Helpers of the rdpprn integration suites (busybox sh, inside the test VM).
# A suite is run as "sh suites/NN-name.sh" by ../run and starts with
#
#   . "$IT_DIR/lib.sh"
#
# It prints one TAP-like line per check, "ok - NAME" or
# "not ok - NAME: WHY" (the runner counts them), and "# ..." comments.
#
# Environment set by the runner: IT_DIR (the payload: bin/rdpprn-test,
# vectors/, suites/), IT_TMP (scratch directory on tmpfs), PATH with
# $IT_DIR/bin first.
#
# Functions:
#   ok NAME / not_ok NAME WHY     one result line
#   check NAME WHY CMD [ARGS]     ok if CMD succeeds, else not_ok with WHY
#   check_eq NAME GOT WANT        ok if the strings are equal
#   uptime_ms                     milliseconds since boot
#   wait_line FILE ERE SECS       wait until FILE has a line matching ERE
#   count_lines FILE ERE          number of matching lines (0 if none)
#   serve_start NAME ARGS...      rdpprn-test serve ARGS in the background,
#                                 log in $IT_TMP/NAME.log; waits for READY.
#                                 Sets SERVE_PID, SERVE_LOG, SERVE_DEVS (the
#                                 nodes of the READY line), SERVE_SID.
#   serve_node ID                 node of DeviceId ID in $SERVE_LOG
#   serve_stop                    SIGTERM + wait; SERVE_RC is its status
#   serve_kill                    SIGKILL + wait
#   serve_clean NAME              ok if the log has no VIOLATION/OVERRUN
#   show_log FILE                 the file as "# " comment lines
#   wait_jobs N SECS              wait until $SERVE_LOG has N JOB lines
#   last_job                      the last JOB line of $SERVE_LOG
#   job_field LINE KEY            value of KEY=... in a JOB/RESULT line
#   wait_gone PATH SECS           wait until PATH does not exist
#   sha_of FILE                   sha256 of FILE
#   job_intact NAME FILE          ok if $SERVE_LOG has a JOB line with every
#                                 byte of FILE and status=closed
#   print_as UID GID NODE FILE    write-file FILE to NODE as UID:GID (no
#                                 capabilities); prints its RESULT line
#   calls RESULT                  the RESULT line up to its counters:
#                                 "RESULT open=E write=E fsync=E close=E"
#   gen_file FILE SIZE [SEED]     pseudo-random file
#   param NAME / set_param NAME V module parameter
#   it_cleanup                    kill every serve this suite started
#                                 (installed as an EXIT trap)

# the VM's own helpers (have_kmemleak, kmemleak_check, section, ...)
# shellcheck disable=SC1091 # guest path; the file is tests/vm/guest/lib.sh
[ -r /rdpprn/lib.sh ] && . /rdpprn/lib.sh

IT_SERVES=""

ok() {
	echo "ok - $1"
}

not_ok() {
	echo "not ok - $1: $2"
}

check() {
	_c_name=$1
	_c_why=$2
	shift 2
	if "$@"; then
		ok "$_c_name"
	else
		not_ok "$_c_name" "$_c_why"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$2', want '$3'"
	fi
}

uptime_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

wait_line() {
	_wl_i=0
	_wl_max=$(($3 * 10))
	while ! grep -qE "$2" "$1" 2>/dev/null; do
		_wl_i=$((_wl_i + 1))
		[ "$_wl_i" -ge "$_wl_max" ] && return 1
		sleep 0.1
	done
	return 0
}

count_lines() {
	grep -cE "$2" "$1" 2>/dev/null || true
}

show_log() {
	sed 's/^/#   /' "$1"
}

serve_start() {
	SERVE_LOG=$IT_TMP/$1.log
	shift
	rdpprn-test serve --timeout 900 "$@" >"$SERVE_LOG" 2>&1 &
	SERVE_PID=$!
	IT_SERVES="$IT_SERVES $SERVE_PID"
	SERVE_DEVS=
	SERVE_SID=
	if ! wait_line "$SERVE_LOG" '^(READY|EXIT|SESSION-ERROR|ANNOUNCE-ERROR)' 30 ||
		! grep -q '^READY' "$SERVE_LOG"; then
		echo "# serve did not get ready:"
		show_log "$SERVE_LOG"
		return 1
	fi
	SERVE_DEVS=$(sed -n 's/^READY *//p' "$SERVE_LOG" | head -n1)
	SERVE_SID=$(sed -n 's/^SESSION id=\([0-9]*\).*/\1/p' "$SERVE_LOG" | head -n1)
	return 0
}

serve_node() {
	sed -n "s/^DEVICE dev=$1 node=//p" "$SERVE_LOG" | head -n1
}

serve_stop() {
	kill -TERM "$SERVE_PID" 2>/dev/null
	wait "$SERVE_PID"
	SERVE_RC=$?
}

serve_kill() {
	kill -KILL "$SERVE_PID" 2>/dev/null
	wait "$SERVE_PID" 2>/dev/null
	SERVE_RC=$?
}

serve_clean() {
	if grep -qE '^(VIOLATION|OVERRUN)' "$SERVE_LOG"; then
		not_ok "$1" "the kernel broke the protocol: $(grep -E '^(VIOLATION|OVERRUN)' "$SERVE_LOG" | head -n3 | tr '\n' ';')"
	else
		ok "$1"
	fi
}

wait_jobs() {
	_wj_i=0
	_wj_max=$(($2 * 10))
	while [ "$(count_lines "$SERVE_LOG" '^JOB ')" -lt "$1" ]; do
		_wj_i=$((_wj_i + 1))
		[ "$_wj_i" -ge "$_wj_max" ] && return 1
		sleep 0.1
	done
	return 0
}

last_job() {
	grep '^JOB ' "$SERVE_LOG" | tail -n1
}

job_field() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n1
}

wait_gone() {
	_wg_i=0
	_wg_max=$(($2 * 10))
	while [ -e "$1" ]; do
		_wg_i=$((_wg_i + 1))
		[ "$_wg_i" -ge "$_wg_max" ] && return 1
		sleep 0.1
	done
	return 0
}

sha_of() {
	sha256sum "$1" | cut -d' ' -f1
}

job_intact() {
	_ji_want="bytes=$(wc -c <"$2" | tr -d ' ') sha256=$(sha_of "$2") status=closed"
	if grep -q "^JOB .* $_ji_want" "$SERVE_LOG"; then
		ok "$1"
	else
		not_ok "$1" "want a JOB with $_ji_want, got: $(grep '^JOB ' "$SERVE_LOG" | tail -n3 | tr '\n' ';')"
	fi
}

print_as() {
	timeout 60 rdpprn-test as-user "$1" "$2" rdpprn-test write-file "$3" "$4"
}

calls() {
	echo "${1%% bytes=*}"
}

gen_file() {
	rdpprn-test gen "$1" "$2" "${3:-1}"
}

param() {
	cat "/sys/module/rdpprn/parameters/$1"
}

set_param() {
	echo "$2" >"/sys/module/rdpprn/parameters/$1"
}

it_cleanup() {
	for _p in $IT_SERVES; do
		kill -KILL "$_p" 2>/dev/null
	done
	return 0
}

trap it_cleanup EXIT
