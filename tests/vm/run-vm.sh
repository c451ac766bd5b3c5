#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one of the test kernels in QEMU with a payload and judge the run.
#
# Usage:
#   run-vm.sh --kernel debug|stock61|stock612 --payload DIR --log FILE
#             [--timeout SECS] [--mem MB] [--smp N] [--append 'ARGS']
#             [--add SRC:DST]... [--add-bin PATH[:DST]]... [--no-check]
#             [--port NAME:HOSTSOCK]...
#             [--debian [--overlay FILE]] [--nic QEMU-NETDEV-OPTIONS]
#
#   --payload DIR   copied to /payload in the guest; DIR/run is run by
#                   busybox sh as PID 1's child (it may source /rdpprn/lib.sh)
#   --log FILE      the serial console (kernel log + payload output), CRs
#                   stripped; echoed too when stdout is a terminal or
#                   VERBOSE=1
#   --timeout SECS  QEMU is killed after this long (default 300)
#   --mem MB        guest memory (default 2048; 1024 for debug, whose
#                   kmemleak scans take ~13 s at 2 GiB and ~8 s at 1 GiB)
#   --smp N         guest CPUs (default 2)
#   --bios seabios|qboot
#                   firmware (default: qboot for debug without --port,
#                   seabios otherwise; see below)
#   --append ARGS   extra kernel command line
#   --add, --add-bin  extra files for the initramfs (see mkinitramfs.sh)
#   --no-check      do not run check-log.sh (the marker still decides)
#   --port NAME:HOSTSOCK
#                   a virtio-serial port NAME in the guest whose host side
#                   is a Unix socket QEMU listens on at HOSTSOCK (one
#                   connection at a time; it listens again when that one
#                   ends). The guest finds the names in $rdpprn_vm_ports
#                   (comma list) and calls vm_ports_up (lib.sh), which
#                   loads the virtio modules of kernels that have them as
#                   modules (Debian's 6.1: they are copied into the
#                   initramfs) and waits for /dev/vportNpM.
#   --debian        boot the Debian guest (tests/vm/debian/build.sh, built
#                   first if not cached) instead of the busybox initramfs:
#                   systemd and udev on an ext4 root, the kernel's own
#                   Debian initrd. DIR is shared read-only over 9p and
#                   mounted at /payload; DIR/boot is run by sh once the
#                   system is up (rdpprn-vm.service), with the kernel's
#                   rdpprn_* parameters in its environment; its exit status
#                   becomes the marker, and the guest powers off. --add
#                   does not apply. Writes to the root go to a throw-away
#                   snapshot, unless
#   --overlay FILE  keeps them in the qcow2 FILE (created over the image
#                   when missing): a later boot with the same FILE, on
#                   either kernel, sees them (an install, then a reboot)
#   --nic OPTS      a network card: QEMU "-nic OPTS", e.g.
#                   user,hostfwd=tcp:127.0.0.1:PORT-:3389 (Debian guest)
#
# In the background (run-vm.sh ... &, e.g. tests/vm/guest.sh): stop it
# with SIGTERM, which stops QEMU too; SIGINT is ignored by background jobs
# of a non-interactive shell.
#
# The debug kernel also gets its own modules (kunit.ko) at
# /lib/modules/<release> so that "modprobe kunit" works in the guest.
#
# Exit status: 0 only if the guest printed "RDPPRN-VM-RESULT: 0" and
# check-log.sh finds no kernel splat in the log; 1 on test failure or splat;
# 2 on usage errors; 3 on timeout or a VM that died without a marker.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=kernels.sh
. "$here/kernels.sh"

