#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks, inside one VM boot (payload entry point; tests/bench/run
# builds the payload and boots it). Every figure is measured here against
# its baseline in the same boot, and printed as a line
#
#   BENCH NAME VARIANT WORK run=N key=value ...
#
# for tests/bench/report.py, which takes medians and ratios. Correctness is
# checked along the way (ok/not ok lines, counted as the suites count
# them): every job's SHA-256 at the simulator equals the writer's, and a
# small job takes exactly three requests.
#
# Kernel command line: bench_mode=smoke (tiny sizes, one run: what the
# test command runs) or full; bench_runs=N (default 3 in full mode);
# bench_only=LIST (stream, cuse, slow, small, scale, parallel).
# shellcheck disable=SC1091 # guest paths
. /rdpprn/lib.sh

B=$(cd "$(dirname "$0")" && pwd)
IT_DIR=$B
IT_TMP=/tmp/bench
PATH=$B/bin:$PATH
export IT_DIR IT_TMP PATH
mkdir -p "$IT_TMP"
. "$B/lib.sh"
# the checks are counted at the end, as the integration runner does
ok() {
	echo "ok - $1" | tee -a "$IT_TMP/checks"
}
not_ok() {
	echo "not ok - $1: $2" | tee -a "$IT_TMP/checks"
}
: >"$IT_TMP/checks"

