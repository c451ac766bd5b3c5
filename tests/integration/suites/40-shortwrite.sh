# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Short and empty write responses: the remainder is resent until the job
# is complete; three empty responses in a row fail the job with EIO.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

d=$IT_TMP/short
mkdir -p "$d"

# job NAME SIZE EXPECT SERVE-ARGS...: one job through a faulty client
job() {
	_name=$1
	_size=$2
	_expect=$3
	shift 3
	gen_file "$d/src" "$_size" "$_size"
	if ! serve_start "$_name" --printer name=Short,id=1 "$@"; then
		not_ok "$_name" "serve did not start"
		return
	fi
	_res=$(timeout 600 rdpprn-test write-file "$(serve_node 1)" "$d/src")
	case $_res in
	*"$_expect"*) ;;
	*) not_ok "$_name" "writer: $_res (want $_expect)"; serve_stop; return ;;
	esac
	if [ "$_expect" != "open=OK write=OK fsync=OK close=OK" ]; then
		ok "$_name"
	elif wait_jobs 1 30 &&
		grep -q "^JOB dev=1 .* bytes=$_size sha256=$(sha_of "$d/src") status=closed" "$SERVE_LOG"; then
		ok "$_name"
		echo "# $_name: $(last_job)"
	else
		not_ok "$_name" "job not intact: $(last_job)"
	fi
	serve_clean "$_name-no-violations"
	serve_stop
}

all_ok="open=OK write=OK fsync=OK close=OK"
job short-write-1000 200000 "$all_ok" --short-write 1000
job short-write-7 3000 "$all_ok" --short-write 7
job short-write-61439 400000 "$all_ok" --short-write 61439
job zero-write-2 10000 "$all_ok" --zero-write 2
job zero-write-3 10000 "open=OK write=OK fsync=EIO close=EIO" --zero-write 3
rm -rf "$d"
exit 0
