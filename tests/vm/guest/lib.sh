# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Shell helpers for test payloads running inside the rdpprn test VM
# (busybox sh). The initramfs has this file at /rdpprn/lib.sh; a payload's
# run script starts with:
#
#   . /rdpprn/lib.sh
#
# Functions:
#   section NAME          print a header that stands out in the serial log
#   fail MSG              print "RDPPRN-FAIL: MSG" and exit 1 (call it from
#                         the run script itself, not from a subshell, or
#                         the exit only leaves the subshell)
#   load_module PATH [PARAM=VALUE...]
#                         insmod PATH and check it shows up in /proc/modules;
#                         fail()s otherwise
#   unload_module NAME    rmmod NAME and check it is gone; fail()s otherwise
#   have_kmemleak         true on kernels with /sys/kernel/debug/kmemleak
#   kmemleak_check        scan for leaks now; prints any report into the log
#                         and returns 1 if there are leaks (0 without
#                         kmemleak). Takes two scans, >= 5 s (about 16 s
#                         on the debug kernel with 1 GiB under TCG).
#   have_kunit            true if KUnit is available (module or built in)
#   load_kunit            load kunit.ko if KUnit is modular (debug kernel)
#   vm_ports_up           make the virtio-serial ports of run-vm.sh --port
#                         usable: load the virtio modules it put into the
#                         initramfs (kernels that have them as modules) and
#                         wait until every port named in $rdpprn_vm_ports
#                         has its /dev/vportNpM; fail()s otherwise
#   vm_port_dev NAME      print /dev/vportNpM of the port NAME
#
# Everything printed goes to the serial console, which the host logs and
# tests/vm/check-log.sh scans for kernel splats after the run.

RDPPRN_KMEMLEAK=/sys/kernel/debug/kmemleak

section() {
	echo ""
	echo "===== RDPPRN-SECTION: $* ====="
}

fail() {
	echo "RDPPRN-FAIL: $*"
	exit 1
}

load_module() {
	_lm_path=$1
	shift
	[ -f "$_lm_path" ] || fail "load_module: $_lm_path does not exist"
	# Module name as the kernel sees it: basename, ".ko" dropped, '-' -> '_'.
	_lm_name=$(basename "$_lm_path" .ko | tr - _)
	insmod "$_lm_path" "$@" || fail "insmod $_lm_path $* failed"
	grep -q "^$_lm_name " /proc/modules || fail "$_lm_name not in /proc/modules after insmod"
	echo "load_module: $_lm_name loaded"
}

unload_module() {
	_um_name=$(echo "$1" | tr - _)
	rmmod "$_um_name" || fail "rmmod $_um_name failed"
	if grep -q "^$_um_name " /proc/modules; then
		fail "$_um_name still in /proc/modules after rmmod"
	fi
	echo "unload_module: $_um_name unloaded"
}

have_kmemleak() {
	[ -e "$RDPPRN_KMEMLEAK" ]
}

# kmemleak reports an object only when it was unreferenced in a scan and
# its contents did not change since the previous scan (so two scans are
# needed), and only once it is older than 5 s. The second scan therefore
# starts at least KMEMLEAK_WAIT (default 5.1) s after the first one began;
# under TCG a scan itself takes 5-15 s (it grows with guest RAM), so the
# extra sleep is often zero.
kmemleak_check() {
	if ! have_kmemleak; then
		echo "kmemleak: not available on this kernel, skipped"
		return 0
	fi
	read -r _kl_t0 _ </proc/uptime
	echo scan >"$RDPPRN_KMEMLEAK"
	read -r _kl_t1 _ </proc/uptime
	_kl_wait=$(awk -v a="$_kl_t0" -v b="$_kl_t1" -v w="${KMEMLEAK_WAIT:-5.1}" \
		'BEGIN { d = w - (b - a); if (d < 0) d = 0; printf "%.2f\n", d }')
	sleep "$_kl_wait"
	echo scan >"$RDPPRN_KMEMLEAK"
	_kl_report=$(cat "$RDPPRN_KMEMLEAK")
	read -r _kl_t2 _ </proc/uptime
	if [ -n "$_kl_report" ]; then
		echo "kmemleak: leaks found:"
		echo "$_kl_report"
		# Reported objects are not reported again: later checks in the
		# same boot only show new leaks.
		echo clear >"$RDPPRN_KMEMLEAK"
		rm -f /run/rdpprn-kmemleak-clean
		return 1
	fi
	echo "kmemleak: no leaks (checked ${_kl_t0}s-${_kl_t2}s)"
	# Lets /init skip its final check when this was the payload's last act.
	echo "$_kl_t2" >/run/rdpprn-kmemleak-clean
	return 0
}

have_kunit() {
	[ -d /sys/module/kunit ] || modinfo kunit >/dev/null 2>&1
}

load_kunit() {
	[ -d /sys/module/kunit ] && return 0
	modprobe kunit || fail "modprobe kunit failed"
}

vm_port_dev() {
	for _vpd in /sys/class/virtio-ports/*; do
		[ -r "$_vpd/name" ] || continue
		if [ "$(cat "$_vpd/name")" = "$1" ] && [ -c "/dev/${_vpd##*/}" ]; then
			echo "/dev/${_vpd##*/}"
			return 0
		fi
	done
	return 1
}

vm_ports_up() {
	[ -n "${rdpprn_vm_ports:-}" ] || return 0
	if [ -f /rdpprn/virtio-modules ]; then
		while read -r _vpu_ko; do
			_vpu_name=$(basename "$_vpu_ko" .ko | tr - _)
			grep -q "^$_vpu_name " /proc/modules && continue
			insmod "$_vpu_ko" || fail "insmod $_vpu_ko failed"
		done </rdpprn/virtio-modules
	fi
	# The names come from the host in control messages after the ports
	# appeared.
	_vpu_i=0
	while :; do
		_vpu_missing=
		for _vpu_name in $(echo "$rdpprn_vm_ports" | tr , ' '); do
			vm_port_dev "$_vpu_name" >/dev/null || _vpu_missing="$_vpu_missing $_vpu_name"
		done
		[ -z "$_vpu_missing" ] && break
		[ $_vpu_i -lt 100 ] || fail "virtio-serial ports missing after 10 s:$_vpu_missing"
		sleep 0.1
		_vpu_i=$((_vpu_i + 1))
	done
	for _vpu_name in $(echo "$rdpprn_vm_ports" | tr , ' '); do
		echo "vm_ports_up: $_vpu_name is $(vm_port_dev "$_vpu_name")"
	done
}
