#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mmdebstrap customize hook of the Debian guest (build.sh): turns the
# bootstrapped tree into a test VM that boots from /dev/vda, runs the
# payload that tests/vm/run-vm.sh shares with it over 9p, prints the
# result marker on the serial console and powers off.
#
# Usage: customize.sh ROOTFS [PACKAGE...]
#   PACKAGE  downloaded (with its dependencies that the tree lacks) into
#            ROOTFS/var/cache/rdpprn-guest/debs, not installed
#        customize.sh --initramfs ROOTFS
#            (essential hook, before the kernels are installed) small
#            initrds: only what mounting the virtio disk needs
set -euo pipefail

if [ "$1" = --initramfs ]; then
	# MODULES=most puts every storage and file system driver in each
	# initrd (40 MB, 30 s of unpacking and probing under TCG, for each
	# of the initrds that dpkg triggers regenerate while the image is
	# built); the VM's disk is virtio and ext4, always.
	install -d "$2/etc/initramfs-tools/conf.d" \
		"$2/usr/share/initramfs-tools/modules.d"
	echo MODULES=list >"$2/etc/initramfs-tools/conf.d/rdpprn-vm"
	printf '%s\n' virtio_pci virtio_blk ext4 \
		>"$2/usr/share/initramfs-tools/modules.d/rdpprn-vm"
	exit 0
fi

rootfs=$1
shift

echo rdpprn-guest >"$rootfs/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\trdpprn-guest\n' >"$rootfs/etc/hosts"
# The VM's root is the whole virtio disk; run-vm.sh boots it with
# root=/dev/vda rw, the fsck of a fresh image is pointless.
printf '/dev/vda\t/\text4\trw,errors=remount-ro\t0\t0\n' >"$rootfs/etc/fstab"

# What a suite installs later must not need the network.
if [ $# -gt 0 ]; then
	debs=/var/cache/rdpprn-guest/debs
	mkdir -p "$rootfs$debs/partial"
	chroot "$rootfs" apt-get install -y -q --download-only \
		--no-install-recommends -o Dir::Cache::Archives="$debs" "$@"
	rm -rf "$rootfs$debs/partial" "$rootfs$debs/lock"
fi

# The payload runner: mounts the host's payload directory, runs its boot
# script with the rdpprn_* parameters of the kernel command line in its
# environment, prints the marker run-vm.sh judges, and powers off.
install -d "$rootfs/usr/local/sbin" "$rootfs/payload"
cat >"$rootfs/usr/local/sbin/rdpprn-vm-start" <<'START'
#!/bin/sh
for w in $(cat /proc/cmdline); do
	case $w in
	rdpprn_*=*) export "$w" ;;
	esac
done
read -r uptime _ </proc/uptime
echo "RDPPRN-VM-BOOTED: kernel $(uname -r), $(nproc) CPUs, at ${uptime}s"
rc=0
modprobe -q 9pnet_virtio || true
if mount -t 9p -o trans=virtio,version=9p2000.L,ro payload /payload &&
	[ -f /payload/boot ]; then
	cd /payload && sh /payload/boot || rc=$?
	cd /
else
	echo "RDPPRN-FAIL: no payload (9p tag \"payload\" with a boot script)"
	rc=1
fi
read -r uptime _ </proc/uptime
echo "RDPPRN-VM: payload finished at ${uptime}s"
echo "RDPPRN-VM-RESULT: $rc"
umount /payload 2>/dev/null
systemctl --no-block poweroff
START
chmod 0755 "$rootfs/usr/local/sbin/rdpprn-vm-start"

cat >"$rootfs/etc/systemd/system/rdpprn-vm.service" <<'UNIT'
[Unit]
Description=rdpprn test VM: the payload
After=multi-user.target

[Service]
Type=simple
ExecStart=/usr/local/sbin/rdpprn-vm-start
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
TTYReset=no
TTYVHangup=no

[Install]
WantedBy=multi-user.target
UNIT
chroot "$rootfs" systemctl enable rdpprn-vm.service

# Quiet and quick: no login prompt in the serial log, no periodic jobs.
for u in serial-getty@ttyS0.service getty@tty1.service \
	apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
	e2scrub_reap.service fstrim.timer dpkg-db-backup.timer \
	systemd-timesyncd.service; do
	chroot "$rootfs" systemctl mask "$u"
done
