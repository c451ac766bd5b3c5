# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Teardown in the middle of a job: the helper killed (SIGKILL) or exiting,
# the device removed by the client; writers blocked on a full ring or in
# poll() wake up with ENODEV / POLLERR|POLLHUP; the devices disappear.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

d=$IT_TMP/teardown
mkdir -p "$d"
gen_file "$d/big" 8388608 9
gen_file "$d/small" 5000 10

# first failing call of a RESULT line as "call=ERRNO"
first_error() {
	for _k in open write fsync close; do
		_v=$(job_field "$1" "$_k")
		case $_v in
		OK | -) ;;
		*) echo "$_k=$_v"; return ;;
		esac
	done
	echo none
}

# 1. helper killed with SIGKILL while the writer streams
if serve_start killed --printer name=Victim,id=1 --delay-ms 20 -v; then
	node=$(serve_node 1)
	sys=/sys/class/rdpprn/${node#/dev/}
	timeout 120 rdpprn-test write-file "$node" "$d/big" >"$d/res-killed" &
	wpid=$!
	if wait_line "$SERVE_LOG" '^IRP write' 30; then
		serve_kill
		wait "$wpid"
		res=$(cat "$d/res-killed")
		echo "# killed: $res"
		fe=$(first_error "$res")
		case $fe in
		write=ENODEV | fsync=ENODEV) ok owner-killed-writer-enodev ;;
		*) not_ok owner-killed-writer-enodev "first error $fe: $res" ;;
		esac
		check_eq owner-killed-close "$(job_field "$res" close)" ENODEV
		check owner-killed-node-gone "$node still exists" wait_gone "$node" 5
		check owner-killed-sysfs-gone "$sys still exists" wait_gone "$sys" 5
	else
		not_ok owner-killed-writer-enodev "no write reached the client"
		serve_kill
		wait "$wpid"
	fi
fi

# 2. helper exits by itself in the middle of a job (no SESSION_DEL)
if serve_start exited --printer name=Exit,id=1 --exit-after-bytes 100000; then
	node=$(serve_node 1)
	res=$(timeout 120 rdpprn-test write-file "$node" "$d/big")
	wait "$SERVE_PID"
	echo "# exited: $res"
	check owner-exit-mid-job "serve did not exit mid-job" \
		grep -q '^EXIT reason=exit-after-bytes' "$SERVE_LOG"
	fe=$(first_error "$res")
	case $fe in
	write=ENODEV | fsync=ENODEV) ok owner-exit-writer-enodev ;;
	*) not_ok owner-exit-writer-enodev "first error $fe: $res" ;;
	esac
	check owner-exit-node-gone "$node still exists" wait_gone "$node" 5
fi

# 3. the client removes the device in the middle of a job
if serve_start removed --printer name=Removed,id=1 --printer name=Other,id=2 \
	--remove-after-bytes 100000; then
	node=$(serve_node 1)
	node2=$(serve_node 2)
	res=$(timeout 120 rdpprn-test write-file "$node" "$d/big")
	echo "# removed: $res"
	fe=$(first_error "$res")
	case $fe in
	write=ENODEV | fsync=ENODEV) ok remove-mid-job-writer-enodev ;;
	*) not_ok remove-mid-job-writer-enodev "first error $fe: $res" ;;
	esac
	check remove-mid-job-node-gone "$node still exists" wait_gone "$node" 5
	check remove-mid-job-serve-saw-it "no REMOVED line" \
		grep -q '^REMOVED dev=1' "$SERVE_LOG"
	# the other printer of the session is not affected
	res=$(timeout 60 rdpprn-test write-file "$node2" "$d/small")
	check_eq remove-other-printer-works "${res%% bytes=*}" \
		"RESULT open=OK write=OK fsync=OK close=OK"
	serve_clean remove-no-violations
	serve_stop
fi

# 4. O_NONBLOCK writer: POLLOUT, EAGAIN on a full ring, POLLERR|POLLHUP
#    and ENODEV when the session ends
if serve_start pollcheck --printer name=Poll,id=1 --silent=write; then
	node=$(serve_node 1)
	timeout 120 rdpprn-test poll-check "$node" 60 >"$d/poll" 2>&1 &
	ppid=$!
	if wait_line "$d/poll" '^POLL1' 60; then
		sleep 0.5
		serve_kill
	fi
	wait "$ppid"
	show_log "$d/poll"
	check poll-fresh-pollout "$(grep POLL0 "$d/poll")" \
		grep -q '^POLL0 revents=POLLOUT$' "$d/poll"
	check poll-full-eagain "$(grep FILL "$d/poll")" \
		grep -q '^FILL bytes=[1-9][0-9]* stop=EAGAIN$' "$d/poll"
	check poll-full-no-pollout "$(grep POLL1 "$d/poll")" \
		grep -q '^POLL1 revents=0$' "$d/poll"
	check poll-dead-errhup "$(grep POLL2 "$d/poll")" \
		grep -qE '^POLL2 revents=(POLLOUT\|)?POLLERR\|POLLHUP ' "$d/poll"
	check poll-dead-write-enodev "$(grep WRITE2 "$d/poll")" \
		grep -q '^WRITE2 errno=ENODEV$' "$d/poll"
	rs=$(param ring_size)
	fill=$(sed -n 's/^FILL bytes=\([0-9]*\).*/\1/p' "$d/poll")
	check poll-fill-bounded-by-ring "filled $fill bytes, ring_size $rs" \
		[ "${fill:-0}" -le $((rs + 65536)) ]
fi

# 5. a blocking writer stuck on a full ring wakes up when the session ends
if serve_start blocked --printer name=Blocked,id=1 --silent=write; then
	node=$(serve_node 1)
	timeout 120 rdpprn-test write-file "$node" "$d/big" >"$d/res-blocked" &
	wpid=$!
	sleep 2
	check blocked-writer-blocks "the writer finished against a silent client" \
		kill -0 "$wpid"
	serve_stop
	wait "$wpid"
	res=$(cat "$d/res-blocked")
	echo "# blocked: $res"
	check_eq blocked-writer-enodev "$(first_error "$res")" write=ENODEV
fi
# 6. helper killed with 8 jobs in flight on 4 printers
if serve_start killed-many --printer name=K1,id=1 --printer name=K2,id=2 \
	--printer name=K3,id=3 --printer name=K4,id=4 --delay-ms 2 -v; then
	pids=
	nodes=
	for i in 1 2 3 4 5 6 7 8; do
		node=$(serve_node $(((i - 1) % 4 + 1)))
		nodes="$nodes $node"
		timeout 120 rdpprn-test write-file "$node" "$d/big" >"$d/res-many-$i" &
		pids="$pids $!"
	done
	wait_line "$SERVE_LOG" '^IRP write' 30
	sleep 0.5
	serve_kill
	for p in $pids; do
		wait "$p"
	done
	bad=0
	for i in 1 2 3 4 5 6 7 8; do
		res=$(cat "$d/res-many-$i")
		case $(first_error "$res") in
		open=ENODEV | write=ENODEV | fsync=ENODEV) ;;
		*) bad=$((bad + 1)); echo "# writer $i: $res" ;;
		esac
	done
	check_eq owner-killed-8-jobs-all-enodev "$bad" 0
	gone=0
	for node in $nodes; do
		wait_gone "$node" 5 && gone=$((gone + 1))
	done
	check_eq owner-killed-8-jobs-nodes-gone "$gone" 8
fi
rm -rf "$d"
exit 0
