#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CUPS backend end to end, without a kernel or cupsd: its test build
# (RDPPRN_CUPS_TEST, which alone reads RDPPRN_CUPS_SYSFS and
# RDPPRN_CUPS_DEV) against a fake /sys/class/rdpprn and a fake /dev in
# which regular files, a FIFO, /dev/full and /dev/zero stand in for the
# nodes. Each case checks the exit code CUPS acts on and the STATE:/ERROR:
# lines (Documentation/cups.rst). The binary is an ASan/UBSan build.
#
# Usage: rdpprn-cups-e2e.sh BACKEND WORKDIR [PRODUCTION_BACKEND]
#
# With PRODUCTION_BACKEND (a build without RDPPRN_CUPS_TEST) it also checks
# that the production build ignores the variables and reads the real
# /sys/class/rdpprn, where no printer of the fake tree's names exists.
#
# One line per check, "ok - NAME" or "not ok - NAME: WHY", and at the end
# "N passed, N failed"; exit status 1 if anything failed.
set -uo pipefail

backend=$(realpath "$1")
work=$(realpath -m "$2")
prod=${3:+$(realpath "$3")}
# shellcheck source-path=SCRIPTDIR source=../lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"

rm -rf "$work"
mkdir -p "$work/sys" "$work/dev"
cd "$work" || exit 1
export RDPPRN_CUPS_SYSFS=$work/sys RDPPRN_CUPS_DEV=$work/dev
me=$(id -un)
uid=$(id -u)
gid=$(id -g)

# fake DEV MAJOR MINOR SESSION DEVICEID CLIENT NAME
fake() {
	local d=$work/sys/$1

	mkdir -p "$d"
	printf 'MAJOR=%s\nMINOR=%s\nDEVNAME=%s\nRDPPRN_SESSION=%s\nRDPPRN_UID=%s\nRDPPRN_GID=%s\nRDPPRN_DEFAULT=0\nRDPPRN_DEVICE_ID=%s\n' \
		"$2" "$3" "$1" "$4" "$uid" "$gid" "$5" >"$d/uevent"
	printf '%s\n' "$6" >"$d/client_name"
	printf '%s\n' "$7" >"$d/printer_name"
	printf 'Generic PostScript\n' >"$d/driver_name"
}

# run NAME URI JOBUSER [ARGS...]: the backend as CUPS starts it; exit
# code in NAME.rc, stderr in NAME.err
run() {
	local name=$1 uri=$2 user=$3

	shift 3
	DEVICE_URI=$uri "$backend" 42 "$user" title 1 '' "$@" \
		>"$name.out" 2>"$name.err"
	echo $? >"$name.rc"
}

rc_is() {
	[ "$(cat "$1.rc")" = "$2" ]
}

has() {
	grep -q -- "$2" "$1"
}

head -c 200000 /dev/urandom >job.bin
fake rdpprn0 240 0 3 2 "PC 1" "HP LaserJet/4"
fake rdpprn1 240 1 5 2 "PC 1" "HP LaserJet/4"
: >dev/rdpprn0
: >dev/rdpprn1
uri="rdpprn://$me/PC%201/HP%20LaserJet%2F4"

# discovery: two printers of one name and DeviceId in two sessions; only
# the newest has a URI of its own, so only it is listed
"$backend" >disc.out 2>disc.err
echo $? >disc.rc
check discovery-exit "exit $(cat disc.rc)" rc_is disc 0
check discovery-line "$(cat disc.out)" grep -qx \
	"direct $uri \"Generic PostScript\" \"HP LaserJet/4 on PC 1 ($me, session 5)\" \"\" \"PC 1\"" \
	disc.out
check discovery-count "$(wc -l <disc.out) lines" test "$(wc -l <disc.out)" = 1

run file "$uri" "$me" job.bin
check file-exit "exit $(cat file.rc): $(cat file.err)" rc_is file 0
check file-newest-session "bytes went elsewhere" cmp -s job.bin dev/rdpprn1
check file-older-untouched "older session written" test ! -s dev/rdpprn0
check file-state "no STATE: -offline-report" has file.err 'STATE: -offline-report'

# XPS: to a printer without XPSFORMAT it goes as it is, with a warning; to
# an XPS printer the backend asks for XPS with the ioctl, which a regular
# file refuses (ENOTTY, as an rdpprn.ko without it would): the job fails
# before any data; data a filter turned into PDF is not XPS
: >dev/rdpprn1
CONTENT_TYPE=application/oxps run xps-plain "$uri" "$me" job.bin
check xps-plain-exit "exit $(cat xps-plain.rc): $(cat xps-plain.err)" \
	rc_is xps-plain 0
check xps-plain-warns "$(cat xps-plain.err)" has xps-plain.err \
	'WARNING: rdpprn: XPS data, but the client.s printer does not take XPS'
check xps-plain-bytes "XPS job differs" cmp -s job.bin dev/rdpprn1
echo 1 >sys/rdpprn1/xps
: >dev/rdpprn1
CONTENT_TYPE=application/vnd.ms-xpsdocument run xps-notty "$uri" "$me" job.bin
check xps-notty-exit "exit $(cat xps-notty.rc)" rc_is xps-notty 1
check xps-notty-message "$(cat xps-notty.err)" has xps-notty.err \
	'ERROR: rdpprn: cannot send the job as XPS.*Inappropriate ioctl'
