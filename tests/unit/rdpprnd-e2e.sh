#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rdpprnd's event loop end to end, without a kernel: rdpprnd-fake (the
# production daemon with the fake kernel of tests/unit/fake_kernel.c in
# place of netlink) against rdpprn-sim and a few hand-made peers, over
# --stdio and over --listen. Both programs are ASan/UBSan builds: a leak
# or a memory error makes them exit non-zero, which the checks see.
#
# Usage: rdpprnd-e2e.sh RDPPRND_FAKE RDPPRN_SIM VECTORS_DIR WORKDIR
#
# WORKDIR (under the checkout, as the Makefile has it) keeps the logs and
# outputs. The sockets live in a scratch directory of its own under /tmp,
# mode 0711, so that a peer of another uid reaches them wherever the
# checkout is (inside a 0700 directory, say) and the path stays short.
#
# One line per check, "ok - NAME" or "not ok - NAME: WHY", and at the end
# "N passed, N failed"; exit status 1 if anything failed.
set -uo pipefail

daemon=$(realpath "$1")
sim=$(realpath "$2")
vectors=$(realpath "$3")
work=$(realpath -m "$4")
# shellcheck source-path=SCRIPTDIR source=../lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
pids=()

rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
scratch=$(mktemp -d /tmp/rdpprnd-e2e.XXXXXX) || exit 1
chmod 711 "$scratch"

has() {
	grep -q -- "$2" "$1"
}

# nfds PID: open descriptors of a process
nfds() {
	find /proc/"$1"/fd -mindepth 1 -maxdepth 1 | wc -l
}

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$scratch"
}
trap cleanup EXIT

