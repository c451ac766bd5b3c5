# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Data integrity: files of many sizes written with cat and dd arrive byte
# for byte (sha256 of the JOB line = sha256sum of the source), counters
# add up, and a 64 MiB job streams through.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

mkdir -p "$IT_TMP/data"
if ! serve_start data --printer name=Data,id=1 --out "$IT_TMP/data/out"; then
	not_ok data-ready "serve did not start"
	exit 0
fi
node=$(serve_node 1)
njobs=0
total=0

# send NAME FILE TOOL: print FILE to the device with TOOL, check the job
send() {
	_name=$1
	_f=$2
	_want=$(sha_of "$_f")
	_size=$(wc -c <"$_f" | tr -d ' ')
	_t0=$(uptime_ms)
	case $3 in
	cat) timeout 600 cat "$_f" >"$node" ;;
	dd) timeout 600 dd if="$_f" of="$node" bs=65536 conv=fsync 2>/dev/null ;;
	dd4k) timeout 600 dd if="$_f" of="$node" bs=4096 2>/dev/null ;;
	esac
	_rc=$?
	_t1=$(uptime_ms)
	njobs=$((njobs + 1))
	if [ "$_rc" != 0 ]; then
		not_ok "$_name" "$3 exited with $_rc"
		return
	fi
	if ! wait_jobs "$njobs" 60; then
		not_ok "$_name" "no JOB line after $3 returned"
		return
	fi
	_line=$(last_job)
	_b=$(job_field "$_line" bytes)
	_s=$(job_field "$_line" sha256)
	_st=$(job_field "$_line" status)
	if [ "$_b" = "$_size" ] && [ "$_s" = "$_want" ] && [ "$_st" = closed ]; then
		ok "$_name"
		echo "# $_name: $_size bytes in $((_t1 - _t0)) ms"
	else
		not_ok "$_name" "JOB bytes=$_b sha256=$_s status=$_st; want $_size $_want closed"
	fi
	total=$((total + _size))
	rm -f "$IT_TMP"/data/out/*
}

seed=1
for size in 0 1 4095 61440 61441 1048583; do
	f=$IT_TMP/data/src-$size
	gen_file "$f" "$size" "$seed"
	seed=$((seed + 1))
	send "cat-$size" "$f" cat
	send "dd-$size" "$f" dd
	[ "$size" -le 61441 ] && send "dd-bs4k-$size" "$f" dd4k
	rm -f "$f"
done

sys=/sys/class/rdpprn/${node#/dev/}
check_eq counter-jobs "$(cat "$sys/jobs")" "$njobs"
check_eq counter-bytes "$(cat "$sys/bytes")" "$total"
check_eq counter-errors "$(cat "$sys/errors")" 0
serve_clean data-no-violations
serve_stop
check_eq data-serve-exit "$SERVE_RC" 0

# 64 MiB, hashed by the client without storing it
f=$IT_TMP/data/src-64m
gen_file "$f" 67108864 64
want=$(sha_of "$f")
t0=$(uptime_ms)
cat "$f" >/dev/null
t1=$(uptime_ms)
echo "# 64 MiB through a pipe to /dev/null: $((t1 - t0)) ms"
if serve_start data-64m --printer name=Big,id=1; then
	node=$(serve_node 1)
	t0=$(uptime_ms)
	timeout 1200 cat "$f" >"$node"
	rc=$?
	t1=$(uptime_ms)
	if [ "$rc" = 0 ] && wait_jobs 1 120; then
		line=$(last_job)
		check_eq cat-64MiB "$(job_field "$line" bytes) $(job_field "$line" sha256) $(job_field "$line" status)" \
			"67108864 $want closed"
		ms=$((t1 - t0))
		[ "$ms" -gt 0 ] || ms=1
		echo "# cat-64MiB: $ms ms, $((64 * 1000 / ms)) MiB/s, $(job_field "$line" writes) write requests"
	else
		not_ok cat-64MiB "cat exited with $rc or no JOB line"
		show_log "$SERVE_LOG"
	fi
	serve_clean data-64m-no-violations
	serve_stop
else
	not_ok cat-64MiB "serve did not start"
fi
rm -f "$f"
exit 0
