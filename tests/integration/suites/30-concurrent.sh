# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# 8 concurrent jobs on 4 printers of one session: every job complete and
# intact, on the right printer.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

d=$IT_TMP/conc
mkdir -p "$d"
if ! serve_start concurrent --printer name=P1,id=1 --printer name=P2,id=2 \
	--printer name=P3,id=3 --printer name=P4,id=4; then
	not_ok concurrent-ready "serve did not start"
	exit 0
fi
pids=
for i in 1 2 3 4 5 6 7 8; do
	gen_file "$d/src-$i" $((300000 + i * 77777)) "$((100 + i))"
done
for i in 1 2 3 4 5 6 7 8; do
	dev=$(((i - 1) % 4 + 1))
	timeout 600 rdpprn-test write-file "$(serve_node "$dev")" "$d/src-$i" \
		>"$d/result-$i" 2>&1 &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p"
done
wait_jobs 8 60
for i in 1 2 3 4 5 6 7 8; do
	dev=$(((i - 1) % 4 + 1))
	sha=$(sha_of "$d/src-$i")
	size=$(wc -c <"$d/src-$i" | tr -d ' ')
	res=$(cat "$d/result-$i")
	case $res in
	*"open=OK write=OK fsync=OK close=OK"*) ;;
	*) not_ok "concurrent-job-$i" "writer: $res"; continue ;;
	esac
	if grep -q "^JOB dev=$dev .* bytes=$size sha256=$sha status=closed" "$SERVE_LOG"; then
		ok "concurrent-job-$i"
	else
		not_ok "concurrent-job-$i" "no intact JOB on dev=$dev for $size bytes"
	fi
done
check_eq concurrent-job-lines "$(count_lines "$SERVE_LOG" '^JOB ')" 8
serve_clean concurrent-no-violations
serve_stop
rm -rf "$d"
exit 0
