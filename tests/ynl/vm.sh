#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's ynl CLI (tools/net/ynl/cli.py of linux-source-6.12) speaks
# to rdpprn.ko with Documentation/netlink/specs/rdpprn.yaml, in the
# host-driven test VM (tests/vm/guest.sh) on a stock kernel:
#
#   - rdpprn-sim on the host connects through a relay port to rdpprnd in
#     the guest and announces three printers; a shell in the guest holds
#     a job open on one of them;
#   - tests/ynl/dump-check, in the guest: cli.py's session, printer and
#     job dumps (and session-get do, the session-id filter) equal
#     rdpprnctl -j's, object by object (its nlctrl comparison of ops and
#     policies is left out until it reads cli.py's answers: see its
#     --nlctrl-spec);
#   - cli.py --subscribe monitor sees session-event, device-new and
#     device-del of a second simulated client come and go.
#
# The busybox guest has no python: the initramfs gets Debian's python3.11
# (the binary with the libraries ldd names, the standard library, the
# libraries of its extension modules) and PyYAML from this host, and the
# payload the kernel's tools/net/ynl and our spec in a kernel tree's
# layout. jsonschema is not there: cli.py runs with --no-schema, the
# schema check is tests/ynl/run's.
#
# Usage: tests/ynl/vm.sh [KERNEL]   (default stock612; see tests/vm/kernels.sh)
# Boots a VM: run it under "flock /tmp/rdpprn-vm.lock" when others may
# boot VMs on this machine (it does not lock by itself, so that it can run
# under a lock its caller holds).
#
# Output: "ok - ..." / "not ok - ..." lines and "N passed, N failed"; exit
# status 1 on any failure. Files in build/ynl-vm/KERNEL/ (vm.log, the
# simulators' output, the guest's answers).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../vm/guest.sh
. "$root/tests/vm/guest.sh"
# shellcheck source-path=SCRIPTDIR source=ksrc.sh
. "$here/ksrc.sh"

k=${1:-stock612}
out=$root/build/ynl-vm/$k
G=/payload/ynl			# the kernel tree's layout in the guest
GSPEC=$G/Documentation/netlink/specs/rdpprn.yaml
GCLI=$G/tools/net/ynl/cli.py

passed=0
failed=0
ok() {
	echo "ok - $*"
	passed=$((passed + 1))
}
not_ok() {
	echo "not ok - $*"
	failed=$((failed + 1))
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}

# wait_for FILE REGEX SECS: until a line of FILE matches
wait_for() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

rm -rf "$out"
mkdir -p "$out"

if ! ksrc=$(ynl_ksrc); then
	not_ok "the kernel's YNL tools (linux-source-6.12) are available"
	finish
fi

# The host's simulator, in a build dir of its own
hostbuild=$root/build/ynl-vm/user
mkdir -p "$hostbuild"
make -s -C "$root/userspace" -j2 BUILD="$hostbuild" "$hostbuild/rdpprn-sim" >/dev/null
SIM=$hostbuild/rdpprn-sim

if ! "$root/tests/vm/agent-payload/build.sh" "$k" "$out/payload"; then
	not_ok "$k: building the payload"
	finish
fi
y=$out/payload/ynl
mkdir -p "$y/tools/net" "$y/Documentation/netlink/specs"
cp -a "$ksrc/tools/net/ynl" "$y/tools/net/"
install -m 0644 "$ksrc/Documentation/netlink/specs/nlctrl.yaml" \
	"$root/Documentation/netlink/specs/rdpprn.yaml" \
	"$y/Documentation/netlink/specs/"
install -m 0755 "$here/dump-check" "$y/dump-check"

# Python in the initramfs: the interpreter (--add-bin brings the
# libraries it links), its standard library and PyYAML, and the libraries
# its extension modules link (libffi, libssl, libyaml ...), which
# --add-bin would refuse (it wants an executable): ldd names them here.
py=(--add-bin /usr/bin/python3.11:/usr/bin/python3
	--add /usr/lib/python3.11:/usr/lib/python3.11
	--add /usr/lib/python3/dist-packages/yaml:/usr/lib/python3/dist-packages/yaml)
while read -r lib; do
	py+=(--add "$(readlink -f "$lib"):$lib")