check xps-notty-no-data "data sent" test ! -s dev/rdpprn1
CONTENT_TYPE=application/oxps FINAL_CONTENT_TYPE=application/pdf \
	run xps-filtered "$uri" "$me" job.bin
check xps-filtered-exit "exit $(cat xps-filtered.rc)" rc_is xps-filtered 0
check xps-filtered-native "$(cat xps-filtered.err)" \
	bash -c "! grep -q XPS xps-filtered.err"
rm sys/rdpprn1/xps

: >dev/rdpprn1
DEVICE_URI=$uri "$backend" 42 "$me" title 3 '' job.bin 2>copies.err
check file-copies "3 copies are not 3x the bytes" \
	test "$(stat -c %s dev/rdpprn1)" = $((3 * 200000))

: >dev/rdpprn1
DEVICE_URI=$uri "$backend" 42 "$me" title 3 '' <job.bin 2>stdin.err
echo $? >stdin.rc
check stdin-exit "exit $(cat stdin.rc)" rc_is stdin 0
# copies are the filters' business when the data comes on stdin
check stdin-bytes "stdin job differs" cmp -s job.bin dev/rdpprn1

run id "$uri?id=2" "$me" job.bin
check id-form "exit $(cat id.rc)" rc_is id 0

# another user's job on this printer: cancelled, the queue keeps going
other=nobody
[ "$me" = nobody ] && other=root
: >dev/rdpprn1
run owner "$uri" "$other" job.bin
check owner-cancel "exit $(cat owner.rc)" rc_is owner 5
check owner-message "$(cat owner.err)" has owner.err "not the printer's owner"
check owner-nothing-written "bytes written" test ! -s dev/rdpprn1
run owner-unknown "$uri" no-such-user-rdpprn job.bin
check owner-unknown "exit $(cat owner-unknown.rc)" rc_is owner-unknown 5

run absent "rdpprn://$me/PC%201/Other" "$me" job.bin
check absent-retry "exit $(cat absent.rc)" rc_is absent 6
check absent-state "$(cat absent.err)" has absent.err 'STATE: +offline-report'

run baduri "rdpprn://$me/PC 1/x" "$me" job.bin
check baduri-stop "exit $(cat baduri.rc)" rc_is baduri 4

# the node is gone though sysfs still lists it (removed in between)
rm dev/rdpprn1
run nonode "$uri" "$me" job.bin
check nonode-retry "exit $(cat nonode.rc): $(cat nonode.err)" rc_is nonode 6

# a write error: /dev/full (1:7) says ENOSPC on every write
fake rdpprn1 1 7 5 2 "PC 1" "HP LaserJet/4"
ln -s /dev/full dev/rdpprn1
run full "$uri" "$me" job.bin
check full-failed "exit $(cat full.rc): $(cat full.err)" rc_is full 1
check full-message "$(cat full.err)" has full.err 'No space left on device'

# the node's device number is not the printer's: /dev/zero is 1:5
rm dev/rdpprn1
ln -s /dev/zero dev/rdpprn1
run rdev "$uri" "$me" job.bin
check rdev-retry "exit $(cat rdev.rc): $(cat rdev.err)" rc_is rdev 6
check rdev-message "$(cat rdev.err)" has rdev.err 'not connected'

# a cancel while open() waits: a FIFO without a reader blocks like a
# printer another job holds; SIGTERM ends the job as FAILED
rm dev/rdpprn1
fake rdpprn1 240 1 5 2 "PC 1" "HP LaserJet/4"
mkfifo dev/rdpprn1
DEVICE_URI=$uri "$backend" 42 "$me" title 1 '' job.bin 2>cancel.err &
pid=$!
# the handler is in place once it says where it prints
wait_for cancel.err 'printing to rdpprn1' 20
sleep 0.3
kill -TERM "$pid"
wait "$pid"
echo $? >cancel.rc
check cancel-failed "exit $(cat cancel.rc): $(cat cancel.err)" rc_is cancel 1
check cancel-message "$(cat cancel.err)" has cancel.err 'job cancelled'

# a FIFO with a reader: the data arrives, fsync's EINVAL on a FIFO is
# not an error for a stand-in
cat dev/rdpprn1 >fifo.got &
reader=$!
run fifo "$uri" "$me" job.bin
wait "$reader"
check fifo-exit "exit $(cat fifo.rc): $(cat fifo.err)" rc_is fifo 0
check fifo-bytes "FIFO data differs" cmp -s job.bin fifo.got

if [ -n "$prod" ]; then
	rm -f dev/rdpprn1
	: >dev/rdpprn1
	"$prod" >prod-disc.out 2>prod-disc.err
	check prod-ignores-env-discovery "listed the fake tree" \
		bash -c "! grep -q 'PC%201/HP%20LaserJet%2F4' prod-disc.out"
	DEVICE_URI=$uri "$prod" 42 "$me" title 1 '' job.bin \
		>prod.out 2>prod.err
	echo $? >prod.rc
	check prod-ignores-env-job "exit $(cat prod.rc): $(cat prod.err)" \
		rc_is prod 6
	check prod-wrote-nothing "wrote to the fake node" test ! -s dev/rdpprn1
fi

check usage "exit for 3 arguments" \
	bash -c "! \"$backend\" a b >/dev/null 2>&1"

tap_summary