usage() {
	sed -n '/^# Usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

kernel=
payload=
log=
timeout=300
mem=
smp=2
bios=
append=
check=1
extra=()
ports=()
debian=0
overlay=
nic=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--payload) payload=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--bios) bios=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--add | --add-bin) extra+=("$1" "$2"); shift 2 ;;
	--no-check) check=0; shift ;;
	--debian) debian=1; shift ;;
	--overlay) overlay=$2; shift 2 ;;
	--nic) nic=$2; shift 2 ;;
	--port)
		case $2 in
		?*:?*) ports+=("$2") ;;
		*) echo "run-vm.sh: --port wants NAME:HOSTSOCK, got $2" >&2; exit 2 ;;
		esac
		shift 2
		;;
	-h | --help) usage ;;
	*) echo "run-vm.sh: unknown argument $1" >&2; usage ;;
	esac
done
if [ -z "$kernel" ] || [ -z "$payload" ] || [ -z "$log" ]; then usage; fi
if [ "$debian" = 1 ] && [ ${#extra[@]} -gt 0 ]; then
	echo "run-vm.sh: --add/--add-bin do not apply to --debian (use the payload)" >&2
	exit 2
fi
if [ "$debian" = 0 ] && [ -n "$overlay" ]; then
	echo "run-vm.sh: --overlay needs --debian" >&2
	exit 2
fi

if [ -z "$mem" ]; then
	if [ "$kernel" = debug ]; then mem=1024; else mem=2048; fi
fi
# The debug kernel has no ACPI (it would add 10+ s to every boot) and finds
# its CPUs in the MP table. SeaBIOS's MP table lists only the boot CPU
# under TCG; qboot's lists every -smp CPU (and qboot only boots -kernel,
# which is all we do). The stock kernels use ACPI and the default SeaBIOS.
# qboot neither routes PCI interrupts nor lists them in its MP table, so
# the debug kernel cannot drive the virtio-serial device there (INTx, no
# MSI): with --port it boots with SeaBIOS, whose MP table lists one CPU
# per package: -smp N,sockets=N makes every CPU a package of its own.
if [ -z "$bios" ]; then
	if [ "$kernel" = debug ] && [ ${#ports[@]} = 0 ]; then bios=qboot; else bios=seabios; fi
fi
smp_arg=$smp
if [ "$kernel" = debug ] && [ "$bios" = seabios ]; then smp_arg="$smp,sockets=$smp"; fi
case $bios in
seabios) bios_args=() ;;
qboot) bios_args=(-bios /usr/share/qemu/qboot.rom) ;;
*) echo "run-vm.sh: --bios seabios|qboot" >&2; exit 2 ;;
esac

release=$(rdpprn_kernel_release "$kernel")
if [ "$debian" = 1 ]; then
	[ "$kernel" != debug ] || { echo "run-vm.sh: the Debian guest has the stock kernels only" >&2; exit 2; }
	debdir=$("$here/debian/build.sh")
	image=$debdir/vmlinuz-$release
	initrd=$debdir/initrd.img-$release
else
	image=$(rdpprn_kernel_image "$kernel")
	modroot=$(rdpprn_kernel_modroot "$kernel")
	if [ -n "$modroot" ] && [ -d "$modroot/lib/modules/$release" ]; then
		extra+=(--add "$modroot/lib/modules/$release:/lib/modules/$release")
	fi
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdpprn-vm.XXXXXX")
# If we are interrupted or killed (Ctrl-C, a CI job timeout), QEMU must not
# outlive us: it runs from a pipeline, so it is found through its pidfile.
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	if [ -s "$tmp/qemu.pid" ]; then
		kill "$(cat "$tmp/qemu.pid")" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
interrupted=
trap 'interrupted=130' INT
trap 'interrupted=143' TERM

# The modules a port needs where the kernel has them as modules, in load
# order (each one's dependencies first, as modprobe loads them), from
# modules.dep. Written to /rdpprn/virtio-modules for vm_ports_up.
virtio_modules() {
	local dir=/lib/modules/$release want dep line deps i f
	local -a order=()
	[ -r "$dir/modules.dep" ] || return 0
	for want in virtio_pci virtio_console; do
		line=$(grep -E "(^|/)$want\.ko(\.[a-z]+)?:" "$dir/modules.dep" || true)
		[ -n "$line" ] || continue	# built in
		read -r -a deps <<<"${line#*:}"
		for ((i = ${#deps[@]} - 1; i >= 0; i--)); do order+=("${deps[i]}"); done
		order+=("${line%%:*}")
	done
	mkdir -p "$tmp/virtio"
	for dep in "${order[@]}"; do
		f=$(basename "$dep")
		f=${f%%.ko*}.ko
		[ ! -e "$tmp/virtio/$f" ] || continue
		case $dep in
		*.ko) cp "$dir/$dep" "$tmp/virtio/$f" ;;
		*.ko.xz) xz -dc "$dir/$dep" >"$tmp/virtio/$f" ;;
		*.ko.zst) zstd -qdc "$dir/$dep" >"$tmp/virtio/$f" ;;
		*) echo "run-vm.sh: cannot unpack $dep" >&2; exit 1 ;;
		esac
		echo "/lib/modules/$release/virtio/$f" >>"$tmp/virtio-modules"
	done
	if [ -s "$tmp/virtio-modules" ]; then
		extra+=(--add "$tmp/virtio:/lib/modules/$release/virtio"
			--add "$tmp/virtio-modules:/rdpprn/virtio-modules")
	fi
}

