# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sessions belong to their owner's network namespace: from another one
# they cannot be seen, got or deleted (SESSION_GET/SESSION_DEL by id used
# to find any session, so a DEL from another namespace could end it).
# Needs CONFIG_NET_NS and busybox unshare.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

if ! unshare -n true 2>/dev/null; then
	# Every test kernel has NET_NS (tests/vm/debug.config too): say so loudly.
	not_ok netns-available "unshare -n failed: no network namespaces"
	exit 0
fi

if serve_start netns --printer name=NS,id=1; then
	sid=$SERVE_SID
	check netns-own-namespace-sees-it "rdpprnctl -s $sid sessions failed" \
		rdpprnctl -s "$sid" sessions
	out=$(unshare -n rdpprnctl -j sessions 2>&1)
	case $out in
	*"\"session_id\":$sid"*) not_ok netns-dump-hides-it "$out" ;;
	*) ok netns-dump-hides-it ;;
	esac
	out=$(unshare -n rdpprnctl delete "$sid" 2>&1)
	rc=$?
	echo "# delete from another namespace: rc=$rc $out"
	case $rc:$out in
	0:*) not_ok netns-delete-refused "deleted from another namespace" ;;
	*"No such file"* | *ENOENT*) ok netns-delete-refused ;;
	*) not_ok netns-delete-refused "unexpected: $out" ;;
	esac
	check netns-session-still-live "the session ended" \
		test -e "$(serve_node 1)"
	gen_file "$IT_TMP/netns.bin" 5000 89
	res=$(timeout 60 rdpprn-test write-file "$(serve_node 1)" "$IT_TMP/netns.bin")
	check_eq netns-still-prints "${res%% bytes=*}" \
		"RESULT open=OK write=OK fsync=OK close=OK"
	serve_stop
	rm -f "$IT_TMP/netns.bin"
fi
exit 0
