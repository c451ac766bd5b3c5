#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/xrdp/guest-setup.sh - make the Debian guest an xrdp host with
# rdpprn, as an administrator would: run as root in the guest by
# tests/xrdp/run (through the agent) from the payload in /payload.
#
#   - the network card up at QEMU user-net's 10.0.2.15 (the clients come
#     in through a hostfwd to port 3389);
#   - rdpprn.ko loaded, the udev rules installed, rdpprnd listening on
#     /run/rdpprn/rdpprnd.sock with user sessions allowed (chansrv runs as
#     the session's user);
#   - the patched xrdp (tests/xrdp/build.sh's install tree) unpacked into
#     /, configured for Xvnc sessions with RdpprnSocket set, and started;
#   - the test users, who log in with passwords through PAM;
#   - Debian's cupsd with rdpprn's backend and queue agent (default
#     configuration: raw queues named <printer>@<client>).
#
# Usage: guest-setup.sh USER:PASSWORD...
# Prints "SETUP OK" last when everything is up; on a failure, what failed.
set -eu

# shellcheck source=../vm/debian/setup-lib.sh
. /payload/setup-lib.sh

# --- network ----------------------------------------------------------------
# The card may still be probed, or being renamed by udev (eth0 -> ens2):
# wait for udev, and configure it under its last name.
modprobe virtio_net 2>/dev/null || true
dev=
i=0
while [ -z "$dev" ]; do
	udevadm settle --timeout=10 || true
	for d in /sys/class/net/*; do
		d=${d##*/}
		[ "$d" = lo ] || { dev=$d; break; }
	done
	[ $i -lt 30 ] || fail "no network card: $(ls /sys/class/net)"
	[ -n "$dev" ] || sleep 1
	i=$((i + 1))
done
ip link set lo up
ip link set "$dev" up
ip addr add 10.0.2.15/24 dev "$dev" 2>/dev/null || true

# --- rdpprn -----------------------------------------------------------------
install -d -m 0755 /etc/rdpprn
cat >/etc/rdpprn/rdpprnd.conf <<'EOF'
# chansrv runs as the session's user: let users hand over their own
# sessions (never another uid's), a few at a time
user_sessions = yes
max_user_sessions = 4
EOF
rdpprn_up /etc/rdpprn/rdpprnd.conf
users_add "$@"

# --- xrdp -------------------------------------------------------------------
tar -C / -xzf "$P/xrdp-root.tar.gz" || fail "unpacking xrdp"
ldconfig
install -m 0644 "$P/cert.pem" /etc/xrdp/cert.pem
install -m 0600 "$P/key.pem" /etc/xrdp/key.pem
[ -s /etc/xrdp/rsakeys.ini ] || xrdp-keygen xrdp /etc/xrdp/rsakeys.ini >/dev/null ||
	fail "xrdp-keygen"
install -m 0644 "$P/xrdp.ini" /etc/xrdp/xrdp.ini
# The session's "desktop": something that lives until the session ends.
install -m 0755 "$P/startwm.sh" /etc/xrdp/startwm.sh
# sesman.ini as installed, with rdpprn's socket named in [Chansrv]
sed -i -e '/^RdpprnSocket=/d' \
	-e 's|^\[Chansrv\]$|[Chansrv]\nRdpprnSocket=/run/rdpprn/rdpprnd.sock|' \
	/etc/xrdp/sesman.ini
grep -q '^RdpprnSocket=/run/rdpprn/rdpprnd.sock$' /etc/xrdp/sesman.ini ||
	fail "sesman.ini has no [Chansrv] section"
modprobe fuse 2>/dev/null || true
xrdp-sesman || fail "xrdp-sesman did not start"
xrdp || fail "xrdp did not start"
i=0
until grep -q ':0D3D ' /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
	[ $i -lt 300 ] || fail "xrdp does not listen on 3389: $(tail -n 20 /var/log/xrdp.log)"
	sleep 0.1
	i=$((i + 1))
done

# --- CUPS -------------------------------------------------------------------
cups_up
queued_up
echo "SETUP OK"
