# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# A client that never answers: with io_timeout=2 the create fails with
# ETIMEDOUT after about 2 s; an unanswered write or close does not hang
# the writer either.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

d=$IT_TMP/timeout
mkdir -p "$d"
gen_file "$d/small" 100 3
old=$(param io_timeout)
set_param io_timeout 2
check_eq io-timeout-writable "$(param io_timeout)" 2

# silent NAME WHAT: run one job against a client silent on WHAT
silent() {
	if ! serve_start "$1" --printer name=Silent,id=1 "--silent=$2"; then
		not_ok "$1" "serve did not start"
		return 1
	fi
	RES=$(timeout 60 rdpprn-test write-file "$(serve_node 1)" "$d/small")
	echo "# $1: $RES"
	return 0
}

# shellcheck disable=SC2317 # called through check
ms_between() {
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

if silent silent-create create; then
	case $RES in
	*"open=ETIMEDOUT write=- fsync=- close=-"*) ok create-timeout-etimedout ;;
	*) not_ok create-timeout-etimedout "$RES" ;;
	esac
	ms=$(job_field "$RES" open_ms)
	check create-timeout-duration "open took $ms ms (io_timeout 2)" \
		ms_between "$ms" 1500 6000
	serve_stop
fi

if silent silent-write write; then
	fs=$(job_field "$RES" fsync)
	cl=$(job_field "$RES" close)
	case "$fs:$cl" in
	ETIMEDOUT:ETIMEDOUT | EIO:EIO | ETIMEDOUT:EIO) ok write-timeout-fails-job ;;
	*) not_ok write-timeout-fails-job "$RES" ;;
	esac
	ms=$(job_field "$RES" ms)
	check write-timeout-duration "job took $ms ms (io_timeout 2)" \
		ms_between "$ms" 1500 12000
	echo "# write timeout surfaces as fsync=$fs close=$cl"
	serve_stop
fi

if silent silent-close close; then
	case $RES in
	*"open=OK write=OK fsync=OK close="*) ok close-timeout-returns ;;
	*) not_ok close-timeout-returns "$RES" ;;
	esac
	ms=$(job_field "$RES" close_ms)
	check close-timeout-duration "close took $ms ms (io_timeout 2)" \
		ms_between "$ms" 0 12000
	echo "# unanswered close: close=$(job_field "$RES" close)"
	# the device keeps working afterwards
	serve_stop
fi

set_param io_timeout "$old"
rm -rf "$d"
exit 0
