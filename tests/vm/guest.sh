# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Host side of the host-driven test VM: source it, then
#
#   vm_start KERNEL PAYLOADDIR LOG [run-vm.sh args...]
#       start tests/vm/run-vm.sh in the background with a virtio-serial
#       port "agent" and $VM_RELAYS (default 1) ports relay0, relay1, ...
#       whose host sockets are in a private directory $VM_DIR; return once
#       the agent ran a command (or 1 when the VM died or did not answer
#       within $VM_BOOT_TIMEOUT s, default 300). run-vm.sh's --timeout
#       is $VM_TIMEOUT (default 1800). The payload is normally
#       tests/vm/agent-payload (build.sh builds it).
#       Sets VM_DIR, VM_PID, VM_AGENT (agent socket) and VM_RELAY (array
#       of the relay sockets: connect rdpprn-sim --connect to them).
#   guest [guest-exec options] [--] CMD...
#       run CMD in the guest (tests/vm/guest-exec on $VM_AGENT); its
#       output and exit status are guest's
#   guest_put LOCAL REMOTE
#       copy a file into the guest
#   vm_stop [STATUS]
#       tell the payload to finish with STATUS (default 0): it stops its
#       daemons, unloads the module and exits, /init prints the
#       RDPPRN-VM-RESULT marker, run-vm.sh judges the log. Waits for
#       run-vm.sh and returns its exit status (0 only if STATUS was 0,
#       the teardown passed and check-log.sh found no kernel splat).
#   vm_kill
#       stop the VM at once (SIGTERM to run-vm.sh), e.g. from an EXIT trap
#
# run-vm.sh's own messages go to $VM_DIR/run-vm.out; vm_stop prints them.
# One VM at a time per shell.

_vm_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_GUEST_EXEC=$_vm_here/guest-exec
VM_DIR=
VM_PID=
VM_AGENT=
VM_RELAY=()

vm_start() {
	local kernel=$1 payload=$2 log=$3 i deadline
	local -a ports
	shift 3
	VM_DIR=$(mktemp -d "${TMPDIR:-/tmp}/rdpprn-guest.XXXXXX")
	VM_AGENT=$VM_DIR/agent.sock
	ports=(--port "agent:$VM_AGENT")
	VM_RELAY=()
	for ((i = 0; i < ${VM_RELAYS:-1}; i++)); do
		VM_RELAY+=("$VM_DIR/relay$i.sock")
		ports+=(--port "relay$i:$VM_DIR/relay$i.sock")
	done
	# Not the previous run's log when we look for the agent below
	mkdir -p "$(dirname "$log")"
	: >"$log"
	"$_vm_here/run-vm.sh" --kernel "$kernel" --payload "$payload" --log "$log" \
		--timeout "${VM_TIMEOUT:-1800}" "${ports[@]}" "$@" \
		>"$VM_DIR/run-vm.out" 2>&1 </dev/null &
	VM_PID=$!
	deadline=$((SECONDS + ${VM_BOOT_TIMEOUT:-300}))
	# The agent says when its port is open; trying earlier would leave
	# commands queued in QEMU's socket for when it comes up.
	while ! grep -q 'agent agent: ready' "$log" 2>/dev/null; do
		if ! kill -0 "$VM_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
			echo "vm_start: $kernel: the agent did not come up (log $log)" >&2
			cat "$VM_DIR/run-vm.out" >&2
			tail -n 20 "$log" >&2
			vm_kill
			return 1
		fi
		sleep 1
	done
	if ! guest --wait 60 --timeout 30 -- true; then
		echo "vm_start: $kernel: the agent does not answer (log $log)" >&2
		vm_kill
		return 1
	fi
}

guest() {
	"$VM_GUEST_EXEC" "$VM_AGENT" "$@"
}

guest_put() {
	"$VM_GUEST_EXEC" "$VM_AGENT" --put "$1" "$2"
}

vm_stop() {
	local rc=0
	[ -n "$VM_PID" ] || return 0
	if ! guest --timeout 30 -- "echo ${1:-0} >/run/rdpprn-finish"; then
		echo "vm_stop: the agent did not take the finish command: stopping the VM" >&2
		vm_kill
		return 3
	fi
	wait "$VM_PID" || rc=$?
	cat "$VM_DIR/run-vm.out" >&2
	VM_PID=
	rm -rf "$VM_DIR"
	return "$rc"
}

vm_kill() {
	if [ -n "$VM_PID" ]; then
		kill -TERM "$VM_PID" 2>/dev/null || true
		wait "$VM_PID" 2>/dev/null || true
		[ ! -s "$VM_DIR/run-vm.out" ] || cat "$VM_DIR/run-vm.out" >&2
	fi
	VM_PID=
	[ -z "$VM_DIR" ] || rm -rf "$VM_DIR"
}
