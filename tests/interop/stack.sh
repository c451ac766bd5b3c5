# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/interop/stack.sh - the whole real-client stack, for the interop
# suite (tests/interop/run) and the demo (tests/demo):
#
#   host:  private cupsd with raw capture queues, Xvfb, rdpprn-bridge on
#          127.0.0.1 (our reference FreeRDP server), the FreeRDP clients
#   guest: rdpprn.ko, systemd-udevd, rdpprnd --listen, a relay from the
#          virtio-serial port relay0 to rdpprnd, the command agent
#
# Source it (after host.sh and tests/vm/guest.sh) and call:
#
#   stack_up KERNEL OUTDIR [UID]
#       install, build, start all of it; the bridge gives the sessions'
#       printers to UID (default 1000). Logs in OUTDIR. Sets STACK_PORT
#       (the bridge's TCP port) and STACK_FAIL (what failed) and returns 1
#       when something did not come up.
#   stack_down
#       stop the bridge and the host's daemons, and the VM at once (for
#       an EXIT trap); a clean end is "vm_stop" first (tests/vm/guest.sh)
#   stack_bridge_stop
#       stop the bridge (before vm_stop)

# shellcheck disable=SC2034 # set for the scripts that source this file
STACK_PORT=
# shellcheck disable=SC2034
STACK_FAIL=
STACK_BRIDGE_PID=

_stack_fail() {
	# shellcheck disable=SC2034
	STACK_FAIL=$*
	return 1
}

stack_up() {
	local kernel=$1 out=$2 uid=${3:-1000}
	local repo ub t

	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	ub=$repo/build/interop/user
	mkdir -p "$out"
	"$repo/tests/vm/deps.sh" >"$out/deps.log" 2>&1 ||
		_stack_fail "tests/vm/deps.sh (see $out/deps.log)" || return
	interop_deps >>"$out/deps.log" 2>&1 ||
		_stack_fail "installing the clients (see $out/deps.log)" || return
	pkg-config --exists freerdp-server3 ||
		_stack_fail "freerdp3-dev is not installed" || return
	# A build directory of its own: a "make clean" of build/user elsewhere
	# does not pull the bridge away.
	make -s -C "$repo/userspace" BUILD="$ub" "$ub/rdpprn-bridge" \
		>"$out/build.log" 2>&1 ||
		_stack_fail "building rdpprn-bridge (see $out/build.log)" || return
	"$repo/tests/vm/agent-payload/build.sh" "$kernel" "$out/payload" \
		>>"$out/build.log" 2>&1 ||
		_stack_fail "building the guest payload (see $out/build.log)" || return

	interop_tmp || _stack_fail "no scratch directory" || return
	t=$INTEROP_TMP
	interop_cupsd_start >"$out/cupsd.log" 2>&1 ||
		_stack_fail "the private cupsd (see $out/cupsd.log)" || return
	interop_xvfb_start 2>>"$out/cupsd.log" || _stack_fail "Xvfb" || return
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
		-subj /CN=rdpprn-bridge -keyout "$t/key.pem" \
		-out "$t/cert.pem" >/dev/null 2>&1 ||
		_stack_fail "openssl" || return

	VM_RELAYS=1 vm_start "$kernel" "$out/payload" "$out/vm.log" \
		--add-bin /bin/udevadm ||
		_stack_fail "the VM did not come up (log $out/vm.log)" || return

	"$ub/rdpprn-bridge" --port 0 --cert "$t/cert.pem" --key "$t/key.pem" \
		--rdpprnd "${VM_RELAY[0]}" --uid "$uid" --gid "$uid" \
		</dev/null >"$out/bridge.out" 2>"$out/bridge.log" &
	STACK_BRIDGE_PID=$!
	interop_wait 100 grep -q 'listening on 127\.0\.0\.1:[0-9]' \
		"$out/bridge.log" ||
		_stack_fail "rdpprn-bridge did not start (see $out/bridge.log)" ||
		return
	# shellcheck disable=SC2034
	STACK_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
		"$out/bridge.log" | head -n1)
}

stack_bridge_stop() {
	interop_kill "$STACK_BRIDGE_PID"
	STACK_BRIDGE_PID=
}

stack_down() {
	stack_bridge_stop
	interop_cleanup
	vm_kill
}