# wait_for FILE PATTERN SECONDS
wait_for() {
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

sha_of_job() {
	sed -n 's/.*JOB dev=.* sha256=\([0-9a-f]*\) status=closed.*/\1/p' "$1" | head -n1
}

# run NAME [sim options...]: rdpprn-sim --exec rdpprnd-fake --stdio, with
# $conf as configuration; output in NAME.out, daemon log in NAME.log
conf=/nonexistent
run() {
	local name=$1
	shift
	timeout 60 "$sim" --exec "$daemon --stdio --config $conf 2>$work/$name.log" \
		--timeout 20 "$@" >"$name.out" 2>"$name.err"
	echo $? >"$name.rc"
}

# ---- --stdio: handshake, a job, data integrity ------------------------
RDPPRN_FAKE_JOB_BYTES=1048583 run job --printer 'name=HP LaserJet,default' \
	--printer 'name=Second,id=9' --jobs 1 --out "$work/spool"
want=$(sed -n 's/^fake-kernel: JOB .*sha256=\([0-9a-f]*\) status=closed.*/\1/p' job.log)
got=$(sha_of_job job.out)
check stdio-ready "no READY line" has job.out 'READY session=1 accepted=1,9 refused=-'
check stdio-job-intact "sim $got, kernel $want" test -n "$want" -a "$got" = "$want"
check stdio-job-file "the --out file differs" \
	test "$(sha256sum spool/job-1-0.bin | cut -c1-64)" = "$want"
check stdio-exit "sim exit $(cat job.rc)" test "$(cat job.rc)" = 0
check stdio-daemon-exit "daemon exit" has job.out 'DAEMON status=0'
check stdio-no-violation "violations" has job.out 'violations=0'
check stdio-log-end "no end-of-session line" has job.log \
	'session 1 ended: closed by the RDP server: jobs'

# ---- the client vectors and FreeRDP's behaviour -----------------------
run vectors --client-vectors "$vectors" --printer name=HP --exit-ready
check client-vectors "$(tail -n3 vectors.out | tr '\n' '|')" has vectors.out \
	'READY session=1 accepted=1 refused=-'
check client-vectors-stage "no LOGGEDON" has vectors.out '^LOGGEDON'
run freerdp --freerdp-quirks --printer name=HP --exit-ready
check freerdp-quirks "$(tail -n3 freerdp.out | tr '\n' '|')" has freerdp.out \
	'READY session=1 accepted=1 refused=-'
run minor2 --minor 2 --printer name=HP --exit-ready
check old-client-minor-2 "$(tail -n3 minor2.out | tr '\n' '|')" has minor2.out \
	'READY session=1 accepted=1 refused=-'

# ---- policy modes through a configuration file ------------------------
policy() {
	local name=$1 text=$2 want=$3
	printf '%b' "$text" >"$name.conf"
	conf=$work/$name.conf
	run "$name" --printer 'name=HP LaserJet,id=1' \
		--printer 'name=Canon,id=2,default' \
		--printer 'name=Microsoft Print to PDF,id=3' \
		--printer 'name=My Fax,id=4' --exit-ready
	conf=/nonexistent
	check "policy-$name" "$(grep READY "$name.out")" has "$name.out" "$want"
}
policy all '' 'READY session=1 accepted=1,2,3,4 refused=-'
policy none 'redirect = none\n' 'READY session=1 accepted=- refused=1,2,3,4'
policy default 'redirect = default\n' 'READY session=1 accepted=2 refused=1,3,4'
policy filters 'exclude = Microsoft Print to PDF\nexclude = *fax*\n' \
	'READY session=1 accepted=1,2 refused=3,4'
policy include 'include = HP *\ninclude = Canon\n' \
	'READY session=1 accepted=1,2 refused=3,4'
policy limit 'max_printers = 2\n' 'READY session=1 accepted=1,2 refused=3,4'
check policy-none-status "not STATUS_NOT_SUPPORTED" has none.out \
	'DEVICE dev=1 type=printer status=0xc00000bb'
check policy-filter-status "not STATUS_ACCESS_DENIED" has filters.out \
	'DEVICE dev=4 type=printer status=0xc0000022'
check policy-limit-status "not STATUS_INSUFFICIENT_RESOURCES" has limit.out \
	'DEVICE dev=3 type=printer status=0xc000009a'
check policy-log "no refusal line" has filters.log \
	'printer "My Fax" (id 4) refused: excluded by "\*fax\*"'

# ---- hostile or broken peers -------------------------------------------
RDPPRN_FAKE_JOB_BYTES=70000 run garbage --printer name=HP --garbage --jobs 1
check garbage-survives "$(grep -c 'dropped a client PDU' garbage.log) drops" \
	test "$(grep -c 'dropped a client PDU' garbage.log)" = 3
check garbage-still-prints "no job" has garbage.out 'bytes=70000 .*status=closed'

run truncated --printer name=HP --truncated
check truncated-ends "no log line" has truncated.log 'in the middle of a frame'
check truncated-daemon-status "daemon should exit 1" has truncated.out 'DAEMON status=1'

RDPPRN_FAKE_JOB_BYTES=1000000 run disconnect --printer name=HP \
	--disconnect-after-bytes 100000
check disconnect-mid-job "no log line" has disconnect.log \
	'the RDP server side closed the connection'
check disconnect-job-aborted "kernel job not aborted" has disconnect.log \
	'fake-kernel: JOB dev=1 .*status=aborted'

RDPPRN_FAKE_JOB_BYTES=1000000 run remove --printer name=HP \
	--remove-after-bytes 100000 --timeout 3
check remove-mid-job "no removal forwarded" has remove.log \
	'the client removed 1 printer(s)'
check remove-job-ended "sim" has remove.out 'status=removed'

# ---- a device provider (xrdp's chansrv keeps the channel) ----------------
RDPPRN_FAKE_JOB_BYTES=300007 run provider --provider --provider-drive=1000 \
	--printer 'name=HP LaserJet,default' --printer 'name=Fax,id=2' --jobs 1
want=$(sed -n 's/^fake-kernel: JOB .*sha256=\([0-9a-f]*\) status=closed.*/\1/p' provider.log)
check provider-ready "$(tail -n3 provider.out | tr '\n' '|')" has provider.out \
	'READY session=1 accepted=1,2 refused=-'
check provider-no-handshake "a handshake line" \
	test -z "$(grep -E '^(ANNOUNCE|CAPS|LOGGEDON)' provider.out)"
check provider-drive-unanswered "the drive was answered" \
	test -z "$(grep 'DEVICE dev=1000' provider.out)"
check provider-job-intact "sim $(sha_of_job provider.out), kernel $want" \
	test -n "$want" -a "$(sha_of_job provider.out)" = "$want"
check provider-exit "sim exit $(cat provider.rc)" test "$(cat provider.rc)" = 0
check provider-log "no provider line" has provider.log \
	'session 1: kernel session 1 for uid 0 gid 0, client "rdpprn-sim", device provider'
check provider-other-devices "no count of the drive" has provider.log \
	'printers accepted 2 refused 0, other devices 1)'

RDPPRN_FAKE_NEW_ERR=28 run refused --printer name=HP
check kernel-refuses-session "no CLOSE with the errno" has refused.out \
	'CLOSED reason="the kernel refused the session (uid 0 gid 0): ENOSPC'

# ---- --listen: concurrent sessions, SIGHUP, SIGTERM, cycles -----------
sock=$scratch/rdpprnd.sock
printf 'redirect = all\n' >listen.conf
"$daemon" --listen "$sock" --config "$work/listen.conf" -f -v 2>listen.log &
dpid=$!
pids+=("$dpid")
wait_for listen.log 'listening on' 10
check listen-socket-mode "mode $(stat -c %a "$sock" 2>/dev/null)" \
	test "$(stat -c %a "$sock" 2>/dev/null)" = 600

"$sim" --connect "$sock" --printer name=A --printer 'name=My Fax,id=2' \
	>s1.out 2>&1 &
s1=$!
"$sim" --connect "$sock" --printer name=B --client-name second >s2.out 2>&1 &
s2=$!
pids+=("$s1" "$s2")
wait_for s1.out '^READY' 10
wait_for s2.out '^READY' 10
check listen-two-sessions "$(grep -h READY s1.out s2.out | tr '\n' '|')" \
	test "$(grep -h '^READY' s1.out s2.out | grep -c 'accepted=')" = 2

printf 'exclude = *fax*\n' >listen.conf
kill -HUP "$dpid"
wait_for listen.log 'configuration reloaded' 10
"$sim" --connect "$sock" --printer name=A --printer 'name=My Fax,id=2' \
	--exit-ready >s3.out 2>&1
check sighup-reload "$(grep READY s3.out)" has s3.out 'accepted=1 refused=2'
printf 'redirect = bogus\n' >listen.conf
kill -HUP "$dpid"
wait_for listen.log 'keeping the configuration in force' 10
check sighup-bad-config "no error line" has listen.log \
	'listen.conf:1: redirect: want all, default or none; keeping'
printf 'exclude = *fax*\n' >listen.conf
kill -HUP "$dpid"

# a peer that is not root: it runs a copy of the simulator from the
# scratch directory, there, since the checkout may be out of its reach
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	install -m 755 "$sim" "$scratch/rdpprn-sim"
	chmod 666 "$sock"
	(cd "$scratch" && setpriv --reuid=65534 --regid=65534 --clear-groups \
		./rdpprn-sim --connect "$sock" --printer name=X --timeout 5) \
		>nobody.out 2>&1
	rc=$?
	chmod 600 "$sock"
	check non-root-refused "no refusal logged" has listen.log \
		'refused a connection from pid [0-9]* uid 65534'
	check non-root-sim-exit "exit $rc: $(head -n3 nobody.out | tr '\n' '|')" \
		test $rc = 1
fi

# 100 connect/disconnect cycles: every session ends, no descriptor leaks
fds0=$(nfds "$dpid")
bad=0
for ((i = 0; i < 100; i++)); do
	"$sim" --connect "$sock" --printer name=C --exit-ready >cycle.out 2>&1 ||
		bad=$((bad + 1))
done
sleep 0.2
fds1=$(nfds "$dpid")
check cycles-100 "$bad of 100 failed" test "$bad" = 0
check cycles-no-fd-leak "$fds0 descriptors before, $fds1 after" test "$fds0" = "$fds1"

# a peer that sends garbage frames, one that sends too much
python3 - "$sock" <<'EOF' >frames.out 2>&1
import socket, struct, sys, time
def peer(data):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    s.sendall(data)
    s.settimeout(5)
    try:
        while s.recv(65536):
            pass
    except OSError:
        pass
    s.close()
peer(struct.pack('<IB', 4, 9) + b'xxxx')
peer(struct.pack('<IB', 2 << 20, 2) + b'x' * 100)
peer(struct.pack('<IB', 8, 1) + struct.pack('<II', 0, 0) +
     struct.pack('<IB', 4, 1) + b'abcd')
EOF
check frame-unknown-type "no log line" has listen.log 'malformed frame: unknown frame type'
check frame-oversized "no log line" has listen.log 'malformed frame: frame larger than 1 MiB'
check frame-second-open "no log line" has listen.log 'a second SESSION_OPEN\|malformed frame: frame shorter'

# SIGTERM: every session ends (SESSION_DEL), the daemon exits 0
kill -TERM "$dpid"
wait "$dpid"
drc=$?
wait "$s1" "$s2"
check sigterm-exit "exit $drc" test "$drc" = 0
check sigterm-sessions-closed "$(grep -h CLOSED s1.out s2.out | tr '\n' '|')" \
	test "$(cat s1.out s2.out | grep -c 'CLOSED reason="rdpprnd is shutting down"')" = 2
check sigterm-socket-removed "socket left behind" test ! -e "$sock"

# ---- a peer that stops reading ----------------------------------------
quiet_peer='
import socket, struct, sys, time
s = socket.socket(socket.AF_UNIX)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(sys.argv[1])
s.sendall(struct.pack("<IB", 8, 1) + struct.pack("<II", 0, 0))
time.sleep(float(sys.argv[2]))
'
stalled() {
	local name=$1 text=$2 flood=$3 secs=$4
	printf '%b' "$text" >"$name.conf"
	RDPPRN_FAKE_FLOOD=$flood "$daemon" --listen "$sock" \
		--config "$work/$name.conf" -f 2>"$name.log" &
	local p=$!
	pids+=("$p")
	wait_for "$name.log" 'listening on' 10
	python3 -c "$quiet_peer" "$sock" "$secs" &
	wait_for "$name.log" 'session 1 ended' $((secs + 5))
	kill -TERM "$p"
	wait "$p"
}
stalled overflow 'max_queue = 1M\n' 67108864 3
check stalled-peer-overflow "$(grep 'ended' overflow.log)" has overflow.log \
	'output queue over max_queue'
stalled timeout 'send_timeout = 1\n' 4194304 4
check stalled-peer-timeout "$(grep 'ended' timeout.log)" has timeout.log \
	'read nothing for 1 s'

# ---- user_sessions: RDP servers that run as the session's user ---------
# The simulator runs as nobody (setpriv) from a copy in the scratch
# directory, like the non-root peer above.
# as_nobody NAME [sim options...]: output in NAME.out, exit status NAME.rc
as_nobody() {
	local name=$1
	shift
	(cd "$scratch" && setpriv --reuid=65534 --regid=65534 --clear-groups \
		./rdpprn-sim --connect "$usock" "$@") >"$name.out" 2>&1
	echo $? >"$name.rc"
}
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	usock=$scratch/user.sock
	printf 'user_sessions = yes\nmax_user_sessions = 2\n' >user.conf
	"$daemon" --listen "$usock" --config "$work/user.conf" -f 2>user.log &
	upid=$!
	pids+=("$upid")
	wait_for user.log 'listening on' 10
	check user-socket-mode "mode $(stat -c %a "$usock" 2>/dev/null)" \
		test "$(stat -c %a "$usock" 2>/dev/null)" = 666
	check user-config-line "no user_sessions in the configuration line" \
		has user.log 'user_sessions=yes max_user_sessions=2'

	as_nobody self --uid 65534 --gid 65534 --provider --printer name=U \
		--exit-ready
	check user-for-itself "exit $(cat self.rc): $(tail -n2 self.out | tr '\n' '|')" \
		has self.out 'READY session=1 accepted=1 refused=-'
	check user-for-itself-log "no connection line" has user.log \
		'connection from pid [0-9]* uid 65534 gid 65534: sessions for itself only'

	as_nobody other --uid 0 --gid 0 --printer name=U --timeout 5
	check user-other-uid-refused "$(grep CLOSED other.out)" has other.out \
		'CLOSED reason="SESSION_OPEN for uid 0 gid 0 from a peer of uid 65534 gid 65534: a user may only open sessions for itself"'
	check user-other-uid-exit "exit $(cat other.rc)" test "$(cat other.rc)" = 1
	check user-other-uid-log "no warning" has user.log \
		'session [0-9]* ended: SESSION_OPEN for uid 0 gid 0 from a peer of uid 65534'

	# max_user_sessions = 2: two stay connected, the third is refused
	# (they leave by --timeout: long enough for the checks below)
	as_nobody keep1 --uid 65534 --gid 65534 --printer name=K --timeout 6 &
	k1=$!
	as_nobody keep2 --uid 65534 --gid 65534 --printer name=K --timeout 6 &
	k2=$!
	wait_for keep1.out '^READY' 10
	wait_for keep2.out '^READY' 10
	as_nobody third --uid 65534 --gid 65534 --printer name=K --timeout 5
	check user-limit-refused "$(head -n3 third.out | tr '\n' '|')" has third.out \
		'CLOSED reason="uid 65534 has 2 connections already (max_user_sessions)"'
	check user-limit-log "no refusal line" has user.log \
		'refused a connection from pid [0-9]* uid 65534: uid 65534 has 2 connections already (max_user_sessions)'
	# root is not counted, and may still open sessions for anyone
	"$sim" --connect "$usock" --uid 1234 --gid 1234 --printer name=R \
		--exit-ready >root.out 2>&1
	check user-limit-root-free "$(tail -n2 root.out | tr '\n' '|')" has root.out \
		'READY session=[0-9]* accepted=1'
	wait "$k1" "$k2"
	check user-limit-kept "exit $(cat keep1.rc) $(cat keep2.rc)" \
		test "$(cat keep1.rc)$(cat keep2.rc)" = 00

	# a reload that turns user_sessions off: users refused, mode kept
	printf 'user_sessions = no\n' >user.conf
	kill -HUP "$upid"
	wait_for user.log 'configuration reloaded' 10
	check user-reload-mode-note "no note on the mode" has user.log \
		'user_sessions = no, users are refused, but the socket keeps mode 0666 until rdpprnd restarts'
	check user-reload-mode-kept "mode $(stat -c %a "$usock")" \
		test "$(stat -c %a "$usock")" = 666
	as_nobody after --uid 65534 --gid 65534 --printer name=U --timeout 5
	check user-reload-refused "no refusal line" has user.log \
		'refused a connection from pid [0-9]* uid 65534: only root may hand over sessions'
	kill -TERM "$upid"
	wait "$upid"
	check user-daemon-exit "exit $?" test $? = 0
fi

# ---- the command line ----------------------------------------------------
# nothing listens there: an error, and nothing leaks on the way out
"$sim" --connect "$scratch/absent.sock" --printer name=X >absent.out 2>&1
rc=$?
check sim-connect-error "exit $rc: $(head -n3 absent.out | tr '\n' '|')" \
	test $rc = 1
check sim-connect-error-message "no error line" has absent.out \
	'absent.sock: No such file or directory'
"$daemon" --help >help.out 2>&1
check help-exit-0 "exit $?" has help.out 'usage: rdpprnd'
"$daemon" --stdio --listen x >/dev/null 2>&1
check usage-exit-2 "exit $?" test $? = 2
timeout 10 "$daemon" --stdio --config /nonexistent </dev/null >/dev/null \
	2>devnull.log
rc=$?
check stdio-unpollable-input "exit $rc" test $rc = 1
printf 'max_printers = many\n' >bad.conf
"$daemon" --stdio --config "$work/bad.conf" </dev/null >/dev/null 2>bad.log
rc=$?
check bad-config-exit-1 "exit $rc" test $rc = 1
check bad-config-names-line "$(cat bad.log)" has bad.log 'bad.conf:1: max_printers'

tap_summary
