# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The transfer parameters are honoured: small chunks, a window of several
# outstanding writes, a small ring; the data still arrives intact and the
# client sees no request beyond chunk_size or the window.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

d=$IT_TMP/params
mkdir -p "$d"
gen_file "$d/src" 1048583 25
want=$(sha_of "$d/src")
old_chunk=$(param chunk_size)
old_window=$(param window)
old_ring=$(param ring_size)

# run NAME CHUNK WINDOW RING [SERVE-ARGS]
run() {
	_name=$1
	set_param chunk_size "$2"
	set_param window "$3"
	set_param ring_size "$4"
	shift 4
	# serve reads chunk_size and window as the limits to check
	if ! serve_start "$_name" --printer name=Params,id=1 "$@"; then
		not_ok "$_name" "serve did not start"
		return
	fi
	_res=$(timeout 600 rdpprn-test write-file "$(serve_node 1)" "$d/src")
	case $_res in
	*"open=OK write=OK fsync=OK close=OK"*) ;;
	*) not_ok "$_name" "writer: $_res"; serve_stop; return ;;
	esac
	if wait_jobs 1 30 &&
		grep -q "bytes=1048583 sha256=$want status=closed" "$SERVE_LOG"; then
		ok "$_name"
		echo "# $_name: $(last_job | sed 's/sha256=[0-9a-f]* //')"
	else
		not_ok "$_name" "job not intact: $(last_job)"
	fi
	serve_clean "$_name-no-violations"
	serve_stop
}

run chunk-4096 4096 1 "$old_ring"
run window-4 "$old_chunk" 4 "$old_ring" --delay-ms 1
run window-4-chunk-1000 1000 4 65536
run ring-8192 "$old_chunk" 1 8192

set_param chunk_size "$old_chunk"
set_param window "$old_window"
set_param ring_size "$old_ring"

# ring_size is bounded: one kvmalloc() per open job, 4 KiB to 16 MiB
for v in 4095 16777217 4294967295 2147483648; do
	if set_param ring_size "$v" 2>/dev/null; then
		not_ok "ring-size-refuses-$v" "accepted, now $(param ring_size)"
	else
		check_eq "ring-size-refuses-$v" "$(param ring_size)" "$old_ring"
	fi
done
set_param ring_size 16777216
check_eq ring-size-max-accepted "$(param ring_size)" 16777216
set_param ring_size "$old_ring"
rm -rf "$d"
exit 0
