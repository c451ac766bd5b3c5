#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/cups/guest-setup.sh - make the Debian guest an RDP host that
# prints through CUPS, as an administrator would: run as root in the guest
# by tests/cups/run (through the agent) from the payload in /payload.
#
#   - rdpprn.ko loaded, the udev rules installed, rdpprnd listening on
#     /run/rdpprn/rdpprnd.sock (the simulated RDP server connects as root);
#   - Debian's cupsd (the image's cups package) running under systemd,
#     with the backend installed where CUPS looks for it
#     (/usr/lib/cups/backend/rdpprn, mode 0700: CUPS then runs it as root);
#   - rdpprn-queued started with the suite's cups.conf: one driver mapping
#     (HP LaserJet* to CUPS's Generic PostScript), raw passthrough for the
#     rest;
#   - the XPS type declared to CUPS (/etc/cups/local.types);
#   - job privacy as cups.rst says: cupsd-policy.conf's <Policy rdpprn>
#     added to cupsd.conf, and Get-Jobs authenticated in its default
#     policy;
#   - the test users.
#
# Usage: guest-setup.sh USER...
# Prints "SETUP OK" last when everything is up; on a failure, what failed.
set -eu

# shellcheck source=../vm/debian/setup-lib.sh
. /payload/setup-lib.sh

rdpprn_up
users_add "$@"
cups_up
install -m 0644 "$P/cups.conf" /etc/rdpprn/cups.conf
# Debian's CUPS knows no XPS type: declare it, as cups.rst says (read
# when cupsctl restarts cupsd below)
printf 'application/oxps oxps\n' >/etc/cups/local.types
# Job privacy, as cupsd-policy.conf says (read when cupsctl restarts
# cupsd below)
sed -n '/^<Policy rdpprn>/,/^<\/Policy>/p' "$P/cupsd-policy.conf" \
	>>/etc/cups/cupsd.conf
sed -n '/^# In <Policy default>/,$p' "$P/cupsd-policy.conf" | sed '1d; s/^#//' \
	>/tmp/get-jobs.conf
awk '/^<Policy default>/ { d = 1 }
	d && /JobPrivateValues default/ { sub(/default/, "all") }
	d && /<Limit All>/ { while ((getline l <"/tmp/get-jobs.conf") > 0) print l; d = 0 }
	{ print }' /etc/cups/cupsd.conf >/tmp/cupsd.conf
cat /tmp/cupsd.conf >/etc/cups/cupsd.conf
# The backend's messages in error_log; jobs retried after 5 s rather
# than 30 (cupsd restarts itself)
cupsctl --debug-logging JobRetryInterval=5 || fail "cupsctl"
sleep 1
cupsd_wait
queued_up -c /etc/rdpprn/cups.conf
echo "SETUP OK"
