#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/interop/bridge-host.sh - the real FreeRDP clients against
# rdpprn-bridge and rdpprnd, on the host, without a VM or a kernel:
#
#   xfreerdp / xfreerdp3 (under Xvfb, /printer, a private cupsd with the
#   raw queues "capture" (default) and "capture2")
#     --RDP/TLS--> rdpprn-bridge --Unix socket--> rdpprnd-fake --listen
#
# rdpprnd-fake is the production rdpprnd with a fake kernel
# (tests/unit/fake_kernel.c); RDPPRN_FAKE_JOB_BYTES makes it print a job
# on the first accepted printer, which must arrive unchanged in the
# client's CUPS queue.
#
# Checks per client version: rdpdr handshake through the bridge, both
# queues announced (names, DEFAULTPRINTER on the CUPS default only,
# DriverName), rdpprnd's verdict on them, the print job, and that a
# client disconnect ends the rdpprnd session. Then SIGTERM ends the
# bridge cleanly.
#
# Usage: tests/interop/bridge-host.sh [2] [3]    (default: 2 3)
# Environment: INTEROP_KEEP=1 keeps the scratch directory;
# RDPPRND_FAKE=path uses that rdpprnd-fake instead of building one.
# Run as root; installs what it needs (tests/interop/host.sh).
#
# Output: "ok - NAME", "not ok - NAME: why", "# ..." notes, and
# "N passed, N failed".

set -u

REPO=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/interop/host.sh
. "$REPO/tests/interop/host.sh"

