# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# tests/vm/debian/setup-lib.sh - what the suites' guest-setup scripts do
# alike in the Debian guest, as root, from the payload in /payload
# (tests/vm/debian/payload.sh puts this file there). Source it.
#
#   fail WHY             print "SETUP FAILED: WHY", exit 1
#   rdpprn_up [CONFIG]   rdpprn.ko ($P/rdpprn.ko) loaded, the udev rules
#                        installed, rdpprnd listening on
#                        /run/rdpprn/rdpprnd.sock (with CONFIG as its
#                        policy), its log in /var/log/rdpprnd.log
#   users_add USER...    users with homes (USER:PASSWORD also sets the
#                        password, for PAM logins)
#   cups_up              Debian's cupsd restarted with rdpprn's backend
#                        ($P/bin/rdpprn-cups) installed, and answering
#   cupsd_wait           until cupsd answers
#   queued_up [ARGS...]  rdpprn-queued ($P/bin) started with ARGS, its log
#                        in /var/log/rdpprn-queued.log

P=/payload
export PATH="$P/bin:$PATH"

fail() {
	echo "SETUP FAILED: $*"
	exit 1
}

rdpprn_up() {
	insmod "$P/rdpprn.ko" || fail "insmod rdpprn.ko"
	install -m 0644 "$P/70-rdpprn.rules" /etc/udev/rules.d/70-rdpprn.rules
	udevadm control --reload
	install -d -m 0755 /etc/rdpprn /run/rdpprn
	setsid "$P/bin/rdpprnd" --listen /run/rdpprn/rdpprnd.sock \
		${1:+--config "$1"} --foreground --log stderr --verbose \
		</dev/null >/var/log/rdpprnd.log 2>&1 &
	i=0
	until [ -S /run/rdpprn/rdpprnd.sock ]; do
		[ $i -lt 100 ] || fail "rdpprnd did not listen: $(cat /var/log/rdpprnd.log)"
		sleep 0.1
		i=$((i + 1))
	done
}

users_add() {
	for up in "$@"; do
		u=${up%%:*}
		id "$u" >/dev/null 2>&1 || useradd -m -s /bin/sh "$u"
		[ "$u" = "$up" ] || echo "$up" | chpasswd
	done
}

cupsd_wait() {
	i=0
	until lpstat -r 2>/dev/null | grep -q 'is running'; do
		[ $i -lt 300 ] || fail "cupsd does not answer"
		sleep 0.1
		i=$((i + 1))
	done
}

cups_up() {
	install -m 0700 "$P/bin/rdpprn-cups" /usr/lib/cups/backend/rdpprn
	systemctl restart cups ||
		fail "cups.service: $(systemctl status cups 2>&1 | tail -n 5)"
	cupsd_wait
}

queued_up() {
	setsid "$P/bin/rdpprn-queued" -v "$@" </dev/null \
		>/var/log/rdpprn-queued.log 2>&1 &
	sleep 0.5
	kill -0 $! || fail "rdpprn-queued died: $(cat /var/log/rdpprn-queued.log)"
}
