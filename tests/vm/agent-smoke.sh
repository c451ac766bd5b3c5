#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the host-driven VM (tests/vm/guest.sh): the agent runs
# commands, and rdpprn-sim on the host reaches rdpprnd in the guest
# through a relay port: a printer appears, a job printed in the guest
# arrives intact on the host, the printer goes when the simulator does,
# rdpprnd ending a session (rdpprnctl delete) reaches the simulator, and
# the printer comes back when the simulator reconnects.
#
# Usage: agent-smoke.sh [KERNEL...]   (default: stock61 debug)
#
# Output: "ok - ..." / "not ok - ..." lines and "N passed, N failed";
# exit status 1 on any failure. Files in build/agent-smoke/KERNEL/ (the
# serial log vm.log, the simulators' output, their spool); the host's
# rdpprn-sim is built in build/agent-smoke/user.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=guest.sh
. "$here/guest.sh"
# shellcheck source-path=SCRIPTDIR source=../lib/tap.sh
. "$root/tests/lib/tap.sh"

kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(stock61 debug)

# The host's simulator, in a build dir of its own ("make clean" elsewhere
# does not pull it away mid-run).
hostbuild=$root/build/agent-smoke/user
make -s -C "$root/userspace" -j2 BUILD="$hostbuild" "$hostbuild/rdpprn-sim" >/dev/null
SIM=$hostbuild/rdpprn-sim

# In the guest: wait until the printer nodes are N (0 or 1), print them
guest_devs() {
	guest --timeout 60 -- "i=0
		while [ \$(ls /dev/rdpprn[0-9]* 2>/dev/null | wc -l) != $1 ]; do
			[ \$i -lt 300 ] || exit 1; sleep 0.1; i=\$((i + 1))
		done
		ls /dev/rdpprn[0-9]* 2>/dev/null || true"
}

# One simulator session: READY, a job from the guest arrives intact, the
# printer goes when it disconnects. $1: kernel, $2: round name
sim_round() {
	local k=$1 round=$2 out=$3 simlog pid dev sum got
	simlog=$out/sim-$round.log
	rm -rf "$out/spool-$round"
	mkdir -p "$out/spool-$round"
	"$SIM" --connect "${VM_RELAY[0]}" --printer "name=P1" \
		--out "$out/spool-$round" >"$simlog" 2>&1 &
	pid=$!
	if wait_for "$simlog" '^READY' 120; then
		ok "$k: $round: rdpprn-sim on the host is READY through the relay"
	else
		not_ok "$k: $round: rdpprn-sim never READY" "$(tail -n 3 "$simlog" | tr '\n' ' ')"
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		return
	fi
	if dev=$(guest_devs 1) && [ -n "$dev" ]; then
		ok "$k: $round: the printer is $dev in the guest"
	else
		not_ok "$k: $round: no printer device in the guest"
	fi
	sum=$(sha256sum "$out/job.bin" | cut -d' ' -f1)
	if guest --timeout 120 -- "cat /tmp/job.bin > $dev" &&
		wait_for "$simlog" '^JOB' 60; then
		got=$(grep '^JOB' "$simlog" | head -n1)
		case $got in
		*"sha256=$sum"*) ok "$k: $round: the job printed in the guest arrived intact on the host" ;;
		*) not_ok "$k: $round: the job differs: $got (want sha256=$sum)" ;;
		esac
	else
		not_ok "$k: $round: printing to $dev failed or no JOB line"
	fi
	kill "$pid" 2>/dev/null || true
	wait "$pid" || true
	if guest_devs 0 >/dev/null; then
		ok "$k: $round: the printer is gone once the simulator disconnected"
	else
		not_ok "$k: $round: the printer is still there after the simulator left"
	fi
}

# rdpprnd ends the session (rdpprnctl delete in the guest): its CLOSE
# reaches the simulator through the relay, which then waits for the host.
peer_close_round() {
	local k=$1 out=$2 simlog=$2/sim-deleted.log pid sid
	"$SIM" --connect "${VM_RELAY[0]}" --printer "name=P1" >"$simlog" 2>&1 &
	pid=$!
	if ! wait_for "$simlog" '^READY' 120; then
		not_ok "$k: deleted: rdpprn-sim never READY: $(tail -n 3 "$simlog" | tr '\n' ' ')"
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		return
	fi
	sid=$(sed -n 's/^READY session=\([0-9]*\).*/\1/p' "$simlog")
	if guest -- "rdpprnctl delete $sid" && wait_for "$simlog" '^CLOSED' 60 &&
		wait_for "$simlog" '^EXIT' 60; then
		ok "$k: deleted: rdpprnd's CLOSE reaches the host: $(grep '^CLOSED' "$simlog")"
	else
		not_ok "$k: deleted: no CLOSED at the simulator after rdpprnctl delete $sid"
	fi
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if guest_devs 0 >/dev/null; then
		ok "$k: deleted: the printer is gone"
	else
		not_ok "$k: deleted: the printer is still there"
	fi
}

smoke() {
	local k=$1 out=$root/build/agent-smoke/$1 rel got rc
	mkdir -p "$out"
	if ! "$here/agent-payload/build.sh" "$k" "$out/payload"; then
		not_ok "$k: building the payload"
		return
	fi
	if ! vm_start "$k" "$out/payload" "$out/vm.log" --add-bin /bin/udevadm; then
		not_ok "$k: the VM boots and the agent answers"
		return
	fi
	ok "$k: the VM boots and the agent answers"

	rel=$("$here/kernels.sh" release "$k")
	got=$(guest uname -r) || true
	if [ "$got" = "$rel" ]; then ok "$k: guest uname -r is $got"; else not_ok "$k: guest uname -r: '$got', want '$rel'"; fi

	rc=0
	got=$(guest 'echo out; echo err >&2; exit 3' 2>"$out/stderr") || rc=$?
	if [ "$rc" = 3 ] && [ "$got" = out ] && [ "$(cat "$out/stderr")" = err ]; then
		ok "$k: exit status, stdout and stderr come back"
	else
		not_ok "$k: exit status $rc, stdout '$got', stderr '$(cat "$out/stderr")'"
	fi
	rc=0
	guest --timeout 2 -- 'sleep 60' || rc=$?
	if [ "$rc" = 124 ]; then ok "$k: --timeout kills the command (124)"; else not_ok "$k: --timeout: status $rc"; fi

	head -c 300000 /dev/urandom >"$out/job.bin"
	if guest_put "$out/job.bin" /tmp/job.bin &&
		[ "$(guest sha256sum /tmp/job.bin | cut -d' ' -f1)" = "$(sha256sum "$out/job.bin" | cut -d' ' -f1)" ]; then
		ok "$k: --put copies a file into the guest"
	else
		not_ok "$k: --put"
	fi

	sim_round "$k" first "$out"
	peer_close_round "$k" "$out"
	sim_round "$k" reconnect "$out"

	rc=0
	vm_stop "$([ "$TAP_FAILED" = "$failed_before" ] && echo 0 || echo 1)" || rc=$?
	if [ "$rc" = 0 ]; then ok "$k: the VM finished clean (run-vm.sh 0)"; else not_ok "$k: run-vm.sh exited $rc (log $out/vm.log)"; fi
}

trap vm_kill EXIT
for k in "${kernels[@]}"; do
	failed_before=$TAP_FAILED
	smoke "$k"
done
tap_summary
