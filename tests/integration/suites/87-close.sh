# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# close() tells the job's outcome truthfully (issue 7, scenarios 3 and 4).
# close() cannot be retried, so signals that merely have a handler
# (SIGALRM of a timer, SIGCHLD of a child reaper) must neither make it
# fail with EINTR nor cut the job short. A file released without a
# committing close() (in flight over SCM_RIGHTS, dup'ed descriptors
# closed at once) is finished by the kernel: every byte, then
# IRP_MJ_CLOSE, and the outcome goes to the kernel log.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

d=$IT_TMP/close
mkdir -p "$d"
chmod 755 "$d"
gen_file "$d/big" 4194304 31
gen_file "$d/mid" 1048576 32
gen_file "$d/part" 300000 33
chmod 644 "$d/big" "$d/mid" "$d/part"
no_close='ended with no close() to report to'

# incomplete NODE: the device's count of jobs that ended without the
# client taking every byte and closing successfully ("-" if none)
incomplete() {
	cat "/sys/class/rdpprn/${1#/dev/}/incomplete" 2>/dev/null || echo -
}

# as_user1000 CMD ARGS: a job-side command as the session's user
as_user1000() {
	timeout 300 rdpprn-test as-user 1000 1000 rdpprn-test "$@"
}

# signal_job NAME FILE SERVE_ARGS -- WRITER_ARGS: signal-writer against a
# slow client; close() returns 0 after signals landed in it, every byte
# arrived before IRP_MJ_CLOSE
signal_job() {
	_sj_name=$1
	_sj_file=$2
	shift 2
	_sj_serve=
	while [ "$1" != -- ]; do
		_sj_serve="$_sj_serve $1"
		shift
	done
	shift
	# shellcheck disable=SC2086 # the serve options are words
	if ! serve_start "$_sj_name" --printer name=Sig,id=1 --uid 1000 \
		--gid 1000 $_sj_serve; then
		not_ok "$_sj_name-close-returns-0" "serve did not start"
		return
	fi
	_sj_node=$(serve_node 1)
	res=$(as_user1000 signal-writer "$@" "$_sj_node" "$_sj_file")
	echo "# $_sj_name: $res"
	check_eq "$_sj_name-close-returns-0" "$(job_field "$res" close)" OK
	check "$_sj_name-signals-during-close" "none landed in close(): $res" \
		[ "$(job_field "$res" close_signals)" -gt 0 ]
	wait_jobs 1 60
	job_intact "$_sj_name-job-complete" "$_sj_file"
	check_eq "$_sj_name-not-counted-incomplete" "$(incomplete "$_sj_node")" 0
	serve_clean "$_sj_name-no-violations"
	serve_stop
}

# log_lines: how many jobs the kernel finished with no close() to tell
log_lines() {
	dmesg | grep -cF "$no_close"
}

# 6. SIGALRM every 2 ms while a 4 MiB job is written to a client that
#    answers each write after 15 ms, and while close() drains it
signal_job sigalrm "$d/big" --delay-ms 15 -- --alarm-us 2000

# 9. children exiting (SIGCHLD, with a handler) during the close
signal_job sigchld "$d/mid" --delay-ms 30 -- --children 8 --child-step-ms 15

# logged NAME NODE BEFORE: a new "no close() to report to" line for NODE
# (BEFORE is log_lines before the job); prints it as a comment
logged() {
	_lg_i=0
	while [ "$(log_lines)" -le "$3" ] && [ $_lg_i -lt 50 ]; do
		sleep 0.2
		_lg_i=$((_lg_i + 1))
	done
	_lg_line=$(dmesg | grep -F "$no_close" | grep -F "${2#/dev/}:" | tail -n1)
	check "$1" "no \"$no_close\" line for ${2#/dev/}" [ -n "$_lg_line" ]
	echo "# log: $_lg_line"
}

# 7. the descriptor in flight over a Unix socket: close() is not the last
#    reference and only drains; closing the sockets releases the file
#    without ->flush, so nothing commits the job but the kernel itself.
#    Then the same with a client that fails the close: nobody is left to
#    tell, so the log and the counters must.
before=$(log_lines)
if serve_start inflight --printer name=Flight,id=1 --uid 1000 --gid 1000 \
	--delay-ms 5; then
	node=$(serve_node 1)
	res=$(as_user1000 fd-in-flight "$node" "$d/mid")
	echo "# inflight: $res"
	check_eq inflight-sent "$(job_field "$res" send)" OK
	check_eq inflight-close-drains "$(job_field "$res" close)" OK
	wait_jobs 1 60
	job_intact inflight-job-complete "$d/mid"
	logged inflight-logged "$node" "$before"
	check_eq inflight-not-counted-incomplete "$(incomplete "$node")" 0
	serve_clean inflight-no-violations
	serve_stop
fi
before=$(log_lines)
if serve_start inflight-fail --printer name=Flight,id=1 --uid 1000 \
	--gid 1000 --close-status UNSUCCESSFUL; then
	node=$(serve_node 1)
	res=$(as_user1000 fd-in-flight "$node" "$d/part")
	echo "# inflight-fail: $res"
	check_eq inflight-fail-close-drains "$(job_field "$res" close)" OK
	wait_jobs 1 60
	check inflight-fail-client-closed "$(last_job)" \
		grep -q '^JOB .* bytes=300000 .* status=close-failed' "$SERVE_LOG"
	logged inflight-fail-logged "$node" "$before"
	i=0
	while [ "$(incomplete "$node")" = 0 ] && [ $i -lt 25 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	check_eq inflight-fail-counted-incomplete "$(incomplete "$node")" 1
	check_eq inflight-fail-counted-error \
		"$(cat "/sys/class/rdpprn/${node#/dev/}/errors")" 1
	serve_stop
fi

# 8. two dup'ed descriptors closed at the same moment from two threads:
#    both flushes may see the other's reference, so neither commits; the
#    job still gets every byte and exactly one IRP_MJ_CLOSE
rounds=16
before=$(log_lines)
if serve_start dupclose --printer name=Dup,id=1 --uid 1000 --gid 1000 \
	--delay-ms 2; then
	node=$(serve_node 1)
	res=$(as_user1000 dup-close --rounds $rounds "$node" "$d/part")
	echo "$res" | sed 's/^/# /'
	res=$(echo "$res" | grep '^RESULT')
	check_eq dup-close-returns-0 "$(job_field "$res" bad)" 0
	wait_jobs $rounds 60
	want="bytes=300000 sha256=$(sha_of "$d/part") status=closed"
	check_eq dup-close-every-job-complete \
		"$(count_lines "$SERVE_LOG" "^JOB .* $want")" $rounds
	check_eq dup-close-one-create-each "$(count_lines "$SERVE_LOG" '^CREATE ')" \
		$rounds
	serve_clean dup-close-one-close-each
	echo "# $(($(log_lines) - before)) of $rounds jobs finished with no close() to tell"
	check_eq dup-close-not-counted-incomplete "$(incomplete "$node")" 0
	serve_stop
	check_eq dup-close-no-job-left-open \
		"$(count_lines "$SERVE_LOG" '^JOB .* status=open')" 0
fi
rm -rf "$d"
exit 0