port_args=()
port_names=
if [ ${#ports[@]} -gt 0 ]; then
	# The Debian guest's udev loads them.
	[ "$debian" = 1 ] || virtio_modules
	port_args=(-device virtio-serial-pci)
	for ((i = 0; i < ${#ports[@]}; i++)); do
		name=${ports[i]%%:*}
		sock=${ports[i]#*:}
		port_args+=(-chardev "socket,id=port$i,path=$sock,server=on,wait=off"
			-device "virtserialport,chardev=port$i,name=$name")
		port_names=${port_names:+$port_names,}$name
	done
fi

# The Debian guest: its root disk and the payload directory; the busybox
# one: the payload inside our own initramfs.
boot_args=()
if [ "$debian" = 1 ]; then
	if [ -n "$overlay" ]; then
		[ -e "$overlay" ] || qemu-img create -q -f qcow2 -F raw \
			-b "$debdir/rootfs.img" "$overlay"
		disk="file=$overlay,format=qcow2"
	else
		disk="file=$debdir/rootfs.img,format=raw,snapshot=on"
	fi
	boot_args=(-initrd "$initrd" -drive "$disk,if=virtio,cache=unsafe"
		-virtfs "local,path=$(realpath "$payload"),mount_tag=payload,security_model=none,readonly=on")
	# No ANSI colours from systemd in the serial log.
	rootargs="root=/dev/vda rw systemd.log_color=0 SYSTEMD_COLORS=0"
else
	"$here/mkinitramfs.sh" -o "$tmp/initramfs.cpio.gz" --payload "$payload" "${extra[@]}"
	boot_args=(-initrd "$tmp/initramfs.cpio.gz")
	rootargs="rdinit=/init"
fi
[ -z "$nic" ] || boot_args+=(-nic "$nic")

# console=ttyS0: everything goes to the logged serial port.
# panic=-1 + oops=panic: an oops leaves the guest in a state where the
#   payload usually hangs until the timeout; panicking reboots at once,
#   which ends QEMU (-no-reboot), and the oops is already in the log.
#   WARN()s do not panic: the run goes on and check-log.sh flags them.
# loglevel=7: every message up to KERN_INFO reaches the console.
# rdpprn_vm_cpus: /init checks that the guest really got the -smp CPUs.
cmdline="console=ttyS0 panic=-1 oops=panic loglevel=7 $rootargs rdpprn_vm_cpus=$smp"
[ -z "$port_names" ] || cmdline="$cmdline rdpprn_vm_ports=$port_names"
[ -z "$append" ] || cmdline="$cmdline $append"

# -display none -serial stdio instead of -nographic: same serial-on-stdout,
# but no monitor multiplexed on it (stdin is /dev/null anyway) and no
# surprise terminal modes. -nodefaults drops the NIC/VGA the tests do not
# use, which also saves boot time under TCG.
qemu=(qemu-system-x86_64 -accel tcg -m "$mem" -smp "$smp_arg" "${bios_args[@]}"
	-nodefaults -display none -serial stdio -no-reboot -pidfile "$tmp/qemu.pid"
	-kernel "$image" -append "$cmdline" "${boot_args[@]}" "${port_args[@]}")

mkdir -p "$(dirname "$log")"
: >"$log"
echo "run-vm.sh: booting $kernel ($release), log $log" >&2
if [ -n "${VERBOSE:-}" ]; then
	echo=$VERBOSE
elif [ -t 1 ]; then
	echo=1
else
	echo=0
fi

t0=$(date +%s.%N)
# sed -u: the guest's CRLF line ends become LF, unbuffered so the echo is
# live. timeout kills QEMU (then SIGKILL 10 s later if it hangs on exit).
# The pipeline runs in the background because bash runs traps only once a
# foreground command finishes, but interrupts "wait"; QEMU's own exit status
# comes back through a file.
{
	rc=0
	timeout -k 10 "$timeout" "${qemu[@]}" </dev/null 2>&1 || rc=$?
	echo "$rc" 2>/dev/null >"$tmp/qemu.rc"
} | sed -u 's/\r$//' | if [ "$echo" = 1 ]; then tee -a "$log"; else cat >>"$log"; fi &
wait $! || true
if [ -n "$interrupted" ]; then
	echo "run-vm.sh: $kernel: interrupted, QEMU stopped" >&2
	exit "$interrupted"
fi
qrc=$(cat "$tmp/qemu.rc" 2>/dev/null || echo 255)
# QEMU is gone: do not let the EXIT trap kill a recycled pid.
rm -f "$tmp/qemu.pid"
t1=$(date +%s.%N)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "RDPPRN-VM: timeout: QEMU killed after ${timeout}s" >>"$log"
	echo "run-vm.sh: $kernel: TIMEOUT after ${timeout}s (log $log)" >&2
	tail -n 30 "$log" >&2
	exit 3
fi

marker=$(sed -n 's/^.*RDPPRN-VM-RESULT: \([0-9][0-9]*\).*$/\1/p' "$log" | tail -n1)
booted=$(sed -n 's/^RDPPRN-VM-BOOTED: .* at \([0-9.]*\)s$/\1/p' "$log" | tail -n1)
cpus=$(sed -n 's/^RDPPRN-VM-BOOTED: .*, \([0-9]*\) CPUs, .*$/\1/p' "$log" | tail -n1)
finished=$(sed -n 's/^RDPPRN-VM: payload finished at \([0-9.]*\)s$/\1/p' "$log" | tail -n1)
echo "run-vm.sh: $kernel: QEMU exited ($qrc) after ${wall}s wall; guest (${cpus:-?} CPUs) reached init at ${booted:-?}s, marker at ${finished:-?}s uptime" >&2

if [ -z "$marker" ]; then
	echo "run-vm.sh: $kernel: no RDPPRN-VM-RESULT marker: the guest crashed or panicked (log $log)" >&2
	[ "$check" = 0 ] || "$here/check-log.sh" "$log" >&2 || true
	tail -n 30 "$log" >&2
	exit 3
fi

rc=0
if [ "$check" = 1 ] && ! "$here/check-log.sh" "$log" >&2; then
	echo "run-vm.sh: $kernel: check-log.sh found problems in $log" >&2
	rc=1
fi
if [ "$marker" != 0 ]; then
	echo "run-vm.sh: $kernel: payload failed with status $marker (log $log)" >&2
	grep -a 'RDPPRN-FAIL' "$log" >&2 || true
	rc=1
fi
[ "$rc" != 0 ] || echo "run-vm.sh: $kernel: OK" >&2
exit "$rc"
