# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# rdpprnd + rdpprn-sim --freerdp-queue: a client that queues I/O requests
# the way FreeRDP's client printer does (channels/printer/client/
# printer_main.c): per printer a LIFO list and a manual-reset event, one
# request taken per wake-up of the printer thread, one job per printer
# (a second create gets FileId 0 and STATUS_PRINT_QUEUE_FULL), Offset
# ignored. Two requests outstanding on one printer are handled newest
# first and the older one can wait for ever.
#
# Checks:
#  (a) five jobs started at once on one printer: each open() waits for the
#      job before it, all five arrive intact and in order of open, no create
#      refused, never more than one request outstanding;
#  (b) two printers of one session print at once, both intact;
#  (c) with window=2 the same client breaks a job, as a real FreeRDP client
#      would: the first two writes share one wake-up, the second is taken
#      first (its bytes land at the start of the client's job) and the first
#      never; the kernel sees the answer for the second write first and
#      fails the job with EIO;
#  (d) a printer announced with FreeRDP 2.11's string lengths (past the
#      terminator, odd) is accepted with the right names and prints.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

d=$IT_TMP/fq
mkdir -p "$d"
sock=$d/rdpprnd.sock
: >"$d/rdpprnd.conf"
DPID=
SIM_PID=

cleanup() {
	[ -n "$SIM_PID" ] && kill -KILL "$SIM_PID" 2>/dev/null
	[ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null
	[ -n "$old_window" ] && set_param window "$old_window"
	[ -n "$old_timeout" ] && set_param io_timeout "$old_timeout"
	it_cleanup
}
trap cleanup EXIT

rdpprnd --listen "$sock" --config "$d/rdpprnd.conf" -f -v 2>>"$d/daemon.log" &
DPID=$!
if ! wait_line "$d/daemon.log" "listening on $sock" 10; then
	not_ok daemon-up "rdpprnd did not start"
	show_log "$d/daemon.log"
	exit 0
fi

# sim NAME ARGS...: rdpprn-sim --freerdp-queue, output in $d/NAME.out;
# waits for READY. Sets SIM_PID, SIM_SID.
sim() {
	_n=$1
	shift
	rdpprn-sim --connect "$sock" --freerdp-queue "$@" >"$d/$_n.out" 2>&1 &
	SIM_PID=$!
	wait_line "$d/$_n.out" '^READY|^EXIT' 30
	SIM_SID=$(sed -n 's/^SESSION id=//p' "$d/$_n.out")
}

sim_stop() {
	kill -TERM "$SIM_PID" 2>/dev/null
	wait "$SIM_PID" 2>/dev/null
	SIM_PID=
}

# node SID DEVICEID: /dev/rdpprnN of a printer
node() {
	rdpprnctl -s "$1" printers | awk -v id="$2" 'NR > 1 && $3 == id { print "/dev/" $1 }'
}

# queue_line FILE DEV: the simulator's QUEUE line of printer DEV
queue_line() {
	grep "^QUEUE dev=$2 " "$1" | head -n1
}

# shas FILE DEV: sha256 of the closed jobs of DEV, in the order they ended
shas() {
	sed -n "s/^JOB dev=$2 .*sha256=\([0-9a-f]*\) status=closed.*/\1/p" "$1"
}

# ---- (a) five jobs at once on one printer ---------------------------------
sim five --printer 'name=FreeRDP Queue,id=1'
n=$(node "$SIM_SID" 1)
check five-node "no node (READY: $(grep READY "$d/five.out"))" [ -c "$n" ]
: >"$d/five-want"
i=0
while [ $i -lt 5 ]; do
	gen_file "$d/five-$i" $((200000 + i * 4099)) $((i + 40))
	sha_of "$d/five-$i" >>"$d/five-want"
	i=$((i + 1))
done
# Started 0.2 s apart: the order in which they enter open().
i=0
while [ $i -lt 5 ]; do
	timeout 120 rdpprn-test write-file "$n" "$d/five-$i" >"$d/five-res-$i" 2>&1 &
	eval "w$i=\$!"
	sleep 0.2
	i=$((i + 1))
done
i=0
while [ $i -lt 5 ]; do
	eval "wait \$w$i"
	i=$((i + 1))
done
nok=0
i=0
while [ $i -lt 5 ]; do
	if grep -q '^RESULT open=OK write=OK fsync=OK close=OK' "$d/five-res-$i"; then
		nok=$((nok + 1))
	else
		echo "# writer $i: $(cat "$d/five-res-$i")"
	fi
	i=$((i + 1))
done
check_eq five-all-ok "$nok" 5
wait_line "$d/five.out" '^JOB dev=1 ' 10
sim_stop
shas "$d/five.out" 1 >"$d/five-got"
check five-intact-in-order "got $(tr '\n' ' ' <"$d/five-got" | cut -c1-200)" \
	cmp -s "$d/five-got" "$d/five-want"
check_eq five-none-refused "$(count_lines "$d/five.out" '^CREATE dev=1 status=')" 0
q=$(queue_line "$d/five.out" 1)
check five-queue "$q" sh -c "echo '$q' | grep -q 'max_outstanding=1 queue_full=0 reordered=0 misplaced=0 stranded=0'"
check five-sim-clean "$(tail -n 2 "$d/five.out")" grep -q '^EXIT .*violations=0' "$d/five.out"

# ---- (b) two printers at once -----------------------------------------------
sim two --printer 'name=Left,id=1' --printer 'name=Right,id=2'
n1=$(node "$SIM_SID" 1)
n2=$(node "$SIM_SID" 2)
gen_file "$d/left" 1048583 51
gen_file "$d/right" 777777 52
timeout 120 rdpprn-test write-file "$n1" "$d/left" >"$d/left.res" 2>&1 &
wl=$!
timeout 120 rdpprn-test write-file "$n2" "$d/right" >"$d/right.res" 2>&1 &
wr=$!
wait "$wl" "$wr"
check two-left-ok "$(cat "$d/left.res")" grep -q '^RESULT open=OK write=OK fsync=OK close=OK' "$d/left.res"
check two-right-ok "$(cat "$d/right.res")" grep -q '^RESULT open=OK write=OK fsync=OK close=OK' "$d/right.res"
wait_line "$d/two.out" '^JOB dev=2 ' 10
sim_stop
check_eq two-left-intact "$(shas "$d/two.out" 1)" "$(sha_of "$d/left")"
check_eq two-right-intact "$(shas "$d/two.out" 2)" "$(sha_of "$d/right")"
for id in 1 2; do
	q=$(queue_line "$d/two.out" $id)
	check "two-queue-$id" "$q" sh -c "echo '$q' | grep -q 'max_outstanding=1 queue_full=0 reordered=0 misplaced=0 stranded=0'"
done
check two-sim-clean "$(tail -n 2 "$d/two.out")" grep -q '^EXIT .*violations=0' "$d/two.out"

# ---- (c) window=2 against the FreeRDP queue ---------------------------------
# Two writes in flight: the printer thread wakes once (50 ms after the first
# arrived, so both are there), takes the newer one and never gets back to the
# older one. The kernel gets the second write's answer first: EIO. (A short
# io_timeout bounds the wait should a kernel wait for the first one instead.)
old_window=$(param window)
old_timeout=$(param io_timeout)
set_param window 2
set_param io_timeout 3
sim window2 --freerdp-queue=50 --printer 'name=Stall,id=1'
n=$(node "$SIM_SID" 1)
gen_file "$d/stall" 614400 61
res=$(timeout 60 rdpprn-test write-file "$n" "$d/stall" 2>&1)
echo "# window=2: $res"
set_param window "$old_window"
set_param io_timeout "$old_timeout"
old_window=
old_timeout=
check window2-fails "$res" sh -c "! echo '$res' | grep -q '^RESULT open=OK write=OK fsync=OK close=OK'"
check window2-eio "$res" sh -c "echo '$res' | grep -q '^RESULT open=OK write=EIO '"
sim_stop
q=$(queue_line "$d/window2.out" 1)
echo "# $q"
check window2-two-outstanding "$q" sh -c "echo '$q' | grep -q 'max_outstanding=2 '"
check window2-reordered "$q" sh -c "echo '$q' | grep -Eq 'reordered=[1-9][0-9]* misplaced=[1-9][0-9]* stranded=1\$'"
check window2-not-intact "a job arrived intact" \
	sh -c "! grep -q 'sha256=$(sha_of "$d/stall") status=closed' $d/window2.out"

# ---- the same client works again with window=1 -----------------------------
sim after --printer 'name=After,id=1'
n=$(node "$SIM_SID" 1)
res=$(timeout 60 rdpprn-test write-file "$n" "$d/stall" 2>&1)
check after-ok "$res" sh -c "echo '$res' | grep -q '^RESULT open=OK write=OK fsync=OK close=OK'"
wait_line "$d/after.out" '^JOB dev=1 ' 10
sim_stop
check_eq after-intact "$(shas "$d/after.out" 1)" "$(sha_of "$d/stall")"

# ---- (d) FreeRDP 2.11's announce: string lengths past the terminator --------
sim old --printer 'name=Old client,driver=MS Publisher Imagesetter,id=1,default,freerdp2'
check old-accepted "$(cat "$d/old.out")" grep -q '^READY .*accepted=1 ' "$d/old.out"
n=$(node "$SIM_SID" 1)
check_eq old-driver-name "$(cat "/sys/class/rdpprn/${n#/dev/}/driver_name" 2>&1)" \
	"MS Publisher Imagesetter"
check_eq old-printer-name "$(cat "/sys/class/rdpprn/${n#/dev/}/printer_name" 2>&1)" \
	"Old client"
res=$(timeout 60 rdpprn-test write-file "$n" "$d/stall" 2>&1)
check old-prints "$res" sh -c "echo '$res' | grep -q '^RESULT open=OK write=OK fsync=OK close=OK'"
wait_line "$d/old.out" '^JOB dev=1 ' 10
sim_stop
check_eq old-intact "$(shas "$d/old.out" 1)" "$(sha_of "$d/stall")"

kill -TERM "$DPID"
wait "$DPID"
check daemon-exit-0 "exit $?" [ $? = 0 ]
DPID=
