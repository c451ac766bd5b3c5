# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# XPS (RDPPRN_IOC_SET_FORMAT): a job set to XPS before its first write
# gets one DR_PRN_USING_XPS ahead of its first write request, and serve
# checks the order (a VIOLATION otherwise) and marks the job format=xps.
# XPS on a printer announced without XPSFORMAT is EOPNOTSUPP, after the
# first write EBUSY; both jobs still print whole, in the native format.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

d=$IT_TMP/xps
mkdir -p "$d"
if ! serve_start xps --printer name=Xps,id=1,xps --printer name=Plain,id=2; then
	not_ok xps-ready "serve did not start"
	exit 0
fi
xnode=$(serve_node 1)
pnode=$(serve_node 2)
gen_file "$d/doc" 200000 22
want=$(sha_of "$d/doc")
ok_calls="RESULT open=OK write=OK fsync=OK close=OK"

# xps_job NAME NODE OPTION JOBS IOCTL FORMAT: print doc with OPTION, expect
# "FORMAT xps=IOCTL", then job number JOBS whole, its JOB line saying
# format=FORMAT (nothing for a native job)
xps_job() {
	_res=$(timeout 120 rdpprn-test write-file $3 "$2" "$d/doc" 2>&1)
	check_eq "$1-calls" "$(echo "$_res" | head -n1 | cut -d' ' -f1-5)" \
		"$ok_calls"
	check_eq "$1-ioctl" "$(echo "$_res" | sed -n 's/^FORMAT //p')" \
		"xps=$5"
	if ! wait_jobs "$4" 60; then
		not_ok "$1-job" "no JOB line"
		return
	fi
	_line=$(last_job)
	check_eq "$1-intact" "$(job_field "$_line" bytes) $(job_field "$_line" sha256) $(job_field "$_line" status)" \
		"200000 $want closed"
	check_eq "$1-format" "$(job_field "$_line" format)" "$6"
}

xps_job xps-first "$xnode" --xps 1 OK xps
check_eq xps-one-using-xps "$(count_lines "$SERVE_LOG" '^PRN packet=0x5543')" 1

xps_job xps-plain-printer "$pnode" --xps 2 EOPNOTSUPP ""
xps_job xps-after-write "$xnode" --xps-late 3 EBUSY ""

# A native job on the XPS printer gets no USING_XPS.
timeout 120 rdpprn-test write-file "$xnode" "$d/doc" >/dev/null 2>&1
if wait_jobs 4 60; then
	check_eq xps-native-job "$(job_field "$(last_job)" format)" ""
else
	not_ok xps-native-job "no JOB line"
fi
check_eq xps-still-one-using-xps \
	"$(count_lines "$SERVE_LOG" '^PRN packet=0x5543')" 1
serve_clean xps-no-violations
serve_stop
rm -rf "$d"
exit 0