done < <(ldd /usr/lib/python3.11/lib-dynload/*.so /usr/lib/python3/dist-packages/yaml/*.so |
	awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u)

trap vm_kill EXIT
if ! VM_RELAYS=2 vm_start "$k" "$out/payload" "$out/vm.log" "${py[@]}"; then
	not_ok "$k: the VM boots with python3 and the agent answers"
	finish
fi
ok "$k: the VM boots with python3 and the agent answers"

if got=$(guest --timeout 60 -- "python3 -c 'import yaml, json, socket; print(\"python\", yaml.__version__)'" 2>&1); then
	ok "$k: python3 with PyYAML runs in the guest ($got)"
else
	not_ok "$k: python3 in the guest: $got"
fi

# Three printers of one session, one of them the default, XPS and network
# flags: something for every field of the dumps.
"$SIM" --connect "${VM_RELAY[0]}" --client-name YNL-1 \
	--printer 'name=Laser One,driver=PCL6 Driver,default,xps' \
	--printer 'name=Plotter,id=7,network' \
	--printer 'name=Label,id=9,dos=LPT9:' >"$out/sim1.log" 2>&1 &
sim1=$!
if wait_for "$out/sim1.log" '^READY' 120; then
	ok "$k: rdpprn-sim is READY with three printers: $(grep '^READY' "$out/sim1.log")"
else
	not_ok "$k: rdpprn-sim never READY: $(tail -n 3 "$out/sim1.log" | tr '\n' ' ')"
	kill "$sim1" 2>/dev/null || true
	finish
fi

# dump-check in the guest, from a shell that holds a job open on the
# first printer (the simulator answers its create), so that job-get has
# a job to show; the job's counters stay still as nothing is written.
rc=0
guest --timeout 300 -- "
	set -e
	i=0
	while [ \$i -lt 100 ] && [ \$(ls /dev/rdpprn[0-9]* 2>/dev/null | wc -l) != 3 ]; do
		sleep 0.1; i=\$((i + 1))
	done
	set -- /dev/rdpprn[0-9]*
	exec 3>\"\$1\"
	python3 $G/dump-check --ynl $G/tools/net/ynl --spec $GSPEC \
		--min-sessions 1 --min-printers 3 --min-jobs 1" \
	>"$out/dump-check.out" 2>&1 || rc=$?
sed 's/^/# guest: /' "$out/dump-check.out"
if [ "$rc" = 0 ] && grep -q '^[1-9][0-9]* passed, 0 failed$' "$out/dump-check.out"; then
	ok "$k: dump-check in the guest: $(tail -n 1 "$out/dump-check.out")"
else
	not_ok "$k: dump-check in the guest exited $rc: $(grep -c '^not ok' "$out/dump-check.out") checks failed"
fi

# The monitor group: cli.py subscribes and sleeps while a second
# simulated client comes and goes, then prints what it queued.
guest --timeout 60 -- "setsid python3 $GCLI --spec $GSPEC --no-schema --output-json \
	--subscribe monitor --sleep 12 >/tmp/ntf.json 2>/tmp/ntf.err </dev/null &" || true
sleep 4
"$SIM" --connect "${VM_RELAY[1]}" --client-name YNL-2 --printer 'name=Monitor Me,id=3' \
	--exit-ready >"$out/sim2.log" 2>&1 || true
# shellcheck disable=SC2016 # the guest's shell expands it
if got=$(guest --timeout 60 -- 'i=0; while [ $i -lt 200 ] && ! [ -s /tmp/ntf.json ]; do sleep 0.1; i=$((i + 1)); done; cat /tmp/ntf.json /tmp/ntf.err'); then
	echo "$got" >"$out/ntf.json"
	if "$root/tests/ynl/ntf-check.py" "$out/ntf.json" YNL-2 'Monitor Me' >"$out/ntf-check.out" 2>&1; then
		ok "$k: cli.py --subscribe monitor: $(tail -n 1 "$out/ntf-check.out")"
	else
		not_ok "$k: cli.py --subscribe monitor: $(tr '\n' ' ' <"$out/ntf-check.out")"
	fi
else
	not_ok "$k: no notifications from cli.py --subscribe monitor: $got"
fi

kill "$sim1" 2>/dev/null || true
wait "$sim1" 2>/dev/null || true

rc=0
vm_stop "$([ "$failed" = 0 ] && echo 0 || echo 1)" || rc=$?
if [ "$rc" = 0 ]; then ok "$k: the VM finished clean (run-vm.sh 0)"; else not_ok "$k: run-vm.sh exited $rc (log $out/vm.log)"; fi
trap - EXIT
finish
