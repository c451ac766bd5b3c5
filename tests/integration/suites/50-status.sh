# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Every failure status of the client surfaces as the documented errno at
# the documented call: create -> open(); write -> the next write(), fsync()
# and close(); close -> close(). No IRP_MJ_CLOSE after a failed create.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

d=$IT_TMP/status
mkdir -p "$d"
gen_file "$d/small" 1000 7
# bigger than the ring, so that write() has to wait for the client
rs=$(param ring_size)
gen_file "$d/big" $((rs * 2 + 1048576)) 8

# one NAME EXPECT FILE [WRITE-FILE-OPTIONS --] SERVE-ARGS...
one() {
	_name=$1
	_expect=$2
	_file=$3
	shift 3
	_wf=
	if [ "$1" = --chunk ]; then
		_wf="--chunk $2"
		shift 3
	fi
	if ! serve_start "$_name" --printer name=Status,id=1 "$@"; then
		not_ok "$_name" "serve did not start"
		return 1
	fi
	# shellcheck disable=SC2086
	_res=$(timeout 120 rdpprn-test write-file $_wf "$(serve_node 1)" "$_file")
	case $_res in
	*"$_expect "*) ok "$_name" ;;
	*) not_ok "$_name" "got '$_res', want '$_expect'" ;;
	esac
	return 0
}

# create failures: open() fails, nothing else happens. The errno of the
# contract: the statuses it names, EIO for every other non-zero status.
for pair in PRINT_QUEUE_FULL:EBUSY DEVICE_BUSY:EBUSY NO_SUCH_DEVICE:ENODEV \
	DEVICE_NOT_CONNECTED:ENODEV ACCESS_DENIED:EACCES NO_SPOOL_SPACE:ENOSPC \
	CANCELLED:ECANCELED PRINT_CANCELLED:ECANCELED \
	INSUFFICIENT_RESOURCES:ENOMEM NOT_SUPPORTED:EOPNOTSUPP \
	INVALID_PARAMETER:EINVAL UNSUCCESSFUL:EIO 0xC0000999:EIO \
	DEVICE_PAPER_EMPTY:EIO 0x40000001:EIO NOT_IMPLEMENTED:EIO \
	INVALID_HANDLE:EIO INVALID_DEVICE_REQUEST:EIO DEVICE_NOT_READY:EIO; do
	st=${pair%%:*}
	e=${pair#*:}
	if one "create-$st" "open=$e write=- fsync=- close=-" "$d/small" \
		--create-status "$st"; then
		sleep 0.3
		check "create-$st-no-close" "a close or write followed the failed create" \
			sh -c "! grep -qE '^(VIOLATION|JOB)' '$SERVE_LOG'"
		serve_stop
	fi
done

# write failures: latched, seen by fsync() and close()
for pair in NO_SPOOL_SPACE:ENOSPC PRINT_CANCELLED:ECANCELED \
	DEVICE_NOT_CONNECTED:ENODEV PRINT_QUEUE_FULL:EBUSY \
	ACCESS_DENIED:EACCES INSUFFICIENT_RESOURCES:ENOMEM \
	UNSUCCESSFUL:EIO DEVICE_OFF_LINE:EIO; do
	st=${pair%%:*}
	e=${pair#*:}
	if one "write-$st" "open=OK write=OK fsync=$e close=$e" "$d/small" \
		--write-status "$st"; then
		wait_jobs 1 10
		check "write-$st-job" "no JOB status=write-failed: $(last_job)" \
			grep -q 'status=write-failed' "$SERVE_LOG"
		sys=/sys/class/rdpprn/$(serve_node 1 | cut -d/ -f3)
		check_eq "write-$st-errors-counter" "$(cat "$sys/errors")" 1
		serve_clean "write-$st-no-violations"
		serve_stop
	fi
done

# a write failure in the middle of a big job: write() itself returns it
if one write-fails-mid-job "open=OK write=EIO fsync=EIO close=EIO" "$d/big" \
	--chunk 65536 -- --write-status UNSUCCESSFUL --fault-after 2; then
	serve_clean write-fails-mid-job-no-violations
	serve_stop
fi

# close failures: only close() reports them
for pair in UNSUCCESSFUL:EIO NO_SPOOL_SPACE:ENOSPC PRINT_CANCELLED:ECANCELED; do
	st=${pair%%:*}
	e=${pair#*:}
	if one "close-$st" "open=OK write=OK fsync=OK close=$e" "$d/small" \
		--close-status "$st"; then
		wait_jobs 1 10
		check "close-$st-job" "job not intact: $(last_job)" \
			grep -q "bytes=1000 sha256=$(sha_of "$d/small") status=close-failed" "$SERVE_LOG"
		serve_stop
	fi
done

# after a refused job the next one works (faults only for the first job)
if one create-then-ok "open=EBUSY" "$d/small" --create-status PRINT_QUEUE_FULL \
	--fault-jobs 1; then
	res=$(timeout 60 rdpprn-test write-file "$(serve_node 1)" "$d/small")
	check_eq create-then-ok-second "${res%% bytes=*}" \
		"RESULT open=OK write=OK fsync=OK close=OK"
	serve_stop
fi
rm -rf "$d"
exit 0