VERSIONS=("$@")
[ ${#VERSIONS[@]} -gt 0 ] || VERSIONS=(2 3)
JOB_BYTES=${JOB_BYTES:-300000}
UB=$REPO/build/interop/user
FAKE=${RDPPRND_FAKE:-$REPO/build/tests/unit/rdpprnd-fake}

# shellcheck source-path=SCRIPTDIR source=../lib/tap.sh
. "$REPO/tests/lib/tap.sh"
BRIDGE_PID=
DAEMON_PID=

cleanup() {
	[ -n "$BRIDGE_PID" ] && interop_kill "$BRIDGE_PID"
	[ -n "$DAEMON_PID" ] && interop_kill "$DAEMON_PID"
	BRIDGE_PID=
	DAEMON_PID=
	interop_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_log FILE ERE [TENTHS]: wait until FILE has a line matching ERE
wait_log() {
	interop_wait "${3:-300}" grep -Eq -- "$2" "$1"
}

# ---- build and set up ------------------------------------------------------

interop_deps || { echo "Bail out! interop_deps failed"; exit 1; }
if ! pkg-config --exists freerdp-server3; then
	echo "Bail out! freerdp-server3 (freerdp3-dev) is not installed"
	exit 1
fi
# the bridge and rdpdr-dump in a build directory of their own: another
# tool's build (or a make clean of build/user) does not get in the way
make -s -C "$REPO/userspace" BUILD="$UB" "$UB/rdpprn-bridge" \
	"$UB/rdpdr-dump" >/dev/null || { echo "Bail out! build failed"; exit 1; }
if [ -z "${RDPPRND_FAKE:-}" ]; then
	make -s -C "$REPO/userspace" SAN=1 "$REPO/build/user-san/librdpprn.a" \
		"$REPO/build/user-san/librdpdr.a" >/dev/null &&
	make -s -C "$REPO/tests" "$FAKE" >/dev/null ||
		{ echo "Bail out! rdpprnd-fake build failed"; exit 1; }
fi

interop_tmp || exit 1
T=$INTEROP_TMP
echo "# scratch directory $T"
interop_cupsd_start || { echo "Bail out! cupsd"; exit 1; }
interop_xvfb_start || { echo "Bail out! Xvfb"; exit 1; }
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=rdpprn-bridge \
	-keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 ||
	{ echo "Bail out! openssl"; exit 1; }
mkdir -p "$T/trace"

# ASan's leak check would report the daemon's exit at SIGTERM time only
RDPPRN_FAKE_JOB_BYTES=$JOB_BYTES RDPPRN_FAKE_JOB_EACH=1 ASAN_OPTIONS=detect_leaks=0 \
	"$FAKE" --listen "$T/rdpprnd.sock" --config /dev/null -f -v \
	</dev/null 2>"$T/rdpprnd.log" &
DAEMON_PID=$!
wait_log "$T/rdpprnd.log" 'listening on' 100 ||
	{ echo "Bail out! rdpprnd-fake did not start"; cat "$T/rdpprnd.log"; exit 1; }

"$UB/rdpprn-bridge" --port 0 --cert "$T/cert.pem" --key "$T/key.pem" \
	--rdpprnd "$T/rdpprnd.sock" --uid 4242 --gid 4343 --trace "$T/trace" \
	</dev/null 2>"$T/bridge.log" >"$T/bridge.out" &
BRIDGE_PID=$!
wait_log "$T/bridge.log" 'listening on 127\.0\.0\.1:[0-9]+' 100 ||
	{ echo "Bail out! the bridge did not start"; cat "$T/bridge.log"; exit 1; }
PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T/bridge.log")
echo "# rdpprn-bridge on 127.0.0.1:$PORT, rdpprnd-fake on $T/rdpprnd.sock"

# ---- one client ------------------------------------------------------------

conn=0
jobs_done=0

# run_client V: connect, check, disconnect
run_client() {
	local v=$1 name sid dsess info dev1 dev2 cap files n why
	local accepted=0 want got sha

	name=xfreerdp$v
	[ "$v" = 2 ] && name=xfreerdp
	conn=$((conn + 1))
	interop_client_start "$v" "$PORT" || { not_ok "$name: start" "no client"; return; }

	if wait_log "$T/bridge.log" "connection $conn: rdpprnd session [0-9]+"; then
		sid=$(sed -n "s/.*connection $conn: rdpprnd session \([0-9]*\).*/\1/p" \
			"$T/bridge.log")
		ok "$name: bridge opened rdpdr and an rdpprnd session ($sid)"
	else
		not_ok "$name: rdpprnd session" "no 'connection $conn: rdpprnd session' line"
		grep -v '^\[' "$T/bridge.log" | tail -n 5 | sed 's/^/#   /'
		interop_client_stop
		return
	fi
	check "$name: client name is the ClientHostname" "bridge log" \
		grep -q "connection $conn: client \"$(hostname | cut -c1-15)\"" \
		"$T/bridge.log"
	dsess=$(sed -n "s/.*session \([0-9]*\): kernel session $sid for uid 4242 gid 4343.*/\1/p" \
		"$T/rdpprnd.log" | tail -n 1)
	if [ -n "$dsess" ]; then
		ok "$name: SESSION_OPEN with uid 4242 gid 4343"
	else
		not_ok "$name: SESSION_OPEN" "rdpprnd has no kernel session $sid for uid 4242"
		interop_client_stop
		return
	fi
	check "$name: rdpdr handshake (Client Name)" "rdpprnd log" \
		wait_log "$T/rdpprnd.log" "session $dsess: client \".*\", rdpdr 1\.[0-9]+"

	# the announce, as the client sent it
	if wait_log "$T/rdpprnd.log" \
		"session $dsess: (printer \"capture2?\"|dropped a client PDU: printer)"; then
		sleep 1
	fi
	info=$(python3 "$REPO/tests/interop/announce.py" "$T/trace" "$conn")
	echo "# $name PDUs: $(sed -n 's/^SEQ //p' <<<"$info")"
	sed -n 's/^DEV /# '"$name"' announce: /p' <<<"$info"
	dev1=$(grep '^DEV .* name="capture"$' <<<"$info")
	dev2=$(grep '^DEV .* name="capture2"$' <<<"$info")
	if [ -n "$dev1" ] && [ -n "$dev2" ]; then
		ok "$name: announces both CUPS queues"
	else
		not_ok "$name: announce" "capture and capture2 not both announced"
	fi
	check "$name: DEFAULTPRINTER on the CUPS default only" \
		"flags: $(grep -o 'flags=[^ ]*' <<<"$dev1$dev2" | tr '\n' ' ')" \
		eval '[[ "$dev1" == *" flags=0x2 "* && "$dev2" == *" flags=0x0 "* ]]'
	check "$name: DriverName \"MS Publisher Imagesetter\"" "driver" \
		eval '[[ "$dev1" == *"driver=\"MS Publisher Imagesetter\""* && "$dev2" == *"driver=\"MS Publisher Imagesetter\""* ]]'
	check "$name: CodePage 0, DOS names PRN<n>" "codepage/dos" \
		eval '[[ "$dev1" =~ dos=PRN[0-9]+\ .*codepage=0 && "$dev2" =~ dos=PRN[0-9]+\ .*codepage=0 ]]'

	# rdpprnd's verdict
	if grep -q "session $dsess: printer \"capture\" (id [0-9]*, PRN[0-9]*, flags 0x2) goes to the kernel" \
		"$T/rdpprnd.log" &&
	   grep -q "session $dsess: printer \"capture2\" (id [0-9]*, PRN[0-9]*, flags 0x0) goes to the kernel" \
		"$T/rdpprnd.log"; then
		ok "$name: rdpprnd accepts both printers, capture as default"
		accepted=1
	else
		why=$(grep "session $dsess: .*printer" "$T/rdpprnd.log" | head -n 1)
		not_ok "$name: rdpprnd accepts both printers" "${why:-no verdict}"
	fi

	# the job rdpprnd-fake prints on the first printer arrives in CUPS
	if [ $accepted = 1 ]; then
		want=$((jobs_done + 1))
		if wait_log "$T/rdpprnd.log" \
			"^fake-kernel: JOB .*" 300 &&
		   interop_wait 300 eval \
			'[ "$(grep -c "^fake-kernel: JOB" "$T/rdpprnd.log")" -ge "$want" ]'; then
			jobs_done=$want
			sha=$(grep '^fake-kernel: JOB' "$T/rdpprnd.log" | sed -n "${want}p" |
				sed -n 's/.* bytes=\([0-9]*\) sha256=\([0-9a-f]*\) status=\([a-z]*\).*/\1 \2 \3/p')
			n=0
			while [ $n -lt 100 ]; do
				files=$(ls -t "$INTEROP_CAPTURE"/capture-*.bin 2>/dev/null)
				[ "$(grep -c . <<<"$files")" -ge "$want" ] && [ -n "$files" ] && break
				sleep 0.2
				n=$((n + 1))
			done
			cap=$(head -n 1 <<<"$files")
			got=$( [ -n "$cap" ] && sha256sum "$cap" | cut -d' ' -f1)
			if [ "${sha% *}" = "$JOB_BYTES $got" ] && [ "${sha##* }" = closed ]; then
				ok "$name: a $JOB_BYTES-byte job arrives unchanged in CUPS (${cap##*/})"
			else
				not_ok "$name: print job" "fake kernel '$sha', CUPS ${cap:-nothing} $got"
			fi
		else
			not_ok "$name: print job" "no JOB line from the fake kernel"
		fi
	else
		echo "ok - $name: print job # SKIP no printer accepted"
	fi

	# disconnect
	interop_client_stop
	check "$name: client disconnect ends the bridge connection" "bridge log" \
		wait_log "$T/bridge.log" "connection $conn: ended: client disconnected \(pdus in [0-9]+ out [0-9]+\)" 100
	check "$name: ... and the rdpprnd session" "rdpprnd log" \
		wait_log "$T/rdpprnd.log" "session $dsess ended: closed by the RDP server: client disconnected" 100
	cp "$INTEROP_CLIENT_LOG" "$T/client-$v.log" 2>/dev/null
}

for v in "${VERSIONS[@]}"; do
	case $v in
	2|3) run_client "$v" ;;
	*) echo "Bail out! client version $v: 2 or 3"; exit 2 ;;
	esac
done

# ---- SIGTERM ---------------------------------------------------------------
kill -TERM "$BRIDGE_PID"
st=0
wait "$BRIDGE_PID" || st=$?
BRIDGE_PID=
check "bridge: SIGTERM exits 0" "status $st" [ "$st" = 0 ]
check "bridge: logs its exit" "bridge log" grep -q 'rdpprn-bridge: info: exiting' "$T/bridge.log"

if [ "$TAP_FAILED" -gt 0 ]; then
	echo "# logs: bridge $T/bridge.log, rdpprnd $T/rdpprnd.log (INTEROP_KEEP=1 keeps them)"
	INTEROP_KEEP=${INTEROP_KEEP:-1}
fi
tap_summary
