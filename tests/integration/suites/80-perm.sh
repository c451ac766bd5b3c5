# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Access control: the node belongs to the session user (mode node_mode),
# another user gets EACCES; every netlink command needs CAP_NET_ADMIN.
# shellcheck disable=SC1091
. "$IT_DIR/lib.sh"

d=$IT_TMP/perm
mkdir -p "$d"
chmod 755 "$d"
gen_file "$d/small" 4000 11
chmod 644 "$d/small"

if serve_start perm --printer name=Mine,id=1 --uid 1000 --gid 1000; then
	node=$(serve_node 1)
	check_eq perm-node-owner "$(stat -c '%u:%g %a' "$node")" "1000:1000 600"
	res=$(timeout 60 rdpprn-test as-user 1001 1001 rdpprn-test write-file "$node" "$d/small")
	check_eq perm-other-user-eacces "${res%% bytes=*}" \
		"RESULT open=EACCES write=- fsync=- close=-"
	res=$(timeout 60 rdpprn-test as-user 65534 65534 rdpprn-test write-file "$node" "$d/small")
	check_eq perm-nobody-eacces "${res%% bytes=*}" \
		"RESULT open=EACCES write=- fsync=- close=-"
	res=$(timeout 60 rdpprn-test as-user 1001 1000 rdpprn-test write-file "$node" "$d/small")
	check_eq perm-group-member-eacces "${res%% bytes=*}" \
		"RESULT open=EACCES write=- fsync=- close=-"
	res=$(timeout 60 rdpprn-test as-user 1000 1000 rdpprn-test write-file "$node" "$d/small")
	check_eq perm-owner-prints "${res%% bytes=*}" \
		"RESULT open=OK write=OK fsync=OK close=OK"
	wait_jobs 1 10
	check perm-owner-job-intact "$(last_job)" \
		grep -q "bytes=4000 sha256=$(sha_of "$d/small") status=closed" "$SERVE_LOG"
	serve_stop
fi

# node_mode is applied to new nodes
old=$(param node_mode)
set_param node_mode 0660
if serve_start perm-mode --printer name=Group,id=1 --uid 1000 --gid 1000; then
	node=$(serve_node 1)
	check_eq node-mode-param "$(stat -c '%u:%g %a' "$node")" "1000:1000 660"
	res=$(timeout 60 rdpprn-test as-user 1001 1000 rdpprn-test write-file "$node" "$d/small")
	check_eq node-mode-group-prints "${res%% bytes=*}" \
		"RESULT open=OK write=OK fsync=OK close=OK"
	serve_stop
fi
set_param node_mode "$old"

# an unprivileged helper cannot create a session
res=$(timeout 60 rdpprn-test as-user 1000 1000 rdpprn-test serve --printer name=X 2>&1)
case $res in
*"SESSION-ERROR errno=EPERM"*) ok unprivileged-serve-eperm ;;
*) not_ok unprivileged-serve-eperm "$res" ;;
esac

# every command, as uid 65534 (the C check drops privileges itself)
timeout 120 rdpprn-test check-perm
rm -rf "$d"
exit 0
