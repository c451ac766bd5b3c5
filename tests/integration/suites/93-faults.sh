# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Fault injection: "rdpprn-test check-faults" fails every allocation of
# each operation once (per-task fail-nth) and wants a clean errno, nothing
# half-made and a working session after each; then kmemleak must find
# nothing. Needs CONFIG_FAULT_INJECTION and CONFIG_FAILSLAB: the debug
# kernel has them, Debian's stock kernels do not (the suite then says so
# and reports nothing). failslab leaves GFP_KERNEL allocations alone unless
# ignore-gfp-wait is N; this suite sets that, and quiets the per-failure
# stack dumps, for its own run only.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

dbg=/sys/kernel/debug
slab=$dbg/failslab

# kmemleak and failslab are only in the debug kernel's configuration
debug_kernel() {
	[ -e "$dbg/kmemleak" ] || [ -d "$slab" ]
}

if [ ! -e /proc/self/fail-nth ]; then
	if debug_kernel; then
		not_ok faults-fail-nth "the debug kernel has no /proc/self/fail-nth (CONFIG_FAULT_INJECTION)"
	else
		echo "# 93-faults: not run: this kernel has no fault injection"
	fi
	exit 0
fi
if [ ! -w "$slab/ignore-gfp-wait" ]; then
	not_ok faults-failslab "no $slab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS, debugfs)"
	exit 0
fi

old_gfp=$(cat "$slab/ignore-gfp-wait")
old_verbose=$(cat "$slab/verbose")
restore() {
	echo "$old_gfp" >"$slab/ignore-gfp-wait"
	echo "$old_verbose" >"$slab/verbose"
}
trap 'restore; it_cleanup' EXIT
echo N >"$slab/ignore-gfp-wait"
# every injected failure would print a stack trace to the serial console
echo 0 >"$slab/verbose"

t0=$(uptime_ms)
timeout 3000 rdpprn-test check-faults
rc=$?
t1=$(uptime_ms)
restore
echo "# 93-faults: check-faults took $((t1 - t0)) ms"
[ "$rc" -le 1 ] || not_ok check-faults "exited with status $rc"

left=$(find /sys/class/rdpprn -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
check_eq faults-no-devices-left "$left" 0
if have_kmemleak; then
	if kmemleak_check; then
		ok faults-kmemleak-clean
	else
		not_ok faults-kmemleak-clean "kmemleak reported leaks after the fault runs (see above)"
	fi
fi
exit 0