mode=$(sed -n 's/.*bench_mode=\([a-z]*\).*/\1/p' /proc/cmdline)
runs=$(sed -n 's/.*bench_runs=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ "$mode" = full ]; then
	runs=${runs:-3}
	stream_sizes="16M 64M 256M"	# 1x, 4x, 16x
	cuse_size=64M
	small_counts="250 1000 4000"
	scale_sessions="6 25 100"	# x 10 printers
	par_size=4M
	slow_chunks=100
else
	mode=smoke
	runs=${runs:-1}
	stream_sizes="1M 4M"
	cuse_size=1M
	small_counts="20 80"
	scale_sessions="2 8"
	par_size=256K
	slow_chunks=4
fi
# The block size of the writers: two whole chunks, so that the module and
# the CUSE baseline (whose writes FUSE hands over 128 KiB at most) send the
# same number of write requests of the same size.
blk=120K
echo "# bench: mode $mode, $runs run(s) each, $(nproc) CPUs, $(uname -r)"
echo "BENCH meta - - run=1 cpus=$(nproc) kernel=$(uname -r) mode=$mode"

D=$IT_TMP
sock=$D/rdpprnd.sock

# result NAME VARIANT WORK RUN RESULT-LINE: a BENCH line from a RESULT line
result() {
	echo "BENCH $1 $2 $3 run=$4 ${5#RESULT }"
}

# field LINE KEY: the value of KEY= in a RESULT or JOB line
field() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# meminfo_kb: kernel memory that printers cost (Slab + vmalloc), in KiB
meminfo_kb() {
	awk '/^Slab:|^VmallocUsed:/ { s += $2 } END { print s }' /proc/meminfo
}

# pid_cpu_ticks PID: utime + stime of a process
pid_cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

pid_rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

daemon_start() {
	rdpprnd --listen "$sock" --config /dev/null -f 2>>"$D/daemon.log" &
	DPID=$!
	wait_line "$D/daemon.log" "listening on $sock" 20 ||
		not_ok daemon-up "rdpprnd did not start"
}

# sim_start NAME ARGS...: one simulator session with printer id 1;
# waits for READY. Sets SIM_PID, SIM_OUT.
sim_start() {
	SIM_OUT=$D/$1.out
	shift
	rdpprn-sim --connect "$sock" "$@" >"$SIM_OUT" 2>&1 &
	SIM_PID=$!
	wait_line "$SIM_OUT" '^READY|^EXIT' 60
	SIM_SID=$(sed -n 's/^SESSION id=//p' "$SIM_OUT")
}

sim_stop() {
	kill -TERM "$SIM_PID" 2>/dev/null
	wait "$SIM_PID" 2>/dev/null
}

# node SID DEVICEID: /dev/rdpprnN of a printer
node() {
	rdpprnctl -s "$1" printers | awk -v id="$2" 'NR > 1 && $3 == id { print "/dev/" $1 }'
}

# intact NAME RESULT-LINE [N]: the Nth-last JOB line of $SIM_OUT (default
# the last) has the writer's hash, and status closed
intact() {
	_want=$(field "$2" sha256)
	_job=$(grep '^JOB ' "$SIM_OUT" | tail -n "${3:-1}" | head -n 1)
	_got=$(field "$_job" sha256)
	_st=$(field "$_job" status)
	if [ "$_got" = "$_want" ] && [ "$_st" = closed ]; then
		ok "$1"
	else
		not_ok "$1" "sent $_want, client got $_got ($_st)"
	fi
}

# wait_jobs_n FILE N: until FILE has N JOB lines (30 s at most)
wait_jobs_n() {
	_i=0
	while [ "$(grep -c '^JOB ' "$1")" -lt "$2" ] && [ $_i -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# run_job NAME DEV SIZE: one job through rdpprn; prints its RESULT line
run_job() {
	_n=$(grep -c '^JOB ' "$SIM_OUT")
	_r=$(rdpprn-bench -b "$blk" write "$2" "$3") || { not_ok "$1" "write failed"; return 1; }
	# the simulator prints the JOB line as it answers the close; without
	# it, intact would read the previous job's
	wait_jobs_n "$SIM_OUT" $((_n + 1))
	if [ "$(grep -c '^JOB ' "$SIM_OUT")" != $((_n + 1)) ]; then
		not_ok "$1" "the simulator did not report the job"
		return 1
	fi
	# the requests the job took, as the simulator counted them
	echo "$_r requests=$(($(field "$(grep '^JOB ' "$SIM_OUT" | tail -n 1)" writes) + 2))"
}

# repeat NAME VARIANT WORK DEV SIZE: $runs jobs of SIZE on DEV, each
# checked and reported as BENCH NAME VARIANT WORK
repeat() {
	_r=1
	while [ $_r -le "$runs" ]; do
		# a failed job is a failed check, and no figure
		if _line=$(run_job "$1-$2-$3-$_r" "$4" "$5"); then
			intact "$1-$2-$3-$_r-intact" "$_line"
			result "$1" "$2" "$3" $_r "$_line"
		fi
		_r=$((_r + 1))
	done
}

section "bench: insmod"
load_module "$B/rdpprn.ko" max_sessions=1024
daemon_start

# ---- 1. streaming against a pipe; 6. at 1x, 4x, 16x ---------------------
bench_stream() {
	section "bench: stream"
	sim_start stream --printer name=Bench,id=1
	dev=$(node "$SIM_SID" 1)
	check stream-node "no node" [ -c "$dev" ]
	for size in $stream_sizes; do
		r=1
		while [ $r -le "$runs" ]; do
			t0=$(pid_cpu_ticks "$DPID")
			if line=$(run_job "stream-$size-$r" "$dev" "$size"); then
				intact "stream-$size-$r-intact" "$line"
				result stream rdpprn "$size" $r "$line daemon_ticks=$(($(pid_cpu_ticks "$DPID") - t0)) hz=100"
			fi
			result stream pipe "$size" $r "$(rdpprn-bench -b "$blk" pipe "$size")"
			r=$((r + 1))
		done
	done
	# Two writes in flight, for clients that answer in order (FreeRDP does
	# not: tests/integration/suites/36-freerdp-queue.sh): the sink's work then
	# overlaps the transport of the next chunk.
	win=$(param window)
	set_param window 2
	repeat stream window2 "$cuse_size" "$dev" "$cuse_size"
	set_param window "$win"
	sim_stop
}

# ---- 2. against a CUSE device doing the same job -------------------------
bench_cuse() {
	section "bench: cuse"
	# FUSE is built into Debian's 6.12, and cuse.ko needs nothing else.
	[ -c /dev/cuse ] || insmod "$B/cuse.ko"
	if [ -c /dev/cuse ]; then
		sim_start cuse-rdpprn --printer name=Bench,id=1
		dev=$(node "$SIM_SID" 1)
		repeat cuse rdpprn "$cuse_size" "$dev" "$cuse_size"
		# stdio-sized writes, as most programs that print make them
		blk=4K
		repeat cuse rdpprn-4k "$cuse_size" "$dev" "$cuse_size"
		blk=120K
		sim_stop
		rdpprn-cuse -f --listen "$D/cuse.sock" >"$D/cuse.ready" 2>"$D/cuse.log" &
		CPID=$!
		i=0
		while [ ! -S "$D/cuse.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
		SIM_OUT=$D/cuse.out
		rdpprn-sim --connect "$D/cuse.sock" --printer name=Bench,id=1 >"$SIM_OUT" 2>&1 &
		SIM_PID=$!
		if wait_line "$D/cuse.ready" '^READY dev=' 30; then
			cdev=$(sed -n 's/^READY dev=//p' "$D/cuse.ready")
			repeat cuse cuse "$cuse_size" "$cdev" "$cuse_size"
			blk=4K
			repeat cuse cuse-4k "$cuse_size" "$cdev" "$cuse_size"
			blk=120K
		else
			not_ok cuse-ready "rdpprn-cuse: $(tail -n 3 "$D/cuse.log")"
		fi
		sim_stop
		wait "$CPID"
	else
		not_ok cuse-module "cuse.ko does not load"
	fi
}

# ---- 3. slow links: one write outstanding, answers delayed by d ---------
bench_slow() {
	section "bench: slow links"
	chunk=$(param chunk_size)
	# d=0 is the reference: what a request costs here without any delay
	for d in 0 1 10 50; do
		sim_start "slow-$d" --printer name=Bench,id=1 --delay-ms "$d"
		repeat slow "d=$d" "chunk=$chunk" "$(node "$SIM_SID" 1)" \
			$((slow_chunks * chunk))
		sim_stop
	done
	# What the largest chunk would give: 65472 bytes, as a request must fit
	# one netlink attribute (nla_len is 16 bits; Documentation/devices.rst)
	set_param chunk_size 65472
	sim_start slow-big --printer name=Bench,id=1 --delay-ms 10
	repeat slow "d=10" "chunk=65472" "$(node "$SIM_SID" 1)" \
		$((slow_chunks * 65472))
	sim_stop
	set_param chunk_size "$chunk"
}

# ---- 4. small jobs: jobs per second, requests per job --------------------
bench_small() {
	section "bench: small jobs"
	for n in $small_counts; do
		r=1
		while [ $r -le "$runs" ]; do
			sim_start "small-$n-$r" --printer name=Bench,id=1
			dev=$(node "$SIM_SID" 1)
			line=$(rdpprn-bench jobs "$dev" "$n" 4K) ||
				not_ok "small-$n-$r" "jobs failed"
			wait_jobs_n "$SIM_OUT" "$n"
			sim_stop
			jobs=$(grep -c '^JOB .* bytes=4096 .*status=closed writes=1$' "$SIM_OUT")
			check_eq "small-$n-$r-three-requests" "$jobs" "$n"
			# requests as the simulator counted them: a create, the
			# writes and a close a job
			req=$(awk '/^JOB / { n++; for (i = 1; i <= NF; i++) if (sub(/^writes=/, "", $i)) w += $i }
				END { print w + 2 * n }' "$SIM_OUT")
			result small rdpprn "$n" $r "$line requests=$req"
			result small pipe "$n" $r "$(rdpprn-bench pipes "$n" 4K)"
			r=$((r + 1))
		done
	done
}

# ---- 5. scale: printers announced at once, memory per idle printer ------
bench_scale() {
	section "bench: scale"
	# scale_run SESSIONS PER RUN: SESSIONS simulators of PER printers each
	scale_run() {
		: >"$D/cmds"
		s=1
		while [ "$s" -le "$1" ]; do
			p=1
			args=
			while [ "$p" -le "$2" ]; do
				args="$args --printer name=P$p,id=$p"
				p=$((p + 1))
			done
			# a user each: max_user_printers (256) caps one uid
			u=$((2000 + s))
			echo "exec rdpprn-sim --connect $sock --uid $u --gid $u --client-name S$s$args >$D/scale-$s.out 2>&1" >>"$D/cmds"
			s=$((s + 1))
		done
		# the nodes of earlier sections must be gone: they are counted
		i=0
		while [ -n "$(ls /dev/rdpprn[0-9]* 2>/dev/null)" ] && [ $i -lt 600 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		sync
		echo 3 >/proc/sys/vm/drop_caches
		m0=$(meminfo_kb)
		r0=$(pid_rss_kb "$DPID")
		line=$(rdpprn-bench nodes $(($1 * $2)) "$D/cmds") ||
			not_ok "scale-$1x$2-$3" "not all nodes appeared"
		# every session READY, then let the slab settle
		i=0
		while [ "$(cat "$D"/scale-*.out 2>/dev/null | grep -c '^READY')" -lt "$1" ] && [ $i -lt 600 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		echo 3 >/proc/sys/vm/drop_caches
		m1=$(meminfo_kb)
		r1=$(pid_rss_kb "$DPID")
		result scale "printers=$2" "$1" "$3" "$line mem_kb=$((m1 - m0)) daemon_rss_kb=$((r1 - r0))"
		killall rdpprn-sim 2>/dev/null
		i=0
		while [ -n "$(ls /dev/rdpprn[0-9]* 2>/dev/null)" ] && [ $i -lt 600 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		check "scale-$1x$2-$3-gone" "printers left after the sessions ended" \
			[ -z "$(ls /dev/rdpprn[0-9]* 2>/dev/null)" ]
		rm -f "$D"/scale-*.out
	}
	for n in $scale_sessions; do
		r=1
		while [ $r -le "$runs" ]; do
			scale_run "$n" 10 $r
			# the same sessions with one printer: the difference is the
			# printers' own cost, without the sessions'
			scale_run "$n" 1 $r
			r=$((r + 1))
		done
	done
}

# 64 jobs on 64 printers at once (8 sessions of 8) against one job
bench_parallel() {
	section "bench: parallel"
	pids=
	devs=
	s=1
	while [ $s -le 8 ]; do
		sim_start "par-$s" --printer name=P1,id=1 --printer name=P2,id=2 \
			--printer name=P3,id=3 --printer name=P4,id=4 \
			--printer name=P5,id=5 --printer name=P6,id=6 \
			--printer name=P7,id=7 --printer name=P8,id=8
		pids="$pids $SIM_PID"
		for id in 1 2 3 4 5 6 7 8; do
			devs="$devs $(node "$SIM_SID" $id)"
		done
		s=$((s + 1))
	done
	# shellcheck disable=SC2086 # one word a node
	set -- $devs
	check_eq parallel-nodes "$#" 64
	r=1
	while [ $r -le "$runs" ]; do
		line=$(rdpprn-bench -b "$blk" parallel "$par_size" "$1")
		result parallel one "$par_size" $r "$line"
		# shellcheck disable=SC2086
		result parallel all "$par_size" $r "$(rdpprn-bench -b "$blk" parallel "$par_size" $devs)"
		r=$((r + 1))
	done
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null
	# shellcheck disable=SC2086
	wait $pids
	# every job closed with the writer's bytes: one and 64 per run
	want=$(field "$line" sha256)
	check_eq parallel-jobs "$(cat "$D"/par-*.out | grep -c "^JOB .*sha256=$want status=closed")" \
		$((runs * 65))
}

# bench_only=stream,slow (kernel command line): only those benchmarks
only=$(sed -n 's/.*bench_only=\([a-z,]*\).*/\1/p' /proc/cmdline)
for b in stream cuse slow small scale parallel; do
	case ",${only:-$b}," in
	*",$b,"*) bench_$b ;;
	esac
done

kill -TERM "$DPID"
wait "$DPID"
rmmod rdpprn || not_ok rmmod "rmmod failed"

section "bench: summary"
passed=$(grep -c '^ok - ' "$IT_TMP/checks")
failed=$(grep -c '^not ok - ' "$IT_TMP/checks")
grep '^not ok - ' "$IT_TMP/checks" | sed 's/^/RDPPRN-FAIL: /'
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
